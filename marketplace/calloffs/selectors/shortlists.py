"""Reads for search and shortlist: the saved searches a project may freeze, a search's every
result, the frozen list, and which shortlisted suppliers may not be called off today."""

from dataclasses import dataclass, replace
from datetime import date

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404

from frameworks.models import Appointment, Lot
from frameworks.selectors import debarment_problems
from frameworks.terms import terms_on
from marketplace.organisations.models import Organisation
from search import types

from .. import search_params
from ..models import BuyingProject, SavedSearch, Shortlist, ShortlistItem
from ..suppliers import call_off_problem
from .saved_searches import saved_searches_for


@dataclass(frozen=True)
class LotTerms:
    """The lot's terms for a shortlist on a given day (frameworks.terms: variations apply)."""

    shortlist_limit: int
    direct_award_mechanism: str


def lot_terms(lot: Lot, on: date) -> LotTerms:
    terms = terms_on(lot.framework, on)["lots"].get(str(lot.number), {})
    return LotTerms(
        shortlist_limit=int(terms.get("shortlist_limit", lot.shortlist_limit)),
        direct_award_mechanism=terms.get("direct_award_mechanism", lot.direct_award_mechanism),
    )


def _is_on_lot(saved_search: SavedSearch, lot: Lot) -> bool:
    return QueryDict(saved_search.query_string).getlist(types.LOT) == [str(lot.pk)]


def searches_on_lot(*, organisation: Organisation, lot: Lot) -> list[SavedSearch]:
    """The organisation's saved searches whose lot filter is exactly `lot`."""
    # The database narrows them down; the query string is then read properly.
    candidates = saved_searches_for(organisation).filter(query_string__contains=f"lot={lot.pk}")
    return [saved_search for saved_search in candidates if _is_on_lot(saved_search, lot)]


def get_search_on_lot(*, organisation: Organisation, lot: Lot, pk: int) -> SavedSearch:
    """One of the organisation's saved searches on `lot`; any other is a 404."""
    saved_search = get_object_or_404(saved_searches_for(organisation), pk=pk)
    if not _is_on_lot(saved_search, lot):
        raise Http404("That saved search is not on this project's lot")
    return saved_search


@dataclass(frozen=True)
class WholeSearch:
    """A saved search run as its organisation sees it today; `offerings` holds every result,
    in result order, once the whole list is asked for and no more than `up_to`."""

    result: object  # search.types.SearchResult of the first page
    offerings: list

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def lot_ids(self) -> tuple[str, ...]:
        return tuple(self.result.request.facets.get(types.LOT, ()))


def run_search(
    query_string: str, *, organisation: Organisation, today: date, up_to: int = 0
) -> WholeSearch:
    """The search's first page, and when it has between 1 and `up_to` results every result
    (a page at a time: the search service pages its hits)."""
    from search import service

    result = search_params.run(query_string, organisation=organisation, today=today)
    offerings = []
    if 0 < result.total <= up_to and not result.total_capped:
        offerings = [hit.offering for hit in result.hits]
        for page in range(2, result.page_count + 1):
            later = service.search(replace(result.request, page=page))
            offerings += [hit.offering for hit in later.hits]
    return WholeSearch(result=result, offerings=offerings)


def get_shortlist(project: BuyingProject) -> Shortlist | None:
    return (
        Shortlist.objects.filter(project=project)
        .select_related("frozen_by", "saved_search", "project__lot__framework")
        .first()
    )


def shortlist_items(shortlist: Shortlist) -> list[ShortlistItem]:
    return list(shortlist.items.select_related("supplier", "decided_by").order_by("position"))


def get_shortlist_item(*, project: BuyingProject, pk: int) -> ShortlistItem:
    """An item of the project's own shortlist; any other is a 404."""
    return get_object_or_404(
        ShortlistItem.objects.select_related("supplier", "shortlist__project"),
        shortlist__project=project,
        pk=pk,
    )


def call_off_problems(*, suppliers, lot: Lot, buyer: Organisation, on: date) -> dict[int, str]:
    """For each of `suppliers` that may not be called off from `lot` on `on`, why.

    The appointments are read in one query and the debarment list in another; the reason for
    a supplier without a current appointment (rare) comes from call_off_problem itself, so
    the wording is the one the award step gives."""
    suppliers = {supplier.pk: supplier for supplier in suppliers}
    appointed = {
        appointment.supplier_id
        for appointment in Appointment.objects.filter(lot=lot, supplier__in=suppliers)
        if appointment.is_current(on)
    }
    problems = {
        pk: call_off_problem(supplier=supplier, lot=lot, buyer=buyer, on=on)
        for pk, supplier in suppliers.items()
        if pk not in appointed
    }
    debarred = debarment_problems(
        suppliers=[suppliers[pk] for pk in appointed], organisation=buyer, on=on
    )
    return {pk: problem for pk, problem in {**problems, **debarred}.items() if problem}
