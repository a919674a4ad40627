"""Reads of the evaluation. Independence: an evaluator sees only their own marks while they
score; the evaluators' marks for a bid's criterion are shown together for moderation only once
at least two are in, and only to an evaluator who has given theirs (or who scores nothing, such
as the chair). The ranking and the outcome come from the moderated marks and the opened prices
(scoring.score_bids)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from frameworks.models import Route
from marketplace.calloffs.models import BuyingProject
from marketplace.organisations.models import Organisation

from ..models import (
    Bid,
    Competition,
    CompetitionCriterion,
    ConflictDeclaration,
    ModeratedScore,
    Score,
)
from ..scoring import BidToScore, ScoredBid, score_bids
from .bids import unsealed_bids

# Marks of one bid's criterion needed before it can be moderated.
MARKS_TO_MODERATE = 2


def declaration_for(competition: Competition, evaluator) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(competition=competition, evaluator=evaluator).first()


def submitted_bids(competition: Competition) -> QuerySet[Bid]:
    """The bids to evaluate, in the order they were started; no sealed content is read."""
    return (
        competition.bids.filter(status=Bid.Status.SUBMITTED)
        .select_related("supplier")
        .defer("sealed_price")
        .order_by("pk")
    )


def is_fully_moderated(competition: Competition) -> bool:
    """Whether every submitted bid has a moderated score for every criterion."""
    bids = competition.bids.filter(status=Bid.Status.SUBMITTED).count()
    criteria = competition.criteria.count()
    moderated = ModeratedScore.objects.filter(
        bid__competition=competition, bid__status=Bid.Status.SUBMITTED
    ).count()
    return bids > 0 and moderated == bids * criteria


@dataclass(frozen=True)
class Cell:
    """One criterion of one bid."""

    bid: Bid
    criterion: CompetitionCriterion


@dataclass(frozen=True)
class EvaluationState:
    """What one evaluator has done and has left. `scores` holds their own marks only."""

    declaration: ConflictDeclaration | None
    may_score: bool  # declared, without a conflict
    scores: dict  # (bid id, criterion id) -> the evaluator's own Score
    to_score: list[Cell]  # cells the evaluator has not scored
    to_moderate: list[Cell]  # cells without a moderated score yet

    @property
    def declared(self) -> bool:
        return self.declaration is not None


def _cells(competition: Competition) -> list[Cell]:
    criteria = list(competition.criteria.order_by("position"))
    return [Cell(bid, criterion) for bid in submitted_bids(competition) for criterion in criteria]


def _moderated(competition: Competition) -> dict:
    return {
        (row.bid_id, row.criterion_id): row
        for row in ModeratedScore.objects.filter(bid__competition=competition)
    }


def evaluation_state(competition: Competition, *, evaluator) -> EvaluationState:
    declaration = declaration_for(competition, evaluator)
    may_score = declaration is not None and not declaration.has_conflict
    cells = _cells(competition) if may_score else []
    scores = {
        (score.bid_id, score.criterion_id): score
        for score in Score.objects.filter(bid__competition=competition, evaluator=evaluator)
    }
    moderated = _moderated(competition)
    return EvaluationState(
        declaration=declaration,
        may_score=may_score,
        scores=scores,
        to_score=[c for c in cells if (c.bid.pk, c.criterion.pk) not in scores],
        to_moderate=[c for c in cells if (c.bid.pk, c.criterion.pk) not in moderated],
    )


@dataclass(frozen=True)
class ModerationRow:
    """A cell for moderation: every evaluator's mark once shown, and the agreed score."""

    bid: Bid
    criterion: CompetitionCriterion
    marks: list[Score]  # empty until shown to this moderator
    mark_count: int
    moderated: ModeratedScore | None

    @property
    def ready(self) -> bool:
        return bool(self.marks)


