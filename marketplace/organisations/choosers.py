"""Searchable choosers of organisations of one kind, for authority staff's admin forms.

A list of hundreds of organisations is no way to pick one: these open Wagtail's chooser
modal, searched by name or number, and offer only suppliers or only buyers.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser

from marketplace.admin_widgets import StartsWithoutInlineScript

from .models import Organisation
from .roles import OrganisationKind


class OrganisationSearchForm(BaseFilterForm):
    """Search by name or number, in the database: organisations are not in the search index."""

    q = forms.CharField(
        label=_("Name or number"),
        required=False,
        help_text=_("Part of the legal or trading name, or the company or charity number."),
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(
                Q(legal_name__icontains=query)
                | Q(trading_name__icontains=query)
                | Q(company_number__iexact=query)
                | Q(charity_number__iexact=query)
            )
        return objects


class OrganisationChooserWidget(StartsWithoutInlineScript, BaseChooser):
    """Wagtail's chooser widget, started without an inline script."""


class SearchByNameOrNumber:
    filter_form_class = OrganisationSearchForm
    ordering = ["legal_name"]


class OrganisationChooseView(SearchByNameOrNumber, ChooseView):
    pass


class OrganisationChooseResultsView(SearchByNameOrNumber, ChooseResultsView):
    pass


class OrganisationKindChooserViewSet(ChooserViewSet):
    """A searchable chooser of organisations of one kind; the forms using it check the kind."""

    model = Organisation
    kind: str = ""
    icon = "group"
    per_page = 20
    register_widget = False  # only the forms that ask for it, never every Organisation key
    base_widget_class = OrganisationChooserWidget
    choose_view_class = OrganisationChooseView
    choose_results_view_class = OrganisationChooseResultsView

    def get_object_list(self):
        return Organisation.objects.filter(kind=self.kind)


supplier_chooser_viewset = OrganisationKindChooserViewSet(
    "supplier_chooser",
    kind=OrganisationKind.SUPPLIER,
    choose_one_text=_("Choose a supplier"),
    choose_another_text=_("Choose another supplier"),
)
buyer_chooser_viewset = OrganisationKindChooserViewSet(
    "buyer_chooser",
    kind=OrganisationKind.BUYER,
    choose_one_text=_("Choose a buyer"),
    choose_another_text=_("Choose another buyer"),
)


class NamedOrganisationsWidget(forms.Widget):
    """Several organisations without a long list: those already named as ticked boxes (untick
    to remove), and a searchable chooser to add one more on each save."""

    template_name = "organisations/admin/named_organisations_widget.html"

    def __init__(self, chooser_viewset: ChooserViewSet, attrs=None):
        super().__init__(attrs)
        self.chooser = chooser_viewset.widget_class()

    @property
    def media(self):
        return self.chooser.media

    def add_name(self, name: str) -> str:
        return f"{name}-add"

    def value_from_datadict(self, data, files, name):
        values = [value for value in data.getlist(name) if value]
        added = self.chooser.value_from_datadict(data, files, self.add_name(name))
        return [*values, added] if added else values

    def value_omitted_from_data(self, data, files, name):
        return False  # no box ticked and none added means "no named organisations"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pks = [str(pk) for pk in (value or [])]
        context["named"] = Organisation.objects.filter(pk__in=pks).order_by("legal_name")
        context["chooser"] = self.chooser.render(
            self.add_name(name), None, {"id": f"{context['widget']['attrs']['id']}-add"}
        )
        return context
