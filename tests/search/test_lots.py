"""The frameworks-and-lots tab: lots found by words, phrases, `or`, `-exclude` and CPV codes,
ordered by where the words are found, and marked open or not open to the buyer.

Lot documents are written here as rows (search.indexing writes them for real and is tested on
its own), with the analysed text it stores: titles, descriptions, and each CPV code at or
beneath the lot's own with its label.
"""

from datetime import timedelta

from django.utils import timezone

import pytest

from frameworks.models import LotClosure
from search.analysis import analyse
from search.lots import code_prefix, search_lots
from search.models import LotSearchDocument
from tests import factories

pytestmark = pytest.mark.django_db

STREET_CLEANING = [
    ("90600000-3", "Cleaning and sanitation services in urban or rural areas"),
    ("90610000-6", "Street-cleaning and sweeping services"),
    ("90611000-3", "Street-cleaning services"),
]
GROUNDS = [
    ("77310000-6", "Planting and maintenance services of green areas"),
    ("77314000-4", "Grounds maintenance services"),
]
SOFTWARE = [("72200000-7", "Software programming and consultancy services")]


def _document(lot, *, codes=()):
    return LotSearchDocument.objects.create(
        lot=lot,
        framework=lot.framework,
        title_terms=analyse(f"{lot.title} {lot.framework.title}"),
        description_terms=analyse(lot.description),
        cpv_terms=" ".join(analyse(f"{code} {label}") for code, label in codes),
    )


class Lots:
    def __init__(self):
        self.facilities = factories.framework_page(
            title="Facilities Management",
            lots=[
                {
                    "number": 1,
                    "title": "Street cleaning",
                    "description": "Sweeping, litter picking and graffiti removal.",
                },
                {
                    "number": 2,
                    "title": "Parks and open spaces",
                    "description": "Grounds maintenance of parks, verges and cemeteries.",
                },
            ],
        )
        self.cleaning = self.facilities.lots.get(number=1)
        self.parks = self.facilities.lots.get(number=2)
        self.insider = factories.OrganisationFactory(kind="buyer")
        self.estates = factories.framework_page(
            title="Estates Services",
            lots=[
                {
                    "number": 1,
                    "title": "Grounds maintenance",
                    "description": "Mowing and planting.",
                },
                {
                    "number": 2,
                    "title": "Digital estate systems",
                    "description": "Software for managing buildings and grounds.",
                },
            ],
            eligible_organisations=[self.insider],
        )
        self.grounds = self.estates.lots.get(number=1)
        self.systems = self.estates.lots.get(number=2)
        _document(self.cleaning, codes=STREET_CLEANING)
        _document(self.parks, codes=GROUNDS)
        _document(self.grounds, codes=GROUNDS)
        _document(self.systems, codes=SOFTWARE)


@pytest.fixture
def lots(db):
    return Lots()


def found(result):
    return [hit.lot for hit in result.hits]


def search(text, **kwargs):
    kwargs.setdefault("today", timezone.localdate())
    return search_lots(text, **kwargs)


def test_words_find_lots_title_before_cpv_before_description(lots):
    result = search("grounds maintenance")

    # Title (8 + 8), then the CPV label (4 + 4), then the description (2 + 2).
    assert found(result) == [lots.grounds, lots.parks]
    assert [hit.score for hit in result.hits] == [16, 8]
    assert result.hits[0].framework.title == "Estates Services"
    assert result.hits[0].title_html == "<mark>Grounds</mark> <mark>maintenance</mark>"


def test_a_word_only_in_a_description_is_found_last(lots):
    result = search("grounds")

    assert found(result) == [lots.grounds, lots.parks, lots.systems]
    assert [hit.score for hit in result.hits] == [8, 4, 2]
    assert result.hits[2].description_html == (
        "Software for managing buildings and <mark>grounds</mark>."
    )


def test_equal_scores_are_ordered_by_framework_title_then_lot_number(lots):
    result = search("services")  # in every lot's CPV labels or framework title

    assert found(result) == [lots.grounds, lots.systems, lots.cleaning, lots.parks]


def test_a_phrase_needs_its_words_next_to_each_other(lots):
    assert found(search('"street cleaning"')) == [lots.cleaning]
    assert found(search('"cleaning street"')) == []


def test_or_takes_either_word(lots):
    assert set(found(search("sweeping or mowing"))) == {lots.cleaning, lots.grounds}


def test_a_minus_leaves_out_lots_with_the_word(lots):
    assert found(search("grounds -software")) == [lots.grounds, lots.parks]


def test_a_framework_title_finds_its_lots(lots):
    assert found(search("facilities")) == [lots.cleaning, lots.parks]


@pytest.mark.parametrize("code", ["90600000", "90600000-3", "906", "90610000", "9061"])
def test_a_cpv_code_finds_the_lots_at_or_beneath_it(lots, code):
    result = search(code)

    assert found(result) == [lots.cleaning]
    assert result.hits[0].score == 4


