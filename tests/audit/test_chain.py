from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

import pytest

from marketplace.audit.chain import Problem, check_chain, compute_hash, verify_chain
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record
from tests.audit.conftest import sealed

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger is installed on PostgreSQL only; SQLite has no such trigger",
)


@pytest.fixture
def events(framework_manager, authority):
    kinds = [AuditKind.USER_SIGNED_IN, AuditKind.ORGANISATION_UPDATED, AuditKind.USER_SIGNED_OUT]
    return sealed(
        [
            record(actor=framework_manager, organisation=authority, kind=kind, data={"n": n})
            for n, kind in enumerate(kinds, start=1)
        ]
    )


def test_a_clean_chain_verifies(events):
    report = check_chain(chunk_size=2)

    assert report.problem is None
    assert report.count == 3
    assert report.last_sequence == 3
    assert report.last_hash == events[-1].hash


def test_an_empty_log_verifies(db):
    assert verify_chain() is None


def test_an_edited_field_is_caught_at_that_event(events, tamper):
    tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', events[1].pk])

    problem = verify_chain()

    assert (problem.sequence, problem.pk, problem.problem) == (2, events[1].pk, Problem.EDITED)


def test_an_edit_with_a_recomputed_hash_is_caught_at_the_next_event(events, tamper):
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.data = {"n": 99}
    tamper(
        "UPDATE audit_auditevent SET data = %s, hash = %s WHERE id = %s",
        ['{"n": 99}', compute_hash(forged), events[1].pk],
    )

    problem = verify_chain()

    assert (problem.sequence, problem.problem) == (3, Problem.BROKEN_LINK)


def test_a_deleted_event_is_caught_at_the_event_after_it(events, tamper):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])

    problem = verify_chain()

    assert (problem.sequence, problem.pk, problem.problem) == (
        3,
        events[2].pk,
        Problem.BROKEN_LINK,
    )


def test_deleting_the_first_event_is_caught(events, tamper):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])

    problem = verify_chain()

    assert (problem.sequence, problem.problem) == (2, Problem.BROKEN_LINK)


def test_an_event_inserted_out_of_order_is_caught_at_that_event(events, framework_manager, tamper):
    # A well-formed row whose own hash is right, but which claims to follow event #1.
    forged = AuditEvent(
        sequence=4,
        kind=AuditKind.MEMBERSHIP_REMOVED.value,
        actor_id=framework_manager.pk,
        actor_email=framework_manager.email,
        data={},
        created_at=events[2].created_at,
        previous_hash=events[0].hash,
    )
    forged.hash = compute_hash(forged)
    tamper(
        "INSERT INTO audit_auditevent (sequence, kind, actor_id, actor_email, target_object_id,"
        " target_repr, data, created_at, previous_hash, hash)"
        " VALUES (%s, %s, %s, %s, '', '', %s, %s, %s, %s)",
        [
            4,
            forged.kind,
            forged.actor_id,
            forged.actor_email,
            "{}",
            forged.created_at,
            forged.previous_hash,
            forged.hash,
        ],
    )
    forged_pk = AuditEvent.objects.get(sequence=4).pk

    problem = verify_chain()

    assert (problem.sequence, problem.pk, problem.problem) == (4, forged_pk, Problem.BROKEN_LINK)


def test_a_sequence_gap_is_caught(events, tamper):
    tamper("UPDATE audit_auditevent SET sequence = 7 WHERE id = %s", [events[2].pk])
    # Renumbering changes the content, so make the row's own hash agree, as a careful forger
    # would; the gap is then all that is left to see.
    renumbered = AuditEvent.objects.get(pk=events[2].pk)
    tamper(
        "UPDATE audit_auditevent SET hash = %s WHERE id = %s",
        [compute_hash(renumbered), renumbered.pk],
    )

    problem = verify_chain()

    assert (problem.sequence, problem.pk, problem.problem) == (
        7,
        events[2].pk,
        Problem.SEQUENCE_GAP,
    )


def test_command_reports_an_intact_chain(events, capsys):
    call_command("verify_audit_chain")

    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Audit chain intact: 3 events",
        f"Latest event: #3, hash {events[2].hash}",
        "No checkpoint yet: run checkpoint_audit_chain (docs/audit.md).",
    ]


def test_command_fails_naming_the_first_bad_event(events, tamper):
    tamper("UPDATE audit_auditevent SET actor_email = %s WHERE id = %s", ["x@y.z", events[0].pk])

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit_chain")

    assert str(failure.value) == (
        f"Audit event #1 (id {events[0].pk}) is bad: its hash does not match its content: "
        "the row was edited after it was recorded. 0 events before it are intact."
    )
    assert failure.value.returncode == 1


@postgresql_only
def test_database_refuses_update_of_an_event(events):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET kind = 'x' WHERE id = %s", [events[0].pk])

    assert AuditEvent.objects.get(pk=events[0].pk).kind == AuditKind.USER_SIGNED_IN


@postgresql_only
def test_database_refuses_delete_of_an_event(events):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])

    assert AuditEvent.objects.count() == 3
