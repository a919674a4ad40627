"""Bitmaps of the search documents, held in each process, answering a BackendQuery in memory.

A broad query is slow in SQL whatever the index: a word in two thirds of 100,000 offerings
means reading 65,000 rows to count them, and as many again for every facet. So the database
backend keeps, per process, compressed bitmaps (pyroaring) built from the rows: for each field
the documents holding each stem, for each facet value its documents, each framework's
documents, and the listing dates, prices and numbers in sorted arrays. A search is then set
algebra, counting is `len()` and `intersection_cardinality()`, and the page comes from score
buckets (each clause splits the matches by the best field it is found in) walked in tiebreak
order. The rows stay the truth: before every search one statement reads the token that
migration 0003 changes with every write to the document tables. A snapshot built from other
rows is used only while a big table's new one is built in the background (Keeper), and then
each page is checked against the rows.

The result is exactly the contract's (search.backends.reference is the oracle the tests compare
it with); phrases are checked against each field's stems, kept as one string per field.
"""

import heapq
import threading
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate, pairwise

from django.db import connection
from django.utils import timezone

from pyroaring import BitMap

from ..query import Phrase
from ..ranking import FIELD_WEIGHTS, Tiebreak, tiebreak_for
from ..types import PRICE, BackendQuery, BackendResult, Range, Sort

FIELDS = ("title", "summary", "description", "supplier")
_EMPTY = BitMap()
# Below this many matches a page is sorted directly; above it, the day's tiebreak order of all
# documents is walked until the page is full.
DIRECT_SORT_LIMIT = 4_000
# Up to this many documents hold a phrase's words, each is checked; above, its occurrences are
# found instead.
PHRASE_CHECK_LIMIT = 2_000
# Pairs of stems are indexed among the this many most common stems of each field, those in at
# least this share of documents; a phrase with a rarer stem has few enough candidates to check.
PAIR_STEMS = 40
PAIR_SHARE = 0.03
# Snapshots are built inline, within a search, only while they take less than this (else in a
# background thread, searches meanwhile answered in SQL); with none yet, below this many rows.
INLINE_BUILD_SECONDS = 0.25
INLINE_BUILD_DOCUMENTS = 5_000
# While a big table's snapshot is rebuilt in the background, the previous one answers searches
# (each page checked against the rows) for at most this long after it was first found stale.
STALE_SECONDS = 120.0


