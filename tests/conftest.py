import os

from django.db import DEFAULT_DB_ALIAS, connections

import pytest

from cms.navigation import invalidate_navigation
from search.backends.database import snapshot
from tests import factories
from tests.helpers import sign_in_with_second_factor
from tests.reference_data import KeepReferenceData

# Playwright's sync API runs an event loop in the test thread; live_server's ORM use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Give every transactional test a serialized rollback, and run transactional tests last.

    A transactional test ends by emptying the database. Without a serialized rollback, that
    flush re-creates content types with new ids and drops what migrations loaded (the Wagtail
    site and root page), so the next transactional test finds neither. Even with one, the
    database stays empty until the next transactional test reloads it, so every other database
    test must run before them. pytest-django sorts them so, but pytest then regroups tests by
    parametrized session fixtures (Playwright's browser), which can undo that sort: this hook
    runs last and sorts again, keeping each group's order. Browser tests go last of all: run after
    them on PostgreSQL, the audit benchmark's writer threads found their connections already
    in a transaction.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
    items.sort(key=lambda item: (_runs_transactionally(item), bool(item.get_closest_marker("e2e"))))


def _runs_transactionally(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Leave the reference data out of serialized rollbacks (tests/reference_data.py), and let
    every connection object see the serialized database, not only the first one.

    Django keeps it on the connection that created the test database. Playwright's sync API
    runs tests in another context, where Django hands out a fresh connection object; without
    this, serialized rollbacks there silently reload nothing.
    """
    with django_db_blocker.unblock():
        KeepReferenceData.keep()
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is not None:
        type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _fresh_navigation_cache():
    """The service navigation is cached across requests and outlives each test's database, so
    forget it before and after every test: one test's menu links never show in another's."""
    invalidate_navigation()
    yield
    invalidate_navigation()


@pytest.fixture(autouse=True)
def _fresh_search_snapshot():
    """Each process keeps one search snapshot (search.backends.snapshot), which outlives each
    test's rows. A snapshot that took long to build (a loaded machine, the demo's documents)
    would make the next test's search wait for a background build and answer from the earlier
    test's rows meanwhile: start every test with none, so small tables are read exactly."""
    if snapshot is not None:
        snapshot.keeper.wait()
        snapshot.keeper.clear()
    yield


@pytest.fixture
def authority(db):
    return factories.OrganisationFactory(kind="authority")


@pytest.fixture
def buyer(db):
    return factories.OrganisationFactory(kind="buyer", council_code="GB-MAN")


@pytest.fixture
def supplier(db):
    return factories.OrganisationFactory(kind="supplier")


@pytest.fixture
def other_supplier(db):
    return factories.OrganisationFactory(kind="supplier")


def _member(organisation, role):
    return factories.MembershipFactory(organisation=organisation, role=role).user


@pytest.fixture
def framework_manager(authority):
    return _member(authority, "framework_manager")


@pytest.fixture
def reviewer(authority):
    return _member(authority, "reviewer")


@pytest.fixture
def procurement_officer(buyer):
    return _member(buyer, "procurement_officer")


@pytest.fixture
def approver(buyer):
    return _member(buyer, "approver")


@pytest.fixture
def supplier_admin(supplier):
    return _member(supplier, "supplier_admin")


@pytest.fixture
def supplier_editor(supplier):
    return _member(supplier, "editor")


@pytest.fixture
def supplier_finance(supplier):
    return _member(supplier, "finance")


@pytest.fixture
def verified_client(client):
    """A factory: `verified_client(user)` signs `user` in with a verified second factor.

    For authority members, staff and Wagtail admin users, whom RequireSecondFactorMiddleware
    would otherwise send to the two-factor page. See tests.helpers.sign_in_with_second_factor.
    """

    def sign_in(user):
        sign_in_with_second_factor(client, user)
        return client

    return sign_in
