"""The search benchmark behind `manage.py bench_search`: a data set, a fixed query mix and four
engines run on the same data, so their figures can be compared.

Engines:
* service: this service's search (search.service.search): a full page of hits, the capped
  total and every facet;
* wagtail: Wagtail's database search backend over the same offerings, with its own count and
  facets;
* icontains: the naive query a first version would write (each word `icontains` any text field),
  with count and facets by GROUP BY;
* floor: the least a full-text match can cost (`tsv @@ q LIMIT 20` on PostgreSQL, `MATCH …
  LIMIT 20` on SQLite): no ranking, no count, no facets.

The data set is the live offerings already in the database, topped up to N with generated
offerings on the current appointments. Generated text draws words from the CPV vocabulary with a
Zipf distribution, as real catalogue text does, so words of every frequency exist. Query words
are then chosen by their measured document frequency (rare, ~1%, ~10%, ~30%, ~65%).
"""

import itertools
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from psycopg.errors import QueryCanceled

from frameworks.models import CpvCode
from suppliers.models import Offering, new_offering_reference
from suppliers.pricing import PriceUnit
from suppliers.selectors import listable_offerings

from . import types
from .analysis import stem, words
from .backends.reference import FIELDS, clause_weight
from .models import SearchDocument, SearchFacet
from .query import parse

BATCH_SIZE = 2_000
ZERO_HIT_WORD = "qzxvjwk"
# The three filters of every "with filters" query: a framework, a region and SMEs only.
FILTERED_REGION = "TLD"
ENGINES = ("service", "wagtail", "icontains", "floor")
MIN_REPETITIONS = 5
# An engine whose first run of a query takes longer than this runs MIN_REPETITIONS times.
SLOW_RUN_SECONDS = 0.5


# --- The data set ------------------------------------------------------------------------------


def _vocabulary() -> list[str]:
    """Words of the CPV labels, most frequent first: the generated text's vocabulary."""
    counts = Counter(
        word
        for title in CpvCode.objects.values_list("title", flat=True)
        for word in words(title)
        if len(word) > 2 and word.isalpha()
    )
    return [word for word, _count in counts.most_common()]


def _listing_pairs(*, say) -> list[tuple[int, int]]:
    """(supplier, lot) pairs whose offerings are listed today: generated offerings go there, so
    each one becomes a search document."""
    pairs = list(SearchDocument.objects.values_list("supplier_id", "lot_id").distinct())
    if not pairs:
        say("No listed offerings to start from: loading the demo data first.")
        call_command("seed_demo", "--if-empty")
        call_command("rebuild_search_index")
        pairs = list(SearchDocument.objects.values_list("supplier_id", "lot_id").distinct())
    return pairs


def _generated_offerings(count: int, *, rng: random.Random, say) -> int:
    pairs = _listing_pairs(say=say)
    vocabulary = _vocabulary()
    # Zipf's law: the r-th most common word turns up about 1/r as often as the first.
    cumulative, total = [], 0.0
    for rank in range(len(vocabulary)):
        total += 1.0 / (rank + 1)
        cumulative.append(total)
    units = [choice.value for choice in PriceUnit]
    regions = ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM"]
    references = set(Offering.objects.values_list("reference", flat=True))
    now = timezone.now()

    def text(length: int) -> str:
        return " ".join(rng.choices(vocabulary, cum_weights=cumulative, k=length))

    def reference() -> str:
        while (candidate := new_offering_reference()) in references:
            pass
        references.add(candidate)
        return candidate

    made = 0
    while made < count:
        batch = []
        for _ in range(min(BATCH_SIZE, count - made)):
            supplier_id, lot_id = rng.choice(pairs)
            offering = Offering(
                supplier_id=supplier_id,
                lot_id=lot_id,
                reference=reference(),
                status=Offering.Status.LIVE,
                live=True,
                title=text(6).capitalize()[:150],
                summary=text(18).capitalize()[:300],
                description=text(70).capitalize(),
                price=Decimal(rng.randrange(100, 200_000)) / 100,
                price_unit=rng.choice(units),
                regions_served=sorted(rng.sample(regions, rng.randint(1, 4))),
                lead_time_days=rng.randint(1, 60),
                first_published_at=now - timedelta(days=rng.randint(0, 700)),
            )
            offering.refresh_comparable_price()
            batch.append(offering)
        with transaction.atomic():
            Offering.objects.bulk_create(batch)
        made += len(batch)
        say(f"  generated {made:,} of {count:,} offerings")
    return made


