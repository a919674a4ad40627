"""Search documents made directly, as rows, for tests of the backends.

Documents are normally written by search.indexing; these fixtures write SearchDocument and
SearchFacet rows straight away (with real offerings behind them, made in bulk) so a backend can
be tested on exactly the words, facets and dates a test needs.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from search import types
from search.analysis import analyse
from search.models import SearchDocument, SearchFacet
from suppliers.models import Offering
from tests import factories

TODAY = date(2026, 6, 15)


class Documents:
    """Makes offerings with their search documents on two frameworks of two lots each."""

    def __init__(self):
        self.frameworks = [factories.framework_page(lots=2), factories.framework_page(lots=2)]
        self.lots = [lot for page in self.frameworks for lot in page.lots.order_by("number")]
        self.supplier = factories.OrganisationFactory(kind="supplier")

    def spec(
        self,
        title="",
        summary="",
        description="",
        supplier_name="",
        *,
        lot=0,
        facets=None,
        price="100.00",
        unit="day",
        numbers=None,
        listed_from=None,
        listed_until=None,
        first_published_at=None,
    ) -> dict:
        """What `add_many` takes: the text as typed (analysed here), the lot by its index in
        `self.lots`, and facet values beyond the framework, lot, authority and unit ones."""
        return {
            "title": title,
            "summary": summary,
            "description": description,
            "supplier_name": supplier_name,
            "lot": self.lots[lot],
            "facets": facets or {},
            "price": Decimal(price),
            "unit": unit,
            "numbers": numbers or {},
            "listed_from": listed_from or TODAY - timedelta(days=30),
            "listed_until": listed_until,
            "first_published_at": first_published_at,
        }

    def add(self, *args, **kwargs) -> int:
        return self.add_many([self.spec(*args, **kwargs)])[0]

    def add_many(self, specs: list[dict]) -> list[int]:
        offerings = Offering.objects.bulk_create(
            Offering(
                supplier=self.supplier,
                lot=spec["lot"],
                status=Offering.Status.LIVE,
                title=spec["title"][:200] or "Untitled",
                summary=spec["summary"][:300],
                description=spec["description"],
                price=spec["price"],
                price_unit=spec["unit"],
                comparable_price=spec["price"],
                comparable_unit=spec["unit"],
                lead_time_days=5,
            )
            for spec in specs
        )
        documents = []
        facets = []
        for offering, spec in zip(offerings, specs, strict=True):
            lot = spec["lot"]
            documents.append(
                SearchDocument(
                    offering_id=offering.pk,
                    framework_id=lot.framework_id,
                    lot_id=lot.pk,
                    supplier_id=self.supplier.pk,
                    title_terms=analyse(spec["title"]),
                    summary_terms=analyse(spec["summary"]),
                    description_terms=analyse(spec["description"]),
                    supplier_terms=analyse(spec["supplier_name"]),
                    comparable_unit=spec["unit"],
                    comparable_price=spec["price"],
                    numbers=spec["numbers"],
                    listed_from=spec["listed_from"],
                    listed_until=spec["listed_until"],
                    first_published_at=spec["first_published_at"],
                )
            )
            values = {
                types.FRAMEWORK: [str(lot.framework_id)],
                types.LOT: [str(lot.pk)],
                types.AUTHORITY: [str(lot.framework.authority_id)],
                types.UNIT: [spec["unit"]],
                **spec["facets"],
            }
            facets.extend(
                SearchFacet(document_id=offering.pk, name=name, value=value)
                for name, names_values in values.items()
                for value in dict.fromkeys(names_values)
            )
        SearchDocument.objects.bulk_create(documents)
        SearchFacet.objects.bulk_create(facets)
        return [offering.pk for offering in offerings]


@pytest.fixture
def documents(db):
    return Documents()
