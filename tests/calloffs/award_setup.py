"""A buying project at the award step, its supplier already selected: the rows are made
directly, because the selection mechanisms are tested on their own."""

from datetime import date, datetime, time
from decimal import Decimal
from itertools import count

from django.utils import timezone

from marketplace.calloffs.models import BuyerSettings, BuyingProject
from marketplace.calloffs.services import awards as services
from tests import factories

_numbers = count(900_001)

LOT = {
    "number": 1,
    "title": "Grounds maintenance",
    "minimum_value": Decimal("10000.00"),
    "maximum_value": Decimal("8000000.00"),
    "maximum_term_months": 36,
    "allows_direct_award": True,
    "direct_award_method": "single_supplier",
    "direct_award_mechanism": "The lot has one supplier.",
}


# A framework procured under the Public Contracts Regulations 2015: before 24 February 2025.
PCR_2015_FRAMEWORK = {
    "regime": "pcr2015",
    "applications_open_on": date(2024, 6, 3),
    "applications_close_on": date(2024, 7, 1),
    "award_on": date(2024, 8, 1),
    "starts_on": date(2024, 9, 1),
}


def award_lot(framework_fields=None, **lot_fields):
    page = factories.framework_page(lots=[{**LOT, **lot_fields}], **(framework_fields or {}))
    return page.lots.get()


def project_to_award(*, buyer, officer, lot=None, supplier=None, **fields) -> BuyingProject:
    """A project of `buyer` started by `officer`, at the award step: lot, route and supplier
    chosen (the supplier appointed to the lot)."""
    lot = lot or award_lot()
    supplier = supplier or factories.OrganisationFactory(
        kind="supplier",
        legal_name="Greenway Grounds Ltd",
        ppon="PDDW-2534-TWPT",
        address_line_1="1 Park Road",
        address_line_2="Unit 4",
        town="Bolton",
        postcode="BL1 1AA",
        contact_email="bids@greenway.example",
    )
    factories.AppointmentFactory(lot=lot, supplier=supplier)
    number = next(_numbers)
    return BuyingProject.objects.create(
        reference=f"BP-2026-{number:06d}",
        organisation=buyer,
        title=fields.pop("title", "Parks grounds maintenance"),
        need="Mowing and hedge cutting at 12 parks.",
        estimated_value=Decimal("100000.00"),
        estimated_term_months=24,
        created_by=officer,
        lot=lot,
        route="direct_award",
        direct_award_method=lot.direct_award_method,
        selected_supplier=supplier,
        selection_reason="The lot's one supplier.",
        selected_at=timezone.now(),
        **fields,
    )


def award_terms(**overrides) -> dict:
    """Valid terms for make_award on a LOT project."""
    return {
        "description": "Mowing, hedges and litter picking at 12 parks.",
        "value": Decimal("100000.00"),
        "value_including_vat": Decimal("120000.00"),
        "starts_on": date(2027, 4, 1),
        "ends_on": date(2029, 3, 31),
        "kpis": [],
        "kpi_none_reason": "",
        **overrides,
    }


def award_form_data(**overrides) -> dict:
    """The award form's fields for award_terms()."""
    return {
        "description": "Mowing, hedges and litter picking at 12 parks.",
        "value": "100,000.00",
        "value_including_vat": "£120000",
        "starts_on_day": "1",
        "starts_on_month": "4",
        "starts_on_year": "2027",
        "ends_on_day": "31",
        "ends_on_month": "3",
        "ends_on_year": "2029",
        "kpi_none_reason": "",
        **overrides,
    }


def make_award(*, actor, project, **overrides):
    return services.make_award(actor=actor, project=project, **award_terms(**overrides))


def set_threshold(buyer, amount: str) -> None:
    BuyerSettings.objects.update_or_create(
        organisation=buyer, defaults={"approval_threshold": Decimal(amount)}
    )


def awarded_on(award, day: date):
    """Move the day the award took effect back, so its notice can be dated in the past."""
    award.awarded_at = timezone.make_aware(datetime.combine(day, time(9)))
    award.save(update_fields=["awarded_at"])
    return award
