"""The search page, /search/: offerings (filters, counts, sort, eligibility), frameworks and
lots, and guidance; every search a URL, every bad input a message, never a 500."""

import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from frameworks.models import Lot
from search import service, types
from search.analysis import analyse
from search.models import SearchDocument, SearchFacet
from suppliers.models import Offering
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


class Catalogue:
    """Two frameworks: one open to the `buyer` fixture's organisation, one not. Offerings are
    listed by writing their search documents as search.indexing would (contracts.md)."""

    def __init__(self, buyer):
        self.other_buyer = factories.OrganisationFactory(kind="buyer")
        self.open = factories.framework_page(
            title="ICT and Digital Services",
            lots=[
                {"number": 1, "title": "Software", "attribute_schema": factories.ATTRIBUTE_SCHEMA},
                {"number": 2, "title": "Hosting"},
            ],
            eligible_organisations=[buyer],
        )
        self.closed = factories.framework_page(
            title="Facilities Management",
            lots=[{"number": 1, "title": "Grounds"}],
            eligible_organisations=[self.other_buyer],
        )
        self.software = self.open.lots.get(number=1)
        self.hosting = self.open.lots.get(number=2)
        self.grounds = self.closed.lots.get(number=1)
        self.sme = factories.OrganisationFactory(
            kind="supplier", legal_name="Pennine Digital Ltd", is_sme=True
        )
        self.large = factories.OrganisationFactory(kind="supplier", legal_name="Bigco plc")

    def list(
        self,
        title,
        *,
        lot=None,
        supplier=None,
        summary="",
        price="100.00",
        unit="day",
        regions=("TLD",),
        attributes=None,
        numbers=None,
        count=1,
    ) -> list[Offering]:
        lot = lot or self.software
        supplier = supplier or self.sme
        offerings = Offering.objects.bulk_create(
            Offering(
                supplier=supplier,
                lot=lot,
                status=Offering.Status.LIVE,
                live=True,
                title=title,
                summary=summary or f"About {title}.",
                description="",
                attributes=attributes or {},
                price=Decimal(price),
                price_unit=unit,
                comparable_price=Decimal(price),
                comparable_unit=unit,
                regions_served=list(regions),
                lead_time_days=5,
            )
            for _ in range(count)
        )
        SearchDocument.objects.bulk_create(
            SearchDocument(
                offering_id=offering.pk,
                framework_id=lot.framework_id,
                lot_id=lot.pk,
                supplier_id=supplier.pk,
                title_terms=analyse(offering.title),
                summary_terms=analyse(offering.summary),
                description_terms="",
                supplier_terms=analyse(supplier.name),
                comparable_unit=unit,
                comparable_price=Decimal(price),
                numbers=numbers or {},
                listed_from=timezone.localdate() - timezone.timedelta(days=10),
                listed_until=None,
                first_published_at=timezone.now(),
            )
            for offering in offerings
        )
        values = {
            types.FRAMEWORK: [str(lot.framework_id)],
            types.LOT: [str(lot.pk)],
            types.AUTHORITY: [str(lot.framework.authority_id)],
            types.UNIT: [unit],
            types.REGION: list(regions),
            **({types.SME: ["yes"]} if supplier.is_sme else {}),
            **{types.ATTRIBUTE_PREFIX + key: [value] for key, value in (attributes or {}).items()},
        }
        SearchFacet.objects.bulk_create(
            SearchFacet(document_id=offering.pk, name=name, value=value)
            for offering in offerings
            for name, items in values.items()
            for value in items
        )
        return offerings


@pytest.fixture
def catalogue(buyer):
    return Catalogue(buyer)


@pytest.fixture
def buyer_client(client, procurement_officer):
    client.force_login(procurement_officer)
    return client


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


def result_titles(response) -> list[str]:
    return [hit.offering.title for hit in response.context["result"].hits]


