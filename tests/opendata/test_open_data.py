import csv
import io
import json

from django.core.management import call_command
from django.urls import reverse

import pytest

from frameworks import ocds
from marketplace.audit.services import take_checkpoint
from marketplace.opendata import views


def _links(framework):
    return (
        reverse("frameworks:ocds", kwargs={"slug": framework.slug}),
        reverse("frameworks:ocds-record", kwargs={"slug": framework.slug}),
    )


def test_the_page_links_each_published_frameworks_ocds_packages(client, published):
    response = client.get("/open-data/")

    assert response.status_code == 200
    body = response.content.decode()
    for framework in published:
        release, record = _links(framework)
        assert f'href="{release}"' in body
        assert f'href="{record}"' in body
    assert "Draft only" not in body
    assert 'href="/open-data/audit-checkpoints.json"' in body
    assert 'href="/open-data/audit-checkpoints.csv"' in body


def test_the_page_says_when_nothing_is_published(client, db):
    response = client.get("/open-data/")

    assert "No framework is published yet." in response.content.decode()


def test_the_page_is_paginated(client, published, monkeypatch):
    monkeypatch.setattr(views, "FRAMEWORKS_PER_PAGE", 2)

    first = client.get("/open-data/").content.decode()
    second = client.get("/open-data/?page=2").content.decode()

    assert [title in first for title in ("Alpha", "Bravo", "Charlie")] == [True, True, False]
    assert [title in second for title in ("Alpha", "Bravo", "Charlie")] == [False, False, True]
    assert 'href="?page=2"' in first


def test_the_page_queries_do_not_grow_with_frameworks(
    client, published, django_assert_max_num_queries
):
    # Session and navigation, the page's count and its one query for the frameworks.
    with django_assert_max_num_queries(8):
        client.get("/open-data/")


def test_the_footer_links_to_open_data(client, db):
    response = client.get(reverse("cms:privacy"))

    assert 'href="/open-data/">Open data</a>' in response.content.decode()


@pytest.fixture
def checkpoints(record_events, checkpoint_storage):
    taken = []
    for _ in range(3):
        record_events(2)
        taken.append(take_checkpoint())
    return taken[::-1]


def test_the_feed_lists_every_checkpoint_newest_first(client, checkpoints):
    response = client.get("/open-data/audit-checkpoints.json")

    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "checkpoints": [
            {
                "sequence": checkpoint.sequence,
                "hash": checkpoint.hash,
                "event_count": checkpoint.event_count,
                "taken_at": checkpoint.taken_at.isoformat(),
            }
            for checkpoint in checkpoints
        ]
    }
    assert [row["sequence"] for row in json.loads(response.content)["checkpoints"]] == [6, 4, 2]


def test_the_csv_feed_has_the_same_rows(client, checkpoints):
    response = client.get("/open-data/audit-checkpoints.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["sequence", "hash", "event_count", "taken_at"],
        *[
            [str(c.sequence), c.hash, str(c.event_count), c.taken_at.isoformat()]
            for c in checkpoints
        ],
    ]


@pytest.mark.parametrize(
    "url", ["/open-data/audit-checkpoints.json", "/open-data/audit-checkpoints.csv"]
)
def test_the_feeds_are_open_to_any_origin_and_briefly_cacheable(client, checkpoints, url):
    response = client.get(url)

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"


def test_the_feed_is_one_query_however_many_checkpoints(
    client, checkpoints, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        client.get("/open-data/audit-checkpoints.json")


def test_export_checkpoints_first_and_writes_every_package(
    published, record_events, checkpoint_storage, tmp_path, capsys
):
    head = record_events(2)[-1].sequence

    call_command("export_open_data", "--output", str(tmp_path / "export"))

    export = tmp_path / "export"
    names = sorted(path.name for path in export.iterdir())
    ocids = sorted(ocds.ocid(framework) for framework in published)
    assert names == sorted(
        [
            *(f"{o}.json" for o in ocids),
            *(f"{o}-record.json" for o in ocids),
            "audit-checkpoints.csv",
            "audit-checkpoints.json",
            "calloffs.json",
        ]
    )
    release = json.loads((export / f"{ocids[0]}.json").read_text())
    assert release["releases"][0]["ocid"] == ocids[0]
    feed = json.loads((export / "audit-checkpoints.json").read_text())
    assert [row["sequence"] for row in feed["checkpoints"]] == [head]
    assert capsys.readouterr().out == (
        f"Wrote 3 frameworks' OCDS packages and 1 audit checkpoints to {export} "
        f"(checkpoint #{head} taken).\n"
    )
