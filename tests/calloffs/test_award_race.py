"""One award per project, however many requests make one at once (PostgreSQL: SQLite has no
row locks and serialises writers anyway)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from django.db import connection, connections

import pytest

from marketplace.calloffs.models import Award
from marketplace.calloffs.services import awards as services

from .award_setup import make_award, project_to_award

ATTEMPTS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks (select_for_update) need PostgreSQL; SQLite ignores them",
    ),
]


def test_twenty_simultaneous_awards_make_one(buyer, procurement_officer):
    project = project_to_award(buyer=buyer, officer=procurement_officer)
    start = Barrier(ATTEMPTS)

    def attempt(_):
        start.wait()
        try:
            make_award(actor=procurement_officer, project=project)
            return "awarded"
        except services.AwardError as refusal:
            return str(refusal)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        outcomes = list(pool.map(attempt, range(ATTEMPTS)))

    assert outcomes.count("awarded") == 1
    assert sorted(set(outcomes) - {"awarded"}) == ["This project is awarded: it cannot be awarded"]
    assert Award.objects.filter(project=project).count() == 1
