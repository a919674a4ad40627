"""`manage.py bench_search`: its data set, query mix and figures (never timings asserted)."""

import json

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from search import benchmark
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
        stdout=open(tmp_path / "out.txt", "w"),  # noqa: SIM115 - closed with the test's files
        stderr=open(tmp_path / "err.txt", "w"),  # noqa: SIM115
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
    printed = (tmp_path / "out.txt").read_text()
    assert "p95 of each engine ÷ p95 of this service" in printed


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
