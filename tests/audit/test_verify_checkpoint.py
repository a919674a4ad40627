from django.core.management import CommandError, call_command

import pytest

from marketplace.audit.services import take_checkpoint


def _taken_at(checkpoint) -> str:
    return checkpoint.taken_at.isoformat()


def test_a_deleted_tail_is_detected_with_the_number_missing(
    record_events, checkpoint_storage, tamper
):
    record_events(5)
    checkpoint = take_checkpoint()
    tamper("DELETE FROM audit_auditevent WHERE sequence > 2")

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")

    assert str(error.value) == (
        f"3 events are missing since checkpoint #5 taken at {_taken_at(checkpoint)}. "
        "The chain itself is intact up to its last event (#2)."
    )


def test_a_whole_log_removed_is_detected(record_events, checkpoint_storage, tamper):
    record_events(1)
    checkpoint = take_checkpoint()
    tamper("DELETE FROM audit_auditevent")

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")

    assert str(error.value).startswith(
        f"1 event is missing since checkpoint #1 taken at {_taken_at(checkpoint)}."
    )


def test_the_checkpoint_file_still_counts_when_the_table_loses_its_checkpoints(
    record_events, checkpoint_storage, tamper
):
    record_events(4)
    checkpoint = take_checkpoint()
    tamper("DELETE FROM audit_auditcheckpoint")
    tamper("DELETE FROM audit_auditevent WHERE sequence > 3")

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")

    assert str(error.value).startswith(
        f"1 event is missing since checkpoint #4 taken at {_taken_at(checkpoint)}."
    )


def test_a_tail_replaced_by_new_events_is_detected(record_events, checkpoint_storage, tamper):
    record_events(4)
    checkpoint = take_checkpoint()
    tamper("DELETE FROM audit_auditevent WHERE sequence > 2")
    replaced = record_events(3)

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")

    assert str(error.value) == (
        f"Audit event #4 does not match checkpoint #4 taken at {_taken_at(checkpoint)}: its "
        f"hash is {replaced[1].hash}, the checkpoint's is {checkpoint.hash}. The log was "
        "rewritten at or before #4. The chain itself is intact up to its last event (#5)."
    )


def test_an_intact_chain_passes_and_names_its_checkpoint(record_events, checkpoint_storage, capsys):
    events = record_events(3)
    checkpoint = take_checkpoint()
    latest = record_events(1)[0]

    call_command("verify_audit_chain")

    assert capsys.readouterr().out.splitlines() == [
        "Audit chain intact: 4 events",
        f"Latest event: #4, hash {latest.hash}",
        f"Matches checkpoint #3 taken at {_taken_at(checkpoint)}, hash {events[-1].hash}",
    ]


def test_a_log_without_checkpoints_says_so(record_events, checkpoint_storage, capsys):
    record_events(1)

    call_command("verify_audit_chain")

    assert capsys.readouterr().out.splitlines()[-1] == (
        "No checkpoint yet: run checkpoint_audit_chain (docs/audit.md)."
    )