@dataclass
class Snapshot:
    token: str
    built_seconds: float = 0.0
    # When a search first found the token changed (time.monotonic()); None while current.
    stale_since: float | None = None
    all: BitMap = field(default_factory=BitMap)
    # field → stem → documents holding the stem in that field.
    postings: dict[str, dict[str, BitMap]] = field(default_factory=dict)
    # For phrase checks, each field of every document as one string: the stems of document k
    # (ids[k]) space-separated, with a space either side, at blobs[field][starts[field][k]:
    # starts[field][k + 1]]. A phrase " a b " never spans two documents (two spaces between).
    ids: list[int] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)
    blobs: list[str] = field(default_factory=list)
    starts: list[list[int]] = field(default_factory=list)
    # For each field, its most common stems, and for each adjacent pair of them the documents
    # where the pair occurs: a phrase of common words is answered without reading any text.
    common: list[frozenset[str]] = field(default_factory=list)
    pairs: list[dict[tuple[str, str], BitMap]] = field(default_factory=list)
    frameworks: dict[int, BitMap] = field(default_factory=dict)
    facets: dict[str, dict[str, BitMap]] = field(default_factory=dict)
    listed: list[tuple[int, date, date | None]] = field(default_factory=list)
    prices: dict[int, object] = field(default_factory=dict)
    # Sorted (value, id) pairs: prices, each number answer, first publication.
    price_order: list[tuple] = field(default_factory=list)
    number_order: dict[str, list[tuple]] = field(default_factory=dict)
    published_order: list[tuple] = field(default_factory=list)
    _by_day: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- Per-day views, computed once per day --------------------------------------------------

    def _daily(self, key, make):
        value = self._by_day.get(key)
        if value is None:
            with self._lock:
                if len(self._by_day) > 16:
                    self._by_day.clear()
                value = self._by_day[key] = make()
        return value

    def prepare_day(self, today: date) -> None:
        """Compute the day's listing and relevance order now: at 1,000,000 documents they take
        about 0.2 s and 0.5 s, which the first search of the day would otherwise wait for."""
        self.listed_on(today)
        self.tiebreak_order(tiebreak_for(today))

    def listed_on(self, today: date) -> BitMap:
        return self._daily(
            ("listed", today),
            lambda: BitMap(
                pk
                for pk, start, end in self.listed
                if start <= today and (end is None or end >= today)
            ),
        )

    def tiebreak_order(self, tiebreak: Tiebreak) -> list[int]:
        return self._daily(("order", tiebreak), lambda: sorted(self.all, key=tiebreak.key))

    def price_order_for(self, tiebreak: Tiebreak, descending: bool) -> list[int]:
        def make():
            key = tiebreak.key
            if descending:
                return sorted(self.all, key=lambda pk: (-self.prices[pk], key(pk)))
            return sorted(self.all, key=lambda pk: (self.prices[pk], key(pk)))

        return self._daily(("price", tiebreak, descending), make)

    # --- Matching ------------------------------------------------------------------------------

    def phrase_in(self, phrase: Phrase, field_index: int, within: BitMap) -> BitMap:
        postings = self.postings[FIELDS[field_index]]
        found = within
        for stem in phrase.stems:
            found = found & postings.get(stem, _EMPTY)
            if not found:
                return found
        if len(phrase.stems) == 1:
            return found
        common, pairs = self.common[field_index], self.pairs[field_index]
        checked = True
        for pair in pairwise(phrase.stems):
            if pair[0] in common and pair[1] in common:
                found = found & pairs.get(pair, _EMPTY)
                if not found:
                    return found
            else:
                checked = False
        if checked and len(phrase.stems) == 2:
            return found
        needle = f" {phrase} "
        blob, starts = self.blobs[field_index], self.starts[field_index]
        if len(found) <= PHRASE_CHECK_LIMIT:
            positions = self.positions
            return BitMap(
                pk
                for pk in found
                if blob.find(needle, starts[positions[pk]], starts[positions[pk] + 1]) != -1
            )
        # Many candidates: find the phrase's occurrences instead, one document at a time.
        ids, result = self.ids, []
        at = blob.find(needle)
        while at != -1:
            index = bisect_right(starts, at) - 1
            if ids[index] in found:
                result.append(ids[index])
            at = blob.find(needle, starts[index + 1])
        return BitMap(result)

    def in_range(self, bound: Range) -> BitMap | None:
        if bound.minimum is None and bound.maximum is None:
            return None
        if bound.name == PRICE:
            order = self.price_order
        else:
            order = self.number_order.get(bound.name.split(":", 1)[1], [])
        start = 0 if bound.minimum is None else bisect_left(order, (bound.minimum, -1))
        end = len(order) if bound.maximum is None else bisect_right(order, (bound.maximum, 2**63))
        return BitMap(pk for _value, pk in order[start:end])

    def published_after(self, moment) -> BitMap:
        start = bisect_right(self.published_order, (moment, 2**63))
        return BitMap(pk for _moment, pk in self.published_order[start:])

    # --- A search ------------------------------------------------------------------------------

    def search(self, request: BackendQuery) -> BackendResult:
        query, filters = request.query, request.filters
        allowed = self.listed_on(request.today)
        if request.framework_ids is not None:
            allowed = allowed & BitMap.union(
                _EMPTY, *(self.frameworks.get(pk, _EMPTY) for pk in request.framework_ids)
            )
        for bound in filters.ranges:
            ranged = self.in_range(bound)
            if ranged is not None:
                allowed = allowed & ranged
        if filters.published_after is not None:
            allowed = allowed & self.published_after(filters.published_after)

        # Each clause: where it is found, field by field (from the best field down).
        clause_fields = []
        matched = allowed
        for clause in query.clauses:
            by_field = [
                BitMap.union(_EMPTY, *(self.phrase_in(p, index, matched) for p in clause))
                for index in range(len(FIELDS))
            ]
            matched = BitMap.union(_EMPTY, *by_field)
            clause_fields.append(by_field)
        for phrase in query.excluded:
            for index in range(len(FIELDS)):
                matched = matched - self.phrase_in(phrase, index, matched)

        chosen = {
            name: BitMap.union(
                _EMPTY, *(self.facets.get(name, {}).get(value, _EMPTY) for value in values)
            )
            for name, values in filters.facets.items()
        }
        hits = matched
        for bitmap in chosen.values():
            hits = hits & bitmap

        facets = {}
        for name in request.facet_names:
            base = matched
            for other, bitmap in chosen.items():
                if other != name:
                    base = base & bitmap
            counts = {}
            if base:
                for value, bitmap in self.facets.get(name, {}).items():
                    count = base.intersection_cardinality(bitmap)
                    if count:
                        counts[value] = count
            facets[name] = counts

        total = len(hits)
        capped = total >= request.count_cap
        return BackendResult(
            ids=self.page(request, hits, clause_fields),
            total=request.count_cap if capped else total,
            total_capped=capped,
            facets=facets,
        )

    def page(self, request: BackendQuery, hits: BitMap, clause_fields) -> list[int]:
        wanted = request.offset + request.limit
        if not hits or request.limit <= 0:
            return []
        tiebreak = request.tiebreak
        if request.sort in (Sort.PRICE_LOW, Sort.PRICE_HIGH):
            descending = request.sort == Sort.PRICE_HIGH
            if len(hits) <= DIRECT_SORT_LIMIT:
                sign = -1 if descending else 1
                ordered = sorted(hits, key=lambda pk: (sign * self.prices[pk], tiebreak.key(pk)))
                return ordered[request.offset : wanted]
            return self._walk(self.price_order_for(tiebreak, descending), hits, request)
        # Relevance: buckets of equal score, best first, each in tiebreak order.
        buckets = {0: hits}
        for by_field in clause_fields:
            split: dict[int, BitMap] = defaultdict(BitMap)
            for score, members in buckets.items():
                rest = members
                for index, name in enumerate(FIELDS):
                    part = rest & by_field[index]
                    if part:
                        split[score + FIELD_WEIGHTS[name]] |= part
                        rest = rest - part
            buckets = split
        ids: list[int] = []
        for score in sorted(buckets, reverse=True):
            members = buckets[score]
            if len(ids) + len(members) <= request.offset:
                ids.extend([0] * len(members))  # placeholders before the page
                continue
            need = wanted - len(ids)
            if len(members) <= DIRECT_SORT_LIMIT:
                ids.extend(heapq.nsmallest(need, members, key=tiebreak.key))
            else:
                ids.extend(self._first(self.tiebreak_order(tiebreak), members, need))
            if len(ids) >= wanted:
                break
        return ids[request.offset : wanted]

    @staticmethod
    def _first(order: list[int], members: BitMap, count: int) -> list[int]:
        found = []
        for pk in order:
            if pk in members:
                found.append(pk)
                if len(found) == count:
                    break
        return found

    def _walk(self, order: list[int], hits: BitMap, request: BackendQuery) -> list[int]:
        return self._first(order, hits, request.offset + request.limit)[request.offset :]


