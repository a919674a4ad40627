"""Evaluating the bids: each evaluator declares any conflict of interest before seeing a bid
(Procurement Act 2023 ss.81-83), scores each criterion of each bid on their own, and the
evaluators agree a moderated score with its reason. Moderated scores for every bid and every
criterion evaluate the competition.

Evaluators are the buyer's members who may work on the project (calloffs.permissions): its
team and the organisation's approvers. Anyone from another organisation is told nothing
exists.
"""

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.state import change_state

from ..models import (
    MARK_MAX,
    Bid,
    Competition,
    CompetitionCriterion,
    ConflictDeclaration,
    ModeratedScore,
    Score,
)
from ..selectors.evaluation import declaration_for, is_fully_moderated
from .bids import close_if_due
from .checks import CompetitionError, lock_competition, require_buyer_worker
from .clarifications import london_time

TEXT_MAX_LENGTH = 5_000
# Conflicts are declared before the bids are evaluated; a draft or open competition's future
# evaluators may declare early.
DECLARABLE = (Competition.Status.DRAFT, Competition.Status.OPEN, Competition.Status.CLOSED)


def _clean_text(value: str, *, field: str, missing: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise CompetitionError(missing, code=field)
    if len(text) > TEXT_MAX_LENGTH:
        raise CompetitionError(
            _("%(label)s must be %(limit)d characters or fewer (you entered %(count)d)")
            % {"label": label, "limit": TEXT_MAX_LENGTH, "count": len(text)},
            code=field,
        )
    return text


def _clean_mark(mark) -> int:
    try:
        number = int(str(mark).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not 0 <= number <= MARK_MAX:
        raise CompetitionError(
            _("The mark must be a whole number from 0 to %(max)d") % {"max": MARK_MAX},
            code="mark",
        )
    return number


@transaction.atomic
def declare_conflict(
    *, actor, competition: Competition, has_conflict: bool, details: str = "", action: str = ""
) -> ConflictDeclaration:
    """`actor` declares, before seeing any bid, whether they have a conflict of interest. A
    conflict needs its details and the action taken; a conflicted evaluator cannot score."""
    competition = lock_competition(competition)
    require_buyer_worker(actor, competition.project)
    if competition.status not in DECLARABLE:
        raise CompetitionError(
            _("The competition is %(status)s: conflicts are declared before evaluation ends")
            % {"status": competition.get_status_display().lower()},
            code="status",
        )
    if declaration_for(competition, actor) is not None:
        raise CompetitionError(
            _("You have already declared for this competition"), code="has_conflict"
        )
    if has_conflict:
        details = _clean_text(
            details,
            field="details",
            missing=_("Describe the conflict of interest"),
            label=_("The details"),
        )
        action = _clean_text(
            action,
            field="action",
            missing=_("Say what was done about the conflict, such as removing you as an evaluator"),
            label=_("The action taken"),
        )
    else:
        details = action = ""
    declaration = ConflictDeclaration.objects.create(
        competition=competition,
        evaluator=actor,
        has_conflict=bool(has_conflict),
        details=details,
        action=action,
    )
    audit.record(
        actor=actor,
        organisation=competition.project.organisation,
        kind=AuditKind.CONFLICT_DECLARED,
        target=declaration,
        data={
            "competition": competition.pk,
            "has_conflict": declaration.has_conflict,
            "details": details,
            "action": action,
        },
    )
    return declaration


def _lock_for_scoring(actor, bid: Bid, criterion: CompetitionCriterion) -> Competition:
    """The bid's competition, locked, once the actor may evaluate it and the bids are open."""
    competition = lock_competition(close_if_due(bid.competition))
    require_buyer_worker(actor, competition.project)
    if criterion.competition_id != competition.pk or bid.status != Bid.Status.SUBMITTED:
        raise Http404(_("No such bid"))
    if competition.status == Competition.Status.OPEN:
        raise CompetitionError(
            _("Bids are sealed until %(deadline)s: scoring starts after the deadline")
            % {"deadline": london_time(competition.submission_deadline)},
            code="status",
        )
    if competition.status != Competition.Status.CLOSED:
        raise CompetitionError(
            _("The competition is %(status)s: scores can no longer be changed")
            % {"status": competition.get_status_display().lower()},
            code="status",
        )
    declaration = declaration_for(competition, actor)
    if declaration is None:
        raise CompetitionError(
            _("Declare any conflict of interest before you see or score a bid"),
            code="declaration",
        )
    if declaration.has_conflict:
        raise CompetitionError(
            _("You declared a conflict of interest in this competition, so you cannot evaluate it"),
            code="declaration",
        )
    return competition


@transaction.atomic
def record_score(*, actor, bid: Bid, criterion: CompetitionCriterion, mark, reason: str) -> Score:
    """`actor`'s own mark for one criterion of one bid, with the reason; recording it again
    replaces it until the evaluators have agreed the moderated score."""
    competition = _lock_for_scoring(actor, bid, criterion)
    mark = _clean_mark(mark)
    reason = _clean_text(
        reason, field="reason", missing=_("Give the reason for the mark"), label=_("The reason")
    )
    if ModeratedScore.objects.filter(bid=bid, criterion=criterion).exists():
        raise CompetitionError(
            _("The moderated score for %(criterion)s is agreed: marks can no longer be changed")
            % {"criterion": criterion.title},
            code="mark",
        )
    previous = Score.objects.filter(bid=bid, criterion=criterion, evaluator=actor).first()
    score, _created = Score.objects.update_or_create(
        bid=bid,
        criterion=criterion,
        evaluator=actor,
        defaults={"mark": mark, "reason": reason, "scored_at": timezone.now()},
    )
    audit.record(
        actor=actor,
        organisation=competition.project.organisation,
        kind=AuditKind.SCORE_RECORDED,
        target=score,
        data={
            "competition": competition.pk,
            "bid": bid.pk,
            "criterion": criterion.pk,
            "mark": mark,
            "reason": reason,
            "replaced": {"mark": previous.mark, "reason": previous.reason} if previous else None,
        },
    )
    return score


@transaction.atomic
def moderate_score(
    *, actor, bid: Bid, criterion: CompetitionCriterion, mark, reason: str
) -> ModeratedScore:
    """The mark the evaluators agree for one criterion of one bid, from at least two
    evaluators' marks, with the reason. The last one agreed evaluates the competition."""
    competition = _lock_for_scoring(actor, bid, criterion)
    marks = dict(
        Score.objects.filter(bid=bid, criterion=criterion).values_list("evaluator_id", "mark")
    )
    if len(marks) < 2:
        raise CompetitionError(
            _("At least two evaluators must score %(criterion)s for this bid before moderation")
            % {"criterion": criterion.title},
            code="mark",
        )
    mark = _clean_mark(mark)
    reason = _clean_text(
        reason,
        field="reason",
        missing=_("Give the reason for the moderated score"),
        label=_("The reason"),
    )
    previous = ModeratedScore.objects.filter(bid=bid, criterion=criterion).first()
    moderated, _created = ModeratedScore.objects.update_or_create(
        bid=bid,
        criterion=criterion,
        defaults={"mark": mark, "reason": reason, "agreed_by": actor, "agreed_at": timezone.now()},
    )
    audit.record(
        actor=actor,
        organisation=competition.project.organisation,
        kind=AuditKind.SCORE_MODERATED,
        target=moderated,
        data={
            "competition": competition.pk,
            "bid": bid.pk,
            "criterion": criterion.pk,
            "mark": mark,
            "reason": reason,
            "evaluators_marks": {str(pk): value for pk, value in sorted(marks.items())},
            "replaced": {"mark": previous.mark, "reason": previous.reason} if previous else None,
        },
    )
    if is_fully_moderated(competition):
        change_state(
            competition,
            to=Competition.Status.EVALUATED,
            actor=actor,
            organisation=competition.project.organisation,
            kind=AuditKind.COMPETITION_EVALUATED,
            data={"bids": competition.bids.filter(status=Bid.Status.SUBMITTED).count()},
            update_fields=("updated_at",),
        )
    return moderated