class FormReader(HTMLParser):
    """What a browser without JavaScript sends when it submits the form with id `form_id`:
    its text inputs, ticked boxes and selected options (inputs with form= elsewhere left out)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.depth = 0
        self.pairs: list[tuple[str, str]] = []
        self.action = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.depth = 1
            self.action = attrs.get("action")
            return
        if not self.depth or attrs.get("form") not in (None, self.form_id):
            return
        if tag == "form":
            self.depth += 1
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.pairs.append((attrs["name"], attrs.get("value", "on")))
            elif kind != "submit":
                self.pairs.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self.pairs.append((self._select, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1
        elif tag == "select":
            self._select = None


def submitted(html: str, form_id: str = "search-form") -> tuple[str, list[tuple[str, str]]]:
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.action, reader.pairs


# --- The page ---------------------------------------------------------------------------------


def test_search_page_moved_from_cms_and_keeps_its_url(client):
    assert reverse("search:search") == SEARCH
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["result"].total == 0


def test_search_lists_offerings_with_their_matched_words_marked(client, catalogue):
    (offering,) = catalogue.list("Cloud hosting for councils", price="450.00", unit="day")
    catalogue.list("Grass cutting", lot=catalogue.grounds, supplier=catalogue.large)

    response = client.get(SEARCH, {"q": "cloud"})

    html = html_of(response)
    assert result_titles(response) == ["Cloud hosting for councils"]
    assert (
        f'<a class="govuk-link" href="/offerings/{offering.pk}/?back=/search/%3Fq%3Dcloud">'
        "<mark>Cloud</mark> hosting for councils</a>" in html
    )
    text = text_of(response)
    assert "1 offering for ‘cloud’" in text
    assert "Pennine Digital Ltd · ICT and Digital Services, Lot 1: Software" in text
    assert "£450.00 per day" in text
    assert "Comparable price: £450.00 per day , excluding VAT" in text
    assert '<strong class="govuk-tag govuk-tag--blue">SME</strong>' in html
    assert "Not open to you" not in html


def test_search_escapes_what_suppliers_write(client, catalogue):
    catalogue.list("<script>alert(1)</script> hosting")

    html = html_of(client.get(SEARCH, {"q": "hosting"}))

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>hosting</mark>" in html


def test_browsing_with_no_words_lists_everything(client, catalogue):
    catalogue.list("Alpha", count=3)

    response = client.get(SEARCH)

    assert len(result_titles(response)) == 3
    assert "3 offerings" in text_of(response)


def test_filters_show_a_count_beside_each_value(client, catalogue):
    catalogue.list("Case management", regions=("TLD", "TLC"), count=2)
    catalogue.list("Case notes", regions=("TLC",), supplier=catalogue.large)

    html = html_of(client.get(SEARCH, {"q": "case"}))

    assert re.search(
        r'name="region" type="checkbox" value="TLC">\s*<label class="govuk-label '
        r'govuk-checkboxes__label" for="filter-\d+-\d+">North East \(England\) '
        r'<span class="app-count">\(3\)',
        html,
    )
    north_west = r'value="TLD">\s*<label[^>]*>North West \(England\) <span class="app-count">\(2'
    assert re.search(north_west, html)
    assert re.search(r'name="sme" type="checkbox" value="yes">\s*<label[^>]*>SME <span', html)
    assert re.search(r'name="unit" type="radio" value="day">\s*<label[^>]*>Per day <span', html)


def test_a_long_list_of_values_shows_the_first_and_the_rest_under_show_all(client, catalogue):
    all_regions = ("TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM")
    catalogue.list("Case everywhere", regions=all_regions)

    html = html_of(client.get(SEARCH, {"q": "case", "region": "TLM"}))

    shown, more = html.split('<span class="govuk-details__summary-text">Show all 11 regions</span>')
    more = more.split("</details>")[0]
    assert shown.count('name="region"') == 8
    assert more.count('name="region"') == 3
    # The chosen value comes first, so it is never hidden under "Show all".
    assert re.search(r'value="TLM" checked>\s*<label[^>]*>Scotland', shown)


def test_a_chosen_filter_narrows_shows_as_a_removable_tag_and_keeps_other_counts(client, catalogue):
    catalogue.list("Case management", regions=("TLD",), count=2)
    catalogue.list("Case notes", regions=("TLC",))

    response = client.get(SEARCH, {"q": "case", "region": "TLC"})

    html = html_of(response)
    assert result_titles(response) == ["Case notes"]
    north_east = r'value="TLC" checked>\s*<label[^>]*>North East \(England\) <span[^>]*>\(1\)'
    assert re.search(north_east, html)
    # Each facet counts under every filter but its own: North West still says 2.
    assert re.search(r'value="TLD">\s*<label[^>]*>North West \(England\) <span[^>]*>\(2\)', html)
    assert (
        '<a class="govuk-link app-filter-tag" href="?q=case"><span class="govuk-visually-hidden">'
        "Remove filter </span>Region served: North East (England)" in html
    )


def test_every_filter_tag_reads_its_filter_then_its_value(client, catalogue):
    catalogue.list("Case management", regions=("TLC",), unit="day")

    response = client.get(
        SEARCH,
        {"q": "case", "sme": "yes", "unit": "day", "price_min": "10", "region": "TLC"},
        follow=True,
    )

    labels = [tag.label for tag in response.context["tags"]]
    assert labels == [
        "Region served: North East (England)",
        "Supplier type: SME",
        "Price unit: per day",
        "Comparable price: at least £10",
    ]
    html = html_of(response)
    for label in labels:
        assert f'<span class="govuk-visually-hidden">Remove filter </span>{label} ' in html


def test_a_search_is_its_url_and_reads_back_the_same(client, catalogue):
    catalogue.list("Case management", regions=("TLD",), count=3)
    catalogue.list("Case notes", regions=("TLC",), price="20.00")
    params = [
        ("q", "case"),
        ("region", "TLD"),
        ("region", "TLC"),
        ("unit", "day"),
        ("price_min", "10"),
        ("sort", "-price"),
    ]

    first = client.get(SEARCH, params)
    canonical = first.context["query_string"]
    again = client.get(f"{SEARCH}?{canonical}")

    assert result_titles(again) == result_titles(first)
    assert again.context["result"].summary == first.context["result"].summary
    assert QueryDict(canonical) == QueryDict(urlencode(params))
    assert again.context["query_string"] == canonical


def test_the_form_works_without_javascript(client, catalogue):
    """Submitting the page's own form as a browser would (no script) gives the same search."""
    catalogue.list("Case management", regions=("TLD",), count=2)
    catalogue.list("Case notes", regions=("TLC",), price="20.00")
    first = client.get(SEARCH, {"q": "case", "region": "TLC", "unit": "day", "sort": "price"})

    action, pairs = submitted(html_of(first))
    again = client.get(action, pairs, follow=True)

    assert action == SEARCH
    assert ("region", "TLC") in pairs
    assert ("unit", "day") in pairs
    assert ("sort", "price") in pairs
    assert ("offering", str(first.context["result"].hits[0].offering.pk)) not in pairs
    assert result_titles(again) == result_titles(first) == ["Case notes"]