def ensure_data_set(offerings: int, *, seed: int, say) -> int:
    """Top the search documents up to `offerings` and return how many there are."""
    documents = SearchDocument.objects.count()
    if documents < listable_offerings(on=timezone.localdate()).count():
        call_command("rebuild_search_index")
        documents = SearchDocument.objects.count()
    if documents < offerings:
        say(f"Generating {offerings - documents:,} offerings (there are {documents:,}).")
        _generated_offerings(offerings - documents, rng=random.Random(seed), say=say)  # noqa: S311
        call_command("rebuild_search_index")
        documents = SearchDocument.objects.count()
    return documents


# --- The query mix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchQuery:
    query_class: str
    text: str
    # Share of documents matching the words alone, measured.
    share: float


def _document_frequencies() -> tuple[Counter, int]:
    frequencies: Counter = Counter()
    documents = 0
    fields = ("title_terms", "summary_terms", "description_terms", "supplier_terms")
    for row in SearchDocument.objects.values_list(*fields).iterator(chunk_size=5_000):
        frequencies.update(set(" ".join(row).split()))
        documents += 1
    return frequencies, documents


def query_mix() -> list[BenchQuery]:
    """The fixed classes of query, each with words picked by measured document frequency."""
    frequencies, documents = _document_frequencies()
    if not documents:
        raise ValueError("There are no search documents to measure.")
    # Words to type for each stem: only stems some real word stems to can be typed.
    typeable = {}
    for word in _vocabulary():
        typeable.setdefault(stem(word), word)
    candidates = [
        (stem_, count) for stem_, count in frequencies.items() if stem_ in typeable and count
    ]

    def nearest(share: float, *, exclude: set[str] = frozenset()) -> tuple[str, float]:
        target = share * documents
        stem_, count = min(
            (item for item in candidates if item[0] not in exclude),
            key=lambda item: (abs(item[1] - target), item[0]),
        )
        return typeable[stem_], count / documents

    rare, rare_share = nearest(0.0002)
    one, one_share = nearest(0.01)
    ten, ten_share = nearest(0.10, exclude={stem(one)})
    thirty, thirty_share = nearest(0.30, exclude={stem(one), stem(ten)})
    most, most_share = nearest(0.65, exclude={stem(one), stem(ten), stem(thirty)})
    phrase = _common_phrase(typeable) or f"{ten} {thirty}"
    combined = {
        "two words": f"{ten} {thirty}",
        "three words": f"{ten} {thirty} {most}",
        "phrase": f'"{phrase}"',
    }
    shares = _measured_shares(combined.values(), documents)
    return [
        BenchQuery("rare", rare, rare_share),
        BenchQuery("1%", one, one_share),
        BenchQuery("10%", ten, ten_share),
        BenchQuery("30%", thirty, thirty_share),
        BenchQuery("65%", most, most_share),
        *(BenchQuery(name, text, shares[text]) for name, text in combined.items()),
        BenchQuery("zero hits", ZERO_HIT_WORD, 0.0),
    ]


def _measured_shares(texts, documents: int) -> dict[str, float]:
    """The share of documents each query's words match (every clause in some field), by the
    contract's own definition (search.backends.reference), in one pass over the documents."""
    clauses = {text: parse(text).clauses for text in texts}
    matched = Counter()
    for row in SearchDocument.objects.values_list(*FIELDS.values()).iterator(chunk_size=5_000):
        tokens = {name: terms.split() for name, terms in zip(FIELDS, row, strict=True)}
        for text, each in clauses.items():
            if all(clause_weight(clause, tokens) for clause in each):
                matched[text] += 1
    return {text: matched[text] / documents for text in clauses}


def _common_phrase(typeable: dict[str, str]) -> str | None:
    """The most common adjacent pair of title words in a sample: a phrase that finds results."""
    pairs: Counter = Counter()
    for title in SearchDocument.objects.values_list("title_terms", flat=True)[:5_000]:
        stems = title.split()
        pairs.update(
            (first, second)
            for first, second in itertools.pairwise(stems)
            if first in typeable and second in typeable and first != second
        )
    if not pairs:
        return None
    (first, second), _count = pairs.most_common(1)[0]
    return f"{typeable[first]} {typeable[second]}"


@dataclass(frozen=True)
class BenchFilters:
    framework_id: int
    region: str = FILTERED_REGION


