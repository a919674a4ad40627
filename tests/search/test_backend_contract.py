"""The backend contract (search.types.BackendQuery → BackendResult), the same for every backend.

Each test runs on the plain-Python oracle (search.backends.reference), on the database backend
(PostgreSQL or SQLite, whichever the tests run on) and on Elasticsearch when ELASTICSEARCH_URL
is set. Expectations are written out by hand; a randomised test then compares the database
backend with the oracle on many queries.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from search import types
from search.backends import get_backend
from search.query import parse
from search.ranking import tiebreak_for
from search.types import BackendQuery, Filters, Range, Sort

from .conftest import TODAY

BACKENDS = [
    "reference",
    "database",
    "database-sql",
    pytest.param(
        "elasticsearch",
        marks=pytest.mark.skipif(
            not settings.ELASTICSEARCH_URL,
            reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to test against",
        ),
    ),
]


@pytest.fixture(params=BACKENDS)
def search(request, documents):
    """search(text, **options) → BackendResult from the backend under test."""
    name = request.param
    backend = backend_named(name)

    def run(text: str = "", **options) -> types.BackendResult:
        if name == "elasticsearch":
            backend.rebuild()
        return backend.search(query(text, **options))

    run.backend_name = name
    return run


def backend_named(name: str):
    """A backend module's `backend`; "database-sql" is the database backend in SQL alone,
    without its in-process bitmaps."""
    if name == "database-sql":
        from search.backends.database import sql_backend

        return sql_backend
    return get_backend(f"search.backends.{name}")


def query(
    text: str = "",
    *,
    facets=None,
    ranges=(),
    published_after=None,
    today=TODAY,
    sort=Sort.RELEVANCE,
    offset=0,
    limit=types.PAGE_SIZE,
    facet_names=(),
    framework_ids=None,
    count_cap=types.COUNT_CAP,
) -> BackendQuery:
    return BackendQuery(
        query=parse(text),
        filters=Filters(
            facets={name: frozenset(values) for name, values in (facets or {}).items()},
            ranges=tuple(ranges),
            published_after=published_after,
        ),
        today=today,
        tiebreak=tiebreak_for(today),
        sort=sort,
        offset=offset,
        limit=limit,
        facet_names=tuple(facet_names),
        framework_ids=framework_ids,
        count_cap=count_cap,
    )


def by_tiebreak(ids, day=TODAY):
    return sorted(ids, key=tiebreak_for(day).key)


# --- Matching ----------------------------------------------------------------------------------


def test_words_are_anded(search, documents):
    both = documents.add("Cloud hosting")
    documents.add("Cloud storage")
    documents.add("Web hosting")
    result = search("cloud hosting")
    assert result.ids == [both]
    assert (result.total, result.total_capped) == (1, False)


def test_words_may_be_in_different_fields(search, documents):
    split = documents.add("Cloud", description="Managed hosting")
    assert search("hosting cloud").ids == [split]


def test_words_are_stemmed_alike_in_query_and_document(search, documents):
    hosted = documents.add("Hosted services")
    assert search("hosting service").ids == [hosted]


def test_a_phrase_needs_its_words_adjacent_and_in_order(search, documents):
    adjacent = documents.add("Repair of roads")
    documents.add("Roads repair")
    documents.add("Repair the big roads")
    assert search('"repair roads"').ids == [adjacent]


def test_a_phrase_never_joins_the_end_of_one_field_to_the_start_of_the_next(search, documents):
    documents.add("Pothole repair", summary="Roads resurfaced", description="Repair")
    inside = documents.add("Pothole work", description="We repair roads")
    assert search('"repair roads"').ids == [inside]


def test_or_takes_either(search, documents):
    cloud = documents.add("Cloud")
    hosting = documents.add("Hosting")
    documents.add("Storage")
    assert sorted(search("cloud or hosting").ids) == sorted([cloud, hosting])
    assert search("cloud or hosting").total == 2


def test_or_joins_phrases_and_is_anded_with_other_words(search, documents):
    road = documents.add("Road repair", description="Pothole team")
    bridge = documents.add("Bridge maintenance", summary="Pothole")
    documents.add("Road repair")
    assert sorted(search('"road repair" or bridge pothole').ids) == sorted([road, bridge])


def test_exclusion_leaves_out_a_word_in_any_field(search, documents):
    kept = documents.add("Cloud hosting")
    documents.add("Cloud hosting", supplier_name="Storage Ltd")
    documents.add("Cloud storage")
    assert search("cloud -storage").ids == [kept]


def test_exclusion_of_a_phrase_leaves_out_only_the_phrase(search, documents):
    documents.add("Cloud", description="data storage")
    kept = documents.add("Cloud", description="storage of data")
    assert search('cloud -"data storage"').ids == [kept]


def test_only_exclusions_browse_everything_else(search, documents):
    kept = documents.add("Cloud hosting")
    documents.add("Cloud storage")
    assert search("-storage").ids == [kept]


def test_browse_finds_everything_listed_in_tiebreak_order(search, documents):
    ids = [documents.add(f"Offering {n}") for n in range(8)]
    result = search("")
    assert result.ids == by_tiebreak(ids)
    assert result.total == 8


def test_stop_words_only_browse(search, documents):
    ids = [documents.add("The cloud"), documents.add("Hosting")]
    assert search("the of").ids == by_tiebreak(ids)


# --- Dates and frameworks ----------------------------------------------------------------------


def test_an_offering_drops_out_the_day_after_its_listing_ends(search, documents):
    ending = documents.add("Cloud", listed_until=TODAY)
    open_ended = documents.add("Cloud")
    assert sorted(search("cloud").ids) == sorted([ending, open_ended])
    assert search("cloud", today=TODAY + timedelta(days=1)).ids == [open_ended]
    assert search("", today=TODAY + timedelta(days=1)).ids == [open_ended]


def test_an_offering_appears_on_the_day_its_listing_starts(search, documents):
    starting = documents.add("Cloud", listed_from=TODAY + timedelta(days=1))
    assert search("cloud").ids == []
    assert search("", facet_names=[types.LOT]).facets == {types.LOT: {}}
    assert search("cloud", today=TODAY + timedelta(days=1)).ids == [starting]


def test_framework_ids_restrict_to_those_frameworks(search, documents):
    first = documents.add("Cloud", lot=0)
    second = documents.add("Cloud", lot=2)
    allowed = frozenset({documents.frameworks[1].pk})
    result = search("cloud", framework_ids=allowed, facet_names=[types.FRAMEWORK])
    assert result.ids == [second]
    assert result.facets == {types.FRAMEWORK: {str(documents.frameworks[1].pk): 1}}
    assert search("cloud", framework_ids=frozenset()).ids == []
    assert sorted(search("cloud").ids) == sorted([first, second])


# --- Filters and facet counts ------------------------------------------------------------------


def test_facet_values_are_ored_and_facets_anded(search, documents):
    north_sme = documents.add("Cloud", facets={"region": ["TLC"], "sme": ["yes"]})
    south_sme = documents.add("Cloud", facets={"region": ["TLJ"], "sme": ["yes"]})
    documents.add("Cloud", facets={"region": ["TLC", "TLD"]})
    documents.add("Cloud", facets={"region": ["TLK"], "sme": ["yes"]})
    result = search("cloud", facets={"region": ["TLC", "TLJ"], "sme": ["yes"]})
    assert sorted(result.ids) == sorted([north_sme, south_sme])


def test_each_facet_counts_under_every_filter_but_its_own(search, documents):
    documents.add("Cloud", facets={"region": ["TLC"], "sme": ["yes"]})
    documents.add("Cloud", facets={"region": ["TLC", "TLD"]})
    documents.add("Cloud", facets={"region": ["TLD"], "sme": ["yes"]})
    documents.add("Cloud", lot=1, facets={"region": ["TLD"], "sme": ["yes"]})
    documents.add("Hosting", facets={"region": ["TLC"], "sme": ["yes"]})
    lot = str(documents.lots[0].pk)
    result = search(
        "cloud",
        facets={"region": ["TLC"], types.LOT: [lot]},
        facet_names=["region", "sme", types.LOT, "vcse"],
    )
    assert result.total == 2
    assert result.facets == {
        # Under the lot filter (not the region filter): three cloud offerings on lot 0.
        "region": {"TLC": 2, "TLD": 2},
        # Under both filters.
        "sme": {"yes": 1},
        # Under the region filter only: the two TLC cloud offerings, both on lot 0.
        types.LOT: {lot: 2},
        "vcse": {},
    }


def test_price_range_is_inclusive_and_either_bound_may_be_open(search, documents):
    cheap = documents.add("Cloud", price="10.00")
    middle = documents.add("Cloud", price="20.50")
    dear = documents.add("Cloud", price="30.00")
    between = [Range(types.PRICE, Decimal("10.00"), Decimal("20.50"))]
    assert sorted(search("cloud", ranges=between).ids) == sorted([cheap, middle])
    at_least = [Range(types.PRICE, Decimal("20.5"), None)]
    assert sorted(search("cloud", ranges=at_least).ids) == sorted([middle, dear])
    assert search("", ranges=[Range(types.PRICE, None, Decimal("9.99"))]).ids == []


def test_number_range_reads_the_number_answer(search, documents):
    small = documents.add("Cloud", numbers={"max_users": 50})
    large = documents.add("Cloud", numbers={"max_users": 500.5})
    documents.add("Cloud", numbers={"other": 100})
    documents.add("Cloud")
    users = "num:max_users"
    assert search("cloud", ranges=[Range(users, Decimal("50"), Decimal("100"))]).ids == [small]
    assert search("cloud", ranges=[Range(users, Decimal("100"), None)]).ids == [large]
    assert sorted(search("cloud", ranges=[Range(users, None, Decimal("500.5"))]).ids) == sorted(
        [small, large]
    )


def test_facet_counts_are_taken_under_ranges(search, documents):
    documents.add("Cloud", price="10", facets={"sme": ["yes"]})
    documents.add("Cloud", price="30", facets={"sme": ["yes"]})
    result = search("", ranges=[Range(types.PRICE, None, Decimal("20"))], facet_names=["sme"])
    assert result.facets == {"sme": {"yes": 1}}


def test_published_after_is_strictly_after(search, documents):
    moment = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    documents.add("Cloud", first_published_at=moment)
    later = documents.add("Cloud", first_published_at=moment + timedelta(seconds=1))
    documents.add("Cloud")
    assert search("cloud", published_after=moment).ids == [later]


# --- Order, paging and totals ------------------------------------------------------------------


def test_title_beats_summary_beats_description_beats_supplier(search, documents):
    supplier = documents.add("Other", supplier_name="Cloud Ltd")
    description = documents.add("Other", description="Cloud")
    summary = documents.add("Other", summary="Cloud")
    title = documents.add("Cloud")
    assert search("cloud").ids == [title, summary, description, supplier]


def test_each_clause_scores_its_best_field_and_scores_add_up(search, documents):
    # cloud in title (8) + hosting in supplier (1) = 9 beats summary + summary (4 + 4) = 8.
    nine = documents.add("Cloud", supplier_name="Hosting Ltd")
    eight = documents.add("Other", summary="Cloud hosting")
    # Repeating a word, or finding it in more fields, adds nothing: 8 + 4 = 12.
    twelve = documents.add("Cloud cloud cloud", summary="Hosting", description="cloud hosting")
    assert search("cloud hosting").ids == [twelve, nine, eight]


def test_an_or_clause_scores_its_best_phrase(search, documents):
    description = documents.add("Other", description="Hosting")
    title = documents.add("Cloud")
    assert search("hosting or cloud").ids == [title, description]


def test_ties_break_by_the_daily_hash_stable_within_a_day_and_different_the_next(search, documents):
    ids = [documents.add("Cloud hosting") for _ in range(12)]
    tomorrow = TODAY + timedelta(days=1)
    assert search("cloud").ids == search("cloud").ids == by_tiebreak(ids)
    assert search("cloud", today=tomorrow).ids == by_tiebreak(ids, tomorrow)
    assert by_tiebreak(ids) != by_tiebreak(ids, tomorrow)


def test_price_sorts_then_tiebreak(search, documents):
    dear = documents.add("Cloud", price="30")
    cheap = [documents.add("Cloud", price="10") for _ in range(3)]
    middle = documents.add("Other", description="Cloud", price="20")
    expected = [*by_tiebreak(cheap), middle, dear]
    assert search("cloud", sort=Sort.PRICE_LOW).ids == expected
    assert search("cloud", sort=Sort.PRICE_HIGH).ids == [dear, middle, *by_tiebreak(cheap)]
    assert search("", sort=Sort.PRICE_LOW).ids == expected


def test_pages_are_slices_of_one_order(search, documents):
    for n in range(7):
        documents.add("Cloud" if n % 2 else "Other", description="Cloud")
    whole = search("cloud").ids
    assert len(whole) == 7
    assert search("cloud", offset=2, limit=3).ids == whole[2:5]
    assert search("cloud", offset=6, limit=3).ids == whole[6:]
    assert search("cloud", offset=20, limit=3).ids == []


def test_total_is_capped(search, documents):
    for _ in range(5):
        documents.add("Cloud")
    documents.add("Hosting")
    capped = search("cloud", count_cap=5, limit=2)
    assert (capped.total, capped.total_capped, len(capped.ids)) == (5, True, 2)
    exact = search("cloud", count_cap=6)
    assert (exact.total, exact.total_capped) == (5, False)
    assert search("", count_cap=3).total_capped


def test_nothing_found_is_an_empty_result(search, documents):
    documents.add("Cloud")
    result = search("zebra", facet_names=["region", types.LOT])
    assert (result.ids, result.total, result.total_capped) == ([], 0, False)
    assert result.facets == {"region": {}, types.LOT: {}}


def test_query_syntax_fragments_are_only_words(search, documents):
    documents.add("Cloud")
    for text in ["' OR 1=1", "*:*", "\\", 'cloud" OR "', "NEAR(cloud)", "cloud:A", "cloud*"]:
        search(text, facet_names=["region"])


# --- Cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["database", "database-sql"])
def test_database_search_is_a_constant_number_of_queries(
    documents, django_assert_num_queries, name
):
    """SQL alone: the page, the total and the facets. With bitmaps: the token, and (the rows
    having changed since the last search) the documents and facets to rebuild them from."""
    backend = backend_named(name)
    names = [types.FRAMEWORK, types.LOT, "region", "sme", types.UNIT]
    request = query("cloud -storage", facets={"region": ["TLC"]}, facet_names=names, count_cap=5)
    backend.search(request)
    documents.add("Cloud", facets={"region": ["TLC"]})
    with django_assert_num_queries(3):
        backend.search(request)
    documents.add_many(
        [documents.spec("Cloud", lot=n % 4, facets={"region": ["TLC"]}) for n in range(40)]
    )
    with django_assert_num_queries(3):
        result = backend.search(request)
    assert result.total_capped


def test_the_bitmaps_are_read_again_only_when_the_rows_change(documents, django_assert_num_queries):
    backend = backend_named("database")
    documents.add("Cloud")
    assert backend.search(query("cloud")).total == 1
    with django_assert_num_queries(1):
        assert backend.search(query("cloud")).total == 1
    documents.add("Cloud")
    assert backend.search(query("cloud")).total == 2


# --- Randomised comparison with the oracle -----------------------------------------------------

VOCABULARY = ["cloud", "host", "road", "repair", "data", "care", "train", "school"]
word_lists = st.lists(st.sampled_from(VOCABULARY), max_size=6).map(" ".join)


@pytest.fixture
def corpus(documents):
    """Forty documents of words from a small vocabulary, with facets, prices and dates."""
    import random

    rng = random.Random(11)

    def text(size):
        return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(0, size)))

    specs = [
        documents.spec(
            text(4),
            text(6),
            text(10),
            text(2),
            lot=rng.randrange(4),
            facets={
                "region": rng.sample(["TLC", "TLD", "TLE"], rng.randint(0, 2)),
                "sme": ["yes"] if rng.random() < 0.5 else [],
            },
            price=str(rng.choice([10, 20, 30])),
            numbers={"n": rng.randint(1, 5)} if rng.random() < 0.8 else {},
            listed_from=TODAY - timedelta(days=rng.choice([0, 5, -1])),
            listed_until=rng.choice([None, TODAY, TODAY - timedelta(days=1)]),
        )
        for _ in range(40)
    ]
    documents.add_many(specs)
    return documents


queries = st.builds(
    lambda words, phrase, negated, joined, sort, regions, sme, price, number: {
        "text": " ".join(
            part
            for part in [
                words,
                f'"{phrase}"' if phrase else "",
                f"-{negated}" if negated else "",
                " or ".join(joined),
            ]
            if part
        ),
        "sort": sort,
        "facets": {
            **({"region": regions} if regions else {}),
            **({"sme": ["yes"]} if sme else {}),
        },
        "ranges": [
            *([Range(types.PRICE, Decimal(price), None)] if price else []),
            *([Range("num:n", None, Decimal(number))] if number else []),
        ],
    },
    word_lists,
    st.lists(st.sampled_from(VOCABULARY), max_size=3).map(" ".join),
    st.sampled_from(["", *VOCABULARY]),
    st.lists(st.sampled_from(VOCABULARY), max_size=3),
    st.sampled_from(list(Sort)),
    st.lists(st.sampled_from(["TLC", "TLD", "TLE"]), max_size=2, unique=True),
    st.booleans(),
    st.sampled_from([None, "20"]),
    st.sampled_from([None, "3"]),
)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(options=queries)
def test_database_backend_agrees_with_the_oracle(corpus, options):
    """The bitmaps take their paths for big results here (walking the day's order, finding a
    phrase's occurrences); the tests above take the paths for small ones."""
    from search.backends import snapshot

    request = query(
        options["text"],
        facets=options["facets"],
        ranges=options["ranges"],
        sort=options["sort"],
        facet_names=["region", "sme", types.LOT],
        limit=50,
        count_cap=15,
    )
    expected = get_backend("search.backends.reference").search(request)
    saved = snapshot.DIRECT_SORT_LIMIT, snapshot.PHRASE_CHECK_LIMIT
    snapshot.DIRECT_SORT_LIMIT, snapshot.PHRASE_CHECK_LIMIT = 0, 0
    try:
        for name in ("database", "database-sql"):
            found = backend_named(name).search(request)
            assert found == expected, (name, connection.vendor, options)
    finally:
        snapshot.DIRECT_SORT_LIMIT, snapshot.PHRASE_CHECK_LIMIT = saved


def test_a_slow_snapshot_is_built_in_the_background_while_sql_answers(documents, monkeypatch):
    from search.backends import snapshot

    keeper = snapshot.Keeper()
    started = []
    monkeypatch.setattr(snapshot, "keeper", keeper)
    monkeypatch.setattr(snapshot, "INLINE_BUILD_DOCUMENTS", 0)
    monkeypatch.setattr(keeper, "_build_in_background", lambda: started.append(True))
    found = documents.add("Cloud")
    assert backend_named("database").search(query("cloud")).ids == [found]
    assert started == [True]
