"""Compare and saved searches in a real browser, each page checked by axe: the comparison and
its "too many" error, the saved-search list with and without searches, saving (with an error
first), renaming, deleting, and running a saved search again."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from marketplace.calloffs.models import SavedSearch
from marketplace.calloffs.services import saved_searches as services
from tests.calloffs.conftest import Listings
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def listings(settings):
    # The reference backend reads the document rows directly: these pages are under test here,
    # not the full-text index.
    settings.SEARCH_BACKEND = "search.backends.reference"
    return Listings()


@pytest.fixture
def officer():
    buyer = OrganisationFactory(kind="buyer", legal_name="Wigan Council", council_code="GB-WGN")
    return MembershipFactory(organisation=buyer, role="procurement_officer").user


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def test_compare_two_offerings(page, live_server, assert_accessible, listings):
    now = timezone.now()
    first = listings.add("Cloud hosting", published_at=now)
    second = listings.add("Cloud backup", published_at=now, regions=("TLC", "TLD"))

    page.goto(
        f"{live_server.url}/search/compare/?offering={first.pk}&offering={second.pk}&back=q%3Dcloud"
    )

    expect(page.get_by_role("heading", name="Compare offerings", level=1)).to_be_visible()
    table = page.locator("#comparison")
    expect(table.get_by_role("columnheader")).to_have_text(["Cloud hosting", "Cloud backup"])
    expect(table.get_by_role("rowheader", name="Comparable price (excluding VAT)")).to_be_visible()
    expect(page.get_by_role("region", name="Offerings compared")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cloud backup").click()
    # The offering page is told where it was opened from, for its back link.
    expect(page).to_have_url(
        re.compile(rf"^{live_server.url}/offerings/{second.pk}/\?back=/search/compare/")
    )


def test_comparing_more_than_ten_shows_the_error(page, live_server, assert_accessible, listings):
    offerings = [listings.add(f"Cloud {n}", published_at=timezone.now()) for n in range(11)]
    ids = "&".join(f"offering={offering.pk}" for offering in offerings)

    page.goto(f"{live_server.url}/search/compare/?{ids}&back=q%3Dcloud")

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose at most 10 offerings to compare: you chose 11"
    )
    expect(page.locator("#comparison")).to_have_count(0)
    assert_accessible(page)


def test_save_rename_rerun_and_delete_a_search(
    page, live_server, assert_accessible, listings, officer
):
    listings.add("Cloud hosting", published_at=timezone.now() - timedelta(days=3))
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/buying/saved-searches/")
    expect(page.locator("#no-saved-searches")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/buying/saved-searches/new/?q=cloud&region=TLD")
    expect(page.get_by_label("Name")).to_have_value("cloud")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Save search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the search")
    assert_accessible(page)
    page.get_by_label("Name").fill("Cloud in the North West")
    page.get_by_role("button", name="Save search").click()

    # Back on the search saved, with a banner linking the saved searches.
    expect(page).to_have_url(f"{live_server.url}/search/?q=cloud&region=TLD")
    expect(page.get_by_text("“Cloud in the North West” is saved.")).to_be_visible()
    page.get_by_role("link", name="See your saved searches").click()
    expect(page.get_by_role("heading", name="Saved searches", level=1)).to_be_visible()
    expect(page.locator("#saved-searches")).to_contain_text("Cloud in the North West")
    expect(page.locator("#saved-searches")).to_contain_text(
        "Words: “cloud”. Region served: North West (England)."
    )
    assert_accessible(page)

    saved = SavedSearch.objects.get()
    # An offering published after the search was saved counts as new.
    SavedSearch.objects.filter(pk=saved.pk).update(saved_at=timezone.now() - timedelta(days=5))
    page.reload()
    expect(page.locator(f"#new-{saved.pk}")).to_have_text("1 new since you saved it")

    page.get_by_role("link", name="Rename Cloud in the North West").click()
    page.get_by_label("Name").fill("Cloud, North West")
    assert_accessible(page)
    page.get_by_role("button", name="Save name").click()
    expect(page.locator("#saved-searches")).to_contain_text("Cloud, North West")

    page.get_by_role("link", name="Run again Cloud, North West").click()
    expect(page).to_have_url(f"{live_server.url}/search/?q=cloud&region=TLD")

    page.goto(f"{live_server.url}/buying/saved-searches/")
    page.get_by_role("link", name="Delete Cloud, North West").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete “Cloud, North West”?")
    assert_accessible(page)
    page.get_by_role("button", name="Delete saved search").click()
    expect(page.locator("#no-saved-searches")).to_be_visible()
    assert not SavedSearch.objects.exists()


def test_the_list_with_many_saved_searches(page, live_server, assert_accessible, listings, officer):
    organisation = officer.memberships.get().organisation
    for number in range(12):
        services.create_saved_search(
            actor=officer,
            organisation=organisation,
            name=f"Search {number:02d}",
            query_string=f"q=cloud&sort=price&unit=day&price_max={100 + number}",
        )
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/buying/saved-searches/")

    expect(page.locator("#saved-count")).to_have_text("12 saved searches")
    expect(page.get_by_role("navigation", name="Pagination")).to_be_visible()
    assert_accessible(page)


def test_journey_search_compare_open_save_and_rerun(page, live_server, assert_accessible, officer):
    listings = Listings()  # searched through the configured backend, as in production
    now = timezone.now()
    hosting = listings.add("Cloud hosting", published_at=now - timedelta(days=3))
    listings.add("Cloud backup", published_at=now - timedelta(days=3), regions=("TLC",))
    listings.add("Grounds care", published_at=now - timedelta(days=3))
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/search/?q=cloud")
    page.get_by_label("Compare Cloud hosting").check()
    page.get_by_label("Compare Cloud backup").check()
    page.get_by_role("button", name="Compare selected").click()

    expect(page.locator("#comparison").get_by_role("columnheader")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name="Cloud hosting").click()
    expect(page).to_have_url(re.compile(rf"^{live_server.url}/offerings/{hosting.pk}/\?back="))
    page.go_back()
    page.get_by_role("link", name="Back to your search").first.click()
    expect(page).to_have_url(f"{live_server.url}/search/?q=cloud")

    page.get_by_role("link", name="Save this search").click()
    page.get_by_label("Name").fill("Cloud services")
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_text("“Cloud services” is saved")).to_be_visible()
    page.get_by_role("link", name="Saved searches", exact=True).click()
    expect(page.locator("#saved-searches")).to_contain_text("Cloud services")

    page.get_by_role("link", name="Run again Cloud services").click()
    expect(page).to_have_url(f"{live_server.url}/search/?q=cloud")
    expect(page.get_by_label("Compare Cloud hosting")).to_be_visible()
