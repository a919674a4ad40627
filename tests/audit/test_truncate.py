import copy

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections

import pytest

from marketplace.audit.models import AuditEvent

TRUNCATE_OPTION = "-c marketplace.allow_audit_truncate=on"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the TRUNCATE trigger is installed on PostgreSQL only; SQLite has no TRUNCATE",
)


def _connection_without_the_test_option():
    """A second connection to the test database, as production settings would open it."""
    real = connections[DEFAULT_DB_ALIAS]  # `connection` is only a proxy to it
    settings_dict = copy.deepcopy(real.settings_dict)
    options = settings_dict["OPTIONS"].get("options", "").replace(TRUNCATE_OPTION, "").strip()
    if options:
        settings_dict["OPTIONS"]["options"] = options
    else:
        settings_dict["OPTIONS"].pop("options", None)
    return type(real)(settings_dict, alias=DEFAULT_DB_ALIAS)


@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditcheckpoint"])
@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_without_the_test_settings_option(table, record_events):
    record_events(2)
    other = _connection_without_the_test_option()
    try:
        with (
            pytest.raises(DatabaseError, match=f"append-only: TRUNCATE refused on {table}"),
            other.cursor() as cursor,
        ):
            cursor.execute(f"TRUNCATE {table}")
    finally:
        other.close()
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_test_settings_connection_may_flush(record_events):
    assert "allow_audit_truncate=on" in connection.settings_dict["OPTIONS"]["options"]
    record_events(2)

    # Exactly the runner's flush between transactional tests. Not `manage.py flush`: that also
    # restarts every sequence, and later tests that reload the migrated rows by id then collide.
    tables = connection.introspection.django_table_names(only_existing=True)
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, reset_sequences=False)
    )

    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_after_others_starts_from_an_empty_log(record_events):
    # The tests above left events behind; the runner's flush between tests emptied the log.
    assert AuditEvent.objects.count() == 0
    record_events(1)
