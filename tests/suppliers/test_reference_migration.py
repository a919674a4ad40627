"""The migration that gives offerings made before references existed a reference each."""

import re

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

from suppliers.models import Offering
from tests.factories import offering

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("suppliers", "0002_offering_reference")]


def migrate(targets=None):
    """To the given migrations, or back to the latest of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def test_existing_offerings_are_given_distinct_references(supplier, lot):
    made = [offering(supplier=supplier, lot=lot, title=f"Offering {n}") for n in range(3)]
    migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE suppliers_offering SET reference = NULL")

    migrate()

    references = dict(Offering.objects.values_list("pk", "reference"))
    assert set(references) == {each.pk for each in made}
    assert len(set(references.values())) == 3
    assert all(re.fullmatch(r"OF-[0-9A-HJKMNP-TV-Z]{6}", ref) for ref in references.values())
