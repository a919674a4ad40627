"""The Elasticsearch backend, without a server.

What it sends is checked as data: the mapping, the query bodies, the bulk actions and the
calls that swap the alias (through a real client whose transport records each request and
answers it from a small in-memory model of indices and aliases). The query bodies are also run
by a small interpreter of the query DSL they use, over the indexed form of the `documents`
fixture, and must give exactly the reference backend's hits, order, totals and facet counts.
The same backend runs against a real cluster in the contract tests when ELASTICSEARCH_URL is set.
"""

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.test import override_settings

import pytest
from elastic_transport import (
    ApiResponseMeta,
    HeadApiResponse,
    HttpHeaders,
    NodeConfig,
    ObjectApiResponse,
)
from elasticsearch import Elasticsearch, NotFoundError

from search import types
from search.backends import elasticsearch as es
from search.backends import get_backend
from search.backends.reference import backend as reference
from search.models import SearchDocument
from search.query import parse
from search.ranking import TIEBREAK_MODULUS, Tiebreak, tiebreak_for
from search.types import BackendQuery, BackendResult, Filters, Range, Sort
from tests.search.conftest import TODAY

TIEBREAK = tiebreak_for(TODAY)


def request(text="", *, facets=None, ranges=(), facet_names=(), **fields) -> BackendQuery:
    return BackendQuery(
        query=parse(text),
        filters=Filters(
            facets={name: frozenset(values) for name, values in (facets or {}).items()},
            ranges=tuple(ranges),
            published_after=fields.pop("published_after", None),
        ),
        today=fields.pop("today", TODAY),
        tiebreak=fields.pop("tiebreak", TIEBREAK),
        facet_names=tuple(facet_names),
        **fields,
    )


def phrase_in(field, text):
    return {"match_phrase": {field: text}}


def clause(*texts):
    """The dis_max a clause of these analysed phrases becomes."""

    def any_of(field):
        if len(texts) == 1:
            return phrase_in(field, texts[0])
        return {"bool": {"should": [phrase_in(field, text) for text in texts]}}

    return {
        "dis_max": {
            "tie_breaker": 0,
            "queries": [
                {"constant_score": {"filter": any_of(field), "boost": weight}}
                for field, weight in (
                    ("title", 8),
                    ("summary", 4),
                    ("description", 2),
                    ("supplier", 1),
                )
            ],
        }
    }


LISTED_TODAY = [
    {"range": {"listed_from": {"lte": "2026-06-15"}}},
    {
        "bool": {
            "should": [
                {"range": {"listed_until": {"gte": "2026-06-15"}}},
                {"bool": {"must_not": [{"exists": {"field": "listed_until"}}]}},
            ],
            "minimum_should_match": 1,
        }
    },
]


# --- Mapping -----------------------------------------------------------------------------------


def test_index_has_one_shard_so_counts_and_scores_are_exact():
    settings = es.index_body()["settings"]
    assert settings == {
        "number_of_shards": 1,
        "auto_expand_replicas": "0-1",
        "max_result_window": 10_000,
    }


def test_text_fields_index_the_stored_stems_split_on_whitespace_only():
    properties = es.index_body()["mappings"]["properties"]
    for field in ("title", "summary", "description", "supplier"):
        assert properties[field] == {
            "type": "text",
            "analyzer": "whitespace",
            "index_options": "positions",
            "norms": False,
        }


def test_facets_are_keywords_and_lot_attributes_one_flattened_field():
    facets = es.index_body()["mappings"]["properties"]["facets"]
    assert facets == {
        "type": "object",
        "properties": {
            "framework": {"type": "keyword", "eager_global_ordinals": True},
            "lot": {"type": "keyword", "eager_global_ordinals": True},
            "authority": {"type": "keyword", "eager_global_ordinals": True},
            "cpv": {"type": "keyword", "eager_global_ordinals": True},
            "region": {"type": "keyword", "eager_global_ordinals": True},
            "sme": {"type": "keyword", "eager_global_ordinals": True},
            "vcse": {"type": "keyword", "eager_global_ordinals": True},
            "accreditation": {"type": "keyword", "eager_global_ordinals": True},
            "unit": {"type": "keyword", "eager_global_ordinals": True},
            "attr": {"type": "flattened", "eager_global_ordinals": True},
        },
    }


