"""Search and shortlist in a real browser, each page checked by axe: choosing a saved search on
the project's lot, freezing it, rejecting an item (without a reason first), keeping one and
choosing the winner beside the framework's mechanism."""

import re

import pytest
from playwright.sync_api import expect

from tests.calloffs.shortlist_setup import MECHANISM, Shortlisting
from tests.factories import MembershipFactory, OrganisationFactory

from .test_saved_searches import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def shortlisting(settings):
    settings.SEARCH_BACKEND = "search.backends.reference"
    return Shortlisting()


def test_freeze_reject_keep_and_choose(page, live_server, assert_accessible, shortlisting):
    buyer = OrganisationFactory(kind="buyer", legal_name="Wigan Council", council_code="GB-WGN")
    officer = MembershipFactory(organisation=buyer, role="procurement_officer").user
    project = shortlisting.project(buyer=buyer, officer=officer)
    shortlisting.offer("Cloud hosting")
    shortlisting.offer("Cloud backup")
    shortlisting.search(officer, buyer, "q=cloud", name="Cloud on the lot")
    sign_in(page, live_server, officer)

    page.goto(f"{live_server.url}/buying/projects/{project.pk}/shortlist/")
    expect(page.get_by_role("heading", name="Search and shortlist", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Cloud on the lot").check()
    page.get_by_role("button", name="See its results now").click()
    expect(page.locator("#result-count")).to_have_text(
        "It has 2 results now. The lot's shortlist limit is 3."
    )
    assert_accessible(page)
    page.get_by_role("button", name="End the search and freeze the shortlist").click()
    expect(page.locator("#shortlist-items tbody tr")).to_have_count(2)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Keep or reject")).first.click()
    page.get_by_label("Reject it").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Give a reason for rejecting this item"
    )
    assert_accessible(page)
    page.get_by_label("Reason").fill("Does not host in the UK.")
    page.get_by_role("button", name="Save the decision").click()
    page.get_by_role("link", name=re.compile(r"^Keep or reject")).nth(1).click()
    page.get_by_label("Keep it").check()
    page.get_by_role("button", name="Save the decision").click()

    page.get_by_role("link", name="Choose the winner").click()
    expect(page.locator("#mechanism")).to_have_text(MECHANISM)
    assert_accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_label("Why this one, under the framework's selection mechanism").fill(
        "The only kept result."
    )
    page.get_by_role("button", name="Choose this supplier").click()
    expect(page).to_have_url(f"{live_server.url}/buying/projects/{project.pk}/")
