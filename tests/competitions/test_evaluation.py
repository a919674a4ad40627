"""Evaluating bids: conflicts declared before any bid is seen (ss.81-83), independent marks,
moderation into one agreed score with its reason, the competition evaluated, and the ranking
on the worked example; bad input and the wrong people refused with nothing saved."""

from decimal import Decimal

from django.http import Http404

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.competitions.models import (
    Competition,
    ConflictDeclaration,
    ModeratedScore,
    Score,
)
from marketplace.competitions.selectors.evaluation import (
    evaluation_state,
    moderation_rows,
    ranking,
)
from marketplace.competitions.services.checks import CompetitionError
from marketplace.competitions.services.evaluation import (
    declare_conflict,
    moderate_score,
    record_score,
)
from marketplace.organisations.policy import PolicyDenied
from tests.competitions import factories as competition_factories
from tests.competitions.evaluation_setup import evaluate, invited_competition, past_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(buyer, procurement_officer):
    """The worked example's three bids, past the deadline."""
    competition, bids = invited_competition(organisation=buyer, actor=procurement_officer)
    return past_deadline(competition), bids


@pytest.fixture
def competition(opened):
    return opened[0]


@pytest.fixture
def bid(opened):
    return opened[1][0]


@pytest.fixture
def quality(competition):
    return competition.criteria.get(title="Quality of service")


@pytest.fixture
def evaluators(competition, procurement_officer, approver):
    """The project's officer and the buyer's approver, both declared without a conflict."""
    for evaluator in (procurement_officer, approver):
        declare_conflict(actor=evaluator, competition=competition, has_conflict=False)
    return procurement_officer, approver


def kinds(kind):
    return list(AuditEvent.objects.filter(kind=kind).values_list("data", flat=True))


def test_two_evaluators_marks_are_moderated_into_one_score(evaluators, bid, quality):
    officer, approver = evaluators
    record_score(actor=officer, bid=bid, criterion=quality, mark=7, reason="Clear method.")
    record_score(actor=approver, bid=bid, criterion=quality, mark=9, reason="Strong team.")

    moderated = moderate_score(
        actor=officer, bid=bid, criterion=quality, mark=8, reason="Agreed: clear and strong."
    )

    assert (moderated.mark, moderated.reason, moderated.agreed_by) == (
        8,
        "Agreed: clear and strong.",
        officer,
    )
    assert sorted(Score.objects.values_list("evaluator_id", "mark")) == sorted(
        [(officer.pk, 7), (approver.pk, 9)]
    )
    assert [
        (data["mark"], data["reason"], data["evaluators_marks"])
        for data in kinds(AuditKind.SCORE_MODERATED)
    ] == [(8, "Agreed: clear and strong.", {str(officer.pk): 7, str(approver.pk): 9})]
    assert sorted((d["mark"], d["reason"]) for d in kinds(AuditKind.SCORE_RECORDED)) == [
        (7, "Clear method."),
        (9, "Strong team."),
    ]


def test_a_declared_conflict_is_recorded_and_the_evaluator_refused(
    competition, procurement_officer, bid, quality
):
    declaration = declare_conflict(
        actor=procurement_officer,
        competition=competition,
        has_conflict=True,
        details="My brother directs A Grounds Ltd.",
        action="Removed from the evaluation panel.",
    )

    assert ConflictDeclaration.objects.get() == declaration
    assert kinds(AuditKind.CONFLICT_DECLARED) == [
        {
            "competition": competition.pk,
            "has_conflict": True,
            "details": "My brother directs A Grounds Ltd.",
            "action": "Removed from the evaluation panel.",
        }
    ]
    for service in (record_score, moderate_score):
        with pytest.raises(CompetitionError, match="You declared a conflict of interest") as error:
            service(actor=procurement_officer, bid=bid, criterion=quality, mark=5, reason="R")
        assert error.value.code == "declaration"
    assert not Score.objects.exists()
    state = evaluation_state(competition, evaluator=procurement_officer)
    assert (state.declared, state.may_score, state.to_score) == (True, False, [])
    assert moderation_rows(competition, moderator=procurement_officer) == []


@pytest.mark.parametrize(
    ("details", "action", "code", "message"),
    [
        ("", "Removed.", "details", "Describe the conflict of interest"),
        ("My brother directs A Grounds Ltd.", "  ", "action", "Say what was done"),
        ("x" * 5_001, "Removed.", "details", "must be 5000 characters or fewer"),
    ],
)
def test_a_conflict_needs_its_details_and_the_action_taken(
    competition, procurement_officer, details, action, code, message
):
    with pytest.raises(CompetitionError, match=message) as error:
        declare_conflict(
            actor=procurement_officer,
            competition=competition,
            has_conflict=True,
            details=details,
            action=action,
        )

    assert error.value.code == code
    assert not ConflictDeclaration.objects.exists()
    assert not kinds(AuditKind.CONFLICT_DECLARED)