def test_mapping_is_strict_with_numbers_as_doubles_and_exact_prices_and_dates():
    mappings = es.index_body()["mappings"]
    assert mappings["dynamic"] == "strict"
    assert mappings["dynamic_templates"] == [
        {"numbers": {"path_match": "numbers.*", "mapping": {"type": "double"}}}
    ]
    properties = mappings["properties"]
    assert properties["numbers"] == {"type": "object", "dynamic": True}
    assert properties["id"] == {"type": "long"}
    assert properties["framework_id"] == {"type": "integer"}
    assert properties["comparable_unit"] == {"type": "keyword"}
    assert properties["comparable_price_pence"] == {"type": "long"}
    assert properties["listed_from"] == {"type": "date", "format": "strict_date"}
    assert properties["listed_until"] == {"type": "date", "format": "strict_date"}
    assert properties["first_published_at"] == {"type": "date_nanos"}


def test_facet_fields_by_name():
    assert es.facet_field(types.REGION) == "facets.region"
    assert es.facet_field("attr:hosted_in_uk") == "facets.attr.hosted_in_uk"
    with pytest.raises(ValueError, match="Unknown search facet"):
        es.facet_field("colour")


# --- Query bodies ------------------------------------------------------------------------------


def test_words_are_clauses_that_must_all_match_and_score_by_their_best_field():
    body = es.query_body(request("Cloud hosting"))
    assert body["query"] == {
        "bool": {"must": [clause("cloud"), clause("host")], "filter": LISTED_TODAY}
    }


def test_a_phrase_matches_its_stems_together_in_one_field():
    body = es.query_body(request('"web hosting services"'))
    assert body["query"]["bool"]["must"] == [clause("web host servic")]


def test_or_joins_phrases_into_one_clause():
    body = es.query_body(request('cloud or "web hosting" backup'))
    assert body["query"]["bool"]["must"] == [clause("cloud", "web host"), clause("backup")]


def test_excluded_phrases_must_not_match_in_any_field():
    body = es.query_body(request('cloud -legacy -"on premises"'))
    assert body["query"]["bool"]["must_not"] == [
        phrase_in(field, text)
        for text in ("legaci", "premis")
        for field in ("title", "summary", "description", "supplier")
    ]


def test_browsing_has_no_clauses_and_orders_by_the_tiebreak_alone():
    body = es.query_body(request(""))
    assert body["query"] == {"bool": {"filter": LISTED_TODAY}}
    assert body["sort"][0] == {"_score": {"order": "desc"}}
    assert body["sort"][1] == {
        "_script": {
            "type": "number",
            "order": "asc",
            "script": {
                "lang": "painless",
                "source": es.TIEBREAK_SCRIPT,
                "params": {
                    "multiplier": TIEBREAK.multiplier,
                    "increment": TIEBREAK.increment,
                    "modulus": TIEBREAK_MODULUS,
                },
            },
        }
    }
    assert body["_source"] is False
    assert (body["from"], body["size"], body["track_total_hits"]) == (0, 20, 1000)


def test_the_tiebreak_script_computes_the_key_in_long_arithmetic():
    # The largest values: id * multiplier + increment stays below 2**63, so a long holds it.
    assert (2**31 - 1) * (2**31 - 1) + 2**31 < 2**63
    assert "long id = doc['id'].value;" in es.TIEBREAK_SCRIPT
    assert "return (id * multiplier + increment) % modulus;" in es.TIEBREAK_SCRIPT


def test_price_sorts_order_by_pence_then_the_tiebreak():
    low = es.query_body(request("cloud", sort=Sort.PRICE_LOW))["sort"]
    high = es.query_body(request("cloud", sort=Sort.PRICE_HIGH))["sort"]
    assert low[0] == {"comparable_price_pence": {"order": "asc"}}
    assert high[0] == {"comparable_price_pence": {"order": "desc"}}
    assert low[1] == high[1] == es.tiebreak_sort(TIEBREAK)


def test_listing_dates_filter_by_the_day_asked_about():
    body = es.query_body(request("", today=date(2027, 1, 2)))
    assert body["query"]["bool"]["filter"][:2] == [
        {"range": {"listed_from": {"lte": "2027-01-02"}}},
        {
            "bool": {
                "should": [
                    {"range": {"listed_until": {"gte": "2027-01-02"}}},
                    {"bool": {"must_not": [{"exists": {"field": "listed_until"}}]}},
                ],
                "minimum_should_match": 1,
            }
        },
    ]


def test_framework_ids_restrict_frameworks_and_none_restricts_nothing():
    assert es.query_body(request(""))["query"]["bool"]["filter"] == LISTED_TODAY
    body = es.query_body(request("", framework_ids=frozenset({12, 3})))
    assert body["query"]["bool"]["filter"][2] == {"terms": {"framework_id": [3, 12]}}
    body = es.query_body(request("", framework_ids=frozenset()))
    assert body["query"]["bool"]["filter"][2] == {"terms": {"framework_id": []}}


