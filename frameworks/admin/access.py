"""Which authority an admin user is acting for, for a given action."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action, OrganisationKind


def authorities_where(user, action: Action) -> list[Organisation]:
    return list(
        policy.organisations_where(user, action)
        .filter(kind=OrganisationKind.AUTHORITY)
        .order_by("legal_name")
    )


def acting_authority(request, action: Action) -> Organisation | None:
    """The organisation chosen for this session if it is one of the user's authorities where
    they may do `action`; otherwise their only such authority; otherwise None (ask them)."""
    authorities = authorities_where(request.user, action)
    chosen = request.organisation
    if chosen:
        for authority in authorities:
            if authority.pk == chosen.pk:
                return authority
    return authorities[0] if len(authorities) == 1 else None


class ActingAuthorityMixin:
    """A view for one authority: resolves self.authority for `action`, or asks the user to
    choose one; someone who may do `action` for no authority is refused."""

    action = Action.APPOINT_SUPPLIERS

    def dispatch(self, request, *args, **kwargs):
        self.authority = acting_authority(request, self.action)
        if self.authority is None:
            if not authorities_where(request.user, self.action):
                raise PermissionDenied
            messages.warning(request, _("Choose which authority you are acting for first."))
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:choose-organisation')}?{query}")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.authority.name