def test_a_cpv_division_finds_every_lot_beneath_it(lots):
    assert found(search("77000000")) == [lots.grounds, lots.parks]


def test_a_code_nobody_buys_finds_nothing(lots):
    assert found(search("03000000-1")) == []


def test_code_prefixes():
    assert code_prefix("90600000-3") == "906"
    assert code_prefix(" 90000000 ") == "90"
    assert code_prefix("9061") == "9061"
    assert code_prefix("9") == ""
    assert code_prefix("grounds") == ""
    assert code_prefix("906000001") == ""


def test_no_words_lists_every_lot(lots):
    result = search("")

    assert found(result) == [lots.grounds, lots.systems, lots.cleaning, lots.parks]
    assert result.query.browses


@pytest.mark.parametrize("text", ["' OR 1=1", "*:*", "\\", '"unbalanced', "%_%", "x" * 10_000])
def test_bad_input_gives_results_or_nothing_never_an_error(lots, text):
    result = search(text)

    assert result.total in (0, 4)


def test_a_long_search_is_cut_with_a_notice(lots):
    result = search("grounds " * 2_000)

    assert found(result) == [lots.grounds, lots.parks, lots.systems]
    assert any("too long" in notice for notice in result.notices)


def test_a_buyer_sees_only_lots_of_frameworks_it_may_use(lots, buyer):
    assert found(search("grounds", buyer_organisation=buyer)) == [lots.parks]


def test_a_buyer_who_asks_for_every_framework_sees_the_others_marked(lots, buyer):
    result = search("grounds", organisation=buyer, include_not_open=True)

    assert [(hit.lot, hit.open_to_buyer) for hit in result.hits] == [
        (lots.grounds, False),
        (lots.parks, True),
        (lots.systems, False),
    ]


def test_the_named_organisation_may_use_the_framework(lots):
    result = search("grounds", organisation=lots.insider)

    assert all(hit.open_to_buyer for hit in result.hits)
    assert len(result) == 3


def test_without_an_organisation_every_lot_is_open(lots, supplier):
    assert all(hit.open_to_buyer for hit in search("grounds"))
    assert all(hit.open_to_buyer for hit in search("grounds", organisation=supplier))
    assert search("grounds", organisation=supplier).total == 3


def test_closed_lots_and_ended_frameworks_are_left_out(lots, framework_manager):
    LotClosure.objects.create(lot=lots.parks, closed_by=framework_manager, reason="Re-let")

    assert found(search("grounds")) == [lots.grounds, lots.systems]
    later = timezone.localdate() + timedelta(days=601)
    assert found(search("grounds", today=later)) == []


def test_lots_are_found_in_a_constant_number_of_queries(lots, buyer, django_assert_num_queries):
    for number in range(3, 13):
        lot = factories.framework_page(lots=[{"number": number, "title": "Grounds care"}])
        _document(lot.lots.get(), codes=GROUNDS)

    with django_assert_num_queries(1):
        result = search("grounds", organisation=buyer, include_not_open=True)
        for hit in result:
            assert hit.framework.title

    assert result.total == 13  # and the one matched only by its description


def test_lots_of_a_framework_not_started_are_found_marked_with_its_start(lots, buyer):
    starts_on = lots.facilities.starts_on
    before = starts_on - timedelta(days=1)

    result = search("grounds", buyer_organisation=buyer, today=before)

    assert [(hit.lot, hit.starts_on) for hit in result.hits] == [(lots.parks, starts_on)]
    assert [hit.starts_on for hit in search("grounds", buyer_organisation=buyer)] == [None]
    assert [hit.starts_on for hit in search("grounds", today=starts_on)] == [None, None, None]


def test_lots_of_a_suspended_framework_are_left_out(lots):
    type(lots.estates).objects.filter(pk=lots.estates.pk).update(is_suspended=True)

    assert found(search("grounds")) == [lots.parks]
    assert found(search("grounds", today=lots.facilities.starts_on - timedelta(days=1))) == [
        lots.parks
    ]


def test_the_frameworks_tab_tags_a_framework_not_started_with_its_start(client, lots):
    today = timezone.localdate()
    coming = factories.framework_page(
        title="Coming Works",
        starts_on=today + timedelta(days=8),
        lots=[{"number": 1, "title": "Grounds care"}],
    )
    _document(coming.lots.get(), codes=GROUNDS)

    html = client.get("/search/", {"q": "grounds", "tab": "frameworks"}).content.decode()

    starts = (today + timedelta(days=8)).strftime("%-d %B %Y")
    tag = f'<strong class="govuk-tag govuk-tag--grey">Starts on {starts}</strong>'
    assert html.count(tag) == 1
    assert html.index("Coming Works") < html.index(tag) < html.index("Estates Services")
