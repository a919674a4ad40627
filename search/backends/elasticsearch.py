"""The Elasticsearch backend: the same contract as the database, answered by an index.

Selected when settings.ELASTICSEARCH_URL is set (settings.SEARCH_BACKEND names this module).
The index mirrors the rows of search.models; it is read through an alias
(settings.ELASTICSEARCH_INDEX, "marketplace-offerings" by default) so that `rebuild()` can build
a new index beside the live one and swap the alias to it in one atomic step.

Everything that decides what matches and in which order is built here as plain dicts, so it is
tested without a server:

* `index_body()`: settings and the explicit mapping. Text fields hold stems already made by
  search.analysis and are indexed by the `whitespace` analyzer, so nothing is analysed twice.
  One shard, so every count and score is computed over the whole index at once.
* `query_body(BackendQuery)`: the search request. Each clause is a `dis_max` of
  `constant_score` queries, one per field with the field's weight from search.ranking, so a
  document's `_score` is exactly ranking's score; ties and browsing order by a painless script
  computing `Tiebreak.key`. Facet counts are aggregations, each under every facet filter but
  its own, and the facet filters themselves go in `post_filter`.
* `document_actions(ids, index=)`: bulk actions (index or delete) from the rows.
* `parse_response(response, query)`: the answer as a BackendResult.

Highlighting is not asked of Elasticsearch: documents hold stems, not the words people read, so
search.service highlights titles and summaries in Python for every backend alike.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone

from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import (
    A,
    Date,
    DateNanos,
    Flattened,
    Index,
    Integer,
    Keyword,
    Long,
    Mapping,
    Object,
    Q,
    Search,
    Text,
)
from elasticsearch.dsl.query import Query

from ..models import SearchDocument, SearchFacet
from ..query import Phrase
from ..ranking import FIELD_WEIGHTS, TIEBREAK_MODULUS, Tiebreak
from ..types import (
    ACCREDITATION,
    ATTRIBUTE_PREFIX,
    AUTHORITY,
    CPV,
    FRAMEWORK,
    LOT,
    NUMBER_PREFIX,
    PRICE,
    REGION,
    SME,
    UNIT,
    VCSE,
    BackendQuery,
    BackendResult,
    Filters,
    Range,
    Sort,
)

logger = logging.getLogger(__name__)

DEFAULT_ALIAS = "marketplace-offerings"
# Documents per bulk request, and per database read while indexing.
BATCH_SIZE = 500
# Elasticsearch's index.max_result_window: from + size may not pass it.
MAX_RESULT_WINDOW = 10_000
# Buckets per facet: more than any facet has values (CPV, the largest, has 9,454 codes).
FACET_SIZE = 10_000

# Facets with a fixed name each have a keyword field under `facets`; a lot's attribute facets
# ("attr:<key>") go in one `flattened` field, `facets.attr`, keyed by attribute key. Lots add
# and rename attributes freely, and a flattened field takes any key without a mapping change
# (no mapping explosion, no reindex), while `facets.attr.<key>` still answers terms queries
# and terms aggregations exactly as a keyword field does.
FIXED_FACETS = (FRAMEWORK, LOT, AUTHORITY, CPV, REGION, SME, VCSE, ACCREDITATION, UNIT)
ATTRIBUTES_FIELD = "facets.attr"

# The fields a query's words are looked for in, with ranking's weights.
TEXT_FIELDS = tuple(FIELD_WEIGHTS)
COLUMNS = {
    "title": "title_terms",
    "summary": "summary_terms",
    "description": "description_terms",
    "supplier": "supplier_terms",
}

TIEBREAK_SCRIPT = (
    "long id = doc['id'].value;"
    " long multiplier = ((Number) params.multiplier).longValue();"
    " long increment = ((Number) params.increment).longValue();"
    " long modulus = ((Number) params.modulus).longValue();"
    " return (id * multiplier + increment) % modulus;"
)


# --- Mapping -----------------------------------------------------------------------------------


def mapping() -> Mapping:
    """The explicit mapping. Strict: a field the code does not know about is an error."""
    m = Mapping()
    m.meta("dynamic", "strict")
    # Number answers: one double per question key, whatever keys lots come to have.
    m.meta(
        "dynamic_templates",
        [{"numbers": {"path_match": "numbers.*", "mapping": {"type": "double"}}}],
    )
    m.field("id", Long())
    m.field("framework_id", Integer())
    m.field("lot_id", Integer())
    m.field("supplier_id", Integer())
    for name in TEXT_FIELDS:
        # Stems, space-separated: split on whitespace and nothing else. Positions for phrases;
        # no norms, since scores come from constant_score and never from the text's length.
        m.field(name, Text(analyzer="whitespace", index_options="positions", norms=False))
    m.field("comparable_unit", Keyword())
    # Pence, as a whole number: ranges and sorts compare exactly as the database's decimals do
    # (a double or a scaled_float would compare a bound such as 10.07 after binary rounding).
    m.field("comparable_price_pence", Long())
    m.field("numbers", Object(dynamic=True))
    m.field("listed_from", Date(format="strict_date"))
    m.field("listed_until", Date(format="strict_date"))
    # Nanosecond dates keep the database's microseconds, so "published after" is exact.
    m.field("first_published_at", DateNanos())
    # Every search page counts every facet: build their ordinals on refresh, not on the first
    # search after it.
    m.field(
        "facets",
        Object(
            properties={
                **{name: Keyword(eager_global_ordinals=True) for name in FIXED_FACETS},
                "attr": Flattened(eager_global_ordinals=True),
            }
        ),
    )
    return m


def index_body() -> dict[str, Any]:
    """Settings and mappings for `indices.create`."""
    index = Index("offerings")
    index.settings(
        # One shard: counts and scores are computed over every document at once, exactly.
        number_of_shards=1,
        # A replica where there is a second node to hold it, none on a single node.
        auto_expand_replicas="0-1",
        max_result_window=MAX_RESULT_WINDOW,
    )
    index.mapping(mapping())
    return index.to_dict()


def facet_field(name: str) -> str:
    if name in FIXED_FACETS:
        return f"facets.{name}"
    if name.startswith(ATTRIBUTE_PREFIX) and len(name) > len(ATTRIBUTE_PREFIX):
        return f"{ATTRIBUTES_FIELD}.{name.removeprefix(ATTRIBUTE_PREFIX)}"
    raise ValueError(f"Unknown search facet {name!r}")


# --- Documents ---------------------------------------------------------------------------------


def _pence(price: Decimal) -> int:
    return int((Decimal(price) * 100).to_integral_value(rounding=ROUND_FLOOR))


def _number(value: Any) -> float | None:
    """A number answer as the index holds it, or None for anything that is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return float(number) if number.is_finite() else None