# --- Building and keeping a snapshot -----------------------------------------------------------


def read_token(cursor) -> str:
    cursor.execute("SELECT token FROM search_generation WHERE id = 1")
    row = cursor.fetchone()
    return row[0] if row else ""


def build(cursor, token: str) -> Snapshot:
    """A snapshot of the rows as they are now. Read the token first: if rows change meanwhile,
    the snapshot holds newer rows than its token says, and is rebuilt on the next search."""
    started = time.perf_counter()
    snapshot = Snapshot(token=token)
    postings = {name: defaultdict(list) for name in FIELDS}
    frameworks = defaultdict(list)
    cursor.execute(
        "SELECT offering_id, framework_id, title_terms, summary_terms, description_terms, "
        "supplier_terms, comparable_price, numbers, listed_from, listed_until, "
        "first_published_at FROM search_searchdocument ORDER BY offering_id"
    )
    converters = _converters(cursor)
    numbers_order = defaultdict(list)
    parts: list[list[str]] = [[] for _name in FIELDS]
    for row in _rows(cursor):
        pk, framework_id, *texts = row[:6]
        price, numbers, listed_from, listed_until, published = converters(row[6:])
        snapshot.positions[pk] = len(snapshot.ids)
        snapshot.ids.append(pk)
        for index, text in enumerate(texts):
            parts[index].append(f" {text} ")
        for name, text in zip(FIELDS, texts, strict=True):
            target = postings[name]
            for stem in set(text.split()):
                target[stem].append(pk)
        frameworks[framework_id].append(pk)
        snapshot.listed.append((pk, listed_from, listed_until))
        snapshot.prices[pk] = price
        snapshot.price_order.append((price, pk))
        for key, value in (numbers or {}).items():
            number = _number(value)
            if number is not None:
                numbers_order[key].append((number, pk))
        if published is not None:
            snapshot.published_order.append((published, pk))
    snapshot.all = BitMap(snapshot.ids)
    for index, name in enumerate(FIELDS):
        by_stem = postings[name]
        ranked = sorted(by_stem, key=lambda stem, by_stem=by_stem: -len(by_stem[stem]))
        least = PAIR_SHARE * len(snapshot.ids)
        common = frozenset(
            stem for stem in ranked[:PAIR_STEMS] if len(by_stem[stem]) >= max(least, 1)
        )
        pairs = defaultdict(list)
        if len(common) > 1:
            for pk, text in zip(snapshot.ids, parts[index], strict=True):
                stems = text.split()
                for pair in set(pairwise(stems)):
                    if pair[0] in common and pair[1] in common:
                        pairs[pair].append(pk)
        snapshot.common.append(common)
        snapshot.pairs.append({pair: BitMap(ids) for pair, ids in pairs.items()})
    snapshot.blobs = ["".join(texts) for texts in parts]
    snapshot.starts = [
        list(accumulate((len(text) for text in texts), initial=0)) for texts in parts
    ]
    del parts
    snapshot.postings = {
        name: {stem: BitMap(ids) for stem, ids in by_stem.items()}
        for name, by_stem in postings.items()
    }
    snapshot.frameworks = {pk: BitMap(ids) for pk, ids in frameworks.items()}
    snapshot.price_order.sort()
    snapshot.number_order = {key: sorted(pairs) for key, pairs in numbers_order.items()}
    snapshot.published_order.sort()
    facets = defaultdict(lambda: defaultdict(list))
    cursor.execute("SELECT document_id, name, value FROM search_searchfacet")
    for pk, name, value in _rows(cursor):
        facets[name][value].append(pk)
    snapshot.facets = {
        name: {value: BitMap(ids) for value, ids in values.items()}
        for name, values in facets.items()
    }
    snapshot.prepare_day(timezone.localdate())
    snapshot.built_seconds = time.perf_counter() - started
    return snapshot


