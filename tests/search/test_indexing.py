"""Search documents follow every change (issue 11, point 2): their values, the services that
queue their update after commit, their listing windows and the rebuild command."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from frameworks import debarment, publishing
from frameworks import services as framework_services
from frameworks.models import Appointment, CpvCode, Lot
from marketplace.organisations import services as organisation_services
from search import indexing, tasks, types
from search.analysis import analyse
from search.models import LotSearchDocument, SearchDocument, SearchFacet
from suppliers import services as supplier_services
from suppliers.bulk.imports import create_in_bulk
from suppliers.models import Offering, SupplierProfile
from suppliers.selectors import listable_offerings
from tests import factories

LOT_CODE = "90610000-6"  # Street-cleaning and sweeping services


class Mirror:
    """Stands in for the configured backend: records what it is asked to mirror."""

    def __init__(self):
        self.indexed: list[list[int]] = []
        self.rebuilt = 0

    def index_documents(self, offering_ids):
        self.indexed.append(list(offering_ids))

    def rebuild(self, *, progress=None):
        self.rebuilt += 1
        if progress:
            progress(1, 1)


@pytest.fixture(autouse=True)
def mirror(monkeypatch):
    backend = Mirror()
    monkeypatch.setattr(indexing, "get_backend", lambda: backend)
    monkeypatch.setattr(
        "search.management.commands.rebuild_search_index.get_backend", lambda: backend
    )
    return backend


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def lot(db):
    lot = factories.supplier_lot()
    Lot.cpv_codes.through.objects.create(lot=lot, cpvcode=CpvCode.objects.get(code=LOT_CODE))
    return lot


@pytest.fixture
def framework(lot):
    return lot.framework


@pytest.fixture
def authority(framework):
    return framework.authority


@pytest.fixture
def manager(authority):
    return factories.MembershipFactory(organisation=authority, role="framework_manager").user


@pytest.fixture
def supplier(db):
    supplier = factories.OrganisationFactory(
        kind="supplier", legal_name="Northern Sweepers Ltd", is_sme=True, is_vcse=True
    )
    SupplierProfile.objects.create(
        organisation=supplier,
        headcount=12,
        annual_turnover=Decimal("900000"),
        accreditations=["iso_9001", "real_living_wage"],
    )
    return supplier


@pytest.fixture
def supplier_admin(supplier):
    return factories.MembershipFactory(organisation=supplier, role="supplier_admin").user


@pytest.fixture
def live(lot, supplier, supplier_admin, django_capture_on_commit_callbacks):
    """A live offering, approved through the services: its document is made after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return factories.offering(supplier=supplier, lot=lot, actor=supplier_admin, status="live")


@pytest.fixture
def appointment(live):
    return Appointment.objects.get(supplier=live.supplier, lot=live.lot)


def facets(offering) -> set[tuple[str, str]]:
    return set(SearchFacet.objects.filter(document_id=offering.pk).values_list("name", "value"))


def has_document(offering) -> bool:
    return SearchDocument.objects.filter(pk=offering.pk).exists()


# --- Pure rules ---------------------------------------------------------------------------------


def test_cpv_facet_values_zero_the_last_significant_digit_repeatedly():
    assert indexing.cpv_facet_values("90611000-3") == [
        "90611000",
        "90610000",
        "90600000",
        "90000000",
    ]
    assert indexing.cpv_facet_values("45000000") == ["45000000"]
    assert indexing.cpv_facet_values("30200100-2") == ["30200100", "30200000", "30000000"]


def test_listing_window_is_the_overlap_of_framework_and_appointment(today):
    window = indexing.listing_window(
        framework=(today - timedelta(days=100), today + timedelta(days=600)),
        appointment=(today - timedelta(days=30), today + timedelta(days=90)),
        today=today,
    )
    assert window == (today - timedelta(days=30), today + timedelta(days=90))


