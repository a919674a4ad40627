"""Demo offerings (demo.offerings and seed_demo --offerings) over the demo frameworks."""

import re
from collections import Counter
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from demo import catalogue
from demo import offerings as demo
from demo.organisations import ADMIN_EMAIL
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.organisations.admin_access import sync_staff_group
from marketplace.organisations.models import Membership, Region
from suppliers import selectors, services
from suppliers.models import Offering
from suppliers.validation import clean_offering
from tests.demo.test_frameworks import BUYERS, SUPPLIERS, build, build_region
from tests.factories import MembershipFactory
from tests.helpers import sign_in_with_second_factor

COUNT = 120
User = get_user_model()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo region, frameworks and COUNT offerings, built once for the module (it takes
    a while) and rolled back after its last test; each test runs in a savepoint inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        build(build_region())
        result = demo.build_offerings(seed=2026, count=COUNT)
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def result(db, seeded):
    return seeded


@pytest.fixture
def offerings(result):
    return list(Offering.objects.select_related("lot__framework", "supplier").order_by("pk"))


def specs(count: int) -> list[tuple]:
    appointments = demo.listing_appointments(on=timezone.localdate())
    return [
        (spec.appointment.pk, spec.status, spec.content)
        for spec in demo.offering_specs(2026, appointments, count)
    ]


def test_builds_the_offerings_asked_for(result, offerings):
    assert (result.created, result.existing) == (COUNT, 0)
    assert len(offerings) == COUNT
    assert result.summary().startswith(f"Offerings: {COUNT} created, 0 already present in ")


def test_seeded_offerings_each_have_their_own_public_reference(offerings):
    references = [o.reference for o in offerings]
    assert len(set(references)) == COUNT
    assert all(re.fullmatch(r"OF-[0-9A-HJKMNP-TV-Z]{6}", reference) for reference in references)


def test_offerings_sit_on_current_appointments_of_live_or_suspended_demo_frameworks(offerings):
    today = timezone.localdate()
    appointed = set(selectors.current_appointments(on=today).values_list("supplier_id", "lot_id"))
    assert {(o.supplier_id, o.lot_id) for o in offerings} <= appointed
    references = {o.lot.framework.reference for o in offerings}
    assert references <= {"GMCA-ICT-2026", "NEPO-FM-2026", "WMCA-FLEET-2026"}
    assert len(references) >= 2
    assert all(o.lot.title in demo.THEMES for o in offerings)


def test_every_offering_passes_the_one_validator(offerings):
    for offering in offerings:
        clean_offering(
            supplier=offering.supplier,
            lot=offering.lot,
            data={field: getattr(offering, field) for field in Offering.CONTENT_FIELDS},
            offering=offering,
        )


def test_most_are_live_and_the_rest_drafts_or_awaiting_review(offerings):
    statuses = Counter(offering.status for offering in offerings)
    assert set(statuses) == {"live", "draft", "submitted"}
    assert 0.75 <= statuses["live"] / COUNT <= 0.95


def test_each_status_has_the_revision_state_the_services_would_give(offerings):
    for offering in offerings:
        assert offering.latest_revision_id is not None
        assert offering.latest_revision.content["title"] == offering.title
        if offering.status == "live":
            assert (offering.live, offering.has_unpublished_changes) == (True, False)
            assert offering.live_revision_id == offering.latest_revision_id
            assert offering.first_published_at is not None
            assert offering.submitted_revision_id is None
        else:
            assert (offering.live, offering.has_unpublished_changes) == (False, True)
            assert offering.live_revision_id is None
        if offering.status == "submitted":
            assert offering.submitted_revision_id == offering.latest_revision_id
            assert offering.awaiting_review


def test_comparable_prices_are_set(offerings):
    for offering in offerings:
        comparable = offering.comparable()
        assert (offering.comparable_price, offering.comparable_unit) == (
            comparable.amount,
            comparable.unit,
        )


def test_titles_are_unique_per_supplier_and_lot(offerings):
    keys = [(o.supplier_id, o.lot_id, o.title.lower()) for o in offerings]
    assert len(keys) == len(set(keys))


def test_a_title_names_only_an_area_its_regions_make(offerings):
    areas = {
        "UK-wide": None,
        "North of England": {"TLC", "TLD", "TLE"},
        "Midlands": {"TLF", "TLG"},
        **{name: {code} for code, name in demo.REGION_SHORT_NAMES.items()},
    }
    named = 0
    for offering in offerings:
        match = re.search(r"\(([^()]+)\)$", offering.title)
        if match is None:
            continue
        named += 1
        area, served = match.group(1), set(offering.regions_served)
        assert area in areas, offering.title
        if area == "UK-wide":
            assert len(served) == 12, (offering.title, served)
        elif area in ("North of England", "Midlands"):
            assert len(served) > 1, (offering.title, served)
            assert served <= areas[area], (offering.title, served)
        else:
            assert served == areas[area], (offering.title, served)
    assert named


def test_the_area_of_regions():
    every = [code for code, _name in Region.choices]
    assert demo.area_of_regions(every) == "UK-wide"
    assert demo.area_of_regions(["TLC"]) == "North East"
    assert demo.area_of_regions(["TLC", "TLD"]) == "North of England"
    assert demo.area_of_regions(["TLC", "TLD", "TLE"]) == "North of England"
    assert demo.area_of_regions(["TLF", "TLG"]) == "Midlands"
    assert demo.area_of_regions(["TLD", "TLG"]) == ""
    assert demo.area_of_regions(["TLC", "TLH", "TLI", "TLJ", "TLL", "TLM"]) == ""


