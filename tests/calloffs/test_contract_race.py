"""One contract per award, however many requests enter into it at once (PostgreSQL: SQLite
has no row locks and serialises writers anyway)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from django.db import connection, connections
from django.utils import timezone

import pytest

from marketplace.calloffs.models import Contract
from marketplace.calloffs.services import contracts as services
from tests import factories

ATTEMPTS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks (select_for_update) need PostgreSQL; SQLite ignores them",
    ),
]


def test_simultaneous_entries_make_one_contract(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    start = Barrier(ATTEMPTS)

    def attempt(_):
        start.wait()
        try:
            services.enter_into_contract(
                actor=procurement_officer,
                project=award.project,
                entered_into_on=timezone.localdate(),
            )
            return "entered"
        except services.ContractError as refusal:
            return str(refusal)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        outcomes = list(pool.map(attempt, range(ATTEMPTS)))

    assert outcomes.count("entered") == 1
    assert set(outcomes) - {"entered"} == {"This project has no award to enter into a contract for"}
    assert Contract.objects.filter(award=award).count() == 1
