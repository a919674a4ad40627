"""While a big table's snapshot is rebuilt in the background, the previous one answers.

The "big table" path is forced by INLINE_BUILD_SECONDS = 0 (every built snapshot counts as slow
to build). The background build is held open by an event: its thread waits instead of reading
the rows (a thread has its own connection, which would not see the test's transaction), and the
test finishes the rebuild itself with `keeper.warm`.
"""

import threading
from datetime import timedelta

from django.db import connection

import pytest

from search.backends import snapshot
from search.backends.database import DatabaseBackend, backend
from search.models import SearchDocument

from .conftest import TODAY
from .test_backend_contract import query


@pytest.fixture
def keeper(monkeypatch):
    """A fresh keeper whose background build waits for `keeper.release` (set at teardown)."""
    keeper = snapshot.Keeper()
    keeper.release = threading.Event()
    monkeypatch.setattr(snapshot, "keeper", keeper)
    monkeypatch.setattr(snapshot, "INLINE_BUILD_SECONDS", 0)
    monkeypatch.setattr(keeper, "_build", lambda: keeper.release.wait(10))
    yield keeper
    keeper.release.set()
    keeper.wait()


@pytest.fixture
def no_sql_fallback(monkeypatch):
    def refuse(self, request):
        raise AssertionError("answered in SQL")

    monkeypatch.setattr(DatabaseBackend, "search_in_sql", refuse)


def finish_rebuild(keeper):
    keeper.release.set()
    keeper.wait()
    with connection.cursor() as cursor:
        keeper.warm(cursor)


@pytest.fixture
def cloud(documents, keeper):
    """Five offerings about cloud hosting, in the keeper's (current) snapshot."""
    ids = documents.add_many([documents.spec(f"Cloud hosting {n}") for n in range(5)])
    with connection.cursor() as cursor:
        keeper.warm(cursor)
    return ids


def test_a_search_during_the_rebuild_is_answered_from_the_stale_snapshot(
    documents, keeper, cloud, no_sql_fallback, django_assert_max_num_queries
):
    documents.add("Cloud hosting new")
    with django_assert_max_num_queries(2):  # the token, the page's check
        found = backend.search(query("cloud"))
    assert sorted(found.ids) == sorted(cloud)  # the new document lags
    assert found.total == 5
    assert keeper._building.is_alive()


def test_a_deleted_or_unlisted_document_never_appears_in_the_stale_answer(
    documents, keeper, cloud, no_sql_fallback
):
    gone, unlisted, *kept = cloud
    SearchDocument.objects.filter(pk=gone).delete()
    SearchDocument.objects.filter(pk=unlisted).update(listed_until=TODAY - timedelta(days=1))

    found = backend.search(query("cloud", facet_names=["unit"]))
    assert sorted(found.ids) == sorted(kept)
    assert found.total == 3
    assert not found.total_capped
    assert found.facets == {"unit": {"day": 5}}  # facet counts lag until the rebuild

    other_framework = documents.lots[2].framework_id
    in_framework = backend.search(query("cloud", framework_ids=[other_framework]))
    assert in_framework.ids == []

    page = backend.search(query("cloud", limit=2))
    assert len(page.ids) <= 2
    assert not {gone, unlisted} & set(page.ids)
    assert page.total >= len(page.ids)


def test_a_moved_document_is_dropped_from_its_old_framework(documents, keeper, cloud):
    moved = cloud[0]
    framework = documents.lots[0].framework_id
    SearchDocument.objects.filter(pk=moved).update(framework_id=documents.lots[2].framework_id)
    found = backend.search(query("cloud", framework_ids=[framework]))
    assert sorted(found.ids) == sorted(cloud[1:])


def test_after_the_rebuild_results_are_exact_again(documents, keeper, cloud):
    gone = cloud[0]
    SearchDocument.objects.filter(pk=gone).delete()
    added = documents.add("Cloud hosting new")
    assert backend.search(query("cloud")).total == 4  # stale: the new one lags

    finish_rebuild(keeper)
    found = backend.search(query("cloud", facet_names=["unit"]))
    assert sorted(found.ids) == sorted([*cloud[1:], added])
    assert found.total == 5
    assert found.facets == {"unit": {"day": 5}}
    assert found == backend.search_in_sql(query("cloud", facet_names=["unit"]))


def test_a_stale_snapshot_too_old_is_not_used(documents, keeper, cloud, monkeypatch):
    added = documents.add("Cloud hosting new")
    assert added not in backend.search(query("cloud")).ids  # stale, and so marked since now
    monkeypatch.setattr(snapshot, "STALE_SECONDS", 0)
    called = []
    search_in_sql = DatabaseBackend.search_in_sql

    def in_sql(self, request):
        called.append(request)
        return search_in_sql(self, request)

    monkeypatch.setattr(DatabaseBackend, "search_in_sql", in_sql)
    assert added in backend.search(query("cloud")).ids
    assert len(called) == 1


def test_a_stale_snapshot_is_not_used_when_no_rebuild_runs(documents, keeper, cloud, monkeypatch):
    monkeypatch.setattr(keeper, "_build_in_background", lambda: False)
    added = documents.add("Cloud hosting new")
    assert added in backend.search(query("cloud")).ids


def test_a_small_table_is_rebuilt_at_once_and_never_stale(documents, monkeypatch):
    keeper = snapshot.Keeper()
    monkeypatch.setattr(snapshot, "keeper", keeper)
    monkeypatch.setattr(keeper, "_build_in_background", lambda: pytest.fail("built in background"))
    first = documents.add("Cloud")
    assert backend.search(query("cloud")).ids == [first]
    second = documents.add("Cloud")
    assert sorted(backend.search(query("cloud")).ids) == sorted([first, second])
