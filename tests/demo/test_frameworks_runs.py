"""Demo frameworks built from an empty database: determinism and the seed_demo command.

These need a database without the demo frameworks, so they live apart from
test_demo_frameworks.py, whose tests share one build.
"""

import random
from io import StringIO

from django.core.management import call_command
from django.db import transaction

import pytest

from demo import catalogue
from demo import frameworks as frameworks_demo
from frameworks.models import FrameworkPage
from marketplace.organisations.models import Organisation, Region
from tests.demo.test_frameworks import build, build_region, snapshot


class Rollback(Exception):
    pass


def build_and_forget(seed: int) -> list[tuple]:
    try:
        with transaction.atomic():
            build(build_region(seed), seed=seed)
            result = snapshot()
            raise Rollback
    except Rollback:
        return result


@pytest.mark.django_db
def test_same_seed_builds_the_same_frameworks_lots_and_appointments():
    first = build_and_forget(2026)
    assert FrameworkPage.objects.count() == 0
    assert len(first) == 9
    assert build_and_forget(2026) == first


def suppliers(count: int) -> list[Organisation]:
    regions = [Region.NORTH_WEST, Region.LONDON]
    return [
        Organisation(pk=n, legal_name=f"Supplier {n} Ltd", region=regions[n % 2], kind="supplier")
        for n in range(1, count + 1)
    ]


def test_another_seed_picks_other_suppliers_for_a_lot():
    candidates = suppliers(40)

    def pick(seed: str):
        return frameworks_demo._pick_suppliers(
            random.Random(seed), catalogue.ICT, Region.NORTH_WEST, candidates
        )

    assert pick("2026") == pick("2026")
    assert pick("2026") != pick("7")


def test_suppliers_in_the_region_are_likelier_to_be_picked():
    candidates = suppliers(200)
    picked = [
        supplier.region
        for n in range(20)
        for supplier in frameworks_demo._pick_suppliers(
            random.Random(n), catalogue.ICT, Region.NORTH_WEST, candidates
        )
    ]
    assert picked.count(Region.NORTH_WEST) > 2 * picked.count(Region.LONDON)


def test_a_lot_gets_every_candidate_when_there_are_fewer_than_five():
    candidates = suppliers(3)
    picked = frameworks_demo._pick_suppliers(
        random.Random(1), catalogue.ICT, Region.NORTH_WEST, candidates
    )
    assert sorted(supplier.pk for supplier in picked) == [1, 2, 3]


@pytest.mark.django_db
def test_seed_demo_builds_the_frameworks_once():
    first, second = StringIO(), StringIO()
    call_command("seed_demo", "--buyers", "4", "--suppliers", "6", stdout=first)
    call_command("seed_demo", "--buyers", "4", "--suppliers", "6", stdout=second)
    assert "Frameworks: 9 created, 0 already present" in first.getvalue()
    assert "Frameworks: 0 created, 9 already present" in second.getvalue()
    assert "Appointments: 0 created (0 suspended, 0 excluded)" in second.getvalue()
    assert FrameworkPage.objects.live().count() == 9