def test_an_evaluator_declares_once(evaluators, competition):
    with pytest.raises(CompetitionError, match="You have already declared"):
        declare_conflict(actor=evaluators[0], competition=competition, has_conflict=True)

    assert ConflictDeclaration.objects.filter(has_conflict=True).count() == 0


def test_scoring_before_declaring_is_refused(competition, procurement_officer, bid, quality):
    with pytest.raises(CompetitionError, match="Declare any conflict of interest") as error:
        record_score(actor=procurement_officer, bid=bid, criterion=quality, mark=5, reason="R")

    assert error.value.code == "declaration"
    assert not Score.objects.exists()


@pytest.mark.parametrize("mark", [-1, 11, "7.5", "seven", "", None])
def test_a_mark_out_of_range_is_refused(evaluators, bid, quality, mark):
    with pytest.raises(CompetitionError, match="whole number from 0 to 10") as error:
        record_score(actor=evaluators[0], bid=bid, criterion=quality, mark=mark, reason="R")

    assert error.value.code == "mark"
    assert not Score.objects.exists()
    assert not kinds(AuditKind.SCORE_RECORDED)


@pytest.mark.parametrize("mark", [0, 10, "6"])
def test_marks_from_0_to_10_are_taken(evaluators, bid, quality, mark):
    score = record_score(actor=evaluators[0], bid=bid, criterion=quality, mark=mark, reason="R")

    assert score.mark == int(mark)


def test_a_score_needs_a_reason(evaluators, bid, quality):
    with pytest.raises(CompetitionError, match="Give the reason for the mark") as error:
        record_score(actor=evaluators[0], bid=bid, criterion=quality, mark=6, reason="  ")

    assert error.value.code == "reason"
    assert not Score.objects.exists()


def test_scoring_again_replaces_the_evaluators_own_mark(evaluators, bid, quality):
    officer = evaluators[0]
    record_score(actor=officer, bid=bid, criterion=quality, mark=6, reason="First read.")

    record_score(actor=officer, bid=bid, criterion=quality, mark=7, reason="Second read.")

    assert list(Score.objects.values_list("mark", "reason")) == [(7, "Second read.")]
    assert [d["replaced"] for d in kinds(AuditKind.SCORE_RECORDED)] == [
        None,
        {"mark": 6, "reason": "First read."},
    ]


def test_scoring_before_the_deadline_is_refused(buyer, procurement_officer):
    competition, (bid, *_others) = invited_competition(
        organisation=buyer, actor=procurement_officer
    )
    declare_conflict(actor=procurement_officer, competition=competition, has_conflict=False)

    with pytest.raises(CompetitionError, match="Bids are sealed until") as error:
        record_score(
            actor=procurement_officer,
            bid=bid,
            criterion=competition.criteria.first(),
            mark=5,
            reason="R",
        )

    assert error.value.code == "status"
    assert not Score.objects.exists()


def test_moderation_needs_two_evaluators_marks(evaluators, bid, quality):
    record_score(actor=evaluators[0], bid=bid, criterion=quality, mark=7, reason="R")

    with pytest.raises(CompetitionError, match="At least two evaluators must score"):
        moderate_score(actor=evaluators[0], bid=bid, criterion=quality, mark=7, reason="R")

    assert not ModeratedScore.objects.exists()


@pytest.mark.parametrize(
    ("mark", "reason", "code", "message"),
    [
        (8, "", "reason", "Give the reason for the moderated score"),
        (8, "   ", "reason", "Give the reason for the moderated score"),
        (11, "Agreed.", "mark", "whole number from 0 to 10"),
    ],
)
def test_a_moderated_score_without_a_reason_or_out_of_range_is_refused(
    evaluators, bid, quality, mark, reason, code, message
):
    for evaluator in evaluators:
        record_score(actor=evaluator, bid=bid, criterion=quality, mark=8, reason="R")

    with pytest.raises(CompetitionError, match=message) as error:
        moderate_score(actor=evaluators[0], bid=bid, criterion=quality, mark=mark, reason=reason)

    assert error.value.code == code
    assert not ModeratedScore.objects.exists()
    assert not kinds(AuditKind.SCORE_MODERATED)


def test_marks_cannot_change_once_moderated(evaluators, bid, quality):
    for evaluator in evaluators:
        record_score(actor=evaluator, bid=bid, criterion=quality, mark=8, reason="R")
    moderate_score(actor=evaluators[0], bid=bid, criterion=quality, mark=8, reason="Agreed.")

    with pytest.raises(CompetitionError, match="moderated score for Quality of service is agreed"):
        record_score(actor=evaluators[1], bid=bid, criterion=quality, mark=3, reason="R")

    assert set(Score.objects.values_list("mark", flat=True)) == {8}


