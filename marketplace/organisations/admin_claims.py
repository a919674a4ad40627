"""Platform administrators' screens in the Wagtail admin: claims to act for a public body
(filtered queue, each claim's decision) and councils' recorded e-mail domains.

Only platform administrators (organisations.policy.is_platform_admin) see a menu item or get
a page; there are no add or delete views. Decisions and domain changes go through services,
so they are permission-checked and audited like any other change.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from marketplace.exceptions import DomainError

from . import identifiers, selectors, services
from .forms import RefuseClaimForm
from .models import LocalAuthority, Nation, OrganisationClaim, PublicBodyKind, Region


def _only(views: dict) -> dict:
    """View kwargs without links to the add, copy, delete, history and usage views."""
    return {
        **views,
        "add_url_name": None,
        "delete_url_name": None,
        "history_url_name": None,
        "usage_url_name": None,
    }


# --- Claims -------------------------------------------------------------------------------


class ClaimFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=OrganisationClaim.Status.choices
    )
    body_kind = django_filters.ChoiceFilter(
        label=_("Kind of public body"),
        choices=[c for c in PublicBodyKind.choices if c[0] != PublicBodyKind.OTHER],
    )
    granted_by = django_filters.ChoiceFilter(
        label=_("Granted by"), choices=OrganisationClaim.Grant.choices
    )

    class Meta:
        model = OrganisationClaim
        fields = ["status", "body_kind", "granted_by"]


class ClaimIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.claims_for_review()


class ClaimDecisionView(InspectView):
    """A claim's details and, while it is pending, the buttons to approve or refuse it."""

    template_name = "organisations/admin/claim_decision.html"

    def get_object(self, queryset=None):
        return selectors.get_claim_for_review(pk=self.pk)

    def get_context_data(self, **kwargs):
        return {
            "refuse_form": RefuseClaimForm(),
            "is_pending": self.object.status == OrganisationClaim.Status.PENDING,
            **super().get_context_data(**kwargs),
        }

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        claim = self.object
        refuse_form = None
        try:
            if request.POST.get("decision") == "approve":
                services.approve_claim(actor=request.user, claim=claim)
                messages.success(
                    request,
                    _("%(name)s is registered; %(email)s is its administrator")
                    % {"name": claim.legal_name, "email": claim.claimant.email},
                )
                return redirect(self.index_url_name)
            refuse_form = RefuseClaimForm(request.POST)
            if refuse_form.is_valid():
                services.refuse_claim(
                    actor=request.user, claim=claim, reason=refuse_form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("The claim to act for %(name)s is refused") % {"name": claim.legal_name},
                )
                return redirect(self.index_url_name)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        context = self.get_context_data()
        context["refuse_form"] = refuse_form
        return self.render_to_response(context)


class ClaimViewSet(ModelViewSet):
    model = OrganisationClaim
    icon = "key"
    menu_label = _("Claims")
    menu_order = 910
    add_to_admin_menu = True
    url_prefix = "claims"
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = ClaimIndexView
    inspect_view_class = ClaimDecisionView
    filterset_class = ClaimFilterSet
    list_per_page = 50
    list_display = [
        "legal_name",  # the title column: links to the claim's decision page
        Column("get_body_kind_display", label=_("Kind")),
        Column("body_identifier", label=_("Identifier")),
        Column("claimant", label=_("Claimant")),
        Column("get_status_display", label=_("Status")),
        DateColumn("created_at", label=_("Made"), sort_key="created_at"),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return _only({**super().get_common_view_kwargs(**kwargs), "edit_url_name": None})

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]


claim_viewset = ClaimViewSet("organisation_claims")


class ClaimsWaitingPanel(Component):
    """On the admin home page: how many claims wait for a platform administrator."""

    name = "claims_waiting"
    template_name = "organisations/admin/claims_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        status = OrganisationClaim.Status.PENDING
        return {
            "waiting": selectors.claims_for_review().filter(status=status).count(),
            "queue_url": f"{reverse(claim_viewset.get_url_name('index'))}?"
            f"{urlencode({'status': status})}",
            "councils_url": reverse(council_viewset.get_url_name("index")),
        }


# --- Councils and their e-mail domains -----------------------------------------------------


class CouncilFilterSet(WagtailFilterSet):
    nation = django_filters.ChoiceFilter(label=_("Nation"), choices=Nation.choices)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)
    current = django_filters.BooleanFilter(label=_("Current"), method="filter_current")
    has_domains = django_filters.BooleanFilter(
        label=_("E-mail domains recorded"), method="filter_has_domains"
    )

    class Meta:
        model = LocalAuthority
        fields = ["nation", "region", "current", "has_domains"]

    def filter_current(self, queryset, name, value):
        current = LocalAuthority.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)

    def filter_has_domains(self, queryset, name, value):
        return queryset.exclude(email_domains=[]) if value else queryset.filter(email_domains=[])


class CouncilIndexView(IndexView):
    template_name = "organisations/admin/council_index.html"

    def get_base_queryset(self):
        return selectors.councils_for_admin()


class EmailDomainsForm(WagtailAdminModelForm):
    """The domains one per line; normalised and checked before the service records them."""

    email_domains = forms.CharField(
        label=_("E-mail domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line, like manchester.gov.uk. A claim from an address at one of them, or at "
            "a subdomain, is granted at once."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["email_domains"] = "\n".join(self.instance.email_domains)

    def clean_email_domains(self) -> list[str]:
        domains = services.normalise_domains(self.cleaned_data["email_domains"].splitlines())
        errors = []
        for domain in domains:
            try:
                identifiers.validate_email_domain(domain)
            except ValidationError as error:
                errors.append(f"{domain}: {error.messages[0]}")
        if errors:
            raise ValidationError(errors)
        return domains


class CouncilInspectView(InspectView):
    template_name = "organisations/admin/council_inspect.html"


class CouncilEditView(EditView):
    def save_instance(self):
        return services.set_council_email_domains(
            actor=self.request.user,
            local_authority=self.object,
            domains=self.form.cleaned_data["email_domains"],
        )


class CouncilViewSet(ModelViewSet):
    model = LocalAuthority
    icon = "site"
    menu_label = _("Councils")
    menu_order = 911
    add_to_admin_menu = True
    url_prefix = "councils"
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = CouncilIndexView
    edit_view_class = CouncilEditView
    inspect_view_class = CouncilInspectView
    filterset_class = CouncilFilterSet
    search_fields = ["official_name", "nice_name", "code", "gss_code"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        "official_name",
        Column("code", label=_("Code")),
        Column("gss_code", label=_("GSS code")),
        Column("type_name", label=_("Type")),
        Column("get_region_display", label=_("Region")),
        Column("end_date", label=_("Ended")),
        Column("email_domains", label=_("E-mail domains")),
    ]
    inspect_view_fields = [
        "official_name",
        "nice_name",
        "code",
        "gss_code",
        "nation",
        "region",
        "type_name",
        "county",
        "combined_authority",
        "start_date",
        "end_date",
        "email_domains",
    ]
    edit_handler = ObjectList([FieldPanel("email_domains")], base_form_class=EmailDomainsForm)

    def get_common_view_kwargs(self, **kwargs):
        return _only(super().get_common_view_kwargs(**kwargs))

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/domains/", self.edit_view, name="edit"),
        ]


council_viewset = CouncilViewSet("councils")
