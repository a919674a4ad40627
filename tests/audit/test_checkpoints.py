import json
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

import pytest

from marketplace.audit import services
from marketplace.audit.models import AuditCheckpoint, AuditLogIsAppendOnly
from marketplace.audit.selectors import latest_checkpoint
from marketplace.audit.storage import CheckpointConflict, latest_checkpoint_file

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only triggers are installed on PostgreSQL only",
)


def test_no_checkpoint_of_an_empty_log(db, checkpoint_storage):
    assert services.take_checkpoint() is None
    assert AuditCheckpoint.objects.count() == 0


def test_a_checkpoint_keeps_the_head_in_the_table_and_in_a_file(record_events, checkpoint_storage):
    events = record_events(3)

    checkpoint = services.take_checkpoint()

    assert (checkpoint.sequence, checkpoint.hash, checkpoint.event_count) == (
        3,
        events[-1].hash,
        3,
    )
    assert list(AuditCheckpoint.objects.values_list("sequence", flat=True)) == [3]
    kept = json.loads((checkpoint_storage / "checkpoint-000000000003.json").read_text())
    assert kept == {
        "sequence": 3,
        "hash": events[-1].hash,
        "event_count": 3,
        "taken_at": checkpoint.taken_at.isoformat(),
    }


def test_no_new_checkpoint_while_the_head_has_not_moved(record_events, checkpoint_storage):
    record_events(2)
    services.take_checkpoint()

    assert services.take_checkpoint() is None

    record_events(1)
    assert services.take_checkpoint().sequence == 3
    assert list(AuditCheckpoint.objects.values_list("sequence", flat=True)) == [3, 2]


def test_the_latest_checkpoint_is_the_furthest_of_table_and_storage(
    record_events, checkpoint_storage
):
    record_events(2)
    services.take_checkpoint()
    storages["audit_checkpoints"].save(
        "checkpoint-000000000009.json",
        ContentFile(
            json.dumps(
                {
                    "sequence": 9,
                    "hash": "f" * 64,
                    "event_count": 9,
                    "taken_at": "2026-01-02T03:04:05+00:00",
                }
            )
        ),
    )

    checkpoint = latest_checkpoint()

    assert (checkpoint.sequence, checkpoint.hash) == (9, "f" * 64)
    assert latest_checkpoint_file().sequence == 9


def test_a_checkpoint_file_is_never_overwritten_or_deleted(record_events, checkpoint_storage):
    record_events(1)
    services.take_checkpoint()
    storage = storages["audit_checkpoints"]

    with pytest.raises(FileExistsError, match="write-once"):
        storage.save("checkpoint-000000000001.json", ContentFile(b"{}"))
    with pytest.raises(PermissionError, match="write-once"):
        storage.delete("checkpoint-000000000001.json")


def test_a_file_for_the_same_sequence_with_another_hash_refuses_the_checkpoint(
    record_events, checkpoint_storage
):
    record_events(1)
    storages["audit_checkpoints"].save(
        "checkpoint-000000000001.json",
        ContentFile(
            json.dumps(
                {
                    "sequence": 1,
                    "hash": "e" * 64,
                    "event_count": 1,
                    "taken_at": "2026-01-02T03:04:05+00:00",
                }
            )
        ),
    )

    with pytest.raises(CheckpointConflict, match="holds hash eeee"):
        services.take_checkpoint()
    assert AuditCheckpoint.objects.count() == 0


def test_checkpoints_cannot_be_changed_or_deleted_through_the_orm(
    record_events, checkpoint_storage
):
    record_events(1)
    checkpoint = services.take_checkpoint()

    with pytest.raises(AuditLogIsAppendOnly, match="Audit checkpoints cannot be changed"):
        checkpoint.save()
    with pytest.raises(AuditLogIsAppendOnly, match="Audit checkpoints cannot be deleted"):
        checkpoint.delete()
    with pytest.raises(AuditLogIsAppendOnly, match="Audit checkpoints cannot be changed"):
        AuditCheckpoint.objects.update(hash="0")
    with pytest.raises(AuditLogIsAppendOnly, match="Audit checkpoints cannot be deleted"):
        AuditCheckpoint.objects.all().delete()


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditcheckpoint SET hash = 'x'", "DELETE FROM audit_auditcheckpoint"],
)
def test_the_database_refuses_to_change_checkpoints(sql, record_events, checkpoint_storage):
    record_events(1)
    services.take_checkpoint()

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


@pytest.fixture
def hourly_checkpoints(settings, monkeypatch, checkpoint_storage):
    settings.AUDIT_CHECKPOINT_EVERY = timedelta(hours=1)
    monkeypatch.setattr(services, "_next_look", 0.0)


def test_an_audit_write_checkpoints_after_commit_when_none_exists(
    hourly_checkpoints, record_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_events(2)

    # Both writes commit together; the first callback checkpoints the head, the second has
    # nothing new to do.
    assert list(AuditCheckpoint.objects.values_list("sequence", flat=True)) == [2]


def test_an_audit_write_checkpoints_when_the_latest_is_over_an_hour_old(
    hourly_checkpoints, record_events, django_capture_on_commit_callbacks
):
    record_events(1)
    AuditCheckpoint.objects.create(
        sequence=1, hash="a" * 64, event_count=1, taken_at=timezone.now() - timedelta(minutes=61)
    )

    with django_capture_on_commit_callbacks(execute=True):
        record_events(1)

    assert list(AuditCheckpoint.objects.values_list("sequence", flat=True)) == [2, 1]


def test_an_audit_write_takes_no_checkpoint_within_the_hour(
    hourly_checkpoints, record_events, django_capture_on_commit_callbacks
):
    record_events(1)
    AuditCheckpoint.objects.create(
        sequence=1, hash="a" * 64, event_count=1, taken_at=timezone.now() - timedelta(minutes=59)
    )

    with django_capture_on_commit_callbacks(execute=True):
        record_events(3)

    assert list(AuditCheckpoint.objects.values_list("sequence", flat=True)) == [1]


def test_a_failed_lazy_checkpoint_is_logged_not_raised(
    hourly_checkpoints, record_events, django_capture_on_commit_callbacks, caplog
):
    storages["audit_checkpoints"].save(
        "checkpoint-000000000001.json",
        ContentFile(
            json.dumps(
                {
                    "sequence": 1,
                    "hash": "e" * 64,
                    "event_count": 1,
                    "taken_at": "2026-01-02T03:04:05+00:00",
                }
            )
        ),
    )

    with django_capture_on_commit_callbacks(execute=True):
        record_events(1)

    assert AuditCheckpoint.objects.count() == 0
    assert "Could not checkpoint the audit chain" in caplog.text


def test_no_lazy_checkpoint_when_switched_off(
    settings, record_events, checkpoint_storage, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EVERY = None

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record_events(1)

    assert callbacks == []
    assert AuditCheckpoint.objects.count() == 0


def test_the_checkpoint_command_takes_one_and_says_so(record_events, checkpoint_storage, capsys):
    events = record_events(2)

    call_command("checkpoint_audit_chain")
    call_command("checkpoint_audit_chain")

    out = capsys.readouterr().out.splitlines()
    checkpoint = AuditCheckpoint.objects.get()
    assert out == [
        f"Checkpoint #2 taken at {checkpoint.taken_at.isoformat()}: 2 events, "
        f"hash {events[-1].hash}",
        "No new audit events since the latest checkpoint: none taken.",
    ]
