from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def test_search_lists_matching_live_guidance(client, make_guidance):
    make_guidance("Paying the levy", summary="How suppliers pay the levy.")
    make_guidance("Direct award", summary="Awarding without competition.")

    response = client.get(reverse("search:search"), {"tab": "guidance", "q": "levy"})

    html = response.content.decode()
    assert response.status_code == 200
    assert [page.title for page in response.context["page_obj"]] == ["Paying the levy"]
    assert "1 result for ‘levy’" in html
    assert '<a class="govuk-link" href="/guidance/paying-the-levy/">Paying the levy</a>' in html


def test_search_leaves_out_drafts(client, make_guidance):
    make_guidance("Levy rates", summary="Draft levy guidance.", live=False)

    response = client.get(reverse("search:search"), {"tab": "guidance", "q": "levy"})

    assert list(response.context["page_obj"]) == []


def test_search_with_no_matches_says_so(client, make_guidance):
    make_guidance("Paying the levy")

    response = client.get(reverse("search:search"), {"tab": "guidance", "q": "zebra"})

    html = response.content.decode()
    assert "0 results for ‘zebra’" in html
    assert "There is no guidance matching your search." in html


def test_search_without_a_query_shows_only_the_form(client):
    response = client.get(reverse("search:search"), {"tab": "guidance"})

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert '<label class="govuk-label govuk-label--m" for="search-q">' in html
    assert "results for" not in html


def test_search_pages_ten_results_at_a_time(client, make_guidance):
    for number in range(25):
        make_guidance(f"Framework guide {number}", summary="About frameworks.")

    response = client.get(
        reverse("search:search"), {"tab": "guidance", "q": "framework", "page": "2"}
    )

    html = response.content.decode()
    assert len(response.context["page_obj"]) == 10
    assert "25 results for ‘framework’" in html
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert (
        'href="?tab=guidance&amp;q=framework&amp;page=2" aria-label="Page 2" aria-current="page"'
        in html
    )
    assert 'href="?tab=guidance&amp;q=framework&amp;page=1" rel="prev"' in html
    assert 'href="?tab=guidance&amp;q=framework&amp;page=3" rel="next"' in html


def test_search_with_one_page_of_results_has_no_pagination(client, make_guidance):
    make_guidance("Framework guide", summary="About frameworks.")

    response = client.get(reverse("search:search"), {"tab": "guidance", "q": "framework"})

    assert "govuk-pagination" not in response.content.decode()


def test_search_queries_do_not_grow(client, make_guidance, django_assert_max_num_queries):
    for number in range(15):
        make_guidance(f"Framework guide {number}", summary="About frameworks.")
    client.get(
        reverse("search:search"), {"tab": "guidance", "q": "framework"}
    )  # warm Wagtail's site caches

    with django_assert_max_num_queries(8):
        response = client.get(reverse("search:search"), {"tab": "guidance", "q": "framework"})

    assert len(response.context["page_obj"]) == 10