def bench_filters() -> BenchFilters:
    """The framework with the most documents: the filters then cut a realistic share."""
    framework_id = (
        SearchDocument.objects.values("framework_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "framework_id")
        .values_list("framework_id", flat=True)
        .first()
    )
    return BenchFilters(framework_id=framework_id)


# --- The engines -------------------------------------------------------------------------------


def service_engine(text: str, filters: BenchFilters | None) -> None:
    from .service import search

    facets = {}
    if filters:
        facets = {
            types.FRAMEWORK: (str(filters.framework_id),),
            types.REGION: (filters.region,),
            types.SME: ("yes",),
        }
    result = search(types.SearchRequest(text=text, facets=facets, today=timezone.localdate()))
    # A page renders every hit's supplier and lot: make sure they were loaded.
    for hit in result.hits:
        _ = (str(hit.offering.supplier), hit.offering.lot.framework.title)


def _naive_offerings(filters: BenchFilters | None):
    offerings = listable_offerings(on=timezone.localdate())
    if filters:
        offerings = offerings.filter(
            lot__framework_id=filters.framework_id,
            # A JSON list searched as text: what a naive version does, on every database.
            regions_served__icontains=f'"{filters.region}"',
            supplier__is_sme=True,
        )
    return offerings


NAIVE_FACETS = ("lot__framework_id", "lot_id", "comparable_unit", "supplier__is_sme")


def icontains_engine(text: str, filters: BenchFilters | None) -> None:
    offerings = _naive_offerings(filters)
    query = parse(text)
    for clause in query.clauses:
        either = Q()
        for phrase in clause:
            typed = " ".join(phrase.stems)
            either |= (
                Q(title__icontains=typed)
                | Q(summary__icontains=typed)
                | Q(description__icontains=typed)
                | Q(supplier__legal_name__icontains=typed)
                | Q(supplier__trading_name__icontains=typed)
            )
        offerings = offerings.filter(either)
    list(offerings.order_by("title", "pk")[:20])
    offerings.count()
    for field in NAIVE_FACETS:
        list(offerings.order_by().values(field).annotate(n=Count("pk")))


def wagtail_engine(text: str, filters: BenchFilters | None) -> None:
    from wagtail.search.backends import get_search_backend

    from .models import WagtailBenchmarkOffering

    offerings = WagtailBenchmarkOffering.objects.filter(status=Offering.Status.LIVE, live=True)
    if filters:
        # Wagtail filters only on indexed fields: the framework's lots and SME suppliers. The
        # region, a JSON list, cannot be a filter field, so this engine gets 2 of the 3 filters.
        offerings = offerings.filter(
            lot_id__in=list(
                SearchDocument.objects.filter(framework_id=filters.framework_id)
                .values_list("lot_id", flat=True)
                .distinct()
            ),
            supplier_id__in=list(
                SearchFacet.objects.filter(name=types.SME, value="yes")
                .values_list("document__supplier_id", flat=True)
                .distinct()
            ),
        )
    results = get_search_backend().search(text, offerings)
    list(results[:20])
    results.count()
    for field in ("lot_id", "comparable_unit"):
        results.facet(field)


def _floor_sql(filters: BenchFilters | None) -> tuple[str, list]:
    clauses, params = [], []
    if filters:
        for name, value in (
            (types.FRAMEWORK, str(filters.framework_id)),
            (types.REGION, filters.region),
            (types.SME, "yes"),
        ):
            clauses.append(
                "AND EXISTS (SELECT 1 FROM search_searchfacet f WHERE f.document_id = "
                "d.offering_id AND f.name = %s AND f.value = %s)"
            )
            params += [name, value]
    return " ".join(clauses), params


def floor_engine(text: str, filters: BenchFilters | None) -> None:
    query = parse(text)
    extra, params = _floor_sql(filters)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = " & ".join(
                "(" + " | ".join(" <-> ".join(phrase.stems) for phrase in clause) + ")"
                for clause in query.clauses
            )
            sql = (
                "SELECT d.offering_id FROM search_searchdocument d "  # noqa: S608
                f"WHERE d.search_vector @@ to_tsquery('simple', %s) {extra} LIMIT 20"
            )
            cursor.execute(sql, [tsquery or "''", *params])
        else:
            match = " AND ".join(
                "(" + " OR ".join('"' + " ".join(phrase.stems) + '"' for phrase in clause) + ")"
                for clause in query.clauses
            )
            sql = (
                "SELECT d.offering_id FROM search_searchdocument d "  # noqa: S608
                "JOIN search_fts f ON f.rowid = d.offering_id "
                f"WHERE search_fts MATCH %s {extra} LIMIT 20"
            )
            cursor.execute(sql, [match or '""', *params])
        cursor.fetchall()


ENGINE_FUNCTIONS: dict[str, Callable[[str, BenchFilters | None], None]] = {
    "service": service_engine,
    "wagtail": wagtail_engine,
    "icontains": icontains_engine,
    "floor": floor_engine,
}


def ensure_wagtail_index(*, say) -> None:
    """Index the offerings in Wagtail's database backend, once (it is slow: that is the point)."""
    from wagtail.search.backends import get_search_backend

    from .models import WagtailBenchmarkOffering

    backend = get_search_backend()
    offerings = WagtailBenchmarkOffering.objects.filter(status=Offering.Status.LIVE, live=True)
    if backend.search("", offerings).count() >= offerings.count():
        return
    total = offerings.count()
    say(f"Indexing {total:,} offerings in Wagtail's database backend (once; it is slow).")
    started = time.perf_counter()
    done = 0
    chunk = []
    for offering in offerings.order_by("pk").iterator(chunk_size=1_000):
        chunk.append(offering)
        if len(chunk) == 1_000:
            backend.add_bulk(WagtailBenchmarkOffering, chunk)
            done += len(chunk)
            chunk = []
            say(f"  {done:,} of {total:,} in {time.perf_counter() - started:.0f} s")
    if chunk:
        backend.add_bulk(WagtailBenchmarkOffering, chunk)
    say(f"Wagtail's index took {time.perf_counter() - started:.0f} s.")


# --- Measuring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    query_class: str
    filters: bool
    engine: str
    # None when the engine was stopped at the time limit (then `stopped_after_ms` is set).
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    sql_queries: int
    repetitions: int
    # A statement ran past the limit and was cancelled: a page takes at least this long.
    stopped_after_ms: float | None = None

    def as_json(self) -> dict:
        def rounded(value):
            return None if value is None else round(value, 2)

        return {
            "query_class": self.query_class,
            "filters": self.filters,
            "engine": self.engine,
            "p50_ms": rounded(self.p50_ms),
            "p95_ms": rounded(self.p95_ms),
            "p99_ms": rounded(self.p99_ms),
            "sql_queries": self.sql_queries,
            "repetitions": self.repetitions,
            "stopped_after_ms": self.stopped_after_ms,
        }


class OverTimeLimit(Exception):
    """PostgreSQL cancelled one of the engine's statements at the time limit."""

    def __init__(self, sql_queries: int):
        super().__init__(sql_queries)
        self.sql_queries = sql_queries


def _run_within(run, text: str, filters, limit_seconds: float | None) -> int:
    """Run an engine once and return how many SQL statements it ran. With a limit on
    PostgreSQL, each statement is cancelled once it runs longer than that (statement_timeout,
    for this transaction only): OverTimeLimit. The limit's own statements are not counted."""
    limited = limit_seconds is not None and connection.vendor == "postgresql"
    with ExitStack() as stack:
        if limited:
            stack.enter_context(transaction.atomic())
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)",
                    [str(round(limit_seconds * 1000))],
                )
        with CaptureQueriesContext(connection) as queries:
            try:
                run(text, filters)
            except OperationalError as error:
                if limited and isinstance(error.__cause__, QueryCanceled):
                    raise OverTimeLimit(len(queries.captured_queries)) from error
                raise
        return len(queries.captured_queries)


