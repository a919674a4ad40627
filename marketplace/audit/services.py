"""Writing to the audit log. record() is the only way a row gets there."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from .chain import GENESIS_HASH, compute_hash, normalise_data
from .kinds import AuditKind
from .models import AuditEvent

# Key for pg_advisory_xact_lock: every append takes it, so appends form one queue.
# (0x4155444954 is "AUDIT" in ASCII.)
APPEND_LOCK_KEY = 0x4155444954
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
        last = (
            AuditEvent.objects.select_for_update()
            .order_by("-sequence")
            .values("sequence", "hash")
            .first()
        )
        event.sequence = last["sequence"] + 1 if last else 1
        event.previous_hash = last["hash"] if last else GENESIS_HASH
        event.created_at = timezone.now()
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event
