import threading
from datetime import timedelta

from django.db import connection, connections, transaction

import pytest

from marketplace.audit import services
from marketplace.audit.chain import verify_chain
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record, seal_chain
from tests import factories

THREADS = 6
EVENTS_PER_THREAD = 5


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one connection write at a time, so concurrent appends cannot race",
)


@postgresql_only
@pytest.mark.parametrize("seal_every_commit", [False, True])
@pytest.mark.django_db(transaction=True)
def test_concurrent_records_form_one_gapless_chain(seal_every_commit, settings, monkeypatch):
    # With seal_every_commit, every writer tries to seal after each of its commits, so
    # sealers race each other as well as the writers: the advisory lock lets one at a time.
    # Without it, the writers leave all sealing to the end.
    if seal_every_commit:
        settings.AUDIT_SEAL_EVERY = timedelta(0)
        monkeypatch.setattr(services, "_next_seal", 0.0)
    organisation = factories.OrganisationFactory(kind="authority")
    user = factories.MembershipFactory(organisation=organisation, role="reviewer").user
    start = threading.Barrier(THREADS)
    errors = []

    def append_events():
        try:
            start.wait()
            for n in range(EVENTS_PER_THREAD):
                with transaction.atomic():
                    record(
                        actor=user,
                        organisation=organisation,
                        kind=AuditKind.ORGANISATION_UPDATED,
                        data={"thread": threading.get_ident(), "n": n},
                    )
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append_events) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seal_chain()  # what the writers' own sealing left, as the seal_audit_chain command would
    total = THREADS * EVENTS_PER_THREAD
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert AuditEvent.objects.values("previous_hash").distinct().count() == total
    assert verify_chain() is None