def _rows(cursor, size: int = 10_000):
    """The rows of the last statement, fetched a batch at a time to bound the memory used."""
    while rows := cursor.fetchmany(size):
        yield from rows


def _number(value):
    from decimal import Decimal, InvalidOperation

    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _converters(cursor):
    """Convert raw column values as the ORM would (SQLite returns text for dates and JSON)."""
    import json
    from datetime import UTC, datetime
    from decimal import Decimal

    from django.utils import timezone

    if connection.vendor == "postgresql":

        def convert(values):
            price, numbers, listed_from, listed_until, published = values
            if isinstance(numbers, str):
                numbers = json.loads(numbers)
            return Decimal(price), numbers, listed_from, listed_until, published

        return convert

    def parse_date(text):
        return text if text is None or isinstance(text, date) else date.fromisoformat(text)

    def convert(values):
        price, numbers, listed_from, listed_until, published = values
        if isinstance(published, str):
            published = datetime.fromisoformat(published)
        if published is not None and timezone.is_naive(published):
            published = published.replace(tzinfo=UTC)
        return (
            Decimal(str(price)),
            json.loads(numbers) if isinstance(numbers, str) else numbers,
            parse_date(listed_from),
            parse_date(listed_until),
            published,
        )

    return convert


class Keeper:
    """The process's current snapshot, checked against the token before each search.

    A snapshot of a small table is built there and then. A big one (at 100,000 documents it
    takes seconds) is built in a background thread; meanwhile the previous snapshot answers,
    stale: its counts and facets lag, and the caller checks each page against the rows
    (`current_or_stale`). With no previous snapshot, none being built, or one stale for longer
    than STALE_SECONDS, searches are answered in SQL, slower but exact. The new snapshot is
    used from the first search after it is ready and its token is still current.
    """

    def __init__(self):
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._building: threading.Thread | None = None

    def current(self, cursor) -> Snapshot | None:
        """The snapshot of the rows as they are, or None: answer this search in SQL."""
        snapshot, stale = self.current_or_stale(cursor)
        return None if stale else snapshot

    def current_or_stale(self, cursor) -> tuple[Snapshot | None, bool]:
        """(snapshot, False): the rows as they are. (snapshot, True): the rows as they were,
        while a newer snapshot is built; check the page's ids against the rows. (None, False):
        answer this search in SQL. Reads one statement (the token)."""
        token = read_token(cursor)
        snapshot = self._snapshot
        if snapshot is not None and snapshot.token == token:
            return snapshot, False
        if self._small(cursor, snapshot):
            with self._lock:
                snapshot = self._snapshot
                if snapshot is None or snapshot.token != token:
                    snapshot = self._snapshot = build(cursor, token)
            return snapshot, False
        now = time.monotonic()
        building = self._build_in_background()
        if snapshot is None or not building:
            return None, False
        with self._lock:
            if snapshot.stale_since is None:
                snapshot.stale_since = now
        if now - snapshot.stale_since > STALE_SECONDS:
            return None, False
        return snapshot, True

    @staticmethod
    def _small(cursor, snapshot: Snapshot | None) -> bool:
        if snapshot is not None:
            return snapshot.built_seconds < INLINE_BUILD_SECONDS
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM search_searchdocument LIMIT %s) counted",
            [INLINE_BUILD_DOCUMENTS + 1],
        )
        return cursor.fetchone()[0] <= INLINE_BUILD_DOCUMENTS

    def _build_in_background(self) -> bool:
        """Start a build unless one is running; True while one is (it may have just ended)."""
        with self._lock:
            if self._building is not None and self._building.is_alive():
                return True
            self._building = threading.Thread(
                target=self._build, name="search-snapshot", daemon=True
            )
            self._building.start()
            return True

    def _build(self) -> None:
        from django.db import connections

        try:
            with connection.cursor() as cursor:
                snapshot = build(cursor, read_token(cursor))
            self._snapshot = snapshot
        finally:
            connections.close_all()

    def warm(self, cursor) -> Snapshot:
        """Build the snapshot now, here, whatever it costs (benchmarks; a process starting)."""
        with self._lock:
            token = read_token(cursor)
            snapshot = self._snapshot
            if snapshot is None or snapshot.token != token:
                snapshot = self._snapshot = build(cursor, token)
        return snapshot

    def wait(self) -> Snapshot | None:
        """Wait for a background build to finish (for benchmarks and the rebuild command)."""
        building = self._building
        if building is not None:
            building.join()
        return self._snapshot

    def clear(self) -> None:
        self._snapshot = None


keeper = Keeper()