def moderation_rows(competition: Competition, *, moderator) -> list[ModerationRow]:
    """Every cell, with the evaluators' marks shown where `moderator` may see them: at least
    two are in and the moderator has given their own or scores nothing. Empty for anyone
    who has not declared or declared a conflict."""
    declaration = declaration_for(competition, moderator)
    if declaration is None or declaration.has_conflict:
        return []
    scores = {}
    for score in (
        Score.objects.filter(bid__competition=competition)
        .select_related("evaluator")
        .order_by("evaluator__last_name", "evaluator__first_name", "evaluator_id")
    ):
        scores.setdefault((score.bid_id, score.criterion_id), []).append(score)
    scores_nothing = not any(
        score.evaluator_id == moderator.pk for cell in scores.values() for score in cell
    )
    moderated = _moderated(competition)
    rows = []
    for cell in _cells(competition):
        key = (cell.bid.pk, cell.criterion.pk)
        marks = scores.get(key, [])
        shown = len(marks) >= MARKS_TO_MODERATE and (
            scores_nothing or any(score.evaluator_id == moderator.pk for score in marks)
        )
        rows.append(
            ModerationRow(
                bid=cell.bid,
                criterion=cell.criterion,
                marks=marks if shown else [],
                mark_count=len(marks),
                moderated=moderated.get(key),
            )
        )
    return rows


def ranking(competition: Competition) -> list[ScoredBid]:
    """Every submitted bid scored from its moderated marks and its opened price, ranked.
    Keys: ScoredBid.key is the bid's id, criterion_scores are keyed by criterion id. Needs a
    moderated mark for every criterion of every bid (ValueError otherwise) and the deadline
    passed (sealing.StillSealed otherwise)."""
    criteria = {c.pk: c.weighting for c in competition.criteria.all()}
    moderated = _moderated(competition)
    return score_bids(
        bids=[
            BidToScore(
                key=opened.bid.pk,
                price=opened.price,
                marks={
                    criterion: moderated[(opened.bid.pk, criterion)].mark
                    for criterion in criteria
                    if (opened.bid.pk, criterion) in moderated
                },
            )
            for opened in unsealed_bids(competition)
        ],
        weightings=criteria,
        price_weight=competition.price_weight,
        formula=competition.price_formula,
    )


@dataclass(frozen=True)
class CriterionOutcome:
    criterion: CompetitionCriterion
    own_mark: int
    own_score: Decimal
    winner_mark: int
    winner_score: Decimal


@dataclass(frozen=True)
class SupplierOutcome:
    """What a bidder is told after the award: its own scores and the winner's, per
    criterion. Never the winner's name, price or answers."""

    won: bool
    own: ScoredBid
    winner: ScoredBid
    bids: int
    criteria: list[CriterionOutcome]


def outcome_for_supplier(
    competition: Competition, supplier: Organisation
) -> SupplierOutcome | None:
    """`supplier`'s outcome once the competition is awarded; None before, or if it did not
    bid."""
    if competition.status != Competition.Status.AWARDED:
        return None
    bid = competition.bids.filter(supplier=supplier, status=Bid.Status.SUBMITTED).first()
    if bid is None:
        return None
    ranked = ranking(competition)
    winner = ranked[0]
    own = next(scored for scored in ranked if scored.key == bid.pk)
    marks = _moderated(competition)
    return SupplierOutcome(
        won=own.key == winner.key,
        own=own,
        winner=winner,
        bids=len(ranked),
        criteria=[
            CriterionOutcome(
                criterion=criterion,
                own_mark=marks[(own.key, criterion.pk)].mark,
                own_score=own.criterion_scores[criterion.pk],
                winner_mark=marks[(winner.key, criterion.pk)].mark,
                winner_score=winner.criterion_scores[criterion.pk],
            )
            for criterion in competition.criteria.order_by("position")
        ],
    )


def kpi_suggestions(project: BuyingProject) -> list[dict]:
    """The winning bid's social value commitments as contract KPIs ({"title", "target"}), for
    the award form to start from: the criterion is the indicator, the commitment the target.
    Empty unless the project's further competition chose the supplier it has selected."""
    if project.route != Route.FURTHER_COMPETITION:
        return []
    competition = Competition.objects.filter(
        project=project, status=Competition.Status.AWARDED
    ).first()
    if competition is None or project.selected_supplier_id is None:
        return []
    winner = next(
        (
            opened
            for opened in unsealed_bids(competition)
            if opened.supplier.pk == project.selected_supplier_id
        ),
        None,
    )
    if winner is None:
        return []
    return [
        {"title": criterion.title, "target": winner.commitments[criterion.pk]}
        for criterion in competition.criteria.order_by("position")
        if criterion.is_social_value and winner.commitments.get(criterion.pk)
    ]
