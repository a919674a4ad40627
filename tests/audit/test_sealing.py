from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

import pytest

from marketplace.audit import services
from marketplace.audit.chain import GENESIS_HASH, check_chain, compute_hash, verify_chain
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record, seal_chain, take_checkpoint

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger is installed on PostgreSQL only; SQLite has no such trigger",
)


def _chain():
    return list(
        AuditEvent.objects.filter(sequence__isnull=False)
        .order_by("sequence")
        .values_list("pk", "sequence", "previous_hash", "hash")
    )


def _insert_unsealed(pk: int) -> AuditEvent:
    """An unsealed event with an id of our choosing, as record() writes it."""
    event = AuditEvent(pk=pk, kind=AuditKind.ORGANISATION_UPDATED.value, data={"pk": pk})
    event.save(force_insert=True)
    return event


@pytest.fixture
def unsealed(framework_manager, authority):
    def append(n):
        return [
            record(
                actor=framework_manager,
                organisation=authority,
                kind=AuditKind.ORGANISATION_UPDATED,
                data={"n": n},
            )
            for n in range(n)
        ]

    return append


def test_a_batch_is_sealed_in_id_order_after_the_genesis_hash(unsealed):
    events = unsealed(3)

    assert seal_chain() == 3

    chain = _chain()
    assert [(pk, sequence) for pk, sequence, _, _ in chain] == [
        (events[0].pk, 1),
        (events[1].pk, 2),
        (events[2].pk, 3),
    ]
    assert chain[0][2] == GENESIS_HASH
    assert [previous for _, _, previous, _ in chain[1:]] == [hash for *_, hash in chain[:2]]
    assert verify_chain() is None


def test_an_event_committed_after_a_seal_joins_after_the_head_whatever_its_id(db):
    # Id 50 was taken by a transaction that committed after id 100 had been sealed: it is
    # sealed next, after the head, and never slotted in before #1.
    _insert_unsealed(100)
    seal_chain()
    _insert_unsealed(50)

    assert seal_chain() == 1

    assert [(pk, sequence) for pk, sequence, _, _ in _chain()] == [(100, 1), (50, 2)]
    assert verify_chain() is None


def test_sealing_in_small_batches_makes_one_chain(unsealed, monkeypatch):
    monkeypatch.setattr(services, "SEAL_BATCH_SIZE", 2)
    unsealed(5)

    assert seal_chain() == 5

    assert [sequence for _, sequence, _, _ in _chain()] == [1, 2, 3, 4, 5]
    assert verify_chain() is None


def test_sealing_after_a_commit_seals_one_batch_at_most(unsealed, monkeypatch, settings):
    settings.AUDIT_SEAL_EVERY = services.timedelta(seconds=1)
    monkeypatch.setattr(services, "_next_seal", 0.0)
    monkeypatch.setattr(services, "SEAL_BATCH_SIZE", 2)
    unsealed(5)

    services.seal_chain_if_due()  # the request that seals is not kept sealing for others

    assert AuditEvent.objects.filter(sequence__isnull=False).count() == 2
    assert seal_chain() == 3


def test_sealing_with_nothing_to_seal_changes_nothing(unsealed):
    unsealed(2)
    seal_chain()
    before = _chain()

    assert seal_chain() == 0
    assert _chain() == before


def test_a_sealed_hash_covers_the_sequence_and_content(unsealed):
    unsealed(1)
    seal_chain()

    event = AuditEvent.objects.get()
    assert event.hash == compute_hash(event)
    event.sequence = 2
    assert compute_hash(event) != event.hash


def test_verify_counts_unsealed_events_apart(unsealed, capsys):
    unsealed(2)
    seal_chain()
    unsealed(1)

    report = check_chain()
    call_command("verify_audit_chain", "--no-seal")

    assert (report.count, report.unsealed, report.problem) == (2, 1, None)
    assert capsys.readouterr().out.splitlines()[:2] == [
        "Audit chain intact: 2 events",
        "Not sealed yet: 1 event (outside the chain, so not checked; seal_audit_chain seals them)",
    ]