def test_price_range_compares_whole_pence_rounded_inwards():
    body = es.query_body(
        request("", ranges=[Range(types.PRICE, Decimal("10.005"), Decimal("99.999"))])
    )
    assert body["query"]["bool"]["filter"][2] == {
        "range": {"comparable_price_pence": {"gte": 1001, "lte": 9999}}
    }


def test_number_ranges_are_inclusive_and_may_be_open():
    body = es.query_body(
        request(
            "",
            ranges=[
                Range("num:max_users", minimum=Decimal("100")),
                Range("num:uptime", maximum=Decimal("99.5")),
                Range("num:open"),
            ],
        )
    )
    assert body["query"]["bool"]["filter"][2:] == [
        {"range": {"numbers.max_users": {"gte": 100.0}}},
        {"range": {"numbers.uptime": {"lte": 99.5}}},
    ]


def test_published_after_is_strictly_after():
    moment = datetime(2026, 6, 1, 9, 30, 0, 123456, tzinfo=UTC)
    body = es.query_body(request("", published_after=moment))
    assert body["query"]["bool"]["filter"][2] == {
        "range": {"first_published_at": {"gt": "2026-06-01T09:30:00.123456+00:00"}}
    }


def test_facet_filters_post_filter_hits_and_each_count_excludes_its_own_filter():
    body = es.query_body(
        request(
            "cloud",
            facets={types.REGION: {"TLD", "TLC"}, "attr:hosted_in_uk": {"yes"}},
            facet_names=(types.REGION, "attr:hosted_in_uk", types.SME),
        )
    )
    region = {"terms": {"facets.region": ["TLC", "TLD"]}}
    hosted = {"terms": {"facets.attr.hosted_in_uk": ["yes"]}}
    assert body["post_filter"] == {"bool": {"filter": [hosted, region]}}
    assert body["aggs"] == {
        "facet_0": {
            "filter": {"bool": {"filter": [hosted]}},
            "aggs": {"values": {"terms": {"field": "facets.region", "size": 10_000}}},
        },
        "facet_1": {
            "filter": {"bool": {"filter": [region]}},
            "aggs": {"values": {"terms": {"field": "facets.attr.hosted_in_uk", "size": 10_000}}},
        },
        "facet_2": {
            "filter": {"bool": {"filter": [hosted, region]}},
            "aggs": {"values": {"terms": {"field": "facets.sme", "size": 10_000}}},
        },
    }
    # Facet filters never narrow the query the counts are taken from.
    assert body["query"]["bool"]["filter"] == LISTED_TODAY


def test_no_facet_filters_means_no_post_filter_and_counts_over_every_match():
    body = es.query_body(request("cloud", facet_names=(types.LOT,)))
    assert "post_filter" not in body
    assert body["aggs"]["facet_0"]["filter"] == {"match_all": {}}


def test_paging_and_the_count_cap():
    body = es.query_body(request("cloud", offset=40, limit=20, count_cap=500))
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, 500)
    # Past Elasticsearch's result window a page is empty, not an error.
    body = es.query_body(request("cloud", offset=20_000, limit=20))
    assert (body["from"], body["size"]) == (10_000, 0)


def test_unknown_range_is_an_error():
    with pytest.raises(ValueError, match="Unknown search range"):
        es.query_body(request("", ranges=[Range("colour", Decimal(1))]))


# --- Responses ---------------------------------------------------------------------------------


def test_response_becomes_ids_total_and_facet_counts():
    response = {
        "hits": {
            "total": {"value": 42, "relation": "eq"},
            "hits": [{"_id": "17", "_score": 9.0}, {"_id": "4", "_score": 8.0}],
        },
        "aggregations": {
            "facet_0": {
                "doc_count": 42,
                "values": {
                    "buckets": [{"key": "TLC", "doc_count": 30}, {"key": "TLD", "doc_count": 0}]
                },
            },
            "facet_1": {"doc_count": 0, "values": {"buckets": []}},
        },
    }
    result = es.parse_response(response, request("", facet_names=(types.REGION, "attr:x")))
    assert result == BackendResult(
        ids=[17, 4], total=42, total_capped=False, facets={"region": {"TLC": 30}, "attr:x": {}}
    )


def test_response_at_the_cap_is_capped():
    response = {"hits": {"total": {"value": 1000, "relation": "gte"}, "hits": []}}
    result = es.parse_response(response, request(""))
    assert (result.total, result.total_capped) == (1000, True)
    response = {"hits": {"total": {"value": 1000, "relation": "eq"}, "hits": []}}
    assert es.parse_response(response, request("")).total_capped is True


