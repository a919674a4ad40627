from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

from django.db import transaction
from django.utils import timezone

from wagtail.models import Revision

import pytest

from demo import catalogue
from demo import frameworks as frameworks_demo
from demo import organisations as demo
from frameworks import rules
from frameworks.attributes import AttributeSchemaBlock, AttributeSpec
from frameworks.eligibility import framework_keys, parse
from frameworks.lifecycle import Lifecycle
from frameworks.models import (
    Appointment,
    AuthorityPage,
    DebarmentEntry,
    DirectAwardMethod,
    FrameworkKind,
    FrameworkPage,
    Lot,
    Regime,
)
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.organisations.models import Organisation
from marketplace.working_days import standstill_end

SUPPLIERS = 12
BUYERS = 8
TOTAL_LOTS = sum(len(spec.lots) for spec in catalogue.FRAMEWORKS)


def build_region(seed: int = 2026):
    """Authorities, councils, suppliers, staff and sections: what the frameworks build on."""
    region = demo.build_region(seed=seed, buyers=BUYERS, suppliers=SUPPLIERS)
    demo.build_authority_sections(region.authorities)
    return {
        "authorities": region.authorities,
        "buyers": region.buyers,
        "suppliers": region.suppliers,
    }


def build(region, seed: int = 2026) -> tuple[list[FrameworkPage], str]:
    out = StringIO()
    pages = frameworks_demo.build_frameworks(seed=seed, stdout=out, **region)
    return pages, out.getvalue()


