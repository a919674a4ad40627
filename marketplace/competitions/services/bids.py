"""Submitting sealed bids, and closing a competition to bids at its deadline.

An invited supplier that may still be called off submits a price, an answer to every quality
criterion and, under social value criteria, measurable commitments; then attaches documents.
Every piece of content is sealed (competitions.sealing) before it is stored, and nothing about
it is logged or audited beyond the fact of the change: the audit rows say who did what, when,
and how many answers or bytes, never what. Until the deadline a supplier may revise its bid:
the new content replaces the old whole. At or after the deadline (London time) a bid is late.
"""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.calloffs.suppliers import call_off_problem
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action
from marketplace.state import change_state, check_move

from ..models import Bid, BidAnswer, BidDocument, Competition, CompetitionCriterion
from ..sealing import seal_text, store_sealed_file
from ..selectors.competitions import is_invited
from .checks import CompetitionError, lock_competition
from .clarifications import london_time

ANSWER_MAX_LENGTH = 10_000
COMMITMENT_MAX_LENGTH = 200
PRICE_PLACES = 2


def price_purpose(bid: Bid) -> str:
    return f"bid:{bid.pk}:price"


def answer_purpose(bid: Bid, criterion_id: int) -> str:
    return f"bid:{bid.pk}:answer:{criterion_id}"


def commitment_purpose(bid: Bid, criterion_id: int) -> str:
    return f"bid:{bid.pk}:commitment:{criterion_id}"


def document_purpose(bid: Bid) -> str:
    return f"bid:{bid.pk}:document"


# Who may bid, and when --------------------------------------------------------------------------


def _require_bidder(actor, competition: Competition, supplier: Organisation) -> None:
    """Someone not acting for an invited supplier is told nothing exists; an invited supplier
    that can no longer be called off (suspended, excluded, debarred) is told why."""
    if policy.membership_for(actor, supplier) is None or not is_invited(competition, supplier):
        raise Http404(_("No such competition"))
    policy.require(actor, Action.ANSWER_CALLOFFS, supplier)
    project = competition.project
    problem = call_off_problem(
        supplier=supplier, lot=project.lot, buyer=project.organisation, on=timezone.localdate()
    )
    if problem:
        raise CompetitionError(
            _("%(problem)s, so it cannot bid") % {"problem": problem}, code="supplier"
        )


def _require_before_deadline(competition: Competition) -> None:
    if timezone.now() >= competition.submission_deadline:
        raise CompetitionError(
            _("The deadline for bids was %(deadline)s: bids can no longer be changed")
            % {"deadline": london_time(competition.submission_deadline)},
            code="late",
        )
    if competition.status != Competition.Status.OPEN:
        raise CompetitionError(
            _("The competition is %(status)s: bids can no longer be changed")
            % {"status": competition.get_status_display().lower()},
            code="status",
        )


# Cleaning what was entered -----------------------------------------------------------------------


def _clean_price(value) -> Decimal:
    try:
        price = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        price = None
    if price is None or not price.is_finite():
        raise CompetitionError(
            _("Enter your price as a number of pounds, like 12500.00"), code="price"
        )
    if price <= 0:
        raise CompetitionError(_("Your price must be more than £0"), code="price")
    if -price.as_tuple().exponent > PRICE_PLACES:
        raise CompetitionError(
            _("Your price must be in pounds and pence, like 12500.50"), code="price"
        )
    return price


def _keyed_by_criterion(values: Mapping, criteria: Mapping[int, CompetitionCriterion], *, code):
    """`values` with integer criterion ids as keys; an id not among `criteria` is refused."""
    cleaned = {}
    for key, value in values.items():
        try:
            criterion_id = int(key)
        except (TypeError, ValueError):
            criterion_id = None
        if criterion_id not in criteria:
            raise CompetitionError(
                _("Answer only the competition's own quality criteria"), code=code
            )
        cleaned[criterion_id] = (value or "").strip()
    return cleaned


def _too_long(text: str, *, label: str, limit: int, code: str) -> None:
    if len(text) > limit:
        raise CompetitionError(
            _("%(label)s must be %(limit)d characters or fewer (you entered %(count)d)")
            % {"label": label, "limit": limit, "count": len(text)},
            code=code,
        )