# --- Documents and bulk actions ----------------------------------------------------------------


def test_a_document_is_indexed_with_its_stems_facets_numbers_and_dates(documents):
    published = datetime(2026, 5, 1, 8, 0, 0, 5, tzinfo=UTC)
    offering_id = documents.add(
        "Cloud hosting",
        "Secure hosting",
        "Run in London",
        "Acme Ltd",
        facets={
            types.REGION: ["TLI", "TLC"],
            "attr:hosted_in_uk": ["yes"],
            "attr:standards": ["ISO 27001", "WCAG 2.2 AA"],
        },
        price="12.34",
        numbers={"max_users": 500, "uptime": 99.95, "broken": "n/a", "flag": True},
        listed_until=date(2027, 1, 31),
        first_published_at=published,
    )
    document = SearchDocument.objects.get(pk=offering_id)
    [action] = es.document_actions([offering_id], index="offerings-1")
    assert action == {
        "_op_type": "index",
        "_index": "offerings-1",
        "_id": str(offering_id),
        "_source": {
            "id": offering_id,
            "framework_id": document.framework_id,
            "lot_id": document.lot_id,
            "supplier_id": document.supplier_id,
            "title": "cloud host",
            "summary": "secur host",
            "description": "run london",
            "supplier": "acm ltd",
            "comparable_unit": "day",
            "comparable_price_pence": 1234,
            "numbers": {"max_users": 500.0, "uptime": 99.95},
            "listed_from": (TODAY - timedelta(days=30)).isoformat(),
            "listed_until": "2027-01-31",
            "first_published_at": "2026-05-01T08:00:00.000005+00:00",
            "facets": {
                "authority": [str(documents.lots[0].framework.authority_id)],
                "framework": [str(document.framework_id)],
                "lot": [str(document.lot_id)],
                "region": ["TLC", "TLI"],
                "unit": ["day"],
                "attr": {"hosted_in_uk": ["yes"], "standards": ["ISO 27001", "WCAG 2.2 AA"]},
            },
        },
    }


def test_documents_that_no_longer_exist_are_deleted_in_the_same_batch(documents):
    kept = documents.add("Cloud hosting")
    actions = list(es.document_actions([kept, 999_999, kept], index="offerings"))
    assert [(a["_op_type"], a["_id"]) for a in actions] == [
        ("index", str(kept)),
        ("delete", "999999"),
    ]
    assert "_source" not in actions[1]


def test_a_facet_the_index_does_not_know_is_an_error(documents):
    offering_id = documents.add("Cloud", facets={"colour": ["red"]})
    with pytest.raises(ValueError, match="Unknown search facet 'colour'"):
        list(es.document_actions([offering_id], index="offerings"))


# --- The client calls: indexing, rebuilding, swapping the alias --------------------------------


def _meta(status):
    return ApiResponseMeta(
        status=status,
        http_version="1.1",
        headers=HttpHeaders(),
        duration=0.0,
        node=NodeConfig("http", "127.0.0.1", 9200),
    )


