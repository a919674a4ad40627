from django.contrib.auth.models import Group, Permission
from django.db import connection

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record, seal_chain


def sealed(events):
    """Seal the chain, as happens after each commit, and read events back with their
    sequence numbers and hashes."""
    seal_chain()
    for event in events:
        event.refresh_from_db()
    return events


@pytest.fixture
def admin_access_group(db):
    group = Group.objects.create(name="Audit test admin access")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@pytest.fixture
def admin_login(client, admin_access_group):
    """Sign a user in to the Wagtail admin, as if they had entered a TOTP code."""

    def login(user):
        user.groups.add(admin_access_group)
        device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login


@pytest.fixture
def tamper(db):
    """Run raw SQL on the audit table as an attacker with database access could.

    On PostgreSQL the append-only trigger is switched off around the statement (a test's
    transaction keeps the switch local to it).
    """

    def run(sql, params=()):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Replica mode skips ordinary triggers, the append-only one included.
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")

    return run


@pytest.fixture
def checkpoint_storage(settings, tmp_path):
    """Audit checkpoints go to a write-once directory of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "audit_checkpoints": {
            "BACKEND": "marketplace.audit.storage.WriteOnceFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "audit-checkpoints"},
        },
    }
    return tmp_path / "audit-checkpoints"


@pytest.fixture
def record_events(framework_manager, authority):
    """Append n events to the audit log, as a signed-in framework manager would, and seal
    them into the chain."""

    def append(n):
        return sealed(
            [
                record(
                    actor=framework_manager,
                    organisation=authority,
                    kind=AuditKind.ORGANISATION_UPDATED,
                    data={"n": n},
                )
                for n in range(n)
            ]
        )

    return append
