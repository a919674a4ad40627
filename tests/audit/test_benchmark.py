from django.core.management import CommandError, call_command
from django.db import connection

import pytest

from marketplace.audit.chain import verify_chain
from marketplace.audit.models import AuditEvent

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the benchmark measures concurrent writers, which SQLite does not allow",
)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="checks the refusal on SQLite")
def test_the_benchmark_refuses_sqlite(db):
    with pytest.raises(CommandError, match="runs on PostgreSQL only: this database is sqlite"):
        call_command("benchmark_audit_writes", writers=2, events=4)
    assert AuditEvent.objects.count() == 0


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_tiny_benchmark_writes_one_chain_and_reports_it(capsys):
    call_command("benchmark_audit_writes", writers=2, events=6)

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("6 events from 2 writers in ")
    assert out[1].startswith("Latency per write (ms): p50 ")
    assert out[2].startswith("Sealed the last ")  # the writers sealed the rest as they went
    assert out[3] == "Audit chain intact: 6 events"
    assert AuditEvent.objects.count() == 6
    assert verify_chain() is None


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_benchmark_refuses_a_database_with_a_real_audit_log(record_events):
    record_events(1)

    with pytest.raises(CommandError, match=r"holds a real audit log \(1 events\)"):
        call_command("benchmark_audit_writes", writers=2, events=4)
    assert AuditEvent.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_plain_insert_baseline_writes_no_audit_events_and_drops_its_table(capsys):
    call_command("benchmark_audit_writes", writers=2, events=4, plain=True)

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("4 plain inserts (no audit code) from 2 writers in ")
    assert len(out) == 2  # no sealing, no chain
    assert AuditEvent.objects.count() == 0
    assert "audit_benchmark_plain" not in connection.introspection.table_names()
