"""The saved-search pages at /buying/saved-searches/: list, save, rename, delete, run again."""

import re
from datetime import timedelta
from html import unescape

from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import SavedSearch
from marketplace.calloffs.services import saved_searches as services
from tests.helpers import queries_to_get

pytestmark = pytest.mark.django_db

LIST = "/buying/saved-searches/"
NEW = "/buying/saved-searches/new/"


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def save(actor, organisation, name="Cloud hosting", query_string="q=cloud"):
    return services.create_saved_search(
        actor=actor, organisation=organisation, name=name, query_string=query_string
    )


def saved_at(saved, moment):
    SavedSearch.objects.filter(pk=saved.pk).update(saved_at=moment)
    saved.refresh_from_db()
    return saved


@pytest.fixture
def officer_client(client, procurement_officer):
    client.force_login(procurement_officer)
    return client


def test_signed_out_people_are_asked_to_sign_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_a_supplier_gets_a_page_saying_saved_searches_are_for_buyers(client, supplier_admin):
    client.force_login(supplier_admin)

    response = client.get(NEW, {"q": "cloud"})

    assert response.status_code == 403
    assert "This page is for buyers" in text(response)
    assert "go to your supplier dashboard" in text(response)


def test_the_list_says_when_there_are_no_saved_searches(officer_client, buyer, listings):
    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert f"{buyer.name} has no saved searches yet." in text(response)


def test_the_list_counts_offerings_published_since_each_search_was_saved(
    officer_client, procurement_officer, buyer, listings
):
    now = timezone.now()
    listings.add("Cloud hosting", published_at=now - timedelta(days=20))
    listings.add("Cloud backup", published_at=now - timedelta(days=10))
    listings.add("Cloud storage", published_at=now - timedelta(days=2))
    listings.add("Cloud desktops", published_at=now - timedelta(days=1))
    listings.add("Grounds care", published_at=now - timedelta(days=1))
    saved_at(save(procurement_officer, buyer), now - timedelta(days=5))
    saved_at(
        save(procurement_officer, buyer, name="Everything", query_string=""),
        now - timedelta(days=30),
    )

    response = officer_client.get(LIST)

    page = text(response)
    assert "2 saved searches" in page
    assert "2 new since you saved it" in page  # storage and desktops match "cloud"
    assert "5 new since you saved it" in page
    assert "Words: “cloud”." in page
    assert "No words." in page


def test_the_list_describes_filters_in_words(officer_client, procurement_officer, buyer, listings):
    listings.add("Cloud hosting", published_at=timezone.now())
    save(
        procurement_officer, buyer, query_string=f"q=cloud&region=TLD&sme=yes&lot={listings.lot.pk}"
    )

    page = text(officer_client.get(LIST))

    assert "Words: “cloud”. Lot: " in page
    assert "Region served: North West (England). From SMEs." in page


