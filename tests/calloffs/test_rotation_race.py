"""Answers and offers that race (PostgreSQL: SQLite has no row locks and serialises writers
anyway): one offer gets one answer, and a project one open offer."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from django.db import connection, connections

import pytest

from marketplace.calloffs.models import RotationOffer
from marketplace.calloffs.services import rotation
from tests import factories

from .rotation_setup import project_on, ranked_suppliers, rotation_lot

ATTEMPTS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks (select_for_update) need PostgreSQL; SQLite ignores them",
    ),
]


def race(action):
    start = Barrier(ATTEMPTS)

    def attempt(index):
        start.wait()
        try:
            return action(index)
        except rotation.RotationError as refusal:
            return str(refusal)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        return list(pool.map(attempt, range(ATTEMPTS)))


def test_simultaneous_answers_to_one_offer_give_one_answer(buyer, procurement_officer):
    lot = rotation_lot()
    (alpha,) = ranked_suppliers(lot, ["Alpha Ltd"])
    project = project_on(lot, buyer=buyer, officer=procurement_officer)
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    editor = factories.MembershipFactory(organisation=alpha, role="editor").user

    def answer(index):
        if index % 2:
            rotation.accept_offer(actor=editor, offer=offer)
            return "accepted"
        rotation.decline_offer(actor=editor, offer=offer, reason="Too busy")
        return "declined"

    outcomes = race(answer)

    offer.refresh_from_db()
    assert outcomes.count(offer.status) == 1
    assert sorted(set(outcomes) - {offer.status}) == [
        f"This offer has already been {offer.status}: it cannot be answered again"
    ]


def test_simultaneous_offers_on_one_project_make_one(buyer, procurement_officer):
    lot = rotation_lot()
    ranked_suppliers(lot, ["Alpha Ltd", "Bravo Ltd"])
    project = project_on(lot, buyer=buyer, officer=procurement_officer)

    outcomes = race(
        lambda _index: rotation.offer_next(actor=procurement_officer, project=project).supplier.name
    )

    assert outcomes.count("Alpha Ltd") == 1
    assert RotationOffer.objects.filter(project=project).count() == 1