def _clean_answers(answers: Mapping, criteria: Mapping[int, CompetitionCriterion]) -> dict:
    cleaned = _keyed_by_criterion(answers, criteria, code="answers")
    for pk, criterion in criteria.items():
        text = cleaned.get(pk, "")
        if not text:
            raise CompetitionError(
                _("Enter your answer to %(title)s") % {"title": criterion.title},
                code=f"answer-{pk}",
            )
        _too_long(
            text,
            label=_("Your answer to %(title)s") % {"title": criterion.title},
            limit=ANSWER_MAX_LENGTH,
            code=f"answer-{pk}",
        )
    return cleaned


def _clean_commitments(commitments: Mapping, criteria: Mapping[int, CompetitionCriterion]) -> dict:
    """Non-blank commitments, each under a social value criterion."""
    cleaned = _keyed_by_criterion(commitments, criteria, code="commitments")
    for pk, text in cleaned.items():
        criterion = criteria[pk]
        if text and not criterion.is_social_value:
            raise CompetitionError(
                _(
                    "%(title)s is not a social value criterion: commitments can be made only "
                    "under social value criteria"
                )
                % {"title": criterion.title},
                code=f"commitment-{pk}",
            )
        _too_long(
            text,
            label=_("Your commitment under %(title)s") % {"title": criterion.title},
            limit=COMMITMENT_MAX_LENGTH,
            code=f"commitment-{pk}",
        )
    return {pk: text for pk, text in cleaned.items() if text}


# Bids -------------------------------------------------------------------------------------------


@transaction.atomic
def save_bid(
    *,
    actor,
    competition: Competition,
    supplier: Organisation,
    price,
    answers: Mapping[int, str],
    commitments: Mapping[int, str] | None = None,
) -> Bid:
    """Submit `supplier`'s bid, or revise it: the price, the answers and the commitments given
    replace any earlier ones whole (documents are added and removed on their own). Everything
    is checked before anything is saved."""
    competition = lock_competition(competition)
    _require_bidder(actor, competition, supplier)
    _require_before_deadline(competition)
    criteria = {criterion.pk: criterion for criterion in competition.criteria.all()}
    price = _clean_price(price)
    answers = _clean_answers(answers, criteria)
    commitments = _clean_commitments(commitments or {}, criteria)

    bid = Bid.objects.select_for_update().filter(competition=competition, supplier=supplier).first()
    revising = bid is not None and bid.status == Bid.Status.SUBMITTED
    if bid is None:
        # Created first: its id is part of every sealing purpose.
        bid = Bid.objects.create(competition=competition, supplier=supplier)
    if bid.status != Bid.Status.SUBMITTED:
        check_move(Bid, bid.status, Bid.Status.SUBMITTED)
    bid.sealed_price = seal_text(
        competition=competition, purpose=price_purpose(bid), text=f"{price:f}"
    )
    bid.status = Bid.Status.SUBMITTED
    bid.submitted_at = timezone.now()
    bid.save(update_fields=["sealed_price", "status", "submitted_at"])
    bid.answers.all().delete()
    BidAnswer.objects.bulk_create(
        BidAnswer(
            bid=bid,
            criterion_id=pk,
            sealed_text=seal_text(
                competition=competition, purpose=answer_purpose(bid, pk), text=text
            ),
            sealed_commitment=(
                seal_text(
                    competition=competition,
                    purpose=commitment_purpose(bid, pk),
                    text=commitments[pk],
                )
                if pk in commitments
                else None
            ),
        )
        for pk, text in answers.items()
    )
    audit.record(
        actor=actor,
        organisation=supplier,
        kind=AuditKind.BID_REVISED if revising else AuditKind.BID_SUBMITTED,
        target=bid,
        data={
            "competition": competition.pk,
            "supplier": supplier.pk,
            "answers": len(answers),
            "commitments": len(commitments),
        },
    )
    return bid


