"""The one pagination of every public listing: cms.pagination and {% govuk_pagination %}."""

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

import pytest

from cms.pagination import page_links, paginate


def request_for(query: dict):
    return RequestFactory().get("/frameworks/", query)


def page(number: int, *, pages: int = 20):
    return Paginator(range(pages * 10), 10).page(number)


def labels(links: dict) -> list:
    return ["…" if item.get("ellipsis") else item["number"] for item in links["items"]]


def test_links_keep_repeated_parameters():
    query = request_for({"region": ["TLD", "TLC"], "page": "2"}).GET

    links = page_links(page(2), query)

    assert links["previous_href"] == "?region=TLD&region=TLC&page=1"
    assert links["next_href"] == "?region=TLD&region=TLC&page=3"
    assert links["items"][0] == {
        "number": 1,
        "href": "?region=TLD&region=TLC&page=1",
        "current": False,
    }


def test_links_elide_all_but_the_ends_and_the_neighbours_of_the_current_page():
    links = page_links(page(5), request_for({}).GET)

    assert labels(links) == [1, "…", 4, 5, 6, "…", 20]
    assert [item["number"] for item in links["items"] if item.get("current")] == [5]


def test_first_page_has_no_previous_link():
    links = page_links(page(1), request_for({}).GET)

    assert labels(links) == [1, 2, "…", 20]
    assert links["previous_href"] == ""
    assert links["next_href"] == "?page=2"


def test_last_page_has_no_next_link():
    links = page_links(page(20), request_for({}).GET)

    assert labels(links) == [1, "…", 19, 20]
    assert links["previous_href"] == "?page=19"
    assert links["next_href"] == ""


def test_few_pages_are_all_shown():
    assert labels(page_links(page(2, pages=4), request_for({}).GET)) == [1, 2, 3, 4]


def test_one_page_shows_no_pagination():
    assert page_links(page(1, pages=1), request_for({}).GET)["show"] is False


@pytest.mark.parametrize(("asked", "given"), [("99", 3), ("0", 3), ("two", 1), (None, 1)])
def test_paginate_gives_the_last_page_past_the_end_and_the_first_for_a_non_number(asked, given):
    query = {"page": asked} if asked is not None else {}

    assert paginate(request_for(query), range(25), per_page=10).number == given


def test_tag_renders_govuk_pagination_keeping_the_requests_query():
    request = request_for({"region": ["TLD", "TLC"], "page": "5"})
    html = Template("{% load cms_tags %}{% govuk_pagination page_obj %}").render(
        Context({"request": request, "page_obj": page(5)})
    )

    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?region=TLD&amp;region=TLC&amp;page=6" rel="next"' in html
    assert (
        'href="?region=TLD&amp;region=TLC&amp;page=5" aria-label="Page 5" aria-current="page"'
        in html
    )
    assert html.count("govuk-pagination__item--ellipsis") == 2


@pytest.mark.django_db
def test_search_past_its_last_page_shows_the_last_page(client, make_guidance):
    for number in range(12):
        make_guidance(f"Framework guide {number}", summary="About frameworks.")

    response = client.get(
        reverse("search:search"), {"tab": "guidance", "q": "framework", "page": "9"}
    )

    assert response.status_code == 200
    assert (response.context["page_obj"].number, len(response.context["page_obj"])) == (2, 2)
