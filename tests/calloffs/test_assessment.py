"""Yearly performance assessments against a contract's KPIs (s.71)."""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import PerformanceAssessment
from marketplace.calloffs.selectors.contracts import (
    assessment_due,
    contracts_for,
    public_assessments,
)
from marketplace.calloffs.services import contracts as services
from marketplace.calloffs.services.contracts import ContractError
from marketplace.organisations.policy import PolicyDenied
from tests import factories

pytestmark = pytest.mark.django_db

KPIS = [("Response time", "95% within 4 hours"), ("Satisfaction", "At least 4 out of 5")]


@pytest.fixture
def contract(buyer, procurement_officer):
    today = timezone.localdate()
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        kpis=KPIS,
        starts_on=today - timedelta(days=200),
        ends_on=today + timedelta(days=500),
    )
    return services.enter_into_contract(
        actor=procurement_officer, project=award.project, entered_into_on=today
    )


def all_good(contract) -> dict:
    return {kpi.pk: ("good", "") for kpi in contract.award.kpis.all()}


def assess(contract, actor, **changes):
    values = {
        "period_start": contract.starts_on,
        "period_end": contract.starts_on + timedelta(days=90),
        "summary": "Steady work.",
        "ratings": all_good(contract),
        **changes,
    }
    return services.assess_performance(actor=actor, contract=contract, **values)


def test_an_assessment_rates_every_kpi_and_is_audited(contract, procurement_officer):
    first, second = contract.award.kpis.all()

    assessment = assess(
        contract,
        procurement_officer,
        ratings={first.pk: ("good", " On time. "), second.pk: ("inadequate", "")},
    )

    assert [(r.kpi, r.rating, r.comment) for r in assessment.ratings.order_by("kpi")] == [
        (first, "good", "On time."),
        (second, "inadequate", ""),
    ]
    event = AuditEvent.objects.get(kind=AuditKind.PERFORMANCE_ASSESSED)
    assert event.data["ratings"] == {str(first.pk): "good", str(second.pk): "inadequate"}
    assert event.data["period_start"] == contract.starts_on.isoformat()


def test_an_assessment_missing_a_rating_is_refused(contract, procurement_officer):
    first, second = contract.award.kpis.all()

    with pytest.raises(ContractError) as refusal:
        assess(contract, procurement_officer, ratings={first.pk: ("good", "")})

    assert str(refusal.value) == "Rate “Satisfaction”"
    assert refusal.value.code == f"rating_{second.pk}"
    assert not PerformanceAssessment.objects.exists()


def test_a_rating_outside_the_scale_is_refused(contract, procurement_officer):
    first, second = contract.award.kpis.all()

    with pytest.raises(ContractError):
        assess(
            contract,
            procurement_officer,
            ratings={first.pk: ("good", ""), second.pk: ("excellent", "")},
        )

    assert not PerformanceAssessment.objects.exists()


def test_a_rating_of_another_contracts_kpi_is_refused(contract, procurement_officer, buyer):
    other = factories.contract(buyer=buyer, kpis=KPIS)
    ratings = {**all_good(contract), other.award.kpis.first().pk: ("good", "")}

    with pytest.raises(ContractError) as refusal:
        assess(contract, procurement_officer, ratings=ratings)

    assert str(refusal.value) == "Rate only this contract's key performance indicators"
    assert not PerformanceAssessment.objects.exists()


def test_a_period_out_of_order_is_refused(contract, procurement_officer):
    with pytest.raises(ContractError) as refusal:
        assess(
            contract,
            procurement_officer,
            period_start=contract.starts_on + timedelta(days=10),
            period_end=contract.starts_on + timedelta(days=9),
        )

    assert str(refusal.value) == "The period must end on or after the day it starts"
    assert not PerformanceAssessment.objects.exists()


