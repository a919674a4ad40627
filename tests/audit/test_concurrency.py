import threading

from django.db import connection, connections, transaction

import pytest

from marketplace.audit.chain import verify_chain
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record
from tests import factories

THREADS = 6
EVENTS_PER_THREAD = 5


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one connection write at a time, so concurrent appends cannot race",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_records_form_one_unbroken_chain():
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
    total = THREADS * EVENTS_PER_THREAD
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert AuditEvent.objects.values("previous_hash").distinct().count() == total
    assert verify_chain() is None