class RecordingElasticsearch(Elasticsearch):
    """A real client whose transport records each request and answers it from a small model
    of a cluster: indices (with their documents), aliases, and a canned search response."""

    def __init__(self, *, indices=(), aliases=None, search_response=None):
        super().__init__("http://127.0.0.1:9200")
        self.requests: list[tuple[str, str, object]] = []
        self.stored: dict[str, dict[str, dict]] = {name: {} for name in indices}
        self.aliases: dict[str, set[str]] = {k: set(v) for k, v in (aliases or {}).items()}
        self.search_response = search_response
        self.fail_bulk = False
        self.bulk_params: list[dict] = []

    def options(self, **kwargs):
        return self

    def _resolve(self, name):
        return sorted(self.aliases.get(name, ())) or ([name] if name in self.stored else [])

    def perform_request(self, method, path, *, params=None, headers=None, body=None, **kwargs):
        if path == "/_bulk":
            body = [json.loads(line) for line in body]
            self.bulk_params.append(params)
        self.requests.append((method, path, body))
        parts = path.strip("/").split("/")
        if method == "HEAD":
            if parts[0] == "_alias":
                found = parts[1] in self.aliases
            else:
                found = parts[0] in self.stored or parts[0] in self.aliases
            return HeadApiResponse(meta=_meta(200 if found else 404))
        if method == "GET" and parts[0] == "_alias":
            return self._reply(
                {index: {"aliases": {parts[1]: {}}} for index in self._resolve(parts[1])}
            )
        if path == "/_bulk":
            return self._bulk(body)
        if method == "PUT" and len(parts) == 1:
            self.stored[parts[0]] = {}
        elif method == "DELETE":
            self.stored.pop(parts[0], None)
            for members in self.aliases.values():
                members.discard(parts[0])
        elif path == "/_aliases":
            for action in body["actions"]:
                [(kind, spec)] = action.items()
                if kind == "add":
                    self.aliases.setdefault(spec["alias"], set()).add(spec["index"])
                elif kind == "remove":
                    self.aliases[spec["alias"]].discard(spec["index"])
                elif kind == "remove_index":
                    del self.stored[spec["index"]]
        elif parts[-1] == "_search":
            if not self._resolve(parts[0]):
                raise NotFoundError("index_not_found_exception", _meta(404), {"status": 404})
            return self._reply(self.search_response)
        return self._reply({"acknowledged": True})

    def _reply(self, body):
        return ObjectApiResponse(body=body, meta=_meta(200))

    def _bulk(self, lines):
        if self.fail_bulk:
            raise ConnectionError("the cluster went away")
        items = []
        lines = iter(lines)
        for line in lines:
            [(kind, spec)] = line.items()
            [index] = self._resolve(spec["_index"])
            if kind == "index":
                self.stored[index][spec["_id"]] = next(lines)
                items.append({"index": {"_id": spec["_id"], "status": 201}})
            else:
                found = self.stored[index].pop(spec["_id"], None) is not None
                items.append({"delete": {"_id": spec["_id"], "status": 200 if found else 404}})
        return self._reply({"errors": False, "items": items})

    def calls(self):
        """The requests, without the bulk bodies."""
        return [(method, path) for method, path, _body in self.requests]


@pytest.fixture
def frozen_index_names(monkeypatch):
    names = iter(f"2026061500000{n}" for n in range(10))
    monkeypatch.setattr(
        es.ElasticsearchBackend,
        "_new_index_name",
        lambda self: f"{self.alias}-{next(names)}",
    )


def test_indexing_before_any_rebuild_creates_the_index_behind_the_alias(
    documents, frozen_index_names
):
    first = documents.add("Cloud hosting")
    client = RecordingElasticsearch()
    backend = es.ElasticsearchBackend(client=client, alias="offerings")
    backend.index_documents([first, 404], refresh=True)
    assert client.calls() == [
        ("HEAD", "/_alias/offerings"),
        ("PUT", "/offerings-20260615000000"),
        ("HEAD", "/_alias/offerings"),
        ("HEAD", "/offerings"),
        ("POST", "/_aliases"),
        ("PUT", "/_bulk"),
    ]
    _method, _path, created = client.requests[1]
    assert created == {
        "settings": es.index_body()["settings"],
        "mappings": es.index_body()["mappings"],
    }
    assert client.requests[4][2] == {
        "actions": [{"add": {"index": "offerings-20260615000000", "alias": "offerings"}}]
    }
    assert client.stored["offerings-20260615000000"].keys() == {str(first)}
    # Through the alias only, refreshed when asked (the default is not to wait).
    assert client.bulk_params == [{"refresh": True, "require_alias": True}]
    # The next call knows the index is there.
    client.requests.clear()
    backend.index_documents([first])
    assert client.calls() == [("PUT", "/_bulk")]


def test_rebuild_builds_a_new_index_and_swaps_the_alias_atomically(documents, frozen_index_names):
    ids = [documents.add("Cloud hosting"), documents.add("Grounds maintenance")]
    client = RecordingElasticsearch(
        indices=["offerings-old"], aliases={"offerings": ["offerings-old"]}
    )
    progress = []
    es.ElasticsearchBackend(client=client, alias="offerings").rebuild(
        progress=lambda done, total: progress.append((done, total))
    )
    new = "offerings-20260615000000"
    assert client.calls() == [
        ("PUT", f"/{new}"),
        ("PUT", "/_bulk"),
        ("PUT", f"/{new}/_settings"),
        ("POST", f"/{new}/_refresh"),
        ("HEAD", "/_alias/offerings"),
        ("GET", "/_alias/offerings"),
        ("POST", "/_aliases"),
        ("DELETE", "/offerings-old"),
        ("POST", "/offerings/_refresh"),
    ]
    assert client.requests[0][2]["settings"]["refresh_interval"] == "-1"
    assert client.requests[2][2] == {"index": {"refresh_interval": None}}
    assert client.requests[6][2] == {
        "actions": [
            {"remove": {"index": "offerings-old", "alias": "offerings"}},
            {"add": {"index": new, "alias": "offerings"}},
        ]
    }
    assert client.aliases == {"offerings": {new}}
    assert set(client.stored) == {new}
    assert set(client.stored[new]) == {str(i) for i in ids}
    assert progress == [(0, 2), (2, 2)]
    # Loading writes to the new index by name, before any alias points at it.
    assert client.bulk_params == [{"refresh": False, "require_alias": False}]


