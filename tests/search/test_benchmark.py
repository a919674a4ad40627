"""`manage.py bench_search`: its data set, query mix and figures (never timings asserted)."""

import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import pytest

from search import benchmark
from search.management.commands.bench_search import Command
from search.models import SearchDocument
from tests import factories

QUERY_CLASSES = [
    "rare",
    "1%",
    "10%",
    "30%",
    "65%",
    "two words",
    "three words",
    "phrase",
    "zero hits",
]


@pytest.fixture
def listed_offering(db, django_capture_on_commit_callbacks):
    """One live offering, approved through the services, so it has a search document."""
    lot = factories.supplier_lot()
    supplier = factories.OrganisationFactory(kind="supplier")
    admin = factories.MembershipFactory(organisation=supplier, role="supplier_admin").user
    with django_capture_on_commit_callbacks(execute=True):
        return factories.offering(supplier=supplier, lot=lot, actor=admin, status="live")


def test_bench_search_tops_the_data_set_up_and_writes_every_figure(listed_offering, tmp_path):
    path = tmp_path / "bench.json"
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "bench_search",
        "--offerings",
        "40",
        "--engines",
        "service,icontains,floor",
        "--repetitions",
        "5",
        "--json",
        str(path),
        stdout=out,
        stderr=err,
    )

    figures = json.loads(path.read_text())
    assert figures["offerings"] == 40
    assert SearchDocument.objects.count() == 40
    results = figures["results"]
    assert [(r["query_class"], r["filters"], r["engine"]) for r in results] == [
        (query_class, filters, engine)
        for query_class in QUERY_CLASSES
        for filters in (False, True)
        for engine in ("service", "icontains", "floor")
    ]
    for result in results:
        assert set(result) >= {"p50_ms", "p95_ms", "p99_ms", "sql_queries"}
        assert 0 <= result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    service_queries = {r["sql_queries"] for r in results if r["engine"] == "service"}
    assert max(service_queries) <= 12
    assert "p95 of each engine ÷ p95 of this service" in out.getvalue()
    assert "Warmed in" in err.getvalue()


def test_bench_search_refuses_fewer_than_five_runs_and_unknown_engines(db):
    with pytest.raises(CommandError, match="at least 5 times"):
        call_command("bench_search", "--repetitions", "4")
    with pytest.raises(CommandError, match="Unknown engines: lucene"):
        call_command("bench_search", "--engines", "service,lucene")


def test_combined_queries_report_the_share_of_documents_they_match(documents):
    documents.add_many(
        [
            documents.spec("Cloud hosting", "Managed"),
            documents.spec("Hosting", "In the cloud"),
            documents.spec("Cloud backup"),
            documents.spec("Desk support"),
        ]
    )

    shares = benchmark._measured_shares(["cloud hosting", '"cloud hosting"', "desk"], 4)

    assert shares == {"cloud hosting": 0.5, '"cloud hosting"': 0.25, "desk": 0.25}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the time limit is PostgreSQL's statement_timeout"
)
def test_an_engine_past_the_time_limit_is_stopped_and_reported_as_a_lower_bound(db, monkeypatch):
    def slow_engine(text, filters):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")

    monkeypatch.setitem(benchmark.ENGINE_FUNCTIONS, "wagtail", slow_engine)

    measured = benchmark.measure(
        "wagtail", benchmark.BenchQuery("rare", "word", 0.0), None, repetitions=5, limit_seconds=0.2
    )

    assert measured.as_json() == {
        "query_class": "rare",
        "filters": False,
        "engine": "wagtail",
        "p50_ms": None,
        "p95_ms": None,
        "p99_ms": None,
        "sql_queries": 1,
        "repetitions": 0,
        "stopped_after_ms": 200.0,
    }


def test_a_stopped_engine_is_printed_as_at_least_its_limit():
    def measured(engine, p95_ms, stopped_after_ms=None):
        return benchmark.Measurement(
            query_class="30%",
            filters=False,
            engine=engine,
            p50_ms=p95_ms,
            p95_ms=p95_ms,
            p99_ms=p95_ms,
            sql_queries=5,
            repetitions=5,
            stopped_after_ms=stopped_after_ms,
        )

    out = io.StringIO()
    command = Command(stdout=out)
    results = [measured("service", 12.5), measured("wagtail", None, 60_000.0)]
    for result in results:
        command._print(result)
    command._print_ratios(results, ["service", "wagtail"])

    lines = out.getvalue().splitlines()
    assert lines[1] == (
        "30%          words    wagtail    stopped: a statement ran past 60 s, "
        "so a page takes at least that long"
    )
    assert lines[-1] == "30%          words    wagtail    ≥ 4,800.0×"