def test_another_organisations_saved_searches_are_neither_listed_nor_found(
    client, procurement_officer, buyer, outsider, listings
):
    saved = save(procurement_officer, buyer, name="Ours")
    client.force_login(outsider)

    assert "Ours" not in text(client.get(LIST))
    for action in ("rename", "delete", "run"):
        assert client.get(f"{LIST}{saved.pk}/{action}/").status_code == 404
    assert client.post(f"{LIST}{saved.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_save_this_search_prefills_the_name_from_the_words(officer_client, listings):
    response = officer_client.get(NEW, {"q": "cloud hosting", "region": "TLD", "page": "3"})

    assert response.status_code == 200
    page = text(response)
    assert 'name="name" type="text" value="cloud hosting"' in page
    assert 'name="query" value="q=cloud+hosting&amp;region=TLD"' in response.content.decode()
    assert "Words: “cloud hosting”. Region served: North West (England)." in page


def test_saving_keeps_the_search_and_goes_back_to_it(
    officer_client, procurement_officer, buyer, listings
):
    response = officer_client.post(
        NEW, {"name": "Hosting in the North West", "query": "q=cloud+hosting&region=TLD&page=2"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/search/?q=cloud+hosting&region=TLD"
    saved = SavedSearch.objects.get()
    assert (saved.name, saved.query_string, saved.created_by, saved.organisation) == (
        "Hosting in the North West",
        "q=cloud+hosting&region=TLD",
        procurement_officer,
        buyer,
    )
    # The search says so, in a success banner linking the saved searches; once only.
    search_page = officer_client.get(response["Location"]).content.decode()
    assert '<div class="govuk-notification-banner govuk-notification-banner--success"' in (
        search_page
    )
    assert (
        '<p class="govuk-notification-banner__heading">“Hosting in the North West” is saved. '
        f'<a class="govuk-notification-banner__link" href="{LIST}">See your saved searches</a>'
        "</p>"
    ) in unescape(search_page)
    assert "is saved" not in text(officer_client.get(LIST))


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter a name for the search"), ("x" * 101, "Name must be 100 characters or fewer")],
)
def test_a_bad_name_shows_an_error_summary_and_loses_nothing(
    officer_client, listings, name, message
):
    response = officer_client.post(NEW, {"name": name, "query": "q=cloud&region=TLD"})

    assert response.status_code == 200
    page = text(response)
    assert '<div class="govuk-error-summary"' in page
    assert f'<a href="#id_name">{message}' in page
    assert 'name="query" value="q=cloud&amp;region=TLD"' in response.content.decode()
    if name:
        assert f'value="{name}"' in page
    assert not SavedSearch.objects.exists()


def test_rerunning_opens_the_search_and_notes_when(
    officer_client, procurement_officer, buyer, listings
):
    saved = save(procurement_officer, buyer, query_string="q=cloud&region=TLD")

    response = officer_client.get(f"{LIST}{saved.pk}/run/")

    assert response.status_code == 302
    assert response["Location"] == "/search/?q=cloud&region=TLD"
    saved.refresh_from_db()
    assert saved.last_run_at is not None


def test_renaming_through_the_page(officer_client, procurement_officer, buyer, listings):
    saved = save(procurement_officer, buyer)

    bad = officer_client.post(f"{LIST}{saved.pk}/rename/", {"name": " "})
    good = officer_client.post(f"{LIST}{saved.pk}/rename/", {"name": "Cloud, renamed"})

    assert "Enter a name for the search" in text(bad)
    assert good.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Cloud, renamed"
    assert AuditEvent.objects.filter(kind=AuditKind.SAVED_SEARCH_RENAMED).count() == 1


def test_deleting_asks_first_then_deletes(officer_client, procurement_officer, buyer, listings):
    saved = save(procurement_officer, buyer)

    confirm = officer_client.get(f"{LIST}{saved.pk}/delete/")
    assert "Delete “Cloud hosting”?" in text(confirm)
    assert SavedSearch.objects.exists()

    response = officer_client.post(f"{LIST}{saved.pk}/delete/")

    assert response.status_code == 302
    assert not SavedSearch.objects.exists()
    assert AuditEvent.objects.filter(kind=AuditKind.SAVED_SEARCH_DELETED).count() == 1


def test_a_colleague_sees_the_search_but_cannot_rename_or_delete_it(
    client, procurement_officer, colleague, buyer, listings
):
    saved = save(procurement_officer, buyer)
    client.force_login(colleague)

    listing = text(client.get(LIST))
    assert "Cloud hosting" in listing
    assert f"{LIST}{saved.pk}/delete/" not in listing
    refused = client.post(f"{LIST}{saved.pk}/delete/")
    assert refused.status_code == 403
    assert "Only the person who saved it" in text(refused)
    assert client.post(f"{LIST}{saved.pk}/rename/", {"name": "Mine"}).status_code == 403
    saved.refresh_from_db()
    assert saved.name == "Cloud hosting"


def test_the_list_shows_ten_at_a_time(officer_client, procurement_officer, buyer, listings):
    for number in range(12):
        save(procurement_officer, buyer, name=f"Search {number:02d}")

    first = text(officer_client.get(LIST))
    second = text(officer_client.get(LIST, {"page": 2}))

    assert "12 saved searches" in first
    assert first.count("Run again") == 10
    assert second.count("Run again") == 2


def test_list_queries_do_not_grow_with_the_number_of_saved_searches(
    officer_client, procurement_officer, buyer, listings
):
    listings.add("Cloud hosting", published_at=timezone.now())
    for number in range(10):
        save(procurement_officer, buyer, name=f"Search {number}")
    officer_client.get(LIST)
    ten = queries_to_get(officer_client, LIST)
    for number in range(15):
        save(procurement_officer, buyer, name=f"More {number}")

    assert queries_to_get(officer_client, LIST) == ten


def test_list_query_count_is_bounded_per_page(
    officer_client, procurement_officer, buyer, listings, django_assert_max_num_queries
):
    for number in range(10):
        save(procurement_officer, buyer, name=f"Search {number}")
    officer_client.get(LIST)

    # At most 12 queries per search (the search service's own bound), ten searches a page.
    with django_assert_max_num_queries(10 + 12 * 10):
        officer_client.get(LIST)


def test_the_buyer_home_links_to_saved_searches(officer_client, listings):
    assert 'href="/buying/saved-searches/"' in officer_client.get("/buy/").content.decode()


def test_new_since_counts_through_the_configured_backend(
    officer_client, procurement_officer, buyer, database_listings
):
    now = timezone.now()
    database_listings.add("Cloud hosting", published_at=now - timedelta(days=20))
    database_listings.add("Cloud storage", published_at=now - timedelta(days=2))
    database_listings.add("Grounds care", published_at=now - timedelta(days=1))
    saved_at(save(procurement_officer, buyer), now - timedelta(days=5))

    assert "1 new since you saved it" in text(officer_client.get(LIST))


def test_list_queries_through_the_configured_backend_are_bounded(
    officer_client, procurement_officer, buyer, database_listings
):
    database_listings.add("Cloud hosting", published_at=timezone.now())
    for number in range(10):
        save(procurement_officer, buyer, name=f"Search {number}", query_string="q=cloud&sme=yes")
    officer_client.get(LIST)  # the navigation and site caches fill over the first requests
    ten = queries_to_get(officer_client, LIST)
    for number in range(15):
        save(procurement_officer, buyer, name=f"More {number}", query_string="q=cloud&sme=yes")

    assert queries_to_get(officer_client, LIST) == ten
    assert ten <= 10 + 12 * 10


def test_a_filter_that_no_longer_exists_is_said_so_on_the_list(
    officer_client, procurement_officer, buyer, listings
):
    save(procurement_officer, buyer, query_string="q=cloud&framework=999999")

    page = text(officer_client.get(LIST))

    assert "Words: “cloud”." in page
    assert "We ignored a filter we did not recognise" in page