def test_rebuild_replaces_an_index_that_holds_the_aliass_name(documents, frozen_index_names):
    documents.add("Cloud hosting")
    client = RecordingElasticsearch(indices=["offerings"])
    es.ElasticsearchBackend(client=client, alias="offerings").rebuild()
    assert client.requests[6][2] == {
        "actions": [
            {"remove_index": {"index": "offerings"}},
            {"add": {"index": "offerings-20260615000000", "alias": "offerings"}},
        ]
    }
    assert client.aliases == {"offerings": {"offerings-20260615000000"}}


def test_rebuild_catches_up_with_documents_deleted_while_it_ran(documents, frozen_index_names):
    kept, dropped = documents.add("Cloud hosting"), documents.add("Grounds maintenance")
    client = RecordingElasticsearch()

    def progress(done, total):
        if done == total:  # loaded; the document goes before the alias is swapped
            SearchDocument.objects.filter(pk=dropped).delete()

    es.ElasticsearchBackend(client=client, alias="offerings").rebuild(progress=progress)
    catch_up = [body for method, path, body in client.requests if path == "/_bulk"][-1]
    assert {"delete": {"_index": "offerings", "_id": str(dropped)}} in catch_up
    assert set(client.stored["offerings-20260615000000"]) == {str(kept)}


def test_a_failed_rebuild_deletes_its_new_index_and_leaves_the_alias(documents, frozen_index_names):
    documents.add("Cloud hosting")
    client = RecordingElasticsearch(
        indices=["offerings-old"], aliases={"offerings": ["offerings-old"]}
    )
    client.fail_bulk = True
    with pytest.raises(ConnectionError):
        es.ElasticsearchBackend(client=client, alias="offerings").rebuild()
    assert client.calls()[-1] == ("DELETE", "/offerings-20260615000000")
    assert client.aliases == {"offerings": {"offerings-old"}}
    assert set(client.stored) == {"offerings-old"}


def test_search_sends_the_body_to_the_alias_and_parses_the_answer():
    response = {
        "hits": {"total": {"value": 1, "relation": "eq"}, "hits": [{"_id": "5"}]},
        "aggregations": {"facet_0": {"values": {"buckets": [{"key": "yes", "doc_count": 1}]}}},
    }
    client = RecordingElasticsearch(indices=["offerings-1"], aliases={"offerings": ["offerings-1"]})
    client.search_response = response
    query = request("cloud", facet_names=(types.SME,))
    result = es.ElasticsearchBackend(client=client, alias="offerings").search(query)
    assert client.requests == [("POST", "/offerings/_search", es.query_body(query))]
    assert result == BackendResult(ids=[5], total=1, total_capped=False, facets={"sme": {"yes": 1}})


def test_search_without_an_index_finds_nothing_rather_than_failing():
    client = RecordingElasticsearch()
    backend = es.ElasticsearchBackend(client=client, alias="offerings")
    result = backend.search(request("cloud", facet_names=(types.SME,)))
    assert result == BackendResult(ids=[], total=0, total_capped=False, facets={"sme": {}})


def test_the_alias_and_client_come_from_the_settings():
    with override_settings(
        SEARCH_BACKEND="search.backends.elasticsearch",
        ELASTICSEARCH_URL="http://search.internal:9200",
        ELASTICSEARCH_INDEX="offerings-test",
    ):
        backend = get_backend()
        assert backend is es.backend
        assert backend.alias == "offerings-test"
        [node] = backend.client.transport.node_pool.all()
        assert (node.config.host, node.config.port) == ("search.internal", 9200)
    with override_settings(ELASTICSEARCH_INDEX=""):
        assert es.ElasticsearchBackend().alias == "marketplace-offerings"


# --- The bodies, run: an interpreter of the query DSL they use ---------------------------------


def _values(source, path):
    value = source
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _compare(value, bound):
    if isinstance(bound, str) and "T" in bound:
        return datetime.fromisoformat(value), datetime.fromisoformat(bound)
    return value, bound


def _has_phrase(text, phrase):
    tokens, wanted = (text or "").split(), phrase.split()
    return any(tokens[i : i + len(wanted)] == wanted for i in range(len(tokens) - len(wanted) + 1))


