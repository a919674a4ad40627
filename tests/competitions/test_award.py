"""Awarding an evaluated further competition: the top-ranked bid's supplier is selected on
the project with its score as the reason, the award form starts from the winner's social
value commitments as KPIs, which the award carries to the contract, and each bidder is told
its own scores and the winner's, per criterion, once the competition is awarded."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.services.awards import (
    AwardError,
    earliest_standstill_end,
    make_award,
    record_award_notice,
)
from marketplace.competitions.models import Competition
from marketplace.competitions.selectors.evaluation import kpi_suggestions, outcome_for_supplier
from marketplace.competitions.services.award import award_to_winner
from marketplace.competitions.services.checks import CompetitionError
from tests.competitions.evaluation_setup import evaluate, invited_competition, past_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(buyer, procurement_officer):
    competition, bids = invited_competition(organisation=buyer, actor=procurement_officer)
    return past_deadline(competition), bids


@pytest.fixture
def evaluated(opened, procurement_officer, approver):
    competition, bids = opened
    evaluate(competition, bids, evaluators=(procurement_officer, approver))
    competition.refresh_from_db()
    return competition, bids


@pytest.fixture
def awarded(evaluated, procurement_officer):
    competition, bids = evaluated
    award_to_winner(actor=procurement_officer, competition=competition, reason="")
    competition.refresh_from_db()
    return competition, bids


def supplier_named(bids, name):
    return next(bid.supplier for bid in bids if bid.supplier.legal_name == name)


def test_the_highest_scoring_bids_supplier_is_selected_on_the_project(
    evaluated, procurement_officer
):
    competition, bids = evaluated

    project = award_to_winner(
        actor=procurement_officer, competition=competition, reason="Panel of 12 May."
    )

    competition.refresh_from_db()
    assert competition.status == Competition.Status.AWARDED
    assert project.selected_supplier == supplier_named(bids, "B Grounds Ltd")
    assert project.selection_reason == "Highest-scoring bid: 85.10 of 100. Panel of 12 May."
    [awarded] = AuditEvent.objects.filter(kind=AuditKind.COMPETITION_AWARDED)
    assert awarded.data == {
        "from": "evaluated",
        "to": "awarded",
        "bid": bids[1].pk,
        "supplier": project.selected_supplier_id,
        "total": "85.10",
        "reason": "Highest-scoring bid: 85.10 of 100. Panel of 12 May.",
    }
    [selected] = AuditEvent.objects.filter(kind=AuditKind.SUPPLIER_SELECTED)
    assert selected.data["reason"] == "Highest-scoring bid: 85.10 of 100. Panel of 12 May."


def test_a_competition_not_yet_evaluated_cannot_be_awarded(opened, procurement_officer):
    competition, _bids = opened

    with pytest.raises(CompetitionError, match="the winner is chosen once every bid"):
        award_to_winner(actor=procurement_officer, competition=competition, reason="")

    competition.refresh_from_db()
    assert competition.status == Competition.Status.CLOSED
    assert competition.project.selected_supplier is None


def test_another_organisation_cannot_award(evaluated, outsider):
    competition, _bids = evaluated

    with pytest.raises(Http404):
        award_to_winner(actor=outsider, competition=competition, reason="")

    competition.refresh_from_db()
    assert competition.status == Competition.Status.EVALUATED


def test_the_winners_social_value_commitments_become_the_contracts_kpis(
    awarded, procurement_officer
):
    competition, _bids = awarded
    project = competition.project
    project.refresh_from_db()

    kpis = kpi_suggestions(project)

    assert kpis == [
        {"title": "Local jobs", "target": "4 apprenticeships"},
        {"title": "Net zero", "target": "Electric mowers from year 2"},
    ]
    award = make_award(
        actor=procurement_officer,
        project=project,
        description="Mowing at 12 parks.",
        value=Decimal("50000.00"),
        value_including_vat=Decimal("60000.00"),
        starts_on=date(2027, 4, 1),
        ends_on=date(2028, 3, 31),
        kpis=kpis,
    )
    assert [(kpi.title, kpi.target) for kpi in award.kpis.order_by("position")] == [
        ("Local jobs", "4 apprenticeships"),
        ("Net zero", "Electric mowers from year 2"),
    ]


def test_a_standstill_the_brief_promised_binds_the_award_notice(awarded, procurement_officer):
    competition, _bids = awarded
    Competition.objects.filter(pk=competition.pk).update(voluntary_standstill=True)
    award = make_award(
        actor=procurement_officer,
        project=competition.project,
        description="Mowing at 12 parks.",
        value=Decimal("50000.00"),
        value_including_vat=Decimal("60000.00"),
        starts_on=date(2027, 4, 1),
        ends_on=date(2028, 3, 31),
        kpis=[],
    )
    published_on = timezone.localdate(award.awarded_at)

    with pytest.raises(AwardError) as refusal:
        record_award_notice(
            actor=procurement_officer,
            award=award,
            identifier="UK6-0001",
            published_on=published_on,
            standstill_ends_on=None,
        )

    assert str(refusal.value) == (
        "The further competition's brief told the suppliers there would be a voluntary "
        "standstill: give the day it ends, at least 8 working days from publication"
    )
    award.refresh_from_db()
    assert award.notice_identifier == ""
    recorded = record_award_notice(
        actor=procurement_officer,
        award=award,
        identifier="UK6-0001",
        published_on=published_on,
        standstill_ends_on=earliest_standstill_end(published_on),
    )
    assert recorded.standstill_stated is True


def test_the_award_form_starts_from_the_winners_commitments(client, awarded, procurement_officer):
    competition, _bids = awarded
    client.force_login(procurement_officer)

    page = client.get(reverse("calloffs:award", args=[competition.project.pk])).content.decode()

    assert 'value="Local jobs"' in page
    assert 'value="4 apprenticeships"' in page
    assert 'value="Electric mowers from year 2"' in page


def test_no_kpis_are_suggested_before_the_award(evaluated):
    competition, _bids = evaluated

    assert kpi_suggestions(competition.project) == []


def test_a_bidder_is_told_its_scores_and_the_winners_per_criterion(awarded):
    competition, bids = awarded

    outcome = outcome_for_supplier(competition, supplier_named(bids, "A Grounds Ltd"))

    assert (outcome.won, outcome.bids, outcome.own.rank, outcome.own.total) == (
        False,
        3,
        2,
        Decimal("82.30"),
    )
    assert (outcome.own.price_score, outcome.winner.price_score, outcome.winner.total) == (
        Decimal("40.00"),
        Decimal("32.00"),
        Decimal("85.10"),
    )
    assert [
        (row.criterion.title, row.own_mark, row.own_score, row.winner_mark, row.winner_score)
        for row in outcome.criteria
    ] == [
        ("Quality of service", 8, Decimal("28.80"), 9, Decimal("32.40")),
        ("Local jobs", 6, Decimal("9.00"), 9, Decimal("13.50")),
        ("Net zero", 5, Decimal("4.50"), 8, Decimal("7.20")),
    ]
    winner = outcome_for_supplier(competition, supplier_named(bids, "B Grounds Ltd"))
    assert (winner.won, winner.own.total) == (True, Decimal("85.10"))


def test_the_outcome_is_told_only_after_the_award_and_only_to_bidders(evaluated, awarded):
    competition, bids = awarded
    invited_only = competition.invitations.get(supplier__legal_name="D Grounds Ltd").supplier

    assert outcome_for_supplier(competition, invited_only) is None
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.EVALUATED)
    competition.refresh_from_db()
    assert outcome_for_supplier(competition, bids[0].supplier) is None
