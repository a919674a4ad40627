"""New offerings saved in bulk never clash on their random references."""

from decimal import Decimal

import pytest

from suppliers.bulk import imports
from suppliers.models import Offering
from tests import factories

pytestmark = pytest.mark.django_db


def new_offering(supplier, lot, reference: str) -> Offering:
    return Offering(
        supplier=supplier,
        lot=lot,
        reference=reference,
        title=f"Offering {reference}",
        summary="A summary.",
        description="A description.",
        price=Decimal("100.00"),
        price_unit="day",
        lead_time_days=5,
    )


def test_references_taken_in_the_batch_or_already_saved_are_drawn_again(monkeypatch):
    supplier = factories.OrganisationFactory(kind="supplier")
    lot = factories.supplier_lot()
    saved = factories.offering(supplier=supplier, lot=lot)
    fresh = iter(["OF-NEW001", "OF-NEW002"])
    monkeypatch.setattr(imports, "new_offering_reference", lambda: next(fresh))
    batch = [
        new_offering(supplier, lot, "OF-AAAAAA"),
        new_offering(supplier, lot, "OF-AAAAAA"),
        new_offering(supplier, lot, saved.reference),
    ]

    imports.create_in_bulk(batch)

    assert sorted(o.reference for o in batch) == ["OF-AAAAAA", "OF-NEW001", "OF-NEW002"]
    assert Offering.objects.count() == 4
