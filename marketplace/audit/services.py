"""Writing to the audit log. record() is the only way an event gets there, seal_chain() the
only way it joins the hash chain, and take_checkpoint() the only way a checkpoint does.

record() inserts the event unsealed (no sequence, no hashes) in the caller's transaction and
takes no lock, so concurrent writers commit independently and share WAL flushes. seal_chain()
then gives the unsealed events their sequence numbers and hashes, in batches, one sealer at a
time. It runs after audit writes commit (at most once per AUDIT_SEAL_EVERY per process), from the
seal_audit_chain command, and before every checkpoint and verification. docs/audit.md says why
the sealing order is safe.
"""

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

# Key for pg_advisory_xact_lock: the sealer takes it, so there is one sealer at a time.
# Appends take no lock. (0x4155444954 is "AUDIT" in ASCII.)
SEAL_LOCK_KEY = 0x4155444954
# Checkpoints queue on their own key, so taking one never holds up the sealer for long.
CHECKPOINT_LOCK_KEY = SEAL_LOCK_KEY + 1
TARGET_REPR_MAX_LENGTH = 255
# How many events one sealing transaction seals, at most.
SEAL_BATCH_SIZE = 2000


def _take_lock(key: int, *, wait: bool) -> bool:
    """A lock until the surrounding transaction ends; False if wait is False and it is held.

    PostgreSQL: a transaction-scoped advisory lock. SQLite allows one writer at a time (and a
    second sealer would fail on the unique sequence numbers), so nothing is needed there.
    """
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        return cursor.fetchone()[0]


def record(
    *,
    actor,
    organisation,
    kind: AuditKind,
    target: models.Model | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log, inside the caller's transaction.

    The event is unsealed: its sequence and hashes are None until seal_chain() seals it,
    after the transaction commits. actor may be None or an anonymous user (a lockout, say);
    organisation may be None or a lazy object wrapping None. data must be JSON-serialisable
    once Decimals, dates and UUIDs are turned into text; it is stored exactly as hashed.
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

    event.created_at = timezone.now()
    event.save(force_insert=True)
    if settings.AUDIT_SEAL_EVERY is not None:
        transaction.on_commit(seal_chain_if_due)
    if settings.AUDIT_CHECKPOINT_EVERY is not None:
        transaction.on_commit(take_checkpoint_if_due)
    return event


SEAL_SQL = (
    "UPDATE audit_auditevent SET sequence = %s, previous_hash = %s, hash = %s "
    "WHERE id = %s AND sequence IS NULL"
)


def _seal_batch(*, wait: bool) -> int | None:
    """Seal up to SEAL_BATCH_SIZE unsealed events in one transaction: how many were sealed,
    or None when wait is False and another sealer holds the lock.

    Events are sealed after the chain's current head, in id order. An event whose transaction
    commits after a batch was read (even one with a smaller id) is simply sealed in a later
    batch, after that one: the chain only ever grows at its head, so nothing needs to be
    slotted in between sealed events.
    """
    with transaction.atomic():
        if not _take_lock(SEAL_LOCK_KEY, wait=wait):
            return None
        # Read after the lock is held, so the previous sealer's work is visible.
        head = (
            AuditEvent.objects.filter(sequence__isnull=False)
            .order_by("-sequence")
            .values("sequence", "hash")
            .first()
        )
        batch = list(
            AuditEvent.objects.filter(sequence__isnull=True).order_by("pk")[:SEAL_BATCH_SIZE]
        )
        sequence = head["sequence"] if head else 0
        previous_hash = head["hash"] if head else GENESIS_HASH
        rows = []
        for event in batch:
            sequence += 1
            event.sequence, event.previous_hash = sequence, previous_hash
            event.hash = previous_hash = compute_hash(event)
            rows.append((event.sequence, event.previous_hash, event.hash, event.pk))
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(SEAL_SQL, rows)
                if cursor.rowcount != len(rows):  # rolls the batch back
                    raise RuntimeError(
                        f"Sealed {cursor.rowcount} of {len(rows)} audit events: another sealer "
                        "got there first, which the lock should prevent"
                    )
    return len(rows)


def seal_chain(*, wait: bool = True, batches: int | None = None) -> int:
    """Seal the unsealed events into the chain, a batch at a time; how many were sealed.

    Stops once a batch is not full (the sealer has caught up with the writers: an event that
    commits later waits for the next seal), or after `batches` batches. With wait False,
    returns at once (having sealed none) if another sealer is at work.
    """
    sealed = 0
    done = 0
    while batches is None or done < batches:
        count = _seal_batch(wait=wait)
        done += 1
        sealed += count or 0
        if count is None or count < SEAL_BATCH_SIZE:  # another sealer, or caught up
            break
    return sealed


# time.monotonic() before which this process need not seal after a commit.
_next_seal = 0.0


def seal_chain_if_due() -> None:
    """After an audit write commits: seal the chain, unless this process sealed within the
    last AUDIT_SEAL_EVERY or another process is sealing (it seals what it finds). A failure is
    logged, never raised into the request (the seal_audit_chain command seals what is left)."""
    global _next_seal  # one number per process; tests reset it
    every = settings.AUDIT_SEAL_EVERY
    if every is None or time.monotonic() < _next_seal:
        return
    _next_seal = time.monotonic() + every.total_seconds()
    try:
        # One batch at most: the request that happens to seal is not kept sealing for others.
        seal_chain(wait=False, batches=1)
    except Exception:
        logger.exception("Could not seal the audit chain")


def unsealed_count() -> int:
    return AuditEvent.objects.filter(sequence__isnull=True).count()


def take_checkpoint(*, wait: bool = True) -> AuditCheckpoint | None:
    """Seal the chain, then checkpoint its head: a row in AuditCheckpoint and a write-once
    file. Checkpoints cover sealed events only.

    Returns None when there is nothing new to checkpoint (no events, or the head has not moved
    since the latest checkpoint), or when wait is False and another checkpoint is being taken.
    The row and the file are written in one transaction: if the file cannot be written, the
    row is not kept (storage.CheckpointConflict: the chain is not the one checkpointed before).
    """
    seal_chain(wait=wait)
    with transaction.atomic():
        if not _take_lock(CHECKPOINT_LOCK_KEY, wait=wait):
            return None
        head = (
            AuditEvent.objects.filter(sequence__isnull=False)
            .order_by("-sequence")
            .values("sequence", "hash")
            .first()
        )
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
