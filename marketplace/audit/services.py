"""Writing to the audit log. record() is the only way an event gets there, and
take_checkpoint() the only way a checkpoint does."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from .chain import GENESIS_HASH, compute_hash, normalise_data
from .kinds import AuditKind
from .models import AuditCheckpoint, AuditEvent
from .storage import write_checkpoint_file

logger = logging.getLogger(__name__)

# Key for pg_advisory_xact_lock: every append takes it, so appends form one queue.
# (0x4155444954 is "AUDIT" in ASCII.)
APPEND_LOCK_KEY = 0x4155444954
# Checkpoints queue on their own key, so taking one never holds up an append.
CHECKPOINT_LOCK_KEY = APPEND_LOCK_KEY + 1
TARGET_REPR_MAX_LENGTH = 255


def _take_append_lock() -> None:
    """Serialise appends until the surrounding transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite allows one writer at a time, and
    the insert below takes its write lock, so nothing more is needed there.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])


def record(
    *,
    actor,
    organisation,
    kind: AuditKind,
    target: models.Model | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log, inside the caller's transaction.

    actor may be None or an anonymous user (a lockout, say); organisation may be None or a
    lazy object wrapping None. data must be JSON-serialisable once Decimals, dates and UUIDs
    are turned into text; it is stored exactly as hashed.
    """
    try:
        kind = AuditKind(kind)
    except ValueError:
        raise ValueError(f"{kind!r} is not an audit kind: add it to AuditKind first") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise TypeError("Audit data must be a dict")

    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        kind=kind.value,
        actor_id=actor.pk if signed_in else None,
        actor_email=(actor.email or "") if signed_in else "",
        organisation_id=organisation.pk if organisation else None,
        data=normalise_data(data),
    )
    if target is not None:
        if target.pk is None:
            raise ValueError("An audit target must be saved first")
        event.target_content_type_id = ContentType.objects.get_for_model(target).pk
        event.target_object_id = str(target.pk)
        event.target_repr = str(target)[:TARGET_REPR_MAX_LENGTH]

    with transaction.atomic():
        _take_append_lock()
        # No row lock: the append lock already serialises appends, and locking the last row
        # as well cost a tuple write per event (measured: docs/audit.md).
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        event.sequence = last["sequence"] + 1 if last else 1
        event.previous_hash = last["hash"] if last else GENESIS_HASH
        event.created_at = timezone.now()
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    if settings.AUDIT_CHECKPOINT_EVERY is not None:
        transaction.on_commit(take_checkpoint_if_due)
    return event


def take_checkpoint(*, wait: bool = True) -> AuditCheckpoint | None:
    """Checkpoint the chain's head: a row in AuditCheckpoint and a write-once file.

    Returns None when there is nothing new to checkpoint (no events, or the head has not moved
    since the latest checkpoint), or when wait is False and another checkpoint is being taken.
    The row and the file are written in one transaction: if the file cannot be written, the
    row is not kept (storage.CheckpointConflict: the chain is not the one checkpointed before).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                lock = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
                cursor.execute(f"SELECT {lock}(%s)", [CHECKPOINT_LOCK_KEY])
                if not wait and not cursor.fetchone()[0]:
                    return None
        head = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        if head is None:
            return None
        latest = AuditCheckpoint.objects.order_by("-sequence").values("sequence").first()
        if latest and latest["sequence"] >= head["sequence"]:
            return None
        checkpoint = AuditCheckpoint.objects.create(
            sequence=head["sequence"],
            hash=head["hash"],
            event_count=AuditEvent.objects.filter(sequence__lte=head["sequence"]).count(),
            taken_at=timezone.now(),
        )
        write_checkpoint_file(checkpoint)
    return checkpoint


# time.monotonic() before which this process need not look for a due checkpoint.
_next_look = 0.0


def take_checkpoint_if_due() -> None:
    """After an audit write commits: checkpoint if the newest checkpoint is older than
    AUDIT_CHECKPOINT_EVERY. Between looks each process remembers when the next one is due, so
    most writes cost nothing; a failure is logged, never raised into the request."""
    global _next_look  # one number per process; tests reset it
    every = settings.AUDIT_CHECKPOINT_EVERY
    if every is None or time.monotonic() < _next_look:
        return
    try:
        taken_at = (
            AuditCheckpoint.objects.order_by("-sequence").values_list("taken_at", flat=True).first()
        )
        age = timezone.now() - taken_at if taken_at else every
        if age >= every:
            take_checkpoint(wait=False)
            age = timedelta(0)
        _next_look = time.monotonic() + (every - age).total_seconds()
    except Exception:
        logger.exception("Could not checkpoint the audit chain")