def test_a_submitted_form_redirects_once_to_the_clean_canonical_url(client, catalogue):
    catalogue.list("Case notes", regions=("TLC",))
    form = [
        ("q", "case notes"),
        ("region", "TLC"),
        ("unit", ""),
        ("price_min", ""),
        ("price_max", ""),
        ("sort", "relevance"),
    ]

    response = client.get(SEARCH, form)

    assert response.status_code == 302
    assert response["Location"] == "/search/?q=case+notes&region=TLC"
    clean = client.get(response["Location"])
    assert clean.status_code == 200
    assert result_titles(clean) == ["Case notes"]
    # Defaults alone go too; a canonical URL, or none, is shown as it is.
    assert client.get(SEARCH, {"sort": "relevance", "page": "1"})["Location"] == "/search/"
    assert client.get(SEARCH).status_code == 200


def test_a_notice_about_the_input_survives_the_redirect(client, catalogue):
    catalogue.list("Case", count=2)

    response = client.get(SEARCH, {"unit": "", "q": "case", "region": "ZZZ"})

    assert response["Location"] == "/search/?q=case&region=ZZZ"
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    assert "We ignored a filter we did not recognise: region “ZZZ”." in text_of(followed)


def test_apply_filters_is_at_the_top_and_the_bottom_of_the_filter_column(client, catalogue):
    catalogue.list("Case notes")

    html = html_of(client.get(SEARCH, {"q": "case"}))

    column = html.split('app-filter-column">', 1)[1].split('id="results-summary"', 1)[0]
    assert column.count(">Apply filters</button>") == 2
    assert column.index(">Apply filters</button>") < column.index("<fieldset")
    assert html.count('id="search-form"') == 1


