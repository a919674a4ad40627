"""Organisations in the Wagtail admin, for the service team only (superusers), and the
searchable choosers of suppliers and buyers that authority staff use in their forms.

Anyone else sees no menu item and gets no URL. Edits go through services.update_organisation,
so they are validated, audited and recorded like any other; there is no add or delete here
(organisations are registered on the front end, and removing one is a support task).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import EditView
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from . import policy, services
from .admin_claims import ClaimsWaitingPanel, claim_viewset, council_viewset
from .choosers import buyer_chooser_viewset, supplier_chooser_viewset
from .forms import OrganisationForm
from .models import LocalAuthority, Organisation, OrganisationClaim, Region
from .roles import OrganisationKind


class SuperuserOnlyPermissionPolicy(BasePermissionPolicy):
    """Superusers (platform administrators) may do the given actions here; nobody else may
    do anything, and nobody may add or delete."""

    def __init__(self, model, actions=frozenset({"change", "view"})):
        super().__init__(model)
        self.actions = actions

    def user_has_permission(self, user, action):
        return action in self.actions and policy.is_platform_admin(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return users if set(actions) & self.actions else users.none()


register_permission_policy(Organisation, SuperuserOnlyPermissionPolicy(Organisation))
register_permission_policy(LocalAuthority, SuperuserOnlyPermissionPolicy(LocalAuthority))
# Claims are decided on their own page (a POST to the inspect view), never edited as a form.
register_permission_policy(
    OrganisationClaim, SuperuserOnlyPermissionPolicy(OrganisationClaim, frozenset({"view"}))
)


class OrganisationAdminForm(OrganisationForm, WagtailAdminModelForm):
    """The front end's validation (normalised identifiers, named duplicates) in the admin."""


class OrganisationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)
    is_sme = django_filters.BooleanFilter(label=_("SME"))
    is_vcse = django_filters.BooleanFilter(label=_("VCSE"))

    class Meta:
        model = Organisation
        fields = ["kind", "region", "is_sme", "is_vcse"]


class OrganisationEditView(EditView):
    def save_instance(self):
        fields = {name: self.form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        return services.update_organisation(
            actor=self.request.user, organisation=self.form.instance, **fields
        )


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    add_to_admin_menu = True
    menu_order = 900
    edit_view_class = OrganisationEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = OrganisationFilterSet
    search_fields = [
        "legal_name",
        "trading_name",
        "company_number",
        "council_code",
        "charity_number",
    ]
    search_backend_name = None
    list_display = ["legal_name", "kind", "region", "company_number", "council_code"]
    edit_handler = ObjectList(
        [FieldPanel(name) for name in services.EDITABLE_FIELDS],
        base_form_class=OrganisationAdminForm,
    )


register_snippet(OrganisationViewSet)


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return [supplier_chooser_viewset, buyer_chooser_viewset, claim_viewset, council_viewset]


@hooks.register("construct_homepage_panels")
def add_claims_waiting_panel(request, panels):
    if policy.is_platform_admin(request.user):
        panels.append(ClaimsWaitingPanel())
