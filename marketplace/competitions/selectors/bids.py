"""Reads of bids. Before the deadline no one reads content, the bidder included: a supplier
sees only a receipt for its own bid. From the deadline the bids open (sealing releases the
key); who may then see them is the views' business."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.organisations.models import Organisation

from ..models import Bid, BidAnswer, BidDocument, Competition
from ..sealing import StillSealed, open_sealed_file, unseal_text
from ..services.bids import answer_purpose, commitment_purpose, document_purpose, price_purpose


@dataclass(frozen=True)
class BidReceipt:
    """What a supplier may see of its own bid before the deadline: never its content."""

    bid: Bid
    submitted_at: datetime | None
    answer_count: int
    document_count: int
    document_bytes: int


@dataclass(frozen=True)
class DocumentRef:
    """A bid document; its name and content come from open_bid_document."""

    pk: int
    size: int


@dataclass(frozen=True)
class UnsealedBid:
    bid: Bid
    supplier: Organisation
    price: Decimal
    answers: dict[int, str]  # criterion id -> answer
    commitments: dict[int, str]  # social value criterion id -> commitment
    documents: list[DocumentRef]


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(bid=OuterRef("pk"), **filters)
            .order_by()
            .values("bid")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def own_bid_receipt(competition: Competition, supplier: Organisation) -> BidReceipt | None:
    """`supplier`'s submitted bid's receipt, in one query; None if it has not bid."""
    bid = (
        Bid.objects.filter(competition=competition, supplier=supplier, status=Bid.Status.SUBMITTED)
        .defer("sealed_price")
        .annotate(
            answer_count=_count(BidAnswer),
            document_count=_count(BidDocument),
            document_bytes=Coalesce(
                Subquery(
                    BidDocument.objects.filter(bid=OuterRef("pk"))
                    .order_by()
                    .values("bid")
                    .annotate(total=Sum("size"))
                    .values("total")
                ),
                0,
            ),
        )
        .first()
    )
    if bid is None:
        return None
    return BidReceipt(
        bid=bid,
        submitted_at=bid.submitted_at,
        answer_count=bid.answer_count,
        document_count=bid.document_count,
        document_bytes=bid.document_bytes,
    )


def require_unsealed(competition: Competition, *, now: datetime | None = None) -> None:
    """Raise StillSealed before the submission deadline, as sealing does for any opening."""
    deadline = competition.submission_deadline
    if deadline is None or (now or timezone.now()) < deadline:
        raise StillSealed(_("Bids stay sealed until the submission deadline has passed."))


def unsealed_bids(
    competition: Competition, *, now: datetime | None = None, bid_pk: int | None = None
) -> list[UnsealedBid]:
    """Every submitted bid (or only the one `bid_pk` names), opened, in the order they were
    started. StillSealed before the deadline."""
    require_unsealed(competition, now=now)
    submitted = competition.bids.filter(status=Bid.Status.SUBMITTED)
    if bid_pk is not None:
        submitted = submitted.filter(pk=bid_pk)
    bids = (
        submitted.select_related("supplier").prefetch_related("answers", "documents").order_by("pk")
    )

    def opened(token, purpose):
        return unseal_text(competition=competition, purpose=purpose, token=token, now=now)

    return [
        UnsealedBid(
            bid=bid,
            supplier=bid.supplier,
            price=Decimal(opened(bid.sealed_price, price_purpose(bid))),
            answers={
                answer.criterion_id: opened(
                    answer.sealed_text, answer_purpose(bid, answer.criterion_id)
                )
                for answer in bid.answers.all()
            },
            commitments={
                answer.criterion_id: opened(
                    answer.sealed_commitment, commitment_purpose(bid, answer.criterion_id)
                )
                for answer in bid.answers.all()
                if answer.sealed_commitment is not None
            },
            documents=[
                DocumentRef(pk=document.pk, size=document.size) for document in bid.documents.all()
            ],
        )
        for bid in bids
    ]


def open_bid_document(document: BidDocument, *, now: datetime | None = None) -> tuple[str, bytes]:
    """The document's (file name, content); StillSealed before the deadline."""
    return open_sealed_file(
        competition=document.bid.competition,
        purpose=document_purpose(document.bid),
        storage_name=document.storage_name,
        sealed_file_name=document.sealed_file_name,
        now=now,
    )