@pytest.mark.parametrize(("start", "end"), [(-1, 30), (0, 800)])
def test_a_period_outside_the_contract_is_refused(contract, procurement_officer, start, end):
    with pytest.raises(ContractError) as refusal:
        assess(
            contract,
            procurement_officer,
            period_start=contract.starts_on + timedelta(days=start),
            period_end=contract.starts_on + timedelta(days=end),
        )

    assert str(refusal.value).startswith("The period must fall within the contract, from ")
    assert not PerformanceAssessment.objects.exists()


def test_a_period_not_yet_over_is_refused(contract, procurement_officer):
    with pytest.raises(ContractError) as refusal:
        assess(
            contract,
            procurement_officer,
            period_end=timezone.localdate() + timedelta(days=1),
        )

    assert str(refusal.value) == "The period assessed must have ended by today"


def test_an_empty_summary_is_refused(contract, procurement_officer):
    with pytest.raises(ContractError) as refusal:
        assess(contract, procurement_officer, summary="  ")

    assert str(refusal.value) == "Summarise the supplier's performance"


def test_a_contract_without_kpis_cannot_be_assessed(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    contract = services.enter_into_contract(
        actor=procurement_officer, project=award.project, entered_into_on=timezone.localdate()
    )

    with pytest.raises(ContractError) as refusal:
        assess(contract, procurement_officer, ratings={})

    assert str(refusal.value) == "This contract has no key performance indicators to assess"


def test_another_organisation_cannot_assess(contract, outsider):
    with pytest.raises(PolicyDenied):
        assess(contract, outsider)

    assert not PerformanceAssessment.objects.exists()


def test_an_assessment_is_due_a_year_after_the_start_without_one(buyer):
    contract = factories.contract(
        buyer=buyer, kpis=KPIS, starts_on=date(2025, 3, 1), ends_on=date(2028, 2, 28)
    )
    contract = contracts_for(organisation=buyer).get(pk=contract.pk)

    assert assessment_due(contract, date(2026, 2, 28)) is False
    assert assessment_due(contract, date(2026, 3, 1)) is True


def test_an_assessment_is_due_a_year_after_the_last_one(buyer, procurement_officer):
    contract = factories.contract(
        buyer=buyer, kpis=KPIS, starts_on=date(2024, 1, 1), ends_on=date(2029, 12, 31)
    )
    assessment = factories.performance_assessment(contract=contract)
    PerformanceAssessment.objects.filter(pk=assessment.pk).update(
        assessed_at=datetime(2025, 6, 10, 12, tzinfo=UTC)
    )
    annotated = contracts_for(organisation=buyer).get(pk=contract.pk)
    plain = type(contract).objects.get(pk=contract.pk)

    assert assessment_due(annotated, date(2026, 6, 9)) is False
    assert assessment_due(annotated, date(2026, 6, 10)) is True
    assert assessment_due(plain, date(2026, 6, 10)) is True


def test_no_assessment_is_due_outside_the_contract_or_without_kpis(buyer):
    with_kpis = factories.contract(
        buyer=buyer, kpis=KPIS, starts_on=date(2020, 1, 1), ends_on=date(2022, 12, 31)
    )
    without = factories.contract(buyer=buyer, starts_on=date(2020, 1, 1), ends_on=date(2030, 1, 1))

    assert assessment_due(with_kpis, date(2023, 6, 1)) is False
    assert assessment_due(without, date(2023, 6, 1)) is False


def test_public_assessments_list_the_latest_period_first_with_ratings_in_kpi_order(
    contract, procurement_officer
):
    earlier = assess(contract, procurement_officer)
    later = assess(
        contract,
        procurement_officer,
        period_start=contract.starts_on + timedelta(days=91),
        period_end=contract.starts_on + timedelta(days=180),
    )

    assessments = list(public_assessments(contract))

    assert assessments == [later, earlier]
    assert [rating.kpi.title for rating in assessments[0].ratings.all()] == [
        "Response time",
        "Satisfaction",
    ]
