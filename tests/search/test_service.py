"""The search service: checking what a person sent, eligibility, labels, the sentence, the
highlighting, the ways out of an empty result, and a constant number of queries.

Documents are written here as rows (search.indexing is tested on its own), and every test asks
both the plain-Python reference backend, which reads the rows by the contract's words alone, and
the database backend.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone

import pytest

from search import service
from search.analysis import analyse
from search.highlight import highlight
from search.models import SearchDocument, SearchFacet
from search.types import PAGE_SIZE, SearchRequest
from suppliers.models import Offering
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("backend"),
]

TODAY = date(2026, 6, 15)
NORTH_WEST, LONDON = "TLD", "TLI"


@pytest.fixture(params=["search.backends.reference", "search.backends.database"])
def backend(request):
    """Every test runs on the plain-Python oracle and on the database backend."""
    with override_settings(SEARCH_BACKEND=request.param):
        yield request.param


class Market:
    """Two frameworks: "ICT and Digital Services" (lots 1 Software, with questions, and 2
    Cloud hosting), open to any buyer, and "Facilities Management" (one lot), open only to
    one named organisation."""

    def __init__(self):
        self.authority = factories.OrganisationFactory(
            kind="authority", legal_name="Northern Councils Partnership"
        )
        self.ict = factories.framework_page(
            factories.authority_page(self.authority),
            title="ICT and Digital Services",
            lots=[
                {"number": 1, "title": "Software", "attribute_schema": factories.ATTRIBUTE_SCHEMA},
                {"number": 2, "title": "Cloud hosting"},
            ],
        )
        self.software = self.ict.lots.get(number=1)
        self.hosting = self.ict.lots.get(number=2)
        self.insider = factories.OrganisationFactory(kind="buyer")
        self.facilities = factories.framework_page(
            title="Facilities Management", eligible_organisations=[self.insider]
        )
        self.grounds = self.facilities.lots.get(number=1)
        self.supplier = factories.OrganisationFactory(kind="supplier", legal_name="Acme Ltd")
        self._number = 0

    def add(
        self,
        title,
        summary="",
        description="",
        *,
        lot=None,
        regions=(NORTH_WEST,),
        sme=False,
        unit="day",
        price="500",
        cpv=(),
        attributes=None,
        numbers=None,
        count=1,
    ) -> list[int]:
        lot = lot or self.hosting
        made = []
        for _ in range(count):
            self._number += 1
            offering = Offering.objects.create(
                supplier=self.supplier,
                lot=lot,
                status=Offering.Status.LIVE,
                title=title,
                summary=summary,
                description=description,
                price=Decimal(price),
                price_unit=unit,
                lead_time_days=5,
                regions_served=list(regions),
            )
            SearchDocument.objects.create(
                offering=offering,
                framework_id=lot.framework_id,
                lot=lot,
                supplier=self.supplier,
                title_terms=analyse(title),
                summary_terms=analyse(summary),
                description_terms=analyse(description),
                supplier_terms=analyse(self.supplier.name),
                comparable_unit=unit,
                comparable_price=Decimal(price),
                numbers=numbers or {},
                listed_from=TODAY - timedelta(days=30),
            )
            values = {
                "framework": [str(lot.framework_id)],
                "lot": [str(lot.pk)],
                "authority": [str(lot.framework.authority_id)],
                "unit": [unit],
                "region": list(regions),
                "sme": ["yes"] if sme else [],
                "cpv": list(cpv),
                **{f"attr:{key}": list(answers) for key, answers in (attributes or {}).items()},
            }
            SearchFacet.objects.bulk_create(
                SearchFacet(document_id=offering.pk, name=name, value=value)
                for name, named in values.items()
                for value in named
            )
            made.append(offering.pk)
        return made


@pytest.fixture
def market(db):
    return Market()


def run(**fields):
    fields.setdefault("today", TODAY)
    return service.search(SearchRequest(**fields))


def ids(result):
    return [hit.offering.pk for hit in result.hits]


# --- Words and highlighting ------------------------------------------------------------------


def test_words_find_offerings_and_mark_the_matched_words(market):
    [hosting] = market.add("Managed cloud hosting", "We host your services in the cloud.")
    market.add("Payroll software", "Pay your staff.")

    result = run(text="hosted cloud")

    assert ids(result) == [hosting]
    hit = result.hits[0]
    assert hit.title_html == "Managed <mark>cloud</mark> <mark>hosting</mark>"
    assert hit.summary_html == "We <mark>host</mark> your services in the <mark>cloud</mark>."
    assert hit.offering.lot.framework.title == "ICT and Digital Services"
    assert hit.open_to_buyer


def test_highlighting_escapes_the_text_before_marking_it():
    marked = highlight('<script>alert("cloud")</script> & Cloud’s hosting', {"cloud"})

    assert marked == (
        "&lt;script&gt;alert(&quot;<mark>cloud</mark>&quot;)&lt;/script&gt; &amp; "
        "<mark>Cloud’s</mark> hosting"
    )
    assert hasattr(marked, "__html__")


def test_highlighting_with_nothing_to_mark_only_escapes():
    assert highlight("<b>Tea & cake</b>", frozenset()) == "&lt;b&gt;Tea &amp; cake&lt;/b&gt;"


def test_stop_words_are_never_marked():
    assert highlight("The cloud", {"cloud", "the"}) == "The <mark>cloud</mark>"


# --- Bad input: the text -----------------------------------------------------------------------


def test_a_10000_character_query_is_cut_with_a_notice(market):
    market.add("Cloud hosting")

    result = run(text="cloud " + "x" * 9_994)

    assert ids(result) == []
    assert len(result.query.text) <= 200
    assert any("too long" in notice for notice in result.notices)
    assert result.request.text == result.query.text


def test_unbalanced_quotes_search_the_phrase_to_the_end_with_a_notice(market):
    [hosting] = market.add("Managed cloud hosting")
    market.add("Cloud software for hosting events")

    result = run(text='"cloud hosting')

    assert ids(result) == [hosting]
    assert any("quotation mark" in notice for notice in result.notices)


def test_only_stop_words_browse_everything_with_a_notice(market):
    made = market.add("Cloud hosting", count=3)

    result = run(text="the of and")

    assert sorted(ids(result)) == sorted(made)
    assert result.query.browses
    assert any("too common" in notice for notice in result.notices)
    assert result.summary == "3 offerings"


@pytest.mark.parametrize(
    "text", ["' OR 1=1", "*:*", "\\", "'; DROP TABLE search_searchdocument; --"]
)
def test_sql_and_elasticsearch_syntax_is_only_words(market, text):
    market.add("Cloud hosting", count=2)

    result = run(text=text)

    assert result.total in (0, 2)  # words (none match) or nothing to search for (browse)
    assert SearchDocument.objects.count() == 2


def test_search_syntax_that_is_no_words_browses(market):
    market.add("Cloud hosting", count=2)

    assert run(text="*:*").total == 2
    assert run(text="\\").total == 2


# --- Bad input: filters ------------------------------------------------------------------------


def test_unknown_filter_values_are_ignored_and_the_page_says_so(market):
    made = market.add("Cloud hosting", count=2)

    result = run(
        facets={
            "region": ("XX", NORTH_WEST),
            "framework": ("999999", "abc"),
            "sme": ("maybe",),
            "unit": ("fortnight",),
            "accreditation": ("iso_99999",),
            "colour": ("blue",),
        }
    )

    assert sorted(ids(result)) == sorted(made)
    assert result.request.facets == {"region": (NORTH_WEST,)}
    [notice] = [n for n in result.notices if "did not recognise" in n]
    assert notice == (
        "We ignored filters we did not recognise: framework “999999”, framework “abc”, "
        "region “XX”, sme “maybe”, accreditation “iso_99999”, unit “fortnight”, "
        "colour “blue”."
    )


def test_one_unknown_filter_value_is_named_in_the_singular(market):
    result = run(facets={"lot": ("0",)})

    assert result.notices == ["We ignored a filter we did not recognise: lot “0”."]


def test_a_long_unknown_value_is_quoted_short(market):
    result = run(facets={"region": ("Z" * 5000,)})

    assert result.notices == [f"We ignored a filter we did not recognise: region “{'Z' * 40}…”."]


def test_a_flood_of_values_is_cut_and_the_notice_stays_short(market):
    market.add("Cloud hosting")

    result = run(
        facets={
            "region": ("XX",) * 5000 + (NORTH_WEST,),
            "framework": tuple(str(n) for n in range(10**6, 10**6 + 5000)),
            "attr:x": ("1",) * 5000,
        }
    )

    assert result.total == 1
    assert result.request.facets == {}  # the one good value came after the first 50
    assert result.notices == [
        "Filters on a lot’s questions apply once you choose one lot, so we ignored them.",
        "We ignored filters we did not recognise: framework “1000000”, framework “1000001”, "
        "framework “1000002”, framework “1000003”, framework “1000004”, framework “1000005”, "
        "framework “1000006”, framework “1000007”, framework “1000008”, framework “1000009” "
        "and 4,992 more.",
    ]


def test_ids_are_read_as_numbers(market):
    [hosting] = market.add("Cloud hosting")

    result = run(facets={"lot": (f"000{market.hosting.pk}",)})

    assert ids(result) == [hosting]
    assert result.request.facets == {"lot": (str(market.hosting.pk),)}


def test_known_values_of_every_facet_are_kept(market):
    market.add("Cloud hosting", sme=True, cpv=("72000000", "72200000"))

    result = run(
        facets={
            "framework": (str(market.ict.pk),),
            "lot": (str(market.hosting.pk),),
            "authority": (str(market.authority.pk),),
            "cpv": ("72000000-5",),
            "region": ("tld",),
            "sme": ("yes",),
            "accreditation": ("iso_27001",),
            "unit": ("hour",),
        }
    )

    assert result.notices == []
    assert result.request.facets == {
        "framework": (str(market.ict.pk),),
        "lot": (str(market.hosting.pk),),
        "authority": (str(market.authority.pk),),
        "cpv": ("72000000",),
        "region": (NORTH_WEST,),
        "sme": ("yes",),
        "accreditation": ("iso_27001",),
        "unit": ("day",),  # hourly rates are compared as day rates
    }


def test_a_cpv_code_is_taken_with_or_without_its_check_digit_but_must_exist(market):
    [cleaning] = market.add("Street cleaning", cpv=("90000000", "90600000", "90610000"))
    market.add("Cloud hosting", cpv=("72000000",))

    with_check_digit = run(facets={"cpv": ("90610000-6",)})
    without = run(facets={"cpv": ("90610000",)})
    unknown = run(facets={"cpv": ("90619999", "9061")})

    assert ids(with_check_digit) == ids(without) == [cleaning]
    assert with_check_digit.request.facets == {"cpv": ("90610000",)}
    assert unknown.total == 2
    assert unknown.notices == [
        "We ignored filters we did not recognise: cpv “90619999”, cpv “9061”."
    ]


def test_a_page_that_is_not_a_number_is_the_first_page_without_a_notice(market):
    market.add("Cloud hosting", count=3)

    for page in ("abc", "", "-2", "0", "1.5", None, "１"):
        result = run(page=page)
        assert (result.page, result.notices) == (1, []), page
        assert len(result.hits) == 3


def test_a_page_past_the_end_is_the_last_page_with_a_notice(market):
    made = market.add("Cloud hosting", count=PAGE_SIZE + 5)

    result = run(page="7")

    assert result.page == result.page_count == 2
    assert len(result.hits) == 5
    assert result.notices == ["There is no page 7 of these results, so this is the last page."]
    assert set(ids(result)) < set(made)


def test_a_huge_page_number_is_the_last_page(market):
    market.add("Cloud hosting", count=2)

    result = run(page="999999999")

    assert (result.page, len(result.hits)) == (1, 2)
    assert "There is no page 999,999,999" in result.notices[0]


def test_a_page_past_the_end_of_nothing_is_page_one(market):
    result = run(text="nothing", page=3)

    assert (result.page, result.page_count, result.total) == (1, 1, 0)


def test_an_unknown_sort_is_relevance_without_a_notice(market):
    market.add("Cloud hosting")

    result = run(sort="name; DROP")

    assert (result.request.sort, result.notices) == ("relevance", [])


def test_a_price_sort_needs_one_unit_and_is_relevance_otherwise(market):
    cheap = market.add("Cloud hosting", price="100")
    dear = market.add("Cloud hosting", price="900")
    market.add("Cloud hosting", unit="month", price="50")

    without_unit = run(sort="price")
    by_price = run(sort="-price", facets={"unit": ("day",)})

    assert without_unit.request.sort == "relevance"
    assert without_unit.notices == [
        "Prices compare only within one unit, so choose a price unit to sort by price: the "
        "results are sorted by relevance."
    ]
    assert ids(by_price) == dear + cheap
    assert by_price.notices == []


def test_a_price_range_needs_one_unit_first(market):
    market.add("Cloud hosting", price="100")
    market.add("Cloud hosting", unit="month", price="50")

    result = run(ranges={"price": ("10", "200")})

    assert result.total == 2
    assert result.request.ranges == {}
    assert result.notices == [
        "Prices compare only within one unit, so choose a price unit first: we ignored the "
        "price range."
    ]


def test_a_price_range_the_wrong_way_round_is_swapped_with_a_notice(market):
    cheap = market.add("Cloud hosting", price="100")
    market.add("Cloud hosting", price="900")

    result = run(ranges={"price": ("£500", "50")}, facets={"unit": ("day",)})

    assert ids(result) == cheap
    assert result.request.ranges == {"price": ("50", "500")}
    assert result.notices == ["The price range was the wrong way round, so we swapped its ends."]
    assert result.summary == "1 offering, priced £50 to £500 per day"


@pytest.mark.parametrize(
    "typed",
    ["1e9999", "NaN", "Infinity", "99999999999999999999", "12.345", "-5", "0x10", "½"],
)
def test_an_odd_or_huge_price_is_refused_with_a_notice(market, typed):
    market.add("Cloud hosting", price="100")

    result = run(ranges={"price": (typed, "")}, facets={"unit": ("day",)})

    assert result.total == 1
    assert result.request.ranges == {}
    assert len(result.notices) == 1
    assert result.notices[0].startswith("We ignored the lowest price: ")


def test_number_ranges_apply_to_the_chosen_lots_number_questions_only(market):
    small = market.add("Case system", lot=market.software, numbers={"max_users": 50})
    large = market.add("Case system", lot=market.software, numbers={"max_users": 5000})

    lot = {"lot": (str(market.software.pk),)}
    result = run(facets=lot, ranges={"num:max_users": ("1,000", "")})
    swapped = run(facets=lot, ranges={"num:max_users": ("100", "10")})
    no_lot = run(ranges={"num:max_users": ("1000", "")})
    unknown = run(facets=lot, ranges={"num:colour": ("1", "2"), "num:max_users": ("1e5", "")})

    assert ids(result) == large
    assert result.summary == (
        "1 offering on Lot 1 of ICT and Digital Services, where ‘Maximum users’ is at least "
        "1,000 users"
    )
    assert ids(swapped) == small
    assert swapped.request.ranges == {"num:max_users": ("10", "100")}
    assert no_lot.total == 2
    assert no_lot.notices == [
        "Filters on a lot’s questions apply once you choose one lot, so we ignored them."
    ]
    assert unknown.total == 2
    assert unknown.notices[0].startswith("We ignored a limit on Maximum users: ")
    assert "num_colour_min “1”, num_colour_max “2”" in unknown.notices[1]


def test_attribute_filters_apply_to_the_chosen_lot_and_its_options_only(market):
    uk = market.add("Case system", lot=market.software, attributes={"hosted_in_uk": ["yes"]})
    market.add("Case system", lot=market.software, attributes={"hosted_in_uk": ["no"]})

    lot = (str(market.software.pk),)
    chosen = run(facets={"lot": lot, "attr:hosted_in_uk": ("YES",)})
    wrong_option = run(facets={"lot": lot, "attr:support_hours": ("Weekends",)})
    not_filterable = run(facets={"lot": lot, "attr:standards": ("ISO 27001",)})
    no_lot = run(facets={"attr:hosted_in_uk": ("yes",)})

    assert ids(chosen) == uk
    assert chosen.request.facets["attr:hosted_in_uk"] == ("yes",)
    assert chosen.summary == (
        "1 offering on Lot 1 of ICT and Digital Services, where ‘Hosted in the UK’ is Yes"
    )
    assert [spec.key for spec in chosen.questions] == [
        "max_users",
        "hosted_in_uk",
        "support_hours",
    ]
    assert wrong_option.notices == [
        "We ignored a filter we did not recognise: Support hours “Weekends”."
    ]
    assert not_filterable.notices == [
        "We ignored a filter we did not recognise: attr_standards “ISO 27001”."
    ]
    assert no_lot.total == 2
    assert no_lot.notices == [
        "Filters on a lot’s questions apply once you choose one lot, so we ignored them."
    ]


def test_the_chosen_lot_adds_its_choice_questions_as_facets(market):
    market.add("Case system", lot=market.software, attributes={"hosted_in_uk": ["yes"]})
    market.add(
        "Case system",
        lot=market.software,
        attributes={"hosted_in_uk": ["no"], "support_hours": ["24/7"]},
    )

    result = run(facets={"lot": (str(market.software.pk),), "attr:hosted_in_uk": ("no",)})
    neither = run()

    assert [
        (v.value, v.label, v.count, v.selected) for v in result.facets["attr:hosted_in_uk"]
    ] == [("no", "No", 1, True), ("yes", "Yes", 1, False)]
    assert [(v.label, v.count) for v in result.facets["attr:support_hours"]] == [("24/7", 1)]
    assert "attr:max_users" not in result.facets
    assert not any(name.startswith("attr:") for name in neither.facets)


# --- Eligibility -------------------------------------------------------------------------------


def test_a_buyer_sees_only_frameworks_its_organisation_may_use(market, buyer):
    [hosting] = market.add("Cloud hosting")
    market.add("Grounds maintenance", lot=market.grounds)

    result = run(buyer_organisation=buyer)

    assert ids(result) == [hosting]
    assert [v.label for v in result.facets["framework"]] == ["ICT and Digital Services"]


def test_a_buyer_who_asks_for_every_framework_sees_those_not_open_to_it_marked(market, buyer):
    [hosting] = market.add("Cloud hosting")
    [grounds] = market.add("Grounds maintenance", lot=market.grounds)

    result = run(buyer_organisation=buyer, include_not_open=True)

    assert {hit.offering.pk: hit.open_to_buyer for hit in result.hits} == {
        hosting: True,
        grounds: False,
    }
    assert result.notices == []


def test_the_organisation_named_by_the_rules_sees_that_framework(market):
    market.add("Cloud hosting")
    market.add("Grounds maintenance", lot=market.grounds)

    result = run(buyer_organisation=market.insider)

    assert result.total == 2
    assert all(hit.open_to_buyer for hit in result.hits)


def test_eligible_only_without_an_organisation_shows_every_framework_with_a_notice(market):
    market.add("Cloud hosting")
    market.add("Grounds maintenance", lot=market.grounds)

    signed_in = run(signed_in=True)
    anonymous = run()
    supplier = run(signed_in=True, buyer_organisation=market.supplier)
    everything = run(signed_in=True, include_not_open=True)

    assert signed_in.total == anonymous.total == supplier.total == everything.total == 2
    assert (
        signed_in.notices
        == supplier.notices
        == [
            "You are not signed in for a buying organisation, so we cannot tell which frameworks "
            "you may use: offerings on every framework are shown."
        ]
    )
    assert anonymous.notices == everything.notices == []
    assert all(hit.open_to_buyer for hit in signed_in.hits)


def test_eligibility_is_read_in_one_query(market, buyer, django_assert_num_queries):
    from search.service import _Catalogue

    with django_assert_num_queries(2):  # the frameworks with eligibility, then their lots
        catalogue = _Catalogue.load(buyer)

    assert catalogue.open_ids == {market.ict.pk}


# --- Labels and the sentence -------------------------------------------------------------------


def test_facet_values_are_labelled_and_ordered_selected_first_then_by_count(market):
    market.add("Cloud hosting", regions=(NORTH_WEST, LONDON), cpv=("72000000", "72400000"))
    market.add("Cloud hosting", regions=(LONDON,), cpv=("72000000", "72400000", "72410000"))
    market.add("Cloud hosting", regions=("TLM",), sme=True, cpv=("48000000",))
    market.add("Grounds maintenance", lot=market.grounds, regions=("TLM",))

    result = run(facets={"region": ("TLL", NORTH_WEST)})
    facets = {
        name: [(v.label, v.count, v.selected) for v in values]
        for name, values in result.facets.items()
    }

    # Each facet counts under every filter but its own.
    assert facets["region"] == [
        ("North West (England)", 1, True),
        ("Wales", 0, True),
        ("London", 2, False),
        ("Scotland", 2, False),
    ]
    assert facets["cpv"] == [
        ("IT services: consulting, software development, Internet and support", 1, False),
    ]
    assert facets["framework"] == [("ICT and Digital Services", 1, False)]
    assert facets["lot"] == [("Lot 2: Cloud hosting (ICT and Digital Services)", 1, False)]
    assert facets["authority"] == [("Northern Councils Partnership", 1, False)]
    assert facets["unit"] == [("per day", 1, False)]
    assert facets["sme"] == []
    assert list(result.facets) == [
        "framework",
        "lot",
        "authority",
        "cpv",
        "region",
        "sme",
        "vcse",
        "accreditation",
        "unit",
    ]


def test_a_chosen_cpv_code_below_a_division_is_shown_with_the_divisions(market):
    market.add("Cloud hosting", cpv=("72000000", "72400000", "72410000"))
    market.add("Software", cpv=("48000000",))

    result = run(facets={"cpv": ("72410000-7",)})

    assert [(v.label, v.count, v.selected) for v in result.facets["cpv"]] == [
        ("Provider services", 1, True),
        ("IT services: consulting, software development, Internet and support", 1, False),
        ("Software package and information systems", 1, False),
    ]


def test_cpv_counts_show_divisions_only(market):
    market.add("Cloud hosting", cpv=("72000000", "72400000", "72410000"))
    market.add("Hosting", cpv=("72000000", "72400000"))
    market.add("Software", cpv=("48000000",))

    result = run()

    assert [(v.value, v.label, v.count) for v in result.facets["cpv"]] == [
        ("72000000", "IT services: consulting, software development, Internet and support", 2),
        ("48000000", "Software package and information systems", 1),
    ]


def test_the_sentence_sums_up_the_search(market):
    market.add("Cloud hosting", sme=True, count=3)
    market.add("Cloud hosting", sme=False)

    result = run(
        text="cloud hosting",
        facets={"lot": (str(market.hosting.pk),), "sme": ("yes",), "region": (NORTH_WEST,)},
    )

    assert result.summary == (
        "3 offerings for ‘cloud hosting’ on Lot 2 of ICT and Digital Services, from SMEs, "
        "serving the North West"
    )


def test_the_sentence_names_every_filter(market):
    market.add("Cloud hosting", regions=(LONDON,), sme=True, cpv=("72000000",), price="400")

    result = run(
        text="cloud",
        facets={
            "framework": (str(market.ict.pk), str(market.facilities.pk)),
            "authority": (str(market.authority.pk),),
            "cpv": ("72000000-5",),
            "region": (LONDON, NORTH_WEST, "TLM"),
            "sme": ("yes",),
            "vcse": ("yes",),
            "accreditation": ("iso_9001",),
            "unit": ("day",),
        },
        ranges={"price": ("", "450.50")},
        published_after=timezone.make_aware(datetime(2026, 6, 1, 12)),
    )

    assert result.summary == (
        "No offerings for ‘cloud’ on ICT and Digital Services or Facilities Management, on "
        "frameworks of Northern Councils Partnership, in ‘IT services: consulting, software "
        "development, Internet and support’, from SMEs that are VCSEs, serving London, the North "
        "West or Scotland, with ISO 9001 (quality management), priced at most £450.50 per day, "
        "published since 1 June 2026"
    )


def test_one_offering_is_singular_and_a_capped_total_has_a_plus(market, monkeypatch):
    market.add("Cloud hosting")
    assert run().summary == "1 offering"

    market.add("Cloud hosting", count=3)
    monkeypatch.setattr(service, "COUNT_CAP", 3)
    result = run()

    assert (result.total, result.total_capped, result.total_display) == (3, True, "3+")
    assert result.summary == "3+ offerings"


# --- When nothing is found ---------------------------------------------------------------------


def test_nothing_found_suggests_each_filter_to_remove(market):
    market.add("Cloud hosting", regions=(LONDON,))

    result = run(
        text="cloud",
        facets={
            "lot": (str(market.software.pk),),
            "region": (NORTH_WEST,),
            "unit": ("day",),
            "attr:hosted_in_uk": ("yes",),
        },
        ranges={"price": ("10", "20")},
        page=2,
    )

    assert result.total == 0
    lot, region, unit, answer, price = result.relaxations
    assert lot == (
        "Remove ‘Lot 1: Software (ICT and Digital Services)’",
        "?q=cloud&region=TLD&unit=day&price_min=10&price_max=20",
    )
    assert region == (
        "Remove ‘North West (England)’",
        f"?q=cloud&lot={market.software.pk}&unit=day&attr_hosted_in_uk=yes"
        "&price_min=10&price_max=20",
    )
    assert unit == (
        "Remove ‘per day’",
        f"?q=cloud&lot={market.software.pk}&region=TLD&attr_hosted_in_uk=yes",
    )
    assert answer == (
        "Remove ‘Hosted in the UK: Yes’",
        f"?q=cloud&lot={market.software.pk}&region=TLD&unit=day&price_min=10&price_max=20",
    )
    assert price == (
        "Remove the price range",
        f"?q=cloud&lot={market.software.pk}&region=TLD&unit=day&attr_hosted_in_uk=yes",
    )


def test_nothing_found_for_a_buyer_suggests_frameworks_not_open_to_it(market, buyer):
    market.add("Grounds maintenance", lot=market.grounds)

    result = run(text="grounds", buyer_organisation=buyer)

    assert result.relaxations == [("Include frameworks not open to you", "?q=grounds&all=1")]


def test_results_suggest_nothing_to_remove(market):
    market.add("Cloud hosting", regions=(NORTH_WEST,))

    assert run(facets={"region": (NORTH_WEST,)}).relaxations == []


# --- The query string --------------------------------------------------------------------------


def test_a_query_string_reads_back_as_the_same_request(market, procurement_officer, buyer):
    querydict = QueryDict(
        "q=cloud+hosting&framework=3&lot=7&region=TLD&region=TLI&sme=yes&unit=day"
        "&price_min=10&price_max=20&attr_hosted_in_uk=yes&num_max_users_min=5&sort=price"
        "&all=1&page=2&utm_source=mail"
    )

    request = service.querydict_to_request(querydict, user=procurement_officer, today=TODAY)

    assert request == SearchRequest(
        text="cloud hosting",
        facets={
            "framework": ("3",),
            "lot": ("7",),
            "region": ("TLD", "TLI"),
            "sme": ("yes",),
            "unit": ("day",),
            "attr:hosted_in_uk": ("yes",),
        },
        ranges={"price": ("10", "20"), "num:max_users": ("5", "")},
        buyer_organisation=buyer,
        include_not_open=True,
        sort="price",
        page="2",
        today=TODAY,
        signed_in=True,
    )
    assert service.request_to_querydict(request).urlencode() == (
        "q=cloud+hosting&framework=3&lot=7&region=TLD&region=TLI&sme=yes&unit=day"
        "&attr_hosted_in_uk=yes&price_min=10&price_max=20&num_max_users_min=5&sort=price"
        "&all=1&page=2"
    )


def test_an_anonymous_query_string_has_no_organisation(db):
    from django.contrib.auth.models import AnonymousUser

    request = service.querydict_to_request(QueryDict("q=x"), user=AnonymousUser(), today=TODAY)

    assert (request.buyer_organisation, request.signed_in, request.page) == (None, False, 1)


def test_the_request_as_understood_links_back_to_the_same_search(market):
    market.add("Cloud hosting", count=2)
    result = run(text="cloud", facets={"region": ("tld", "XX")}, sort="bogus", page="x")

    again = service.querydict_to_request(service.request_to_querydict(result.request), today=TODAY)

    assert service.request_to_querydict(result.request).urlencode() == "q=cloud&region=TLD"
    assert ids(service.search(again)) == ids(result)


# --- Queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("results", [5, 50])
def test_a_search_runs_a_constant_number_of_queries(
    market, buyer, results, django_assert_max_num_queries
):
    market.add(
        "Case system",
        lot=market.software,
        attributes={"hosted_in_uk": ["yes"]},
        numbers={"max_users": 10},
        cpv=("72000000",),
        count=results,
    )

    with django_assert_max_num_queries(12):
        result = run(
            text="case",
            buyer_organisation=buyer,
            include_not_open=True,
            facets={
                "lot": (str(market.software.pk),),
                "cpv": ("72000000",),
                "attr:hosted_in_uk": ("yes",),
            },
            ranges={"num:max_users": ("1", "100")},
        )
        for hit in result.hits:
            assert hit.offering.supplier.name
            assert hit.offering.lot.framework.title

    assert result.total == results
    assert len(result.hits) == min(results, PAGE_SIZE)


def test_the_number_of_queries_does_not_grow_with_the_results(market, buyer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            result = run(text="case", buyer_organisation=buyer, facets={"region": (NORTH_WEST,)})
            for hit in result.hits:
                assert hit.offering.supplier.name and hit.offering.lot.framework.title
        return len(queries)

    count()  # a process's first search also counts the documents, to choose how to snapshot
    market.add("Case system", count=5)
    few = count()
    market.add("Case system", count=45)
    many = count()

    assert few == many <= 12
