"""The review queue's filters, scoped to one authority."""

from django.utils.translation import gettext_lazy as _

import django_filters

from frameworks.filters import AppointmentFilterSet

from ..models import Offering

YES, NO = "yes", "no"


class OfferingReviewFilterSet(AppointmentFilterSet):
    """Offerings are filtered like appointments (the authority's frameworks and lots, supplier
    name), plus whether something awaits review and the offering's own status."""

    awaiting_review = django_filters.ChoiceFilter(
        label=_("Awaiting review"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        empty_label=_("Either"),
        method="filter_awaiting_review",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Offering.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Offering
        fields = ["awaiting_review", "status", "framework", "lot", "supplier"]

    def filter_awaiting_review(self, queryset, name, value):
        return queryset.filter(submitted_revision__isnull=value != YES)
