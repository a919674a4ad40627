"""Reads of saved searches, always from the organisation asking: another organisation's
saved search is simply not found (404)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from marketplace.organisations.models import Organisation

from ..models import SavedSearch


def saved_searches_for(organisation: Organisation) -> QuerySet[SavedSearch]:
    return (
        SavedSearch.objects.filter(organisation=organisation)
        .select_related("created_by", "organisation")
        .order_by("-saved_at", "-pk")
    )


def get_saved_search(organisation: Organisation, pk: int) -> SavedSearch:
    return get_object_or_404(saved_searches_for(organisation), pk=pk)
