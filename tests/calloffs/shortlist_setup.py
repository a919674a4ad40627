"""Builders for the search-and-shortlist tests: a lot that uses the mechanism, with live
offerings searched through the reference backend, a buying project on it and saved searches."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

import pytest

from frameworks.models import DirectAwardMethod, Lot, Route
from marketplace.calloffs.models import BuyingProject
from marketplace.calloffs.services import saved_searches
from marketplace.calloffs.services import shortlists as services
from search.models import SearchDocument
from tests import factories

from .conftest import Listings

MECHANISM = "The buyer searches the catalogue on its need and chooses the best value kept result."
_references = count(1)


class Shortlisting(Listings):
    """A search-and-shortlist lot (limit `limit`) with its live offerings."""

    def __init__(self, *, limit: int = 3, supplier_name: str = "Cloudworks Ltd"):
        super().__init__()
        Lot.objects.filter(pk=self.lot.pk).update(
            allows_direct_award=True,
            direct_award_method=DirectAwardMethod.SEARCH_AND_SHORTLIST,
            direct_award_mechanism=MECHANISM,
            shortlist_limit=limit,
        )
        self.lot.refresh_from_db()
        self.supplier.legal_name = supplier_name
        self.supplier.save()

    def offer(self, title: str, *, supplier=None, price="100.00"):
        """A live offering published yesterday, from `supplier` (appointed) or the first one."""
        if supplier is not None:
            factories.AppointmentFactory(supplier=supplier, lot=self.lot)
        first, self.supplier = self.supplier, supplier or self.supplier
        offering = self.add(title, published_at=timezone.now() - timedelta(days=1))
        self.supplier = first
        if price != "100.00":
            offering.price = Decimal(price)
            offering.save()
            SearchDocument.objects.filter(offering=offering).update(
                comparable_price=offering.comparable_price
            )
        return offering

    def search(self, actor, organisation, query: str = "", name: str = "Cloud on the lot"):
        """A saved search on the lot: `query` is more of the query string, like "q=cloud"."""
        query_string = "&".join(part for part in (query, f"lot={self.lot.pk}") if part)
        return saved_searches.create_saved_search(
            actor=actor, organisation=organisation, name=name, query_string=query_string
        )

    def project(self, *, buyer, officer, title="Cloud hosting for the archive"):
        return BuyingProject.objects.create(
            reference=f"BP-2026-{next(_references):06d}",
            organisation=buyer,
            title=title,
            need="Host the digital archive.",
            estimated_value=Decimal("40000.00"),
            estimated_term_months=12,
            created_by=officer,
            lot=self.lot,
            route=Route.DIRECT_AWARD,
            direct_award_method=DirectAwardMethod.SEARCH_AND_SHORTLIST,
        )


@pytest.fixture
def shortlisting(db, reference_backend):
    return Shortlisting()


@pytest.fixture
def project(shortlisting, buyer, procurement_officer):
    return shortlisting.project(buyer=buyer, officer=procurement_officer)


def frozen(shortlisting, project, officer, titles=("Cloud hosting", "Cloud backup")):
    """The project's shortlist, frozen from a search finding `titles`."""
    for title in titles:
        shortlisting.offer(title)
    saved = shortlisting.search(officer, project.organisation, "q=cloud")
    return services.freeze_shortlist(actor=officer, project=project, saved_search=saved)
