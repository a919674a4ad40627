"""Call-offs in the Wagtail admin: the regional lead's view of every call-off under their
authority's own frameworks, with the contracted value by lot and by buyer.

Any member of the authority may read it (Action.VIEW_ORGANISATION), for the authority they
act for (frameworks.admin.access); another authority's frameworks and call-offs never appear.
"""

from decimal import Decimal

from django import forms
from django.core.paginator import Paginator
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from frameworks.admin.access import ActingAuthorityMixin, authorities_where
from marketplace.organisations.roles import Action

from .selectors import register as selectors

CALLOFFS_PER_PAGE = 50
PAGE_PARAMETER = "p"  # as Wagtail's own listings page


class FrameworkChoiceForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=None,
        required=False,
        empty_label=_("All your frameworks"),
        help_text=_("Show the call-offs and totals of one framework."),
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = selectors.authority_frameworks(authority=authority)


def calloff_value(project) -> tuple[Decimal, str]:
    """The best value known for a call-off, and what it is: the contract's, the standing
    award's, or the buyer's estimate."""
    contract = getattr(project, "contract", None)
    if contract is not None:
        return contract.value, _("contract")
    if project.standing_awards:
        return project.standing_awards[0].value, _("award")
    return project.estimated_value, _("estimate")


class RegionalCallOffsView(ActingAuthorityMixin, WagtailAdminTemplateMixin, TemplateView):
    action = Action.VIEW_ORGANISATION
    template_name = "calloffs/register/regional.html"
    page_title = _("Call-offs under your frameworks")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        form = FrameworkChoiceForm(self.request.GET or None, authority=self.authority)
        framework = form.cleaned_data["framework"] if form.is_valid() else None
        projects = selectors.calloffs_for_authority(authority=self.authority, framework=framework)
        page_obj = Paginator(projects, CALLOFFS_PER_PAGE).get_page(
            self.request.GET.get(PAGE_PARAMETER)
        )
        contracts = selectors.contracts_for_authority(authority=self.authority, framework=framework)
        return super().get_context_data(
            form=form,
            framework=framework,
            page_obj=page_obj,
            elided_page_range=page_obj.paginator.get_elided_page_range(page_obj.number),
            rows=[(project, *calloff_value(project)) for project in page_obj],
            by_lot=selectors.contracted_value_by(
                contracts, "lot", "framework__title", "lot__number", "lot__title"
            ),
            by_buyer=selectors.contracted_value_by(
                contracts, "buyer", "buyer__legal_name", "buyer__trading_name"
            ),
            total=selectors.contracted_total(contracts),
            **kwargs,
        )


class RegionalCallOffsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(authorities_where(request.user, Action.VIEW_ORGANISATION))


@hooks.register("register_admin_urls")
def register_regional_calloffs_url():
    return [path("calloffs/", RegionalCallOffsView.as_view(), name="calloffs_regional")]


@hooks.register("register_admin_menu_item")
def register_regional_calloffs_menu_item():
    return RegionalCallOffsMenuItem(
        _("Call-offs"),
        reverse("calloffs_regional"),
        name="calloffs",
        icon_name="doc-full",
        order=270,
    )
