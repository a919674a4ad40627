"""Which authority an admin user is acting for, for a given action."""

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
