"""django-filter filter sets for the admin listings (shown in Wagtail's filter UI):
appointments scoped to one authority, and the central debarment list."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet

import django_filters

from . import selectors
from .models import Appointment, DebarmentEntry, ExclusionType, FrameworkPage, Lot


class AppointmentFilterSet(WagtailFilterSet):
    framework = django_filters.ModelChoiceFilter(
        label=_("Framework"),
        field_name="lot__framework",
        queryset=FrameworkPage.objects.none(),
        empty_label=_("All frameworks"),
    )
    lot = django_filters.ModelChoiceFilter(
        label=_("Lot"), queryset=Lot.objects.none(), empty_label=_("All lots")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Appointment.Status.choices, empty_label=_("Any status")
    )
    supplier = django_filters.CharFilter(label=_("Supplier name"), method="filter_supplier")

    class Meta:
        model = Appointment
        fields = ["framework", "lot", "status", "supplier"]

    def __init__(self, data=None, queryset=None, *, authority, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["framework"].queryset = selectors.frameworks_for_authority(
            organisation=authority
        )
        self.filters["lot"].queryset = selectors.lots_for_authority(organisation=authority)
        self.form.fields["lot"].label_from_instance = lambda lot: f"{lot.framework.title} – {lot}"

    def filter_supplier(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(supplier__legal_name__icontains=value) | Q(supplier__trading_name__icontains=value)
        )


class DebarmentFilterSet(WagtailFilterSet):
    supplier = django_filters.CharFilter(label=_("Supplier name"), method="filter_supplier")
    exclusion_type = django_filters.ChoiceFilter(
        label=_("Exclusion type"), choices=ExclusionType.choices, empty_label=_("Any type")
    )
    in_force = django_filters.BooleanFilter(label=_("In force today"), method="filter_in_force")

    class Meta:
        model = DebarmentEntry
        fields = ["supplier", "exclusion_type", "in_force"]

    def filter_supplier(self, queryset, name, value):
        return AppointmentFilterSet.filter_supplier(self, queryset, name, value)

    def filter_in_force(self, queryset, name, value):
        in_force = DebarmentEntry.in_force_on(timezone.localdate())
        return queryset.filter(in_force) if value else queryset.exclude(in_force)