def score(query, source):
    """The score of `source` under `query`, or None when it does not match."""
    [(kind, spec)] = query.items()
    if kind == "match_all":
        return 0.0
    if kind == "match_phrase":
        [(field, phrase)] = spec.items()
        return 1.0 if _has_phrase(source.get(field), phrase) else None
    if kind == "terms":
        [(field, wanted)] = spec.items()
        return 0.0 if set(_values(source, field)) & set(wanted) else None
    if kind == "exists":
        return 0.0 if _values(source, spec["field"]) else None
    if kind == "range":
        [(field, limits)] = spec.items()
        tests = {
            "gte": lambda v, b: v >= b,
            "lte": lambda v, b: v <= b,
            "gt": lambda v, b: v > b,
        }
        for value in _values(source, field):
            if all(tests[op](*_compare(value, bound)) for op, bound in limits.items()):
                return 0.0
        return None
    if kind == "constant_score":
        return float(spec["boost"]) if score(spec["filter"], source) is not None else None
    if kind == "dis_max":
        scores = [s for q in spec["queries"] if (s := score(q, source)) is not None]
        return max(scores) if scores else None
    if kind == "bool":
        total = 0.0
        for q in spec.get("must", ()):
            s = score(q, source)
            if s is None:
                return None
            total += s
        if any(score(q, source) is None for q in spec.get("filter", ())):
            return None
        if any(score(q, source) is not None for q in spec.get("must_not", ())):
            return None
        should = [s for q in spec.get("should", ()) if (s := score(q, source)) is not None]
        needed = spec.get("minimum_should_match", 0 if ("must" in spec or "filter" in spec) else 1)
        if spec.get("should") and len(should) < needed:
            return None
        return total + sum(should)
    raise AssertionError(f"the interpreter does not know {kind}")


def _sort_key(sort, source, value_score):
    key = []
    for spec in sort:
        [(field, options)] = spec.items()
        sign = -1 if options["order"] == "desc" else 1
        if field == "_score":
            key.append(sign * value_score)
        elif field == "_script":
            params = options["script"]["params"]
            key.append(
                sign
                * ((source["id"] * params["multiplier"] + params["increment"]) % params["modulus"])
            )
        else:
            key.append(sign * source[field])
    return key


def run(body, sources):
    """What a one-shard index of `sources` answers to `body`."""
    matched = [(s, value) for s in sources if (value := score(body["query"], s)) is not None]
    hits = [
        (s, v)
        for s, v in matched
        if score(body.get("post_filter", {"match_all": {}}), s) is not None
    ]
    hits.sort(key=lambda hit: _sort_key(body["sort"], *hit))
    cap = body["track_total_hits"]
    aggregations = {}
    for name, aggregation in body.get("aggs", {}).items():
        counts = {}
        field = aggregation["aggs"]["values"]["terms"]["field"]
        for source, _value in matched:
            if score(aggregation["filter"], source) is not None:
                for value in set(_values(source, field)):
                    counts[value] = counts.get(value, 0) + 1
        buckets = [{"key": k, "doc_count": c} for k, c in sorted(counts.items())]
        aggregations[name] = {"values": {"buckets": buckets}}
    page = hits[body["from"] : body["from"] + body["size"]]
    return {
        "hits": {
            "total": {"value": min(len(hits), cap), "relation": "gte" if len(hits) > cap else "eq"},
            "hits": [{"_id": str(source["id"]), "_score": value} for source, value in page],
        },
        "aggregations": aggregations,
    }


@pytest.fixture
def catalogue(documents):
    published = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    specs = [
        documents.spec(
            "Cloud hosting",
            "Managed cloud",
            supplier_name="Nimbus",
            price="50.00",
            facets={types.REGION: ["TLC"], types.SME: ["yes"], "attr:hosted_in_uk": ["yes"]},
            numbers={"max_users": 100},
            first_published_at=published,
        ),
        documents.spec(
            "Web hosting",
            "Hosting for cloud apps",
            price="20.00",
            lot=1,
            facets={types.REGION: ["TLC", "TLD"], "attr:hosted_in_uk": ["no"]},
            numbers={"max_users": 1000},
            first_published_at=published + timedelta(microseconds=1),
        ),
        documents.spec(
            "Backup",
            "Nightly",
            "Cloud backup and web hosting",
            price="20.00",
            facets={types.REGION: ["TLD"], types.SME: ["yes"]},
            lot=2,
        ),
        documents.spec(
            "Grounds maintenance",
            "Parks",
            "Cutting grass",
            price="99.99",
            facets={types.REGION: ["TLC"]},
            unit="hour",
        ),
        documents.spec(
            "Legacy cloud hosting",
            "Old",
            price="5.00",
            facets={types.REGION: ["TLC"], types.SME: ["yes"]},
        ),
        documents.spec("Cloud hosting", "Expired", listed_until=TODAY - timedelta(days=1)),
        documents.spec("Cloud hosting", "Not yet", listed_from=TODAY + timedelta(days=1)),
        documents.spec(
            "Cloud hosting", "Last day", listed_until=TODAY, lot=3, facets={types.REGION: ["TLD"]}
        ),
        *(
            documents.spec(
                f"Hosting plan {n}",
                "Hosting",
                "cloud",
                price=f"{10 + n}.00",
                facets={types.REGION: ["TLC" if n % 2 else "TLE"]},
            )
            for n in range(12)
        ),
    ]
    ids = documents.add_many(specs)
    sources = list(es._sources(ids).values())
    return documents, sources


