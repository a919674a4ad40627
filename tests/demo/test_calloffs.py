"""seed_demo's buying projects and contracts (demo/calloffs.py): one in each state, made through
the services, every step audited, once."""

from collections import Counter
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import pytest

from frameworks.lifecycle import Lifecycle
from frameworks.models import Appointment, DirectAwardMethod, Regime
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import (
    Award,
    BuyerSettings,
    BuyingProject,
    Contract,
    KpiProgressReport,
    PerformanceAssessment,
    RotationOffer,
    RulesApplied,
    ShortlistItem,
)
from marketplace.calloffs.selectors.contracts import details_notice_late, late_details_notices
from marketplace.calloffs.selectors.projects import cancellation_reason

# The walk-per-role's demo: the call-offs follow from these sizes and the default seed.
SIZES = ("--buyers", "2", "--suppliers", "6", "--offerings", "40")
# The counts below include the 6 further competitions' projects (demo/competitions.py, tested
# in test_competitions): all 6 created on a lot, the awarded one through to its contract, and
# one cancelled.
CALLOFF_KINDS = {
    AuditKind.BUYER_SETTINGS_CHANGED: 1,
    # the ICT cloud hosting and service desk lots, and the PCR 2015 print and mailing lot
    AuditKind.LOT_RANKING_SET: 3,
    AuditKind.PROJECT_CREATED: 13 + 6,
    AuditKind.PROJECT_LOT_CHOSEN: 11 + 6,
    AuditKind.PROJECT_CANCELLED: 1 + 1,
    AuditKind.SAVED_SEARCH_CREATED: 1,
    AuditKind.SHORTLIST_FROZEN: 1,
    AuditKind.SHORTLIST_ITEM_DECIDED: 4,
    AuditKind.ROTATION_OFFER_MADE: 9,
    AuditKind.ROTATION_OFFER_ACCEPTED: 8,
    AuditKind.ROTATION_OFFER_DECLINED: 1,
    # 8 accepted offers, the single supplier and the further competition's winner
    AuditKind.SUPPLIER_SELECTED: 10,
    AuditKind.AWARD_MADE: 10,
    AuditKind.AWARD_SIGNED_OFF: 1,
    AuditKind.AWARD_SIGN_OFF_REFUSED: 1,
    # all but the PCR 2015 call-off's, to which the Act's notices do not apply
    AuditKind.AWARD_NOTICE_RECORDED: 6,
    AuditKind.AWARD_WITHDRAWN: 1,
    # for each of the 6 contracts: the award and the project move, and the contract itself
    AuditKind.CONTRACT_ENTERED_INTO: 18,
    # not for the PCR 2015 call-off, nor the late one
    AuditKind.CONTRACT_DETAILS_NOTICE_RECORDED: 4,
    # the two contracts with KPIs: the small one and the one over £5 million
    AuditKind.CONTRACT_DOCUMENT_PUBLISHED: 2,
    AuditKind.PERFORMANCE_ASSESSED: 2,
    # to awarded: the standstill, withdrawn and 5 contracted direct awards; back to preparing:
    # the withdrawn one; the further competition's award, which needs no sign-off
    AuditKind.PROJECT_STATUS_CHANGED: 9,
}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", *SIZES, stdout=out)
    return out.getvalue()


def calloff_rows() -> dict:
    return {
        "projects": Counter(BuyingProject.objects.values_list("status", flat=True)),
        "awards": Counter(Award.objects.values_list("status", flat=True)),
        "offers": Counter(RotationOffer.objects.values_list("status", flat=True)),
        "items": Counter(ShortlistItem.objects.values_list("decision", flat=True)),
        "contracts": Contract.objects.count(),
        "assessments": PerformanceAssessment.objects.count(),
        "events": Counter(
            AuditEvent.objects.filter(kind__in=CALLOFF_KINDS).values_list("kind", flat=True)
        ),
    }


def project(title: str) -> BuyingProject:
    return BuyingProject.objects.get(title=title)


def contract(title: str) -> Contract:
    return Contract.objects.select_related("award", "lot__framework").get(title=title)


@pytest.mark.django_db
def test_seed_demo_adds_projects_and_contracts_in_each_state_once():
    output = seed()

    assert "Buying projects: 13 created, 0 already present\n" in output  # nothing left out
    assert "Buyer: Approver" in output  # among the demo sign-ins `make run` prints
    rows = calloff_rows()
    assert rows == {
        # not started, lot chosen, shortlist frozen, awaiting sign-off, sign-off refused, award
        # withdrawn, and 4 further competitions; cancelled, and the cancelled competition's; in
        # standstill; 5 contracts and the awarded further competition's
        "projects": Counter({"preparing": 10, "cancelled": 2, "awarded": 1, "contracted": 6}),
        "awards": Counter(
            {
                "awaiting_sign_off": 1,
                "sign_off_refused": 1,
                "awarded": 1,
                "withdrawn": 1,
                "contracted": 6,
            }
        ),
        "offers": Counter({"accepted": 8, "declined": 1}),
        "items": Counter({"kept": 1, "rejected": 3}),
        "contracts": 6,
        "assessments": 2,
        "events": Counter(CALLOFF_KINDS),
    }
    assert BuyerSettings.objects.get().approval_threshold == 100000
    standstill = Award.objects.get(status="awarded")
    assert standstill.standstill_stated and standstill.notice_identifier
    kpis = contract("Hosting for the social care case records")
    assert kpis.details_notice_identifier == f"DEMO-UK7-{kpis.reference}"
    assert kpis.contract_document is not None
    assert kpis.award.kpis.count() == 3
    verified = StringIO()
    call_command("verify_audit_chain", stdout=verified)
    assert f"Audit chain intact: {AuditEvent.objects.count()} events" in verified.getvalue()

    output = seed()

    assert "Buying projects: 0 created, 13 already present\n" in output
    assert calloff_rows() == rows


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The default demo call-offs, seeded once for the tests of each state below and rolled
    back after the last of them."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(db, seeded):
    """Each test runs in a savepoint inside the seeded demo."""


