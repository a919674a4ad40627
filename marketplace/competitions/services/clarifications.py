"""Clarification questions: an invited supplier asks before the deadline for questions; the
buyer answers, and the answer is published to every invited supplier without naming the
supplier that asked (selectors.competitions.published_clarifications is what they read)."""

from django.db import transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action

from ..models import Clarification, Competition
from ..selectors.competitions import is_invited
from .checks import CompetitionError, lock_competition, require_buyer_worker

QUESTION_MAX_LENGTH = Clarification._meta.get_field("question").max_length
ANSWER_MAX_LENGTH = Clarification._meta.get_field("answer").max_length


def london_time(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y, g:ia")


def _clean(value: str, *, field: str, missing: str, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text and missing:
        raise CompetitionError(missing, code=field)
    if len(text) > limit:
        raise CompetitionError(
            _("%(label)s must be %(limit)d characters or fewer (you entered %(count)d)")
            % {"label": label, "limit": limit, "count": len(text)},
            code=field,
        )
    return text


@transaction.atomic
def ask_clarification(
    *, actor, competition: Competition, supplier: Organisation, question: str
) -> Clarification:
    """`actor`, for `supplier`, asks the buyer a question about the brief."""
    competition = lock_competition(competition)
    if policy.membership_for(actor, supplier) is None or not is_invited(competition, supplier):
        raise Http404(_("No such competition"))
    policy.require(actor, Action.ANSWER_CALLOFFS, supplier)
    if competition.status != Competition.Status.OPEN:
        raise CompetitionError(
            _("The competition is %(status)s: questions can no longer be asked")
            % {"status": competition.get_status_display().lower()},
            code="status",
        )
    if timezone.now() >= competition.clarification_deadline:
        raise CompetitionError(
            _("The deadline for questions was %(deadline)s: questions can no longer be asked")
            % {"deadline": london_time(competition.clarification_deadline)},
            code="question",
        )
    clarification = Clarification.objects.create(
        competition=competition,
        asked_by=supplier,
        asked_by_user=actor,
        question=_clean(
            question,
            field="question",
            missing=_("Enter your question"),
            label=_("Your question"),
            limit=QUESTION_MAX_LENGTH,
        ),
    )
    audit.record(
        actor=actor,
        organisation=supplier,
        kind=AuditKind.CLARIFICATION_ASKED,
        target=clarification,
        data={"competition": competition.pk},
    )
    return clarification


@transaction.atomic
def answer_clarification(
    *, actor, clarification: Clarification, answer: str, published_question: str = ""
) -> Clarification:
    """Answer a question and publish it, with the answer, to every invited supplier. The
    buyer may reword the question (`published_question`) so it does not give the asker away."""
    clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
    competition = lock_competition(clarification.competition)
    require_buyer_worker(actor, competition.project)
    if competition.status != Competition.Status.OPEN or (
        timezone.now() >= competition.submission_deadline
    ):
        raise CompetitionError(
            _("Bids have closed: answers can no longer be published"), code="status"
        )
    if clarification.published_at is not None:
        raise CompetitionError(_("This question's answer is already published"), code="answer")
    clarification.answer = _clean(
        answer,
        field="answer",
        missing=_("Enter the answer"),
        label=_("The answer"),
        limit=ANSWER_MAX_LENGTH,
    )
    clarification.published_question = _clean(
        published_question,
        field="published_question",
        missing="",
        label=_("The question as published"),
        limit=QUESTION_MAX_LENGTH,
    )
    clarification.answered_by = actor
    clarification.published_at = timezone.now()
    clarification.save(
        update_fields=["answer", "published_question", "answered_by", "published_at"]
    )
    audit.record(
        actor=actor,
        organisation=competition.project.organisation,
        kind=AuditKind.CLARIFICATION_PUBLISHED,
        target=clarification,
        data={
            "competition": competition.pk,
            "reworded": bool(clarification.published_question),
            "invited_suppliers": competition.invitations.filter(invited=True).count(),
        },
    )
    return clarification