CASES = {
    "words": {"text": "cloud hosting"},
    "phrase": {"text": '"web hosting"'},
    "or": {"text": "grass or backup"},
    "exclude": {"text": 'cloud -legacy -"web hosting"'},
    "browse": {"text": ""},
    "facets": {
        "text": "hosting",
        "facets": {types.REGION: {"TLC"}, types.SME: {"yes"}},
        "facet_names": (types.REGION, types.SME, "attr:hosted_in_uk", types.LOT),
    },
    "eligible frameworks": {
        "text": "hosting",
        "framework_ids": "first",
        "facet_names": (types.FRAMEWORK, types.LOT),
    },
    "attribute facet": {
        "text": "",
        "facets": {"attr:hosted_in_uk": {"yes", "no"}},
        "facet_names": ("attr:hosted_in_uk",),
    },
    "price range and sort": {
        "text": "hosting",
        "ranges": [Range(types.PRICE, Decimal("10.001"), Decimal("20.00"))],
        "sort": Sort.PRICE_LOW,
    },
    "price high": {"text": "", "sort": Sort.PRICE_HIGH},
    "number range": {"text": "", "ranges": [Range("num:max_users", Decimal("101"), None)]},
    "published after": {"text": "", "published_after": datetime(2026, 6, 1, 12, 0, tzinfo=UTC)},
    "capped, second page": {"text": "hosting", "count_cap": 5, "offset": 5, "limit": 5},
    "another day": {
        "text": "cloud",
        "today": TODAY + timedelta(days=1),
        "tiebreak": Tiebreak(7, 3),
    },
}


def case_query(documents, case) -> BackendQuery:
    fields = dict(case)
    if fields.get("framework_ids") == "first":
        fields["framework_ids"] = frozenset({documents.frameworks[0].pk})
    return request(fields.pop("text"), **fields)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_query_bodies_answer_as_the_reference_backend_does(catalogue, case):
    documents, sources = catalogue
    query = case_query(documents, case)
    expected = reference.search(query)
    assert expected.total > 0
    answer = es.parse_response(run(es.query_body(query), sources), query)
    assert answer == expected


# --- A real cluster, when there is one ---------------------------------------------------------


@pytest.fixture
def live_backend(settings):
    """A backend on its own alias in the cluster ELASTICSEARCH_URL names, deleted afterwards."""
    if not settings.ELASTICSEARCH_URL:
        pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch server to test against")
    backend = es.ElasticsearchBackend(alias=f"test-offerings-{uuid.uuid4().hex}")
    yield backend
    backend.delete_index()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_live_cluster_answers_as_the_reference_backend_does(live_backend, catalogue, case):
    documents, _sources = catalogue
    live_backend.rebuild()
    query = case_query(documents, case)
    assert live_backend.search(query) == reference.search(query)


def test_a_live_cluster_follows_changes_and_rebuilds_behind_its_alias(live_backend, documents):
    kept, dropped = documents.add("Cloud hosting"), documents.add("Cloud backup")
    live_backend.index_documents([kept, dropped], refresh=True)
    query = request("cloud")
    assert sorted(live_backend.search(query).ids) == sorted([kept, dropped])
    SearchDocument.objects.filter(pk=dropped).delete()
    live_backend.index_documents([dropped], refresh=True)
    assert live_backend.search(query).ids == [kept]
    client = live_backend.client
    [before] = client.indices.get_alias(name=live_backend.alias)
    live_backend.rebuild()
    [after] = client.indices.get_alias(name=live_backend.alias)
    assert after != before
    assert not client.indices.exists(index=before)
    assert live_backend.search(query).ids == [kept]