def test_verify_seals_first(unsealed, capsys):
    unsealed(3)

    call_command("verify_audit_chain")

    out = capsys.readouterr().out
    assert out.startswith("Audit chain intact: 3 events\n")
    assert "Not sealed yet" not in out
    assert AuditEvent.objects.filter(sequence__isnull=True).count() == 0


def test_the_seal_command_seals_and_says_how_many(unsealed, capsys):
    unsealed(2)

    call_command("seal_audit_chain")
    call_command("seal_audit_chain")

    assert capsys.readouterr().out.splitlines() == [
        "Sealed 2 audit events.",
        "Sealed 0 audit events.",
    ]


def test_a_checkpoint_seals_first_and_covers_sealed_events_only(unsealed, checkpoint_storage):
    unsealed(3)

    checkpoint = take_checkpoint()

    assert (checkpoint.sequence, checkpoint.event_count) == (3, 3)
    assert checkpoint.hash == AuditEvent.objects.get(sequence=3).hash


def test_a_deleted_tail_is_detected_after_new_events_are_sealed_onto_it(
    unsealed, checkpoint_storage, tamper
):
    unsealed(4)
    checkpoint = take_checkpoint()
    tamper("DELETE FROM audit_auditevent WHERE sequence > 2")
    unsealed(1)  # recorded after the tail went: sealed as #3, onto the shortened chain

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")

    taken_at = checkpoint.taken_at.isoformat()
    assert str(error.value) == (
        f"1 event is missing since checkpoint #4 taken at {taken_at}. "
        "The chain itself is intact up to its last event (#3)."
    )

    unsealed(1)  # sealed as #4: the chain reaches the checkpoint again, with another hash
    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")

    assert str(error.value).startswith(
        f"Audit event #4 does not match checkpoint #4 taken at {taken_at}: "
    )


def test_a_row_sealed_by_hand_without_its_hash_is_caught(unsealed, tamper):
    events = unsealed(2)
    seal_chain()
    tamper("UPDATE audit_auditevent SET hash = NULL WHERE id = %s", [events[1].pk])

    problem = verify_chain()

    assert (problem.sequence, problem.pk) == (2, events[1].pk)


@postgresql_only
@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("UPDATE audit_auditevent SET data = '{\"n\": 99}'", "content changed before sealing"),
        ("DELETE FROM audit_auditevent", "an unsealed event removed"),
        (
            "UPDATE audit_auditevent SET sequence = 1, previous_hash = repeat('0', 64),"
            " hash = repeat('a', 64), kind = 'x'",
            "sealed, with its content changed too",
        ),
        ("UPDATE audit_auditevent SET sequence = 1", "sealed without hashes"),
        (
            "UPDATE audit_auditevent SET sequence = 1, previous_hash = repeat('0', 64),"
            " hash = repeat('a', 64), created_at = created_at - interval '1 day'",
            "sealed, with its time changed",
        ),
    ],
)
def test_the_database_refuses_any_change_to_an_unsealed_event_but_sealing(sql, why, unsealed):
    unsealed(1)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    event = AuditEvent.objects.get()
    assert (event.sequence, event.hash, event.data) == (None, None, {"n": 0}), why


@postgresql_only
def test_the_database_allows_the_sealing_update_once_and_only_once(unsealed):
    [event] = unsealed(1)
    seal = "UPDATE audit_auditevent SET sequence = %s, previous_hash = %s, hash = %s WHERE id = %s"

    with connection.cursor() as cursor:
        cursor.execute(seal, [1, GENESIS_HASH, "a" * 64, event.pk])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(seal, [1, GENESIS_HASH, "b" * 64, event.pk])

    assert AuditEvent.objects.get().hash == "a" * 64
