from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import pytest

from search import types
from search.analysis import analyse
from search.models import SearchDocument, SearchFacet
from suppliers.models import Offering
from tests import factories


@pytest.fixture
def other_buyer(db):
    return factories.OrganisationFactory(kind="buyer", council_code="GB-LDS")


@pytest.fixture
def colleague(buyer):
    """A second procurement officer of the same buyer."""
    return factories.MembershipFactory(organisation=buyer, role="procurement_officer").user


@pytest.fixture
def outsider(other_buyer):
    return factories.MembershipFactory(organisation=other_buyer, role="procurement_officer").user


@pytest.fixture
def reference_backend(settings):
    """The plain-Python reference backend: counts here do not depend on the database's
    full-text index, which other tests cover."""
    settings.SEARCH_BACKEND = "search.backends.reference"


class Listings:
    """Live offerings on one framework's lot, each with its search document written as rows
    (as search.indexing would write them)."""

    def __init__(self):
        self.lot = factories.framework_page(
            lots=[{"number": 1, "title": "Hosting", "attribute_schema": []}]
        ).lots.get()
        self.supplier = factories.OrganisationFactory(kind="supplier", is_sme=True)
        factories.AppointmentFactory(supplier=self.supplier, lot=self.lot)

    def add(self, title: str, *, published_at, regions=("TLD",)) -> Offering:
        offering = Offering.objects.create(
            supplier=self.supplier,
            lot=self.lot,
            status=Offering.Status.LIVE,
            title=title,
            summary="A summary.",
            description="A description.",
            price=Decimal("100.00"),
            price_unit="day",
            regions_served=list(regions),
            lead_time_days=5,
        )
        SearchDocument.objects.create(
            offering=offering,
            framework_id=self.lot.framework_id,
            lot=self.lot,
            supplier=self.supplier,
            title_terms=analyse(title),
            summary_terms=analyse(offering.summary),
            description_terms=analyse(offering.description),
            supplier_terms=analyse(self.supplier.name),
            comparable_unit=offering.comparable_unit,
            comparable_price=offering.comparable_price,
            listed_from=timezone.localdate() - timedelta(days=30),
            first_published_at=published_at,
        )
        values = {
            types.FRAMEWORK: [str(self.lot.framework_id)],
            types.LOT: [str(self.lot.pk)],
            types.AUTHORITY: [str(self.lot.framework.authority_id)],
            types.UNIT: [offering.comparable_unit],
            types.SME: ["yes"],
            types.REGION: list(regions),
        }
        SearchFacet.objects.bulk_create(
            SearchFacet(document_id=offering.pk, name=name, value=value)
            for name, items in values.items()
            for value in items
        )
        return offering


@pytest.fixture
def listings(db, reference_backend):
    return Listings()


@pytest.fixture
def database_listings(db):
    """Listings searched through the configured backend (the database's full-text index)."""
    return Listings()