def test_price_unit_comes_before_the_price_range_and_price_sorts_need_a_unit(client, catalogue):
    catalogue.list("Case management", count=2)

    html = html_of(client.get(SEARCH, {"q": "case"}))

    assert html.index("Price unit") < html.index('name="price_min"')
    assert "Choose a price unit first" in html
    assert '<option value="price"' not in html

    html = html_of(client.get(SEARCH, {"q": "case", "unit": "day"}))

    assert "Choose a price unit first" not in html
    assert '<option value="price">Comparable price, low to high</option>' in html
    assert '<option value="-price">Comparable price, high to low</option>' in html


def test_sorting_by_price_within_a_unit(client, catalogue):
    catalogue.list("Case dear", price="300.00")
    catalogue.list("Case cheap", price="100.00")
    catalogue.list("Case middling", price="200.00")

    response = client.get(SEARCH, {"q": "case", "unit": "day", "sort": "price"})
    assert result_titles(response) == ["Case cheap", "Case middling", "Case dear"]

    response = client.get(SEARCH, {"q": "case", "unit": "day", "sort": "-price"})
    assert result_titles(response) == ["Case dear", "Case middling", "Case cheap"]


def test_a_chosen_lot_shows_its_own_questions_as_filters(client, catalogue):
    catalogue.list(
        "Case hosted",
        attributes={"hosted_in_uk": "yes", "support_hours": "24/7"},
        numbers={"max_users": 500},
    )
    catalogue.list(
        "Case abroad",
        attributes={"hosted_in_uk": "no", "support_hours": "Office hours"},
        numbers={"max_users": 50},
    )
    lot = str(catalogue.software.pk)

    response = client.get(SEARCH, {"lot": lot, "attr_hosted_in_uk": "yes"})

    html = html_of(response)
    assert result_titles(response) == ["Case hosted"]
    assert 'govuk-fieldset__legend--s">Hosted in the UK</legend>' in html
    assert re.search(r'name="attr_hosted_in_uk" type="checkbox" value="yes" checked>', html)
    assert re.search(r'name="attr_support_hours" type="checkbox" value="24/7">', html)
    assert "Maximum users (users)" in html
    assert 'name="num_max_users_min"' in html

    response = client.get(SEARCH, {"lot": lot, "num_max_users_min": "100"})
    assert result_titles(response) == ["Case hosted"]
    assert 'name="num_max_users_min" type="text" inputmode="decimal" spellcheck="false" ' in (
        html_of(response)
    )
    assert 'spellcheck="false" value="100"' in html_of(response)


def test_no_results_suggest_which_filter_to_remove(client, catalogue):
    catalogue.list("Case management", regions=("TLD",))

    response = client.get(SEARCH, {"q": "case", "region": "TLC"})

    html = html_of(response)
    assert response.context["result"].total == 0
    assert "No offerings match your search." in html
    assert '<a class="govuk-link" href="?q=case">Remove ‘North East (England)’</a>' in html


def test_results_are_paged_with_the_projects_pagination(client, catalogue):
    catalogue.list("Case", count=25)

    response = client.get(SEARCH, {"q": "case", "page": "2"})

    html = html_of(response)
    assert len(response.context["result"].hits) == 5
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?q=case&amp;page=2" aria-label="Page 2" aria-current="page"' in html
    assert 'href="?q=case&amp;page=1" rel="prev"' in html


def test_each_result_can_be_ticked_for_comparison_in_a_separate_get_form(client, catalogue):
    (offering,) = catalogue.list("Case management")

    html = html_of(client.get(SEARCH, {"q": "case"}))

    assert (
        f'<input class="govuk-checkboxes__input" id="compare-{offering.pk}" name="offering" '
        f'type="checkbox" value="{offering.pk}" form="compare-form">' in html
    )
    assert "Compare selected (up to 10)" in html
    action, pairs = submitted(html, "compare-form")
    assert action == reverse("search:compare")
    assert pairs == [("back", "q=case")]


# --- Who is searching -------------------------------------------------------------------------


def test_a_buyer_sees_only_frameworks_their_organisation_may_use_by_default(
    buyer_client, catalogue
):
    catalogue.list("Case management")
    catalogue.list("Case grounds", lot=catalogue.grounds)

    response = buyer_client.get(SEARCH, {"q": "case"})

    html = html_of(response)
    assert result_titles(response) == ["Case management"]
    assert (
        '<input class="govuk-checkboxes__input" id="filter-all" name="all" type="checkbox" '
        'value="1" aria-describedby="filter-all-hint">' in html
    )
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="filter-all">Include frameworks '
        "my organisation cannot use</label>" in html
    )