@pytest.fixture(scope="module")
def demo_build(django_db_setup, django_db_blocker):
    """Built once for this module (it takes seconds) and rolled back after its last test; each
    test runs in a savepoint inside, so changes a test makes are undone as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        region = build_region()
        pages, output = build(region)
        yield {"region": region, "pages": pages, "output": output}
        transaction.set_rollback(True)


@pytest.fixture
def region(db, demo_build):
    return demo_build["region"]


@pytest.fixture
def built(db, demo_build):
    return demo_build["pages"], demo_build["output"]


@pytest.fixture
def frameworks(built):
    pages, _output = built
    return [FrameworkPage.objects.get(pk=page.pk) for page in pages]


def snapshot() -> list[tuple]:
    """What a seed decides: frameworks, lots, who is appointed where and with what status."""
    return [
        (
            page.reference,
            page.title,
            [lot.title for lot in page.lots.order_by("number")],
            sorted(
                Appointment.objects.filter(lot__framework=page).values_list(
                    "lot__number", "supplier__company_number", "status"
                )
            ),
        )
        for page in FrameworkPage.objects.order_by("reference")
    ]


def test_every_lifecycle_state_is_present(frameworks):
    assert {page.status for page in frameworks} == set(Lifecycle)


def test_every_framework_sets_quality_criteria_with_social_value_for_competitions(frameworks):
    for page in frameworks:
        criteria = list(page.award_criteria.order_by("sort_order"))
        assert [criterion.weighting for criterion in criteria] == [45, 25, 10, 10, 10]
        assert [criterion.social_value_theme for criterion in criteria] == [
            "",
            "",
            "local_jobs",
            "local_spend",
            "net_zero",
        ]


def test_nine_frameworks_three_per_authority(frameworks):
    per_authority = Counter(page.authority.trading_name for page in frameworks)
    assert per_authority == {"GMCA": 3, "NEPO": 3, "WMCA": 3}


def test_every_framework_has_three_to_eight_lots_saved_as_rows(frameworks):
    counts = [page.lots.count() for page in frameworks]
    assert all(3 <= count <= 8 for count in counts), counts
    assert Lot.objects.count() == TOTAL_LOTS == 43


def test_every_lot_schema_parses_into_three_to_six_specs(frameworks):
    for lot in Lot.objects.all():
        specs = lot.attributes()
        assert 3 <= len(specs) <= 6, lot
        assert all(isinstance(spec, AttributeSpec) for spec in specs)
        assert len({spec.key for spec in specs}) == len(specs), lot
        AttributeSchemaBlock().clean(lot.attribute_schema)


def test_lot_schemas_use_every_kind_with_required_and_filterable_questions(frameworks):
    specs = [spec for lot in Lot.objects.all() for spec in lot.attributes()]
    assert {spec.kind for spec in specs} == {"text", "number", "yes_no", "one_of", "many_of"}
    assert all(len(spec.options) >= 2 for spec in specs if spec.kind in ("one_of", "many_of"))
    assert all(spec.unit for spec in specs if spec.kind == "number")
    assert {spec.required for spec in specs} == {True, False}
    assert {spec.filterable for spec in specs} == {True, False}


def test_every_framework_and_lot_passes_full_clean(frameworks):
    for page in frameworks:
        page.full_clean()
        for lot in page.lots.all():
            lot.full_clean()


def test_frameworks_are_published_under_their_authority_section(frameworks):
    for page in frameworks:
        assert page.live
        assert not page.has_unpublished_changes
        assert page.get_parent().specific == AuthorityPage.objects.get(authority=page.authority)


def test_every_lot_and_framework_has_cpv_codes_from_the_reference_data(frameworks):
    for page in frameworks:
        assert page.cpv_codes.exists(), page
        for lot in page.lots.all():
            assert lot.cpv_codes.exists(), lot


def test_lot_values_terms_and_routes(frameworks):
    lots = list(Lot.objects.all())
    assert all(lot.minimum_value < lot.maximum_value for lot in lots)
    assert all(lot.maximum_value == lot.maximum_value.quantize(Decimal("0.01")) for lot in lots)
    assert all(lot.direct_award_mechanism for lot in lots if lot.allows_direct_award)
    assert any(lot.routes == ["further_competition"] for lot in lots)
    assert any(lot.routes == ["direct_award", "further_competition"] for lot in lots)


def test_regimes_kinds_and_levy_rates(frameworks):
    assert Counter(page.regime for page in frameworks) == {
        Regime.PROCUREMENT_ACT_2023: 7,
        Regime.PCR_2015: 2,
    }
    # One ended; one, awarded before the Act came into force, still live for its 4 years.
    assert {
        (page.reference, page.status, page.starts_on, page.ends_on)
        for page in frameworks
        if page.regime == Regime.PCR_2015 and page.status == Lifecycle.LIVE
    } == {("WMCA-PMD-2024", Lifecycle.LIVE, date(2024, 11, 1), date(2028, 10, 31))}
    [expired] = [page for page in frameworks if page.status == Lifecycle.EXPIRED]
    assert (expired.reference, expired.regime) == ("GMCA-TAS-2023", Regime.PCR_2015)
    assert Counter(page.kind for page in frameworks) == {
        FrameworkKind.STANDARD: 7,
        FrameworkKind.OPEN: 1,
        FrameworkKind.UTILITIES: 1,
    }
    [utilities] = [page for page in frameworks if page.kind == FrameworkKind.UTILITIES]
    assert (utilities.ends_on - utilities.starts_on).days > 4 * 366
    assert utilities.longer_term_reason
    assert all(Decimal("0.5") <= page.levy_rate <= Decimal("2") for page in frameworks)


def test_eligibility_is_open_regional_or_names_two_councils(frameworks):
    rules = {page.pk: parse(framework_keys(page)) for page in frameworks}
    open_to_all = [page for page in frameworks if not rules[page.pk].regions]
    regional = [page for page in frameworks if rules[page.pk].regions]
    assert open_to_all
    assert all(rules[page.pk].regions == [page.authority.region] for page in regional)
    named = [page for page in frameworks if rules[page.pk].organisations]
    assert [page.reference for page in named] == ["NEPO-HWY-2026"]
    councils = Organisation.objects.filter(pk__in=rules[named[0].pk].organisations)
    assert set(councils.values_list("council_code", flat=True)) == {"GB-LDS", "GB-SHF"}


def test_the_open_framework_has_a_past_and_a_future_reopening(frameworks):
    [page] = [page for page in frameworks if page.is_open_framework]
    today = timezone.localdate()
    assert page.status == Lifecycle.LIVE
    assert [closes < today for _opens, closes in page.reopening_windows()] == [True, False]
    assert [reopening.award_on < today for reopening in page.reopenings.all()] == [True, False]


def test_every_demo_framework_obeys_its_law_today(frameworks):
    today = timezone.localdate()
    assert {page.reference: rules.publication_errors(page, as_of=today) for page in frameworks} == {
        page.reference: [] for page in frameworks
    }


def test_act_frameworks_awarded_by_today_record_a_notice_before_their_standstill_ends(frameworks):
    today = timezone.localdate()
    awarded = [
        page
        for page in frameworks
        if page.regime == Regime.PROCUREMENT_ACT_2023 and page.award_on <= today
    ]
    assert len(awarded) == 4
    for page in awarded:
        assert page.award_notice_identifier
        assert page.award_notice_published_on == page.award_on
        assert page.starts_on > standstill_end(page.award_notice_published_on)


def test_contacts_use_example_domains(frameworks):
    for page in frameworks:
        emails = list(page.contacts.values_list("email", flat=True))
        assert emails
        assert all(email.endswith(".example.gov.uk") for email in emails)


def test_appointments_only_on_frameworks_past_their_application_stage(frameworks):
    for page in frameworks:
        appointments = Appointment.objects.filter(lot__framework=page).count()
        if page.status in (Lifecycle.COMING, Lifecycle.OPEN, Lifecycle.EVALUATING):
            assert appointments == 0, page.reference
        else:
            assert appointments > 0, page.reference


def test_each_appointed_lot_has_five_to_twenty_five_suppliers_or_its_single_one(frameworks):
    appointed = [page for page in frameworks if page.status in frameworks_demo.APPOINTED_STATES]
    lots = Lot.objects.filter(framework__in=appointed)
    for lot in lots.exclude(direct_award_method=DirectAwardMethod.SINGLE_SUPPLIER):
        assert 5 <= lot.appointments.count() <= 25, lot
    [single] = lots.filter(direct_award_method=DirectAwardMethod.SINGLE_SUPPLIER)
    assert (single.framework.reference, single.title) == (
        "GMCA-ICT-2026",
        "Revenues and benefits system support",
    )
    [appointment] = single.appointments.all()
    assert appointment.status == Appointment.Status.ACTIVE
    assert not DebarmentEntry.objects.filter(supplier=appointment.supplier).exists()


def test_exactly_one_exclusion_and_three_suspensions_each_with_a_reason(frameworks):
    counts = Counter(Appointment.objects.values_list("status", flat=True))
    assert counts[Appointment.Status.EXCLUDED] == 1
    assert counts[Appointment.Status.SUSPENDED] == 3
    assert not Appointment.objects.exclude(status=Appointment.Status.ACTIVE).filter(reason="")


def test_the_central_list_has_one_mandatory_and_one_discretionary_entry(frameworks):
    mandatory = DebarmentEntry.objects.get(exclusion_type="mandatory")
    discretionary = DebarmentEntry.objects.get(exclusion_type="discretionary")
    assert DebarmentEntry.objects.count() == 2
    assert not Appointment.objects.filter(supplier=mandatory.supplier).exists()
    # Every demo authority decided to proceed, so the supplier could be appointed.
    assert set(discretionary.decisions.values_list("organisation__trading_name", "decision")) == {
        (page.authority.trading_name, "proceed") for page in frameworks
    }


def test_suppliers_with_demo_staff_are_active_on_two_lots_of_each_live_framework(frameworks):
    # Every supplier has the administrator who registered it; the staffed ones an editor too.
    staffed = Organisation.objects.filter(kind="supplier", memberships__role="editor")
    assert staffed.count() == 3
    live = [page for page in frameworks if page.status == Lifecycle.LIVE]
    for supplier in staffed:
        lots = Appointment.objects.filter(
            supplier=supplier, lot__framework__in=live, status=Appointment.Status.ACTIVE
        ).values_list("lot__framework__reference", "lot__number")
        assert {(page.reference, number) for page in live for number in (1, 2)} <= set(lots)
    assert not DebarmentEntry.objects.filter(supplier__in=staffed).exists()


def test_appointments_and_the_suspension_are_audited(frameworks):
    assert AuditEvent.objects.filter(kind=AuditKind.SUPPLIER_APPOINTED).count() == (
        Appointment.objects.count()
    )
    [suspended] = [page for page in frameworks if page.status == Lifecycle.SUSPENDED]
    assert suspended.suspension_reason
    event = AuditEvent.objects.get(kind=AuditKind.FRAMEWORK_SUSPENDED)
    assert event.target_object_id == str(suspended.pk)
    assert event.actor.email == f"manager@{suspended.authority.contact_email.split('@')[1]}"


def test_first_run_reports_what_it_made(built):
    _pages, output = built
    assert "Frameworks: 9 created, 0 already present" in output
    assert f"Appointments: {Appointment.objects.count()} created (3 suspended, 1 excluded)" in (
        output
    )
    assert "Debarment list: 2 created, 0 already present" in output


def test_second_run_creates_nothing(region, built):
    before = (
        FrameworkPage.objects.count(),
        Lot.objects.count(),
        Appointment.objects.count(),
        DebarmentEntry.objects.count(),
        AuditEvent.objects.count(),
        Revision.objects.count(),
    )
    pages, output = build(region)
    after = (
        FrameworkPage.objects.count(),
        Lot.objects.count(),
        Appointment.objects.count(),
        DebarmentEntry.objects.count(),
        AuditEvent.objects.count(),
        Revision.objects.count(),
    )
    assert after == before
    assert [page.pk for page in pages] == [page.pk for page in built[0]]
    assert "Frameworks: 0 created, 9 already present" in output
    assert "Appointments: 0 created (0 suspended, 0 excluded)" in output
    assert "Debarment list: 0 created, 2 already present" in output
