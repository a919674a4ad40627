"""How an audit event is hashed, and how the whole chain is checked.

hash = sha256(previous_hash + canonical_json(content)), where content is every recorded
field of the row (see CONTENT_FIELDS) and canonical JSON has sorted keys, no whitespace and
timestamps in UTC ISO 8601 with microseconds. Everything needed is in the stored row, so
anyone with read access can recompute every hash. Only sealed events (those with a sequence
number) are in the chain; unsealed ones are counted apart.
"""

import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64
VERIFY_CHUNK_SIZE = 2000

CONTENT_FIELDS = (
    "sequence",
    "kind",
    "actor_id",
    "actor_email",
    "organisation_id",
    "target_content_type_id",
    "target_object_id",
    "target_repr",
    "data",
    "created_at",
)


def normalise_data(data: Any) -> Any:
    """The JSON form of data, exactly as it will read back from the database.

    Decimals, dates and UUIDs become strings (DjangoJSONEncoder). Floats become their repr
    string too, because PostgreSQL's jsonb does not give every float back unchanged.
    """
    plain = json.loads(json.dumps(data, cls=DjangoJSONEncoder, allow_nan=False))
    return _floats_to_text(plain)


def _floats_to_text(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {key: _floats_to_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_floats_to_text(item) for item in value]
    return value


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_content(event) -> str:
    content = {name: getattr(event, name) for name in CONTENT_FIELDS}
    content["created_at"] = _timestamp(event.created_at)
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def compute_hash(event) -> str:
    if event.previous_hash is None:
        raise ValueError("An unsealed audit event has no hash: seal it first")
    payload = event.previous_hash + canonical_content(event)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Problem(enum.StrEnum):
    EDITED = "edited"
    BROKEN_LINK = "broken_link"
    SEQUENCE_GAP = "sequence_gap"


REASONS = {
    Problem.EDITED: (
        "its hash does not match its content: the row was edited after it was recorded"
    ),
    Problem.BROKEN_LINK: (
        "its previous hash does not match the event before it: an event was removed, "
        "or this one was inserted out of order"
    ),
    Problem.SEQUENCE_GAP: "its sequence number does not follow the event before it",
}


@dataclass(frozen=True)
class ChainProblem:
    """The first event at which the chain stops being intact."""

    sequence: int
    pk: int
    problem: Problem
    detail: str = ""

    def __str__(self) -> str:
        message = f"Audit event #{self.sequence} (id {self.pk}) is bad: {REASONS[self.problem]}"
        return f"{message} ({self.detail})." if self.detail else f"{message}."


@dataclass(frozen=True)
class ChainReport:
    """What a full check found: how many sealed events were intact, the first problem, if
    any, and how many events were not sealed into the chain yet."""

    count: int
    last_sequence: int | None
    last_hash: str
    problem: ChainProblem | None = None
    unsealed: int = 0


@dataclass(frozen=True)
class CheckpointMismatch:
    """The chain no longer reaches, or no longer matches, a checkpoint of its head."""

    checkpoint: Any  # an AuditCheckpoint, from the table or read back from its file
    missing: int
    found_hash: str | None = None

    def __str__(self) -> str:
        number = self.checkpoint.sequence
        since = f"checkpoint #{number} taken at {self.checkpoint.taken_at.isoformat()}"
        if self.missing:
            verb = "is" if self.missing == 1 else "are"
            plural = "" if self.missing == 1 else "s"
            return f"{self.missing} event{plural} {verb} missing since {since}."
        return (
            f"Audit event #{number} does not match {since}: its hash is {self.found_hash}, the "
            f"checkpoint's is {self.checkpoint.hash}. The log was rewritten at or before "
            f"#{number}."
        )


def check_against_checkpoint(report: ChainReport, checkpoint) -> CheckpointMismatch | None:
    """Whether an intact chain (report) still reaches checkpoint, with the same hash there."""
    from .models import AuditEvent

    last = report.last_sequence or 0
    if last < checkpoint.sequence:
        return CheckpointMismatch(checkpoint, missing=checkpoint.sequence - last)
    found = (
        AuditEvent.objects.filter(sequence=checkpoint.sequence)
        .values_list("hash", flat=True)
        .first()
    )
    if found != checkpoint.hash:
        return CheckpointMismatch(checkpoint, missing=0, found_hash=found)
    return None


def check_chain(*, chunk_size: int = VERIFY_CHUNK_SIZE) -> ChainReport:
    """Recompute every sealed event's hash in sequence order, stopping at the first bad event,
    and count the unsealed events."""
    from .models import AuditEvent

    expected_previous = GENESIS_HASH
    expected_sequence = 1
    count = 0
    last_sequence = None
    unsealed = AuditEvent.objects.filter(sequence__isnull=True).count()
    rows = (
        AuditEvent.objects.filter(sequence__isnull=False)
        .order_by("sequence")
        .iterator(chunk_size=chunk_size)
    )
    for event in rows:
        problem = _problem_with(event, expected_previous, expected_sequence)
        if problem:
            return ChainReport(count, last_sequence, expected_previous, problem, unsealed)
        expected_previous = event.hash
        expected_sequence = event.sequence + 1
        last_sequence = event.sequence
        count += 1
    return ChainReport(count, last_sequence, expected_previous, unsealed=unsealed)


def verify_chain(*, chunk_size: int = VERIFY_CHUNK_SIZE) -> ChainProblem | None:
    """The first bad event in the chain, or None when the chain is intact."""
    return check_chain(chunk_size=chunk_size).problem


def _problem_with(event, expected_previous: str, expected_sequence: int) -> ChainProblem | None:
    if event.previous_hash is None or compute_hash(event) != event.hash:
        return ChainProblem(event.sequence, event.pk, Problem.EDITED)
    if event.previous_hash != expected_previous:
        return ChainProblem(
            event.sequence,
            event.pk,
            Problem.BROKEN_LINK,
            f"expected previous hash {expected_previous}, found {event.previous_hash}",
        )
    if event.sequence != expected_sequence:
        return ChainProblem(
            event.sequence, event.pk, Problem.SEQUENCE_GAP, f"expected #{expected_sequence}"
        )
    return None