def test_the_eligibility_switch_shows_the_rest_marked_not_open(buyer_client, catalogue):
    catalogue.list("Case management")
    catalogue.list("Case grounds", lot=catalogue.grounds)

    response = buyer_client.get(SEARCH, {"q": "case", "all": "1"})

    html = html_of(response)
    assert sorted(result_titles(response)) == ["Case grounds", "Case management"]
    assert 'name="all" type="checkbox" value="1" checked' in html
    assert html.count('<strong class="govuk-tag govuk-tag--grey">Not open to you</strong>') == 1


def test_a_buyer_can_save_the_search(buyer_client, catalogue):
    catalogue.list("Case management")

    html = html_of(buyer_client.get(SEARCH, {"q": "case", "region": "TLD"}))

    assert (
        '<a class="govuk-link" href="/buying/saved-searches/new/?q=case&amp;region=TLD">'
        "Save this search</a>" in html
    )


def test_anonymous_visitors_see_every_framework_and_no_switch_or_save_link(client, catalogue):
    catalogue.list("Case management")
    catalogue.list("Case grounds", lot=catalogue.grounds)

    response = client.get(SEARCH, {"q": "case"})

    html = html_of(response)
    assert len(result_titles(response)) == 2
    assert 'name="all"' not in html
    assert "Save this search" not in html
    assert "Not open to you" not in html


# --- Bad input --------------------------------------------------------------------------------


def test_a_very_long_query_is_cut_with_a_message(client, catalogue):
    catalogue.list("Case management")

    response = client.get(SEARCH, {"q": "case " + "x" * 10_000})

    text = text_of(response)
    assert "Your search was too long, so only its first 200 characters were used." in text
    assert len(response.context["text"]) <= 200


# Not "page": pytest-playwright would take a parameter of that name for its browser page.
@pytest.mark.parametrize("page_number", ["abc", "-3", "1.5", ""])
def test_a_page_that_is_not_a_number_shows_the_first_page(client, catalogue, page_number):
    catalogue.list("Case", count=3)

    response = client.get(SEARCH, {"q": "case", "page": page_number}, follow=True)

    assert response.status_code == 200
    assert response.context["result"].page == 1
    assert len(result_titles(response)) == 3


def test_a_page_past_the_end_shows_the_last_page_and_says_so(client, catalogue):
    catalogue.list("Case", count=25)

    response = client.get(SEARCH, {"q": "case", "page": "9999"})

    assert response.context["result"].page == 2
    assert len(result_titles(response)) == 5
    assert "There is no page 9,999 of these results, so this is the last page." in text_of(response)


def test_unknown_filters_are_ignored_and_the_page_says_so(client, catalogue):
    catalogue.list("Case", count=2)

    response = client.get(SEARCH, {"q": "case", "region": "ZZZ", "colour": "blue"}, follow=True)

    assert len(result_titles(response)) == 2
    text = text_of(response)
    assert "We ignored a filter we did not recognise: region “ZZZ”." in text
    assert response.context["query_string"] == "q=case"


def test_a_price_range_the_wrong_way_round_is_swapped_with_a_message(client, catalogue):
    catalogue.list("Case cheap", price="50.00")
    catalogue.list("Case dear", price="500.00")

    response = client.get(
        SEARCH, {"q": "case", "unit": "day", "price_min": "400", "price_max": "100"}
    )

    assert result_titles(response) == []
    response = client.get(
        SEARCH, {"q": "case", "unit": "day", "price_min": "600", "price_max": "100"}
    )
    assert result_titles(response) == ["Case dear"]
    assert "The price range was the wrong way round, so we swapped its ends." in text_of(response)
    # What was typed stays in the boxes.
    html = html_of(response)
    assert 'name="price_min" type="text" inputmode="decimal" spellcheck="false" value="600"' in html


@pytest.mark.parametrize(
    "text", ['"unbalanced', "the of and", "' OR 1=1 --", "*:*", "\\", "%00", "<b>"]
)
def test_syntax_fragments_never_break_the_page(client, catalogue, text):
    catalogue.list("Case management")

    response = client.get(SEARCH, {"q": text, "page": "2", "sort": "nonsense"}, follow=True)

    assert response.status_code == 200