def test_moderating_every_criterion_of_every_bid_evaluates_the_competition(opened, evaluators):
    competition, bids = opened

    evaluate(competition, bids, evaluators=evaluators)

    competition.refresh_from_db()
    assert competition.status == Competition.Status.EVALUATED
    assert ModeratedScore.objects.count() == 9
    assert [(d["from"], d["to"], d["bids"]) for d in kinds(AuditKind.COMPETITION_EVALUATED)] == [
        ("closed", "evaluated", 3)
    ]
    assert len(kinds(AuditKind.SCORE_RECORDED)) == 18
    assert len(kinds(AuditKind.CONFLICT_DECLARED)) == 2


def test_the_ranking_scores_the_worked_example_40_60(opened, evaluators):
    competition, bids = opened
    evaluate(competition, bids, evaluators=evaluators)
    suppliers = {bid.pk: bid.supplier.legal_name for bid in bids}
    criteria = [c.pk for c in competition.criteria.order_by("position")]

    ranked = ranking(competition)

    assert [
        (
            s.rank,
            suppliers[s.key],
            s.price,
            s.price_score,
            [s.criterion_scores[pk] for pk in criteria],
            s.total,
        )
        for s in ranked
    ] == [
        (
            1,
            "B Grounds Ltd",
            Decimal("50000.00"),
            Decimal("32.00"),
            [Decimal("32.40"), Decimal("13.50"), Decimal("7.20")],
            Decimal("85.10"),
        ),
        (
            2,
            "A Grounds Ltd",
            Decimal("40000.00"),
            Decimal("40.00"),
            [Decimal("28.80"), Decimal("9.00"), Decimal("4.50")],
            Decimal("82.30"),
        ),
        (
            3,
            "C Grounds Ltd",
            Decimal("45000.00"),
            Decimal("35.56"),
            [Decimal("21.60"), Decimal("6.00"), Decimal("9.00")],
            Decimal("72.16"),
        ),
    ]


def test_an_evaluator_sees_only_their_own_marks_and_what_is_left(
    competition, evaluators, bid, quality
):
    officer, approver = evaluators
    record_score(actor=approver, bid=bid, criterion=quality, mark=9, reason="Strong.")

    state = evaluation_state(competition, evaluator=officer)

    assert state.scores == {}
    assert len(state.to_score) == 9
    record_score(actor=officer, bid=bid, criterion=quality, mark=7, reason="Clear.")
    state = evaluation_state(competition, evaluator=officer)
    assert [(key, s.mark) for key, s in state.scores.items()] == [((bid.pk, quality.pk), 7)]
    assert len(state.to_score) == 8
    assert len(state.to_moderate) == 9


def test_marks_are_shown_for_moderation_once_two_are_in_and_the_viewers_own_is_given(
    competition, evaluators, bid, quality, colleague
):
    officer, approver = evaluators
    competition.project.team.add(colleague)
    declare_conflict(actor=colleague, competition=competition, has_conflict=False)
    record_score(actor=approver, bid=bid, criterion=quality, mark=9, reason="Strong.")

    def shown(moderator):
        return {
            (row.bid.pk, row.criterion.pk): sorted(score.mark for score in row.marks)
            for row in moderation_rows(competition, moderator=moderator)
            if row.marks
        }

    assert shown(officer) == {}
    record_score(actor=colleague, bid=bid, criterion=quality, mark=6, reason="Thin.")
    # The officer has scored nothing: as the chair, they may see the marks.
    assert shown(officer) == {(bid.pk, quality.pk): [6, 9]}
    record_score(actor=officer, bid=bid, criterion=quality, mark=7, reason="Clear.")
    other = competition.criteria.exclude(pk=quality.pk).first()
    record_score(actor=approver, bid=bid, criterion=other, mark=5, reason="R")
    record_score(actor=colleague, bid=bid, criterion=other, mark=4, reason="R")
    # Now an evaluator, the officer sees only what they have marked themselves.
    assert shown(officer) == {(bid.pk, quality.pk): [6, 7, 9]}
    assert shown(approver) == {(bid.pk, quality.pk): [6, 7, 9], (bid.pk, other.pk): [4, 5]}


def test_another_organisation_is_told_the_competition_does_not_exist(
    competition, outsider, bid, quality
):
    with pytest.raises(Http404):
        declare_conflict(actor=outsider, competition=competition, has_conflict=False)
    for service in (record_score, moderate_score):
        with pytest.raises(Http404):
            service(actor=outsider, bid=bid, criterion=quality, mark=5, reason="R")

    assert not ConflictDeclaration.objects.exists()


def test_a_colleague_off_the_team_may_not_evaluate(competition, colleague):
    with pytest.raises(PolicyDenied):
        declare_conflict(actor=colleague, competition=competition, has_conflict=False)

    assert not ConflictDeclaration.objects.exists()


def test_a_criterion_of_another_competition_is_not_found(
    buyer, procurement_officer, evaluators, bid
):
    other = competition_factories.competition(organisation=buyer, actor=procurement_officer)

    with pytest.raises(Http404):
        record_score(
            actor=procurement_officer,
            bid=bid,
            criterion=other.criteria.first(),
            mark=5,
            reason="R",
        )