def _percentile(samples: list[float], share: float) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[round(share * 100) - 1]


def measure(
    engine: str,
    query: BenchQuery,
    filters: BenchFilters | None,
    *,
    repetitions: int,
    limit_seconds: float | None = None,
) -> Measurement:
    """Time `repetitions` runs after a first one that warms caches and counts queries. With
    `limit_seconds`, an engine with a statement running past it is stopped: its figure is
    then a lower bound, reported as such, never a sample."""
    run = ENGINE_FUNCTIONS[engine]
    figures = {"query_class": query.query_class, "filters": filters is not None, "engine": engine}
    samples = []
    try:
        started = time.perf_counter()
        sql_queries = _run_within(run, query.text, filters, limit_seconds)
        first = time.perf_counter() - started
        # A slow engine's first run is kept as a sample, so it runs the minimum in all.
        if first > SLOW_RUN_SECONDS:
            samples.append(first * 1000)
            repetitions = MIN_REPETITIONS - 1
        for _ in range(repetitions):
            started = time.perf_counter()
            _run_within(run, query.text, filters, limit_seconds)
            samples.append((time.perf_counter() - started) * 1000)
    except OverTimeLimit as stopped:
        return Measurement(
            **figures,
            p50_ms=None,
            p95_ms=None,
            p99_ms=None,
            sql_queries=stopped.sql_queries,
            repetitions=len(samples),
            stopped_after_ms=limit_seconds * 1000,
        )
    return Measurement(
        **figures,
        p50_ms=_percentile(samples, 0.50),
        p95_ms=_percentile(samples, 0.95),
        p99_ms=_percentile(samples, 0.99),
        sql_queries=sql_queries,
        repetitions=len(samples),
    )