def test_a_price_without_a_unit_is_ignored_with_a_message(client, catalogue):
    catalogue.list("Case", count=2)

    response = client.get(SEARCH, {"q": "case", "price_min": "10"})

    assert len(result_titles(response)) == 2
    assert "choose a price unit first" in text_of(response)


# --- Cost -------------------------------------------------------------------------------------


def count_queries(client, user=None, **params) -> tuple[int, int]:
    """(SQL queries, hits) of one search page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, params)
    return len(queries.captured_queries), len(response.context["result"].hits)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "buyer"])
def test_search_page_queries_do_not_grow_with_the_results(
    client, procurement_officer, catalogue, signed_in
):
    if signed_in:
        client.force_login(procurement_officer)
    catalogue.list("Case", count=3)
    params = {"q": "case", "region": "TLD", "all": "1"}
    count_queries(client, **params)  # warm the site and navigation caches

    three, hits = count_queries(client, **params)
    assert hits == 3
    catalogue.list("Case", lot=catalogue.hosting, supplier=catalogue.large, count=27)
    thirty, hits = count_queries(client, **params)

    assert hits == 20
    assert thirty == three
    assert three <= 20


# --- Search boxes elsewhere -------------------------------------------------------------------


def test_the_lot_page_searches_within_its_lot(client, catalogue):
    url = catalogue.open.url + catalogue.open.reverse_subpage("lot", kwargs={"number": 1})

    html = html_of(client.get(url))

    assert '<form method="get" action="/search/" role="search"' in html
    assert f'<input type="hidden" name="lot" value="{catalogue.software.pk}">' in html
    assert 'aria-label="Search offerings on this lot"' in html


def test_the_framework_page_searches_within_its_framework(client, catalogue):
    html = html_of(client.get(catalogue.open.url))

    assert f'<input type="hidden" name="framework" value="{catalogue.open.pk}">' in html
    assert 'aria-label="Search offerings on this framework"' in html


def test_the_home_page_has_a_search_box(client):
    html = html_of(client.get("/"))

    assert (
        '<form method="get" action="/search/" role="search" '
        'aria-label="Search offerings, frameworks and lots" class="app-search-box">' in html
    )
    assert '<label class="govuk-label govuk-label--m" for="home-search">' in html
    assert (
        '<input type="hidden"' not in html.split('id="home-search"')[0].split("app-search-box")[-1]
    )


def test_the_buyer_home_has_a_search_box(buyer_client, catalogue):
    html = html_of(buyer_client.get(reverse("frameworks:buyer-home")))

    assert '<form method="get" action="/search/" role="search"' in html
    assert 'name="q" type="search"' in html


def test_searching_from_a_lot_page_shows_that_lots_offerings(client, catalogue):
    catalogue.list("Case software")
    catalogue.list("Case hosting", lot=catalogue.hosting)

    response = client.get(SEARCH, {"lot": str(catalogue.hosting.pk), "q": "case"}, follow=True)

    assert result_titles(response) == ["Case hosting"]
    assert "1 offering for ‘case’ on Lot 2 of ICT and Digital Services" in text_of(response)


# --- Tabs -------------------------------------------------------------------------------------


def test_the_tabs_are_links_that_keep_the_words(client):
    html = html_of(client.get(SEARCH, {"q": "grounds", "region": "TLD"}))

    assert '<a class="govuk-tabs__tab" href="?q=grounds" aria-current="page">Offerings</a>' in html
    assert (
        '<a class="govuk-tabs__tab" href="?q=grounds&amp;tab=frameworks">Frameworks and lots</a>'
        in html
    )
    assert '<a class="govuk-tabs__tab" href="?q=grounds&amp;tab=guidance">Guidance</a>' in html
    assert 'data-module="govuk-tabs"' not in html


def test_the_current_tab_is_marked_without_javascript(client):
    html = html_of(client.get(SEARCH, {"tab": "frameworks", "q": "grounds"}))

    assert (
        '<li class="govuk-tabs__list-item govuk-tabs__list-item--selected">\n'
        '      <a class="govuk-tabs__tab" href="?q=grounds&amp;tab=frameworks" aria-current="page">'
        "Frameworks and lots</a>" in html
    )
    assert html.count('aria-current="page"') == 1
    assert html.count("govuk-tabs__list-item--selected") == 1


def test_the_guidance_tab_searches_guidance(client):
    response = client.get(SEARCH, {"q": "levy", "tab": "guidance"})

    html = html_of(response)
    assert "0 results for ‘levy’" in html
    assert '<input type="hidden" name="tab" value="guidance">' in html


def test_service_reads_the_parameters_the_form_sends():
    """The names the template gives inputs are the names the service reads."""
    from search import forms

    request = service.querydict_to_request(
        QueryDict(
            urlencode(
                [
                    (forms.facet_parameter(types.REGION), "TLD"),
                    (forms.facet_parameter("attr:hosted_in_uk"), "yes"),
                    (forms.range_parameters(types.PRICE)[0], "5"),
                    (forms.range_parameters("num:max_users")[1], "9"),
                ]
            )
        ),
        today=timezone.localdate(),
    )
    assert request.facets == {"region": ("TLD",), "attr:hosted_in_uk": ("yes",)}
    assert request.ranges == {"price": ("5", ""), "num:max_users": ("", "9")}


# --- Frameworks and lots ----------------------------------------------------------------------


@pytest.fixture
def lots_catalogue(buyer):
    from search.indexing import index_lots

    catalogue = Catalogue(buyer)
    parks = factories.framework_page(
        title="Parks and Open Spaces",
        cpv_codes=("77310000-6",),
        lots=[{"number": 1, "title": "Green space upkeep"}, {"number": 2, "title": "Tree work"}],
        eligible_organisations=[catalogue.other_buyer],
    )
    catalogue.parks = parks
    index_lots(Lot.objects.values_list("pk", flat=True))
    return catalogue


def test_frameworks_tab_finds_lots_under_their_frameworks(client, lots_catalogue):
    response = client.get(SEARCH, {"tab": "frameworks", "q": "software"})

    html = html_of(response)
    open_framework = lots_catalogue.open
    lot_url = open_framework.url + open_framework.reverse_subpage("lot", kwargs={"number": 1})
    assert "1 lot on 1 framework for ‘software’" in text_of(response)
    framework_link = f'<a class="govuk-link" href="{open_framework.url}?q=software">'
    assert framework_link + "ICT and Digital Services</a>" in html
    lot_link = f'<a class="govuk-link" href="{lot_url}?q=software">Lot 1: <mark>Software</mark></a>'
    assert lot_link in html
    offerings = f"/search/?q=software&amp;lot={lots_catalogue.software.pk}"
    assert f'<a class="govuk-link" href="{offerings}">Search offerings' in html


def test_the_lot_and_framework_pages_keep_the_words_from_the_frameworks_tab(client, lots_catalogue):
    framework = lots_catalogue.open
    lot_url = framework.url + framework.reverse_subpage("lot", kwargs={"number": 1})

    lot_html = html_of(client.get(lot_url, {"q": "cloud software"}))
    framework_html = html_of(client.get(framework.url, {"q": "cloud software"}))

    assert 'id="lot-search" name="q" type="search" value="cloud software"' in lot_html
    assert 'id="framework-search" name="q" type="search" value="cloud software"' in framework_html
    # The box sends the words before the scope: the canonical URL, no redirect.
    box = lot_html.split('aria-label="Search offerings on this lot"', 1)[1].split("</form>")[0]
    hidden = f'<input type="hidden" name="lot" value="{lots_catalogue.software.pk}">'
    assert box.index('name="q"') < box.index(hidden)
    pairs = [("q", "cloud software"), ("lot", str(lots_catalogue.software.pk))]
    assert client.get(SEARCH, pairs).status_code == 200


def test_a_cpv_code_search_links_to_offerings_without_the_code_as_words(client, lots_catalogue):
    html = html_of(client.get(SEARCH, {"tab": "frameworks", "q": "77310000"}))

    assert "/?q=77310000" not in html
    assert f'href="/search/?lot={lots_catalogue.parks.lots.get(number=1).pk}"' in html


def test_frameworks_tab_finds_lots_by_a_cpv_label_beneath_their_codes(client, lots_catalogue):
    response = client.get(SEARCH, {"tab": "frameworks", "q": "grounds maintenance"})

    text = text_of(response)
    assert "2 lots on 1 framework for ‘grounds maintenance’" in text
    assert "Categories: 77310000-6 Planting and maintenance services of green areas" in text
    assert "Matched categories: 77314000-4 Grounds maintenance services" in text


def test_frameworks_tab_marks_the_codes_it_matched_with_the_lot_searchs_analysis(
    client, lots_catalogue
):
    """ "accessibility" is the stem "access": the codes whose labels have it are the reason the
    lots were found, beneath the lot's codes or its own."""
    from search.indexing import index_lots

    kit = factories.framework_page(
        title="Kit", cpv_codes=("30236000-2", "34953000-2"), lots=[{"number": 1, "title": "Kit"}]
    )
    index_lots(kit.lots.values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, {"tab": "frameworks", "q": "accessibility"})

    html = html_of(response)
    assert "1 lot on 1 framework for ‘accessibility’" in text_of(response)
    assert "<mark>34953000-2 Access ramps</mark>" in html
    assert "30236000-2 Miscellaneous computer equipment;" in html
    assert "<mark>30236000-2" not in html
    assert "Matched categories: <mark>30236110-6 Random access memory (RAM)</mark>" in html
    assert "<mark>30236100-3" not in html
    cpv_reads = [q for q in queries.captured_queries if "frameworks_cpvcode" in q["sql"]]
    assert len(cpv_reads) <= 3


