"""Competitions to evaluate, for the evaluation and award tests: bids written as sealed rows
(sealed as services.bids seals them, with the same purposes), the deadline moved into the
past, and every bid evaluated by the worked example's marks."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from marketplace.competitions.models import Bid, BidAnswer, Competition
from marketplace.competitions.sealing import seal_text
from marketplace.competitions.services.evaluation import (
    declare_conflict,
    moderate_score,
    record_score,
)
from marketplace.competitions.services.invitations import invite_suppliers
from tests.competitions import factories as competition_factories

# The worked example of test_scoring (40:60; quality 60, local jobs 25, net zero 15):
# price, then the moderated marks in criterion order. Totals 82.30, 85.10 and 72.16.
WORKED_EXAMPLE = [
    ("A Grounds Ltd", "40000.00", (8, 6, 5)),
    ("B Grounds Ltd", "50000.00", (9, 9, 8)),
    ("C Grounds Ltd", "45000.00", (6, 4, 10)),
]
# The bidders' social value commitments, under local jobs and net zero.
COMMITMENTS = {
    "A Grounds Ltd": ("2 apprenticeships", ""),
    "B Grounds Ltd": ("4 apprenticeships", "Electric mowers from year 2"),
    "C Grounds Ltd": ("1 apprenticeship", "Net zero fleet by 2028"),
}


def sealed_bid(competition: Competition, supplier, *, price, answers=None, commitments=None) -> Bid:
    """A submitted bid: `answers` and `commitments` map criterion ids to text; by default
    every criterion is answered."""
    bid = Bid.objects.create(
        competition=competition,
        supplier=supplier,
        status=Bid.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    bid.sealed_price = seal_text(
        competition=competition, purpose=f"bid:{bid.pk}:price", text=f"{Decimal(price):f}"
    )
    bid.save(update_fields=["sealed_price"])
    if answers is None:
        answers = {c.pk: f"Our answer on {c.title}." for c in competition.criteria.all()}
    commitments = commitments or {}
    for criterion_id, text in answers.items():
        commitment = commitments.get(criterion_id)
        BidAnswer.objects.create(
            bid=bid,
            criterion_id=criterion_id,
            sealed_text=seal_text(
                competition=competition,
                purpose=f"bid:{bid.pk}:answer:{criterion_id}",
                text=text,
            ),
            sealed_commitment=commitment
            and seal_text(
                competition=competition,
                purpose=f"bid:{bid.pk}:commitment:{criterion_id}",
                text=commitment,
            ),
        )
    return bid


def past_deadline(competition: Competition) -> Competition:
    """The competition as the deadline closed it: both deadlines an hour ago, closed."""
    now = timezone.now()
    Competition.objects.filter(pk=competition.pk).update(
        clarification_deadline=now - timedelta(hours=2),
        submission_deadline=now - timedelta(hours=1),
        status=Competition.Status.CLOSED,
    )
    competition.refresh_from_db()
    return competition


def invited_competition(*, organisation, actor) -> tuple[Competition, list[Bid]]:
    """An open 40:60 competition with four suppliers invited (A, B, C and D Grounds Ltd) and
    the worked example's bids from A, B and C; D does not bid."""
    lot = competition_factories.competition_lot()
    suppliers = {
        name: competition_factories.appointed_supplier(lot, supplier__legal_name=name)
        for name in ("A Grounds Ltd", "B Grounds Ltd", "C Grounds Ltd", "D Grounds Ltd")
    }
    competition = competition_factories.written_brief(
        competition_factories.competition(organisation=organisation, actor=actor, lot=lot),
        actor=actor,
    )
    invite_suppliers(actor=actor, competition=competition, left_out={})
    competition.refresh_from_db()
    _quality, local_jobs, net_zero = competition.criteria.order_by("position")
    bids = []
    for name, price, _marks in WORKED_EXAMPLE:
        jobs, carbon = COMMITMENTS[name]
        commitments = {local_jobs.pk: jobs, net_zero.pk: carbon}
        bids.append(
            sealed_bid(
                competition,
                suppliers[name],
                price=price,
                commitments={pk: text for pk, text in commitments.items() if text},
            )
        )
    return competition, bids


def evaluate(competition: Competition, bids: list[Bid], *, evaluators) -> None:
    """Each evaluator declares no conflict and gives the worked example's marks, which are
    then moderated as they stand: the competition is evaluated."""
    criteria = list(competition.criteria.order_by("position"))
    for evaluator in evaluators:
        if not competition.conflict_declarations.filter(evaluator=evaluator).exists():
            declare_conflict(actor=evaluator, competition=competition, has_conflict=False)
    for bid, (_name, _price, marks) in zip(bids, WORKED_EXAMPLE, strict=True):
        for criterion, mark in zip(criteria, marks, strict=True):
            for evaluator in evaluators:
                record_score(
                    actor=evaluator, bid=bid, criterion=criterion, mark=mark, reason="Read."
                )
            moderate_score(
                actor=evaluators[0],
                bid=bid,
                criterion=criterion,
                mark=mark,
                reason="The evaluators agree.",
            )
