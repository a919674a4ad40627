"""Reference data that migrations load and no test changes: kept out of serialized rollbacks.

A transactional test ends with a flush, and a serialized rollback then saves every row that
migrations loaded back again, one object at a time: 9,454 CPV codes and 470 councils made that
reload most of each browser test's set-up. These tables are read-only for the tests, so they
need neither serializing nor emptying. Django flushes, and serializes for the rollback, only the
models a router lets migrate; this router says no for the reference tables, but only once the
test databases have been created (migrations must still create and fill them), and the conftest
serializes the databases again after saying so.

A test that changes one of these tables must put it back itself: no flush will.
"""

from django.db import connections

REFERENCE_MODELS = {
    ("frameworks", "cpvcode"),
    ("organisations", "localauthority"),
}


class KeepReferenceData:
    """Test settings' database router: after `keep()`, leaves the reference tables alone."""

    kept = False

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if self.kept and (app_label, model_name) in REFERENCE_MODELS:
            return False
        return None

    @classmethod
    def keep(cls) -> None:
        """Leaves the reference tables out of every later flush and serialized rollback, and
        serializes again each test database that was serialized with them."""
        cls.kept = True
        for connection in connections.all():
            if getattr(connection, "_test_serialized_contents", None) is not None:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