def test_listing_window_ends_the_day_before_a_future_debarment(today):
    window = indexing.listing_window(
        framework=(today - timedelta(days=100), today + timedelta(days=600)),
        appointment=(today - timedelta(days=30), None),
        debarments=[(today + timedelta(days=10), None)],
        today=today,
    )
    assert window == (today - timedelta(days=30), today + timedelta(days=9))


def test_listing_window_starts_after_a_debarment_in_force_ends(today):
    window = indexing.listing_window(
        framework=(today - timedelta(days=100), today + timedelta(days=600)),
        appointment=(today - timedelta(days=30), None),
        debarments=[(today - timedelta(days=5), today + timedelta(days=20))],
        today=today,
    )
    assert window == (today + timedelta(days=21), today + timedelta(days=600))


def test_no_listing_window_under_an_open_ended_debarment_or_after_the_end(today):
    framework = (today - timedelta(days=100), today + timedelta(days=600))
    assert (
        indexing.listing_window(
            framework=framework,
            appointment=(today - timedelta(days=30), None),
            debarments=[(today - timedelta(days=5), None)],
            today=today,
        )
        is None
    )
    assert (
        indexing.listing_window(
            framework=framework,
            appointment=(today - timedelta(days=30), today - timedelta(days=1)),
            today=today,
        )
        is None
    )


# --- Document values ---------------------------------------------------------------------------


def test_document_holds_the_analysed_text_prices_numbers_and_window(live, today):
    document = SearchDocument.objects.get(pk=live.pk)

    assert (document.framework_id, document.lot_id, document.supplier_id) == (
        live.lot.framework_id,
        live.lot_id,
        live.supplier_id,
    )
    assert document.title_terms == analyse("Case management platform") == "case manag platform"
    assert document.summary_terms == analyse(live.summary)
    assert document.description_terms == analyse(live.description)
    assert document.supplier_terms == analyse("Northern Sweepers Ltd")
    assert (document.comparable_unit, document.comparable_price) == ("user_month", Decimal("12.50"))
    assert document.numbers == {"max_users": 500}
    assert document.listed_from == today - timedelta(days=30)  # the appointment's start
    assert document.listed_until == live.lot.framework.ends_on
    assert document.first_published_at == live.first_published_at


def test_document_has_a_row_for_every_facet(live, framework):
    assert facets(live) == {
        (types.FRAMEWORK, str(framework.pk)),
        (types.LOT, str(live.lot_id)),
        (types.AUTHORITY, str(framework.authority_id)),
        (types.UNIT, "user_month"),
        (types.CPV, "90610000"),
        (types.CPV, "90600000"),
        (types.CPV, "90000000"),
        (types.REGION, "TLC"),
        (types.REGION, "TLD"),
        (types.SME, "yes"),
        (types.VCSE, "yes"),
        (types.ACCREDITATION, "iso_9001"),
        (types.ACCREDITATION, "real_living_wage"),
        # Filterable questions only: "standards" (any of a list) is not filterable.
        ("attr:hosted_in_uk", "yes"),
        ("attr:support_hours", "24/7"),
    }


def test_a_lot_without_codes_takes_the_frameworks(supplier, supplier_admin, today):
    lot = factories.supplier_lot(cpv_codes=("72000000-5",))
    offering = factories.offering(supplier=supplier, lot=lot, actor=supplier_admin, status="live")
    indexing.index_offerings([offering.pk], today=today)
    assert {value for name, value in facets(offering) if name == types.CPV} == {"72000000"}


def test_index_offerings_mirrors_the_ids_to_the_backend(live, mirror, today):
    mirror.indexed.clear()
    indexing.index_offerings([live.pk, 999_999], today=today)
    assert mirror.indexed == [[live.pk, 999_999]]


