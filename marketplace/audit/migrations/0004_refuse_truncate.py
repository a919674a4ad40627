"""On PostgreSQL, refuse TRUNCATE of the audit tables, and any change to audit checkpoints.

* A BEFORE TRUNCATE ... FOR EACH STATEMENT trigger on audit_auditevent and
  audit_auditcheckpoint raises, unless the session's custom setting
  `marketplace.allow_audit_truncate` is 'on'. Only the test settings set it, in the
  connection's startup options (`-c marketplace.allow_audit_truncate=on`,
  marketplace/settings/test.py), so the test runner's flush and `manage.py flush` under test
  settings still empty every table; no other settings set it, so they are refused.
* audit_auditcheckpoint gets the same row trigger as the events (audit.0002): UPDATE and
  DELETE are refused.

A session can set the custom setting itself (`SET marketplace.allow_audit_truncate = on`):
this guards against mistakes and against a writer that can only send ordinary statements,
not against the table owner. docs/audit.md says which roles should own and write the tables.
"""

from django.db import migrations

TRUNCATE_FUNCTION = "audit_refuse_truncate"
CHANGE_FUNCTION = "audit_auditevent_refuse_change"  # from audit.0002; its message names the table
TABLES = ("audit_auditevent", "audit_auditcheckpoint")

INSTALL = f"""
CREATE OR REPLACE FUNCTION {TRUNCATE_FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF current_setting('marketplace.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {TRUNCATE_FUNCTION}();
"""
    for table in TABLES
) + f"""
CREATE TRIGGER audit_auditcheckpoint_append_only
    BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION {CHANGE_FUNCTION}();
"""

REMOVE = (
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_append_only ON audit_auditcheckpoint;\n"
    + "".join(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};\n" for table in TABLES)
    + f"DROP FUNCTION IF EXISTS {TRUNCATE_FUNCTION}();\n"
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditcheckpoint")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
