"""Audit events are recorded unsealed and sealed into the chain later (services.seal_chain).

sequence, previous_hash and hash may be NULL until the event is sealed, and a partial index
keeps the sealer's queue (the unsealed events) cheap to read.

On PostgreSQL the row trigger on audit_auditevent changes: it still refuses DELETE and every
UPDATE, except exactly the sealing update, which sets sequence, previous_hash and hash once,
from NULL to values, and changes nothing else. Every other column is compared, whole row
against whole row (as jsonb, less the three chain columns), so a column added later is
protected without touching the trigger. audit_auditcheckpoint keeps the refusing function of
audit.0002, unchanged.
"""

from django.db import migrations, models

FUNCTION = "audit_auditevent_refuse_change_but_sealing"
OLD_FUNCTION = "audit_auditevent_refuse_change"  # audit.0002; still guards the checkpoints
TRIGGER = "audit_auditevent_append_only"
CHAIN_COLUMNS = "'sequence' - 'previous_hash' - 'hash'"

INSTALL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.sequence IS NULL AND OLD.previous_hash IS NULL AND OLD.hash IS NULL
        AND NEW.sequence IS NOT NULL AND NEW.previous_hash IS NOT NULL AND NEW.hash IS NOT NULL
        AND to_jsonb(NEW) - {CHAIN_COLUMNS} = to_jsonb(OLD) - {CHAIN_COLUMNS}
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {TRIGGER} ON audit_auditevent;
CREATE TRIGGER {TRIGGER}
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

REMOVE = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON audit_auditevent;
CREATE TRIGGER {TRIGGER}
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION {OLD_FUNCTION}();
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps, schema_editor):
    if apps.get_model("audit", "AuditEvent").objects.filter(sequence__isnull=True).exists():
        raise RuntimeError(
            "Some audit events are not sealed yet, and before this migration every event had "
            "a sequence number: run `manage.py seal_audit_chain` first, then migrate back."
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_refuse_truncate'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditevent',
            options={'default_permissions': (), 'ordering': [models.OrderBy(models.F('sequence'), nulls_last=True), 'pk'], 'verbose_name': 'audit event', 'verbose_name_plural': 'audit events'},
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(editable=False, help_text="SHA-256 of the previous hash and this event's canonical content. Empty until sealed.", max_length=64, null=True, unique=True, verbose_name='hash'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(editable=False, help_text='The hash of the event before this one (64 zeros for the first). Empty until sealed.', max_length=64, null=True, verbose_name='previous hash'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='sequence',
            field=models.PositiveBigIntegerField(editable=False, help_text='Position in the audit chain: 1 for the first event, then one more each time. Empty until the event is sealed into the chain, shortly after it is recorded.', null=True, unique=True, verbose_name='sequence'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('sequence__isnull', True)), fields=['id'], name='audit_event_unsealed'),
        ),
        migrations.RunPython(install, remove, elidable=False),
    ]