def test_lot_document_holds_titles_descriptions_and_codes_beneath(lot, framework):
    assert indexing.index_lots([lot.pk]) == 1
    document = LotSearchDocument.objects.get(pk=lot.pk)

    assert document.framework_id == framework.pk
    assert document.title_terms == analyse(f"Software {framework.title}")
    assert document.description_terms == analyse(f" {framework.summary}")
    terms = document.cpv_terms.split()
    # The lot's code and the codes beneath it, with check digits and labels; not the parent.
    for code in ("90610000", "90611000", "90612000"):
        assert code in terms
    assert "90600000" not in terms
    assert {"street", "sweep", "clean"} <= set(terms)
    assert "90611000 3 street clean servic" in document.cpv_terms


# --- Services queue the update after their commit --------------------------------------------


def test_a_submitted_offering_has_no_document_until_approved(
    lot, supplier, supplier_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offering = factories.offering(
            supplier=supplier, lot=lot, actor=supplier_admin, status="submitted"
        )
    assert not has_document(offering)

    reviewer = factories.MembershipFactory(organisation=lot.framework.authority, role="reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        supplier_services.approve_offering(
            actor=reviewer.user, authority=lot.framework.authority, offering=offering
        )
    assert has_document(offering)


def test_nothing_is_queued_before_the_commit(
    lot, supplier, supplier_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        offering = factories.offering(
            supplier=supplier, lot=lot, actor=supplier_admin, status="live"
        )
    assert not has_document(offering)
    queued = [c for c in callbacks if c.__module__ == "search.tasks"]
    assert len(queued) == 1


def test_nothing_is_queued_while_held_for_a_rebuild(
    lot, supplier, supplier_admin, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        tasks.held_for_rebuild(),
    ):
        offering = factories.offering(
            supplier=supplier, lot=lot, actor=supplier_admin, status="live"
        )
    assert [c for c in callbacks if c.__module__ == "search.tasks"] == []
    assert not has_document(offering)

    # Once the block ends, changes are queued again.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_offerings([offering.pk])
    assert has_document(offering)


def test_withdrawing_removes_the_document(
    live, supplier, supplier_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        supplier_services.withdraw_offering(actor=supplier_admin, supplier=supplier, offering=live)
    assert not has_document(live)
    assert not facets(live)


@pytest.mark.parametrize("status", ["suspended", "excluded"])
def test_suspending_or_excluding_the_supplier_removes_the_document(
    live, appointment, authority, manager, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        framework_services.change_appointment_status(
            actor=manager,
            organisation=authority,
            appointment=appointment,
            status=status,
            reason="Poor performance",
        )
    assert not has_document(live)


def test_reinstating_a_suspended_supplier_brings_the_document_back(
    live, appointment, authority, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        framework_services.change_appointment_status(
            actor=manager,
            organisation=authority,
            appointment=appointment,
            status="suspended",
            reason="Poor performance",
        )
        framework_services.change_appointment_status(
            actor=manager, organisation=authority, appointment=appointment, status="active"
        )
    assert has_document(live)


def test_a_mandatory_debarment_removes_the_document_and_its_removal_restores_it(
    live, supplier, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = factories.debarment_entry(supplier=supplier, starts_on=today)
    assert not has_document(live)

    with django_capture_on_commit_callbacks(execute=True):
        debarment.remove_debarment_entry(
            actor=factories.platform_admin(), entry=entry, removed_on=today
        )
    assert has_document(live)


def test_a_future_debarment_ends_the_listing_the_day_before(
    live, supplier, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        factories.debarment_entry(supplier=supplier, starts_on=today + timedelta(days=14))
    assert SearchDocument.objects.get(pk=live.pk).listed_until == today + timedelta(days=13)


def test_a_discretionary_debarment_leaves_the_document(
    live, supplier, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        factories.debarment_entry(
            supplier=supplier, exclusion_type="discretionary", starts_on=today
        )
    assert has_document(live)


def test_closing_the_lot_removes_the_document(
    live, lot, authority, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        framework_services.close_lot(
            actor=manager,
            organisation=authority,
            lot=lot,
            reason="No longer needed",
            ground="not_substantial",
        )
    assert not has_document(live)
    # The lot keeps its own document: it is still part of a published framework.
    assert LotSearchDocument.objects.filter(pk=lot.pk).exists()


def test_suspending_the_framework_removes_the_document_and_reinstating_restores_it(
    live, framework, authority, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        framework_services.suspend_framework(
            actor=manager, organisation=authority, framework=framework, reason="Fraud"
        )
    assert not has_document(live)

    with django_capture_on_commit_callbacks(execute=True):
        framework_services.reinstate_framework(
            actor=manager, organisation=authority, framework=framework
        )
    assert has_document(live)


def test_unpublishing_the_framework_removes_its_documents_and_publishing_restores_them(
    live, lot, framework, authority, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publishing.unpublish_framework(actor=manager, organisation=authority, framework=framework)
    assert not has_document(live)
    assert not LotSearchDocument.objects.filter(pk=lot.pk).exists()

    revision = framework.get_latest_revision()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_framework(actor=manager, organisation=authority, revision=revision)
    assert has_document(live)
    assert LotSearchDocument.objects.filter(pk=lot.pk).exists()


def test_the_suppliers_sme_status_changes_its_facet(
    live, supplier, supplier_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.update_organisation(
            actor=supplier_admin, organisation=supplier, is_sme=False, trading_name="Sweepco"
        )
    assert (types.SME, "yes") not in facets(live)
    assert (types.VCSE, "yes") in facets(live)
    assert SearchDocument.objects.get(pk=live.pk).supplier_terms == "sweepco"


def test_the_supplier_profile_changes_the_accreditation_and_sme_facets(
    live, supplier, supplier_admin, django_capture_on_commit_callbacks
):
    data = {
        "headcount": 900,  # too many staff to be an SME
        "annual_turnover": Decimal("900000"),
        "accreditations": ["cyber_essentials"],
        "is_vcse": False,
    }
    with django_capture_on_commit_callbacks(execute=True):
        supplier_services.save_supplier_profile(
            actor=supplier_admin, organisation=supplier, data=data
        )
    assert {pair for pair in facets(live) if pair[0] in (types.SME, types.VCSE)} == set()
    assert {value for name, value in facets(live) if name == types.ACCREDITATION} == {
        "cyber_essentials"
    }


# --- Listing windows ---------------------------------------------------------------------------


def test_the_window_ends_with_the_framework(supplier, supplier_admin, today):
    lot = factories.supplier_lot(ends_on=today + timedelta(days=40))
    offering = factories.offering(supplier=supplier, lot=lot, actor=supplier_admin, status="live")
    indexing.index_offerings([offering.pk], today=today)
    document = SearchDocument.objects.get(pk=offering.pk)
    assert document.listed_until == today + timedelta(days=40)


def test_the_window_ends_with_the_appointment(lot, supplier, supplier_admin, today):
    factories.AppointmentFactory(
        supplier=supplier,
        lot=lot,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=5),
    )
    offering = factories.offering(supplier=supplier, lot=lot, actor=supplier_admin, status="live")
    indexing.index_offerings([offering.pk], today=today)
    document = SearchDocument.objects.get(pk=offering.pk)
    assert (document.listed_from, document.listed_until) == (
        today - timedelta(days=10),
        today + timedelta(days=5),
    )
    # Once the appointment has ended, a reindex drops the document.
    indexing.index_offerings([offering.pk], today=today + timedelta(days=6))
    assert not has_document(offering)


def test_the_window_starts_with_an_appointment_starting_later(live, appointment, today):
    Appointment.objects.filter(pk=appointment.pk).update(starts_on=today + timedelta(days=3))
    indexing.index_offerings([live.pk], today=today)
    assert SearchDocument.objects.get(pk=live.pk).listed_from == today + timedelta(days=3)


# --- Rebuilding ---------------------------------------------------------------------------------


def live_offerings(lot, suppliers, per_supplier: int) -> list[Offering]:
    """Live offerings made in bulk (no services), each supplier appointed to the lot."""
    offerings = []
    for supplier in suppliers:
        factories.AppointmentFactory(supplier=supplier, lot=lot)
        data = factories.offering_data()
        offerings += [
            Offering(
                supplier=supplier,
                lot=lot,
                status=Offering.Status.LIVE,
                live=True,
                first_published_at=timezone.now(),
                title=f"{data['title']} {number}",
                summary=data["summary"],
                description=data["description"],
                attributes={"max_users": number, "hosted_in_uk": True},
                price=Decimal("10.00"),
                price_unit="day",
                regions_served=["TLD"],
                lead_time_days=5,
            )
            for number in range(per_supplier)
        ]
    return create_in_bulk(offerings)


def test_rebuild_command_builds_every_document_and_reports(lot, mirror):
    made = live_offerings(lot, factories.OrganisationFactory.create_batch(2), per_supplier=3)
    draft = live_offerings(lot, [factories.OrganisationFactory()], per_supplier=1)[0]
    Offering.objects.filter(pk=draft.pk).update(status=Offering.Status.DRAFT, live=False)
    SearchDocument.objects.all().delete()
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("rebuild_search_index", stdout=stdout, stderr=stderr)

    assert set(SearchDocument.objects.values_list("pk", flat=True)) == {o.pk for o in made}
    assert LotSearchDocument.objects.filter(pk=lot.pk).exists()
    progress = stderr.getvalue().splitlines()
    assert progress[0] == "Documents   0%  0/6"
    assert progress[-2:] == ["Documents 100%  6/6", "Backend index 100%  1/1"]
    output = stdout.getvalue()
    assert "Built 6 offering documents from 6 live offerings" in output
    assert "offerings a second" in output
    assert mirror.rebuilt == 1


def test_rebuild_replaces_stale_documents(live, lot, today):
    Offering.objects.filter(pk=live.pk).update(status=Offering.Status.WITHDRAWN)
    result = indexing.rebuild_documents(today=today)
    assert (result.offerings, result.documents) == (0, 0)
    assert not has_document(live)
    assert not SearchFacet.objects.exists()


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_indexing_queries_do_not_grow_with_the_number_of_offerings(lot, today):
    few = live_offerings(lot, factories.OrganisationFactory.create_batch(1), per_supplier=2)
    many = live_offerings(lot, factories.OrganisationFactory.create_batch(4), per_supplier=6)

    def index(offerings):
        return lambda: indexing.index_offerings([o.pk for o in offerings], today=today)

    index(few)(), index(many)()  # documents exist: the second run updates them
    assert _queries(index(few)) == _queries(index(many))
    assert SearchDocument.objects.count() == 26


def test_rebuild_queries_do_not_grow_with_the_number_of_offerings(lot, today):
    live_offerings(lot, factories.OrganisationFactory.create_batch(1), per_supplier=2)
    few = _queries(lambda: indexing.rebuild_documents(today=today))
    live_offerings(lot, factories.OrganisationFactory.create_batch(4), per_supplier=6)
    assert _queries(lambda: indexing.rebuild_documents(today=today)) == few
    assert SearchDocument.objects.count() == 26


# --- The demo --------------------------------------------------------------------------------


def test_seed_demo_ends_with_every_listable_offering_indexed(db, today):
    out = io.StringIO()
    call_command("seed_demo", "--buyers", "4", "--suppliers", "8", "--offerings", "60", stdout=out)

    assert "Search index: " in out.getvalue()
    listed_today = SearchDocument.objects.filter(
        Q(listed_until__isnull=True) | Q(listed_until__gte=today), listed_from__lte=today
    )
    listable = listable_offerings(on=today)
    assert listable.exists()
    assert set(listed_today.values_list("pk", flat=True)) == set(
        listable.values_list("pk", flat=True)
    )
    assert LotSearchDocument.objects.exists()