def _lock_bid(bid: Bid) -> tuple[Bid, Competition]:
    competition = lock_competition(bid.competition)
    return (
        Bid.objects.select_for_update(of=("self",)).select_related("supplier").get(pk=bid.pk),
        competition,
    )


@transaction.atomic
def add_bid_document(*, actor, bid: Bid, upload) -> BidDocument:
    """Seal an uploaded file (its content and its name) and attach it to the bid. The upload
    must have arrived in memory (uploads.memory_only_uploads), never spooled to disk."""
    bid, competition = _lock_bid(bid)
    _require_bidder(actor, competition, bid.supplier)
    _require_before_deadline(competition)
    if upload is None:
        raise CompetitionError(_("Select a file"), code="document")
    if upload.size > settings.BID_UPLOAD_MAX_BYTES:
        raise CompetitionError(
            _("The selected file must be %(size)s or smaller")
            % {"size": filesizeformat(settings.BID_UPLOAD_MAX_BYTES)},
            code="document",
        )
    if upload.size == 0:
        raise CompetitionError(_("The selected file is empty"), code="document")
    storage_name, sealed_file_name, size = store_sealed_file(
        competition=competition, purpose=document_purpose(bid), upload=upload
    )
    try:
        document = BidDocument.objects.create(
            bid=bid, storage_name=storage_name, sealed_file_name=sealed_file_name, size=size
        )
    except Exception:
        default_storage.delete(storage_name)  # no row, so no ciphertext left behind
        raise
    audit.record(
        actor=actor,
        organisation=bid.supplier,
        kind=AuditKind.BID_DOCUMENT_ADDED,
        target=bid,
        data={
            "competition": competition.pk,
            "supplier": bid.supplier_id,
            "document": document.pk,
            "size": size,
        },
    )
    return document


@transaction.atomic
def remove_bid_document(*, actor, document: BidDocument) -> None:
    """Detach a document from its bid; its ciphertext is deleted once that is committed."""
    bid, competition = _lock_bid(document.bid)
    _require_bidder(actor, competition, bid.supplier)
    _require_before_deadline(competition)
    document = BidDocument.objects.select_for_update().get(pk=document.pk, bid=bid)
    storage_name, document_id, size = document.storage_name, document.pk, document.size
    document.delete()
    transaction.on_commit(lambda: default_storage.delete(storage_name))
    audit.record(
        actor=actor,
        organisation=bid.supplier,
        kind=AuditKind.BID_DOCUMENT_REMOVED,
        target=bid,
        data={
            "competition": competition.pk,
            "supplier": bid.supplier_id,
            "document": document_id,
            "size": size,
        },
    )


# Closing at the deadline -------------------------------------------------------------------------


def close_if_due(competition: Competition, *, now: datetime | None = None) -> Competition:
    """Close an open competition to bids once its submission deadline has passed. No person
    does this: the selectors call it before showing a competition, and the close_competitions
    command (cron) calls it for every competition due."""
    now = now or timezone.now()
    if not _is_due(competition, now):
        return competition
    with transaction.atomic():
        competition = lock_competition(competition)
        if _is_due(competition, now):  # another request may have closed it meanwhile
            change_state(
                competition,
                to=Competition.Status.CLOSED,
                actor=None,
                organisation=competition.project.organisation,
                kind=AuditKind.COMPETITION_CLOSED,
                data={
                    "deadline": competition.submission_deadline,
                    "bids": competition.bids.filter(status=Bid.Status.SUBMITTED).count(),
                },
                update_fields=("updated_at",),
            )
    return competition


def _is_due(competition: Competition, now: datetime) -> bool:
    return (
        competition.status == Competition.Status.OPEN
        and competition.submission_deadline is not None
        and now >= competition.submission_deadline
    )


def close_due_competitions(*, now: datetime | None = None) -> list[Competition]:
    """Close every open competition whose deadline has passed; the ones closed."""
    now = now or timezone.now()
    due = Competition.objects.filter(
        status=Competition.Status.OPEN, submission_deadline__lte=now
    ).order_by("pk")
    closed = []
    for competition in due:
        competition = close_if_due(competition, now=now)
        if competition.status == Competition.Status.CLOSED:
            closed.append(competition)
    return closed
