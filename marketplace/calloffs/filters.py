"""django-filter filter sets for the contracts register (a plain GET form: no JavaScript)."""

from django import forms
from django.utils.translation import gettext_lazy as _

import django_filters

from frameworks.models import FrameworkPage, Lot, Route
from marketplace.organisations.models import Organisation

from .models import Contract


class _OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation):
        return organisation.name


class _OrganisationFilter(django_filters.ModelChoiceFilter):
    field_class = _OrganisationChoiceField


class _LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, lot):
        return f"{lot.framework.title}: lot {lot.number}, {lot.title}"


class _LotFilter(django_filters.ModelChoiceFilter):
    field_class = _LotChoiceField


def _money_input() -> forms.TextInput:
    # GOV.UK asks for text inputs with a numeric keyboard, not type="number".
    return forms.TextInput(attrs={"inputmode": "decimal"})


class RegisterFilterSet(django_filters.FilterSet):
    """The public register's filters. Each list offers only what some contract has, so no
    choice leads to an empty register."""

    buyer = _OrganisationFilter(
        label=_("Buyer"),
        queryset=Organisation.objects.filter(contracts_bought__isnull=False)
        .distinct()
        .order_by("legal_name"),
        empty_label=_("All buyers"),
    )
    supplier = _OrganisationFilter(
        label=_("Supplier"),
        queryset=Organisation.objects.filter(contracts_supplied__isnull=False)
        .distinct()
        .order_by("legal_name"),
        empty_label=_("All suppliers"),
    )
    framework = django_filters.ModelChoiceFilter(
        label=_("Framework"),
        queryset=FrameworkPage.objects.filter(contracts__isnull=False).distinct().order_by("title"),
        empty_label=_("All frameworks"),
    )
    lot = _LotFilter(
        label=_("Lot"),
        queryset=Lot.objects.filter(contracts__isnull=False)
        .distinct()
        .select_related("framework")
        .order_by("framework__title", "number"),
        empty_label=_("All lots"),
    )
    route = django_filters.ChoiceFilter(
        label=_("Route"), choices=Route.choices, empty_label=_("Any route")
    )
    value_min = django_filters.NumberFilter(
        label=_("Value from (excluding VAT)"),
        field_name="value",
        lookup_expr="gte",
        min_value=0,
        widget=_money_input(),
    )
    value_max = django_filters.NumberFilter(
        label=_("Value up to (excluding VAT)"),
        field_name="value",
        lookup_expr="lte",
        min_value=0,
        widget=_money_input(),
    )
    entered_from = django_filters.DateFilter(
        label=_("Entered into from"),
        field_name="entered_into_on",
        lookup_expr="gte",
        help_text=_("For example, 31/3/2026"),
    )
    entered_to = django_filters.DateFilter(
        label=_("Entered into up to"),
        field_name="entered_into_on",
        lookup_expr="lte",
        help_text=_("For example, 31/3/2026"),
    )

    class Meta:
        model = Contract
        fields = [
            "buyer",
            "supplier",
            "framework",
            "lot",
            "route",
            "value_min",
            "value_max",
            "entered_from",
            "entered_to",
        ]