def test_frameworks_tab_finds_lots_by_a_cpv_code(client, lots_catalogue):
    response = client.get(SEARCH, {"tab": "frameworks", "q": "77300000-3"})

    html = html_of(response)
    assert "2 lots on 1 framework for ‘77300000-3’" in text_of(response)
    assert "<mark>77310000-6 Planting and maintenance services of green areas</mark>" in html


def test_frameworks_tab_shows_a_buyer_only_its_frameworks_unless_asked(
    buyer_client, lots_catalogue
):
    html = html_of(buyer_client.get(SEARCH, {"tab": "frameworks", "q": "tree"}))

    assert "No frameworks or lots match your search." in html
    assert 'href="?tab=frameworks&amp;q=tree&amp;all=1"' in html

    html = html_of(buyer_client.get(SEARCH, {"tab": "frameworks", "q": "tree", "all": "1"}))

    assert "Lot 2: <mark>Tree</mark> work" in html
    assert '<strong class="govuk-tag govuk-tag--grey">Not open to you</strong>' in html
    assert 'id="filter-all" name="all" type="checkbox" value="1" checked' in html


def test_frameworks_tab_queries_do_not_grow_with_the_lots(client, lots_catalogue):
    params = {"tab": "frameworks", "q": "work"}
    client.get(SEARCH, params)
    with CaptureQueriesContext(connection) as few:
        first = client.get(SEARCH, params)
    from search.indexing import index_lots

    more = factories.framework_page(
        title="More work", lots=[{"number": n, "title": f"Work {n}"} for n in range(1, 6)]
    )
    index_lots(more.lots.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as many:
        second = client.get(SEARCH, params)

    assert len(second.context["result"].hits) > len(first.context["result"].hits)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("tab", ["frameworks", "guidance"])
@pytest.mark.parametrize("text", ["x" * 10_000, '"unbalanced', "' OR 1=1 --", "*:*", "\\", "-"])
def test_the_other_tabs_take_any_words_without_error(client, lots_catalogue, tab, text):
    response = client.get(SEARCH, {"tab": tab, "q": text, "page": "abc"})

    assert response.status_code == 200
    if len(text) > 200:
        assert "Your search was too long, so only its first 200 characters were used." in (
            text_of(response)
        )


# --- How search works -------------------------------------------------------------------------


def test_how_search_works_page_renders_and_is_linked_from_both_tabs(client, catalogue):
    catalogue.list("Cloud hosting")
    assert reverse("search:how-search-works") == "/search/how-search-works/"
    response = client.get("/search/how-search-works/")
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">How search finds and orders offerings</h1>' in html_of(
        response
    )
    link = '<a class="govuk-link" href="/search/how-search-works/">'
    assert link + "How results are ordered</a>" in html_of(client.get(SEARCH, {"q": "cloud"}))
    assert link in html_of(client.get(SEARCH, {"tab": "frameworks", "q": "cloud"}))