def test_a_project_is_cancelled_with_its_reason(demo):
    cancelled = project("CCTV for the town hall car park")

    assert cancelled.status == BuyingProject.Status.CANCELLED
    assert cancelled.lot is None
    assert cancellation_reason(cancelled) == (
        "The car park is to be sold next year, so the cameras are no longer needed."
    )


def test_an_approver_refuses_to_sign_off_an_award_and_the_project_goes_back(demo):
    refused = project("Hosting for the council's data warehouse")
    [award] = refused.awards.all()

    assert refused.status == BuyingProject.Status.PREPARING
    assert award.status == Award.Status.SIGN_OFF_REFUSED
    assert award.value == 200000
    assert award.sign_off_note == (
        "The data warehouse is being replaced next year: ask for 6 months only."
    )
    assert award.signed_off_by.email == "approver@manchester.example.gov.uk"
    assert refused.selected_supplier == award.supplier  # the selection is kept


def test_the_single_supplier_lot_awards_to_its_only_supplier_through_to_a_contract(demo):
    single = contract("Support for the revenues and benefits system")
    [appointment] = Appointment.objects.filter(lot=single.lot)

    assert (single.lot.framework.reference, single.lot.title) == (
        "GMCA-ICT-2026",
        "Revenues and benefits system support",
    )
    assert single.lot.direct_award_method == DirectAwardMethod.SINGLE_SUPPLIER
    assert single.lot.routes == ["direct_award"]
    assert appointment.status == Appointment.Status.ACTIVE
    assert single.supplier == appointment.supplier
    assert single.award.direct_award_method == DirectAwardMethod.SINGLE_SUPPLIER
    assert single.award.selection_reason == (
        f"{appointment.supplier} is the only supplier appointed to {single.lot}"
    )
    assert single.award.status == Award.Status.CONTRACTED
    assert single.details_notice_identifier == f"DEMO-UK7-{single.reference}"


def test_a_call_off_from_the_live_pcr_2015_framework_says_which_rules_applied(demo, client):
    pcr = contract("Printing and posting the annual council tax bills")

    assert pcr.framework.reference == "WMCA-PMD-2024"
    assert pcr.framework.regime == Regime.PCR_2015
    assert pcr.framework.status == Lifecycle.LIVE
    assert pcr.award.rules_applied == RulesApplied.PCR_2015
    assert pcr.award.notice_identifier == ""
    assert pcr.details_notice_due_on is None
    page = client.get(reverse("contracts:detail", args=(pcr.reference,)))
    assert (
        "Public Contracts Regulations 2015 (the framework&#x27;s regime)"
        in page.content.decode().split('id="rules-applied">')[1]
    )


def test_a_contract_entered_into_40_days_ago_without_its_details_notice_is_late(demo):
    today = timezone.localdate()
    late = contract("Backup and recovery for the council's systems")

    assert late.entered_into_on == today - timedelta(days=40)
    assert late.details_notice_due_on == today - timedelta(days=10)
    assert late.details_notice_published_on is None
    assert late.award.notice_published_on == today - timedelta(days=45)
    assert timezone.localdate(late.award.awarded_at) == today - timedelta(days=45)
    assert list(late_details_notices(organisation=late.buyer, today=today)) == [late]
    assert details_notice_late(late, today)


def test_a_contract_over_5_million_has_kpis_a_published_document_and_an_assessment(demo):
    large = contract("Managed IT service for all council sites")

    assert (large.lot.framework.reference, large.lot.title) == (
        "GMCA-ICT-2026",
        "Service desk and end-user support",
    )
    assert (large.value, large.value_including_vat) == (4500000, 5400000)
    assert large.award.signed_off_by.email == "approver@manchester.example.gov.uk"
    assert large.award.kpis.count() == 3
    assert large.contract_document is not None
    assert large.details_notice_identifier == f"DEMO-UK7-{large.reference}"
    [assessment] = PerformanceAssessment.objects.filter(contract=large)
    assert assessment.ratings.count() == 3
    # The supplier reported on its social value KPI before the buyer assessed it.
    [report] = KpiProgressReport.objects.filter(kpi__award=large.award)
    assert (report.kpi.title, report.achieved) == (
        "Social value: local apprentices",
        "2 apprentices",
    )