def test_an_offering_an_earlier_demo_titled_otherwise_is_not_made_again(result):
    appointments = demo.listing_appointments(on=timezone.localdate())
    spec = next(
        spec for spec in demo.offering_specs(2026, appointments, COUNT) if spec.former_title
    )
    Offering.objects.filter(
        supplier=spec.appointment.supplier, lot=spec.appointment.lot, title=spec.content["title"]
    ).update(title=spec.former_title)

    again = demo.build_offerings(seed=2026, count=COUNT)

    assert (again.created, again.existing) == (0, COUNT)


def test_prices_units_and_text_are_believable(offerings):
    for offering in offerings:
        theme = demo.THEMES[offering.lot.title]
        assert offering.price_unit in {unit for unit, _low, _high in theme.prices}
        assert any(offering.title.startswith(service) for service in theme.services)
        assert offering.supplier.name in offering.description
        assert offering.regions_served


def test_specs_are_the_same_for_a_seed_and_the_first_of_a_longer_list(result):
    assert specs(30) == specs(30)
    assert specs(30) == specs(60)[:30]


def test_running_again_creates_nothing_and_more_adds_only_the_rest(result):
    again = demo.build_offerings(seed=2026, count=COUNT)
    assert (again.created, again.existing) == (0, COUNT)

    more = demo.build_offerings(seed=2026, count=COUNT + 15)
    assert (more.created, more.existing) == (15, COUNT)
    assert Offering.objects.count() == COUNT + 15


def test_one_audit_event_records_each_run_that_creates(result):
    event = AuditEvent.objects.filter(kind=AuditKind.OFFERINGS_IMPORTED).get()
    assert event.data == {"source": "demo data", "seed": 2026, "count": COUNT}
    assert event.actor.email == ADMIN_EMAIL


def test_each_revision_records_the_suppliers_administrator(offerings):
    administrators = dict(
        Membership.objects.filter(role="supplier_admin").values_list("organisation_id", "user_id")
    )
    assert [offering.latest_revision.user_id for offering in offerings] == [
        administrators[offering.supplier_id] for offering in offerings
    ]


def test_the_authoritys_reviewer_can_open_every_kind_of_seeded_offering(offerings):
    chosen = {o.status: o for o in offerings if o.lot.framework.reference == "GMCA-ICT-2026"}
    authority = chosen["live"].lot.framework.authority
    reviewer = MembershipFactory(organisation=authority, role="reviewer").user
    sync_staff_group(authority)
    client = Client()
    sign_in_with_second_factor(client, reviewer)
    for status in ("live", "submitted", "draft"):
        response = client.get(reverse("suppliers_admin:review", args=[chosen[status].pk]))
        assert (status, response.status_code) == (status, 200)


def test_a_seeded_live_offering_shows_on_its_public_page(client, offerings):
    listable = selectors.listable_offerings(on=timezone.localdate())
    shown = listable.filter(pk__in=[o.pk for o in offerings]).first()
    assert shown is not None
    response = client.get(reverse("suppliers:offering", args=[shown.pk]))
    assert response.status_code == 200
    assert shown.title in response.content.decode()


def test_a_seeded_live_offering_can_be_edited_reviewed_and_approved(offerings):
    offering = next(
        o for o in offerings if o.status == "live" and o.lot.framework.reference == "GMCA-ICT-2026"
    )
    editor = MembershipFactory(organisation=offering.supplier, role="editor").user
    data = {field: getattr(offering, field) for field in Offering.CONTENT_FIELDS}
    edited = services.edit_offering(
        actor=editor,
        supplier=offering.supplier,
        offering=offering,
        data={**data, "title": f"{offering.title} (updated)"},
    )
    submitted = services.submit_offering(actor=editor, supplier=offering.supplier, offering=edited)
    authority = offering.lot.framework.authority
    reviewer = MembershipFactory(organisation=authority, role="reviewer").user

    approved = services.approve_offering(actor=reviewer, authority=authority, offering=submitted)

    assert approved.title == f"{offering.title} (updated)"
    assert approved.status == "live"


def test_seed_demo_adds_offerings_with_a_progress_bar(result):
    out = StringIO()
    call_command(
        "seed_demo", "--buyers", str(BUYERS), "--suppliers", str(SUPPLIERS),
        "--offerings", str(COUNT + 10), stdout=out,
    )  # fmt: skip
    output = out.getvalue()

    assert f"  Offerings [{'#' * 30}] 100%  {COUNT + 10:,}/{COUNT + 10:,}" in output
    assert f"Offerings: 10 created, {COUNT} already present in " in output
    assert Offering.objects.count() == COUNT + 10


def test_every_demo_framework_lot_with_offerings_has_a_theme():
    listed = {
        lot.title
        for spec in catalogue.FRAMEWORKS
        if spec.state in demo.LISTING_STATES and spec.regime == demo.LISTING_REGIME
        for lot in spec.lots
        if lot.mechanism != catalogue.SINGLE_SUPPLIER
    }
    assert listed <= set(demo.THEMES)