def _datetime(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def document_source(document: SearchDocument, facets: Iterable[tuple[str, str]]) -> dict:
    """The indexed form of one document and its (name, value) facet rows."""
    fixed: dict[str, set[str]] = {}
    attributes: dict[str, set[str]] = {}
    for name, value in facets:
        if name.startswith(ATTRIBUTE_PREFIX):
            attributes.setdefault(name.removeprefix(ATTRIBUTE_PREFIX), set()).add(value)
        else:
            facet_field(name)  # an unknown name is an error, not a silently missing filter
            fixed.setdefault(name, set()).add(value)
    numbers = {
        key: number
        for key, value in (document.numbers or {}).items()
        if (number := _number(value)) is not None
    }
    return {
        "id": document.pk,
        "framework_id": document.framework_id,
        "lot_id": document.lot_id,
        "supplier_id": document.supplier_id,
        **{name: getattr(document, column) for name, column in COLUMNS.items()},
        "comparable_unit": document.comparable_unit,
        "comparable_price_pence": _pence(document.comparable_price),
        "numbers": numbers,
        "listed_from": document.listed_from.isoformat(),
        "listed_until": document.listed_until.isoformat() if document.listed_until else None,
        "first_published_at": _datetime(document.first_published_at),
        "facets": {
            **{name: sorted(values) for name, values in sorted(fixed.items())},
            "attr": {key: sorted(values) for key, values in sorted(attributes.items())},
        },
    }


def _sources(ids: list[int]) -> dict[int, dict]:
    """Indexed forms of the documents among `ids` that exist, in two queries."""
    documents = SearchDocument.objects.filter(pk__in=ids).defer("indexed_at")
    facets: dict[int, list[tuple[str, str]]] = {}
    for document_id, name, value in SearchFacet.objects.filter(document_id__in=ids).values_list(
        "document_id", "name", "value"
    ):
        facets.setdefault(document_id, []).append((name, value))
    return {
        document.pk: document_source(document, facets.get(document.pk, ()))
        for document in documents
    }


def _batches(ids: Iterable[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    batch: list[int] = []
    for offering_id in ids:
        batch.append(offering_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def document_actions(ids: Iterable[int], *, index: str) -> Iterator[dict]:
    """Bulk actions bringing `ids` up to date: index the documents that exist, delete the rest."""
    for batch in _batches(dict.fromkeys(ids)):
        sources = _sources(batch)
        for offering_id in batch:
            source = sources.get(offering_id)
            if source is None:
                yield {"_op_type": "delete", "_index": index, "_id": str(offering_id)}
            else:
                yield {
                    "_op_type": "index",
                    "_index": index,
                    "_id": str(offering_id),
                    "_source": source,
                }


# --- Queries -----------------------------------------------------------------------------------


def _phrase(field: str, phrase: Phrase) -> Query:
    return Q("match_phrase", **{field: " ".join(phrase.stems)})


def _any_phrase(field: str, phrases: tuple[Phrase, ...]) -> Query:
    if len(phrases) == 1:
        return _phrase(field, phrases[0])
    return Q("bool", should=[_phrase(field, phrase) for phrase in phrases])


def clause_query(clause: tuple[Phrase, ...]) -> Query:
    """Matches when any phrase is in any field; scores the weight of the best such field."""
    return Q(
        "dis_max",
        tie_breaker=0,
        queries=[
            Q("constant_score", filter=_any_phrase(field, clause), boost=FIELD_WEIGHTS[field])
            for field in TEXT_FIELDS
        ],
    )


def _number_bound(value: Decimal) -> float:
    return float(value)


def range_query(bound: Range) -> Query | None:
    """Inclusive bounds, either open; None when both are open (it then filters nothing)."""
    if bound.minimum is None and bound.maximum is None:
        return None
    limits: dict[str, Any] = {}
    if bound.name == PRICE:
        # Whole pence: at least 10.005 is at least 10.01; at most 10.009 is at most 10.00.
        if bound.minimum is not None:
            limits["gte"] = int((bound.minimum * 100).to_integral_value(rounding=ROUND_CEILING))
        if bound.maximum is not None:
            limits["lte"] = int((bound.maximum * 100).to_integral_value(rounding=ROUND_FLOOR))
        return Q("range", comparable_price_pence=limits)
    if bound.name.startswith(NUMBER_PREFIX) and len(bound.name) > len(NUMBER_PREFIX):
        if bound.minimum is not None:
            limits["gte"] = _number_bound(bound.minimum)
        if bound.maximum is not None:
            limits["lte"] = _number_bound(bound.maximum)
        return Q("range", **{f"numbers.{bound.name.removeprefix(NUMBER_PREFIX)}": limits})
    raise ValueError(f"Unknown search range {bound.name!r}")


def listed_on(today: date) -> list[Query]:
    """Listed on `today`: from on or before it, until on or after it or open-ended."""
    day = today.isoformat()
    return [
        Q("range", listed_from={"lte": day}),
        Q(
            "bool",
            should=[
                Q("range", listed_until={"gte": day}),
                Q("bool", must_not=[Q("exists", field="listed_until")]),
            ],
            minimum_should_match=1,
        ),
    ]


def facet_filter(name: str, values: Iterable[str]) -> Query:
    return Q("terms", **{facet_field(name): sorted(values)})


def _facet_filters(filters: Filters) -> list[Query]:
    return [facet_filter(name, values) for name, values in sorted(filters.facets.items())]


def base_filters(request: BackendQuery) -> list[Query]:
    """Everything but the words and the facets: dates, eligibility, ranges, publication."""
    result = listed_on(request.today)
    if request.framework_ids is not None:
        result.append(Q("terms", framework_id=sorted(request.framework_ids)))
    result.extend(q for bound in request.filters.ranges if (q := range_query(bound)) is not None)
    if request.filters.published_after is not None:
        result.append(
            Q("range", first_published_at={"gt": _datetime(request.filters.published_after)})
        )
    return result


def tiebreak_sort(tiebreak: Tiebreak) -> dict:
    return {
        "_script": {
            "type": "number",
            "order": "asc",
            "script": {
                "lang": "painless",
                "source": TIEBREAK_SCRIPT,
                "params": {
                    "multiplier": tiebreak.multiplier,
                    "increment": tiebreak.increment,
                    "modulus": TIEBREAK_MODULUS,
                },
            },
        }
    }


def _sort(request: BackendQuery) -> list:
    if request.sort == Sort.PRICE_LOW:
        first: Any = {"comparable_price_pence": {"order": "asc"}}
    elif request.sort == Sort.PRICE_HIGH:
        first = {"comparable_price_pence": {"order": "desc"}}
    else:
        first = {"_score": {"order": "desc"}}
    return [first, tiebreak_sort(request.tiebreak)]


def facet_aggregation_name(position: int) -> str:
    # Facet names may hold characters aggregation names may not ("attr:…"); number them.
    return f"facet_{position}"


def query_body(request: BackendQuery) -> dict[str, Any]:
    """The body of the search request answering `request` (see the module's docstring)."""
    query = request.query
    q = Q(
        "bool",
        must=[clause_query(clause) for clause in query.clauses],
        must_not=[_phrase(field, phrase) for phrase in query.excluded for field in TEXT_FIELDS],
        filter=base_filters(request),
    )
    offset = min(max(request.offset, 0), MAX_RESULT_WINDOW)
    size = max(0, min(request.limit, MAX_RESULT_WINDOW - offset))
    search = (
        Search()
        .query(q)
        .sort(*_sort(request))
        .source(False)
        .extra(from_=offset, size=size, track_total_hits=request.count_cap)
    )
    facet_filters = dict(request.filters.facets)
    if facet_filters:
        search = search.post_filter(Q("bool", filter=_facet_filters(request.filters)))
    for position, name in enumerate(request.facet_names):
        others = _facet_filters(request.filters.without(name))
        search.aggs.bucket(
            facet_aggregation_name(position),
            A("filter", filter=Q("bool", filter=others) if others else Q("match_all")),
        ).bucket("values", A("terms", field=facet_field(name), size=FACET_SIZE))
    return search.to_dict()


def parse_response(response: Any, request: BackendQuery) -> BackendResult:
    """A search response (as a dict) as the contract's BackendResult."""
    hits = response["hits"]
    total = hits["total"]["value"]
    capped = total >= request.count_cap or hits["total"].get("relation") == "gte"
    aggregations = response.get("aggregations") or {}
    facets: dict[str, dict[str, int]] = {}
    for position, name in enumerate(request.facet_names):
        buckets = aggregations.get(facet_aggregation_name(position), {}).get("values", {})
        facets[name] = {
            str(bucket["key"]): bucket["doc_count"]
            for bucket in buckets.get("buckets", ())
            if bucket["doc_count"] > 0
        }
    return BackendResult(
        ids=[int(hit["_id"]) for hit in hits["hits"]],
        total=request.count_cap if capped else total,
        total_capped=capped,
        facets=facets,
    )


# --- The backend ------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


class ElasticsearchBackend:
    """`client` and `alias` default to the settings (read on use, so override_settings works)."""

    def __init__(self, *, client: Elasticsearch | None = None, alias: str | None = None):
        self._client = client
        self._alias = alias
        self._clients: dict[str, Elasticsearch] = {}
        self._known_aliases: set[tuple[int, str]] = set()

    @property
    def client(self) -> Elasticsearch:
        if self._client is not None:
            return self._client
        url = settings.ELASTICSEARCH_URL
        if url not in self._clients:
            self._clients[url] = Elasticsearch(url, request_timeout=30, retry_on_timeout=True)
        return self._clients[url]

    @property
    def alias(self) -> str:
        return self._alias or getattr(settings, "ELASTICSEARCH_INDEX", "") or DEFAULT_ALIAS

    # Searching.

    def search(self, request: BackendQuery) -> BackendResult:
        try:
            response = self.client.search(index=self.alias, body=query_body(request))
        except NotFoundError:
            logger.error("Search index %s does not exist: run rebuild_search_index", self.alias)
            return BackendResult(
                ids=[], total=0, total_capped=False, facets={n: {} for n in request.facet_names}
            )
        return parse_response(response, request)

    # Indexing.

    def _bulk(
        self, actions: Iterable[dict], *, refresh: bool = False, require_alias: bool = True
    ) -> None:
        # A document already gone from the index is no error when deleting it. Writes through
        # the alias require it to be one: if it has gone, Elasticsearch refuses them rather
        # than making an index of that name with a mapping it guessed.
        helpers.bulk(
            self.client,
            actions,
            chunk_size=BATCH_SIZE,
            ignore_status=(404,),
            refresh=refresh,
            require_alias=require_alias,
        )

    def index_documents(self, offering_ids: list[int], *, refresh: bool = False) -> None:
        """Index the documents that exist among `offering_ids` and delete the others. With
        `refresh`, they are searchable when this returns (tests; not in production, where the
        index refreshes itself within a second)."""
        if not offering_ids:
            return
        self.ensure_index()
        self._bulk(document_actions(offering_ids, index=self.alias), refresh=refresh)

    def ensure_index(self) -> None:
        """Create an empty index behind the alias if there is none, so that indexing before the
        first rebuild does not make Elasticsearch guess a mapping."""
        key = (id(self.client), self.alias)
        if key in self._known_aliases:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            logger.warning("Search index %s is missing: creating it empty", self.alias)
            index = self._create_index()
            self._swap_alias(index)
        self._known_aliases.add(key)

    def refresh(self) -> None:
        self.client.indices.refresh(index=self.alias)

    def _new_index_name(self) -> str:
        return f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"

    def _create_index(self, **settings_overrides: Any) -> str:
        name = self._new_index_name()
        body = index_body()
        body["settings"].update(settings_overrides)
        self.client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
        return name

    def _swap_alias(self, index: str) -> list[str]:
        """Point the alias at `index` alone, atomically; return the indices it left."""
        client = self.client
        actions: list[dict] = []
        old: list[str] = []
        if client.indices.exists_alias(name=self.alias):
            old = sorted(client.indices.get_alias(name=self.alias))
            actions.extend({"remove": {"index": name, "alias": self.alias}} for name in old)
        elif client.indices.exists(index=self.alias):
            # A concrete index holds the alias's name (made by indexing with no alias in
            # place): drop it in the same atomic step.
            actions.append({"remove_index": {"index": self.alias}})
        actions.append({"add": {"index": index, "alias": self.alias}})
        client.indices.update_aliases(actions=actions)
        return old

    def rebuild(self, *, progress: Progress | None = None) -> None:
        """Build a new index from every document, then swap the alias to it and delete the old
        one. Searches read the old index until the swap, and the new one after it.

        Documents written while the build runs go to the old index; so after the swap, the
        documents indexed since the build began, and those deleted since, are brought up to
        date in the new one."""
        client = self.client
        started = timezone.now()
        ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
        # No refreshes while loading; one at the end.
        index = self._create_index(refresh_interval="-1")
        try:
            done = 0
            if progress:
                progress(0, len(ids))
            for batch in _batches(ids, BATCH_SIZE * 4):
                self._bulk(document_actions(batch, index=index), require_alias=False)
                done += len(batch)
                if progress:
                    progress(done, len(ids))
            client.indices.put_settings(index=index, settings={"index": {"refresh_interval": None}})
            client.indices.refresh(index=index)
        except BaseException:
            client.indices.delete(index=index, ignore_unavailable=True)
            raise
        old = self._swap_alias(index)
        for name in old:
            client.indices.delete(index=name, ignore_unavailable=True)
        self._known_aliases.add((id(client), self.alias))
        changed = set(
            SearchDocument.objects.filter(indexed_at__gte=started).values_list("pk", flat=True)
        )
        gone = set(ids) - set(SearchDocument.objects.values_list("pk", flat=True))
        if changed or gone:
            self._bulk(document_actions(sorted(changed | gone), index=self.alias))
        client.indices.refresh(index=self.alias)

    def delete_index(self) -> None:
        """Delete the alias and every index behind it (tests clean up with this)."""
        client = self.client
        if client.indices.exists_alias(name=self.alias):
            for name in sorted(client.indices.get_alias(name=self.alias)):
                client.indices.delete(index=name, ignore_unavailable=True)
        elif client.indices.exists(index=self.alias):
            client.indices.delete(index=self.alias, ignore_unavailable=True)
        self._known_aliases.discard((id(client), self.alias))


backend = ElasticsearchBackend()
