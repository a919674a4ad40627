"""Search in a real browser, with axe: the page with and without results, the frameworks and
lots tab, and a journey from words to a filter to an offering, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from marketplace.organisations.models import Region
from search.indexing import index_lots, index_offerings
from tests.factories import OrganisationFactory, offering, supplier_lot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def listed(db):
    """Three live offerings on one lot, indexed; two serve the North West, one the North
    East."""
    lot = supplier_lot(title="Care technology", summary="Technology for adult social care.")
    northern = OrganisationFactory(
        kind="supplier", legal_name="Northern Care Software Ltd", is_sme=True
    )
    eastern = OrganisationFactory(kind="supplier", legal_name="Tyne Systems Ltd")
    made = [
        offering(
            supplier=northern,
            lot=lot,
            status="live",
            title="Case management platform",
            regions_served=[Region.NORTH_WEST],
        ),
        offering(
            supplier=northern,
            lot=lot,
            status="live",
            title="Case recording app",
            price="30.00",
            regions_served=[Region.NORTH_WEST],
        ),
        offering(
            supplier=eastern,
            lot=lot,
            status="live",
            title="Case notes service",
            regions_served=[Region.NORTH_EAST],
        ),
    ]
    index_offerings([item.pk for item in made])
    index_lots([lot.pk])
    return made


def test_search_page_with_and_without_results_is_accessible(
    page, live_server, assert_accessible, listed
):
    page.goto(f"{live_server.url}/search/?q=case")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator("#results-summary")).to_have_text("3 offerings for ‘case’")
    expect(page.locator(".app-search-result")).to_have_count(3)
    expect(page.locator(".app-search-result mark").first).to_have_text("Case")
    assert_accessible(page)

    page.goto(f"{live_server.url}/search/?q=zebra&region=TLD")

    expect(page.locator("#results-summary")).to_contain_text("No offerings for ‘zebra’")
    expect(page.get_by_text("No offerings match your search.")).to_be_visible()
    expect(page.get_by_role("link", name="Remove ‘North West (England)’")).to_be_visible()
    assert_accessible(page)


def test_frameworks_and_lots_tab_is_accessible(page, live_server, assert_accessible, listed):
    page.goto(f"{live_server.url}/search/?q=care")
    page.get_by_role("link", name="Frameworks and lots").click()

    expect(page).to_have_url(f"{live_server.url}/search/?q=care&tab=frameworks")
    expect(page.get_by_role("link", name="Frameworks and lots")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("#results-summary")).to_have_text("1 lot on 1 framework for ‘care’")
    expect(page.get_by_role("link", name="Lot 1: Software")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("searchbox", name="Search frameworks and lots").fill("zebra")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No frameworks or lots match your search.")).to_be_visible()
    assert_accessible(page)


def test_search_filter_and_open_an_offering(page, live_server, assert_accessible, listed):
    page.goto(f"{live_server.url}/")
    page.get_by_role("searchbox", name="Search offerings, frameworks and lots").fill("case")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(f"{live_server.url}/search/?q=case")
    expect(page.locator(".app-search-result")).to_have_count(3)

    page.get_by_role("group", name="Region served").get_by_label("North East (England)").check()
    page.get_by_role("button", name="Apply filters").first.click()

    expect(page.locator("#results-summary")).to_have_text(
        "1 offering for ‘case’, serving the North East"
    )
    expect(page.get_by_role("link", name="Remove filter Region served: North East")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Case notes service").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Case notes service")
    expect(page.locator("main")).to_contain_text("Tyne Systems Ltd")


def test_the_search_works_without_javascript(browser, live_server, listed):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/search/?q=case")
        page.get_by_label("Per user per month").check()
        page.get_by_label("To", exact=True).first.fill("20")
        page.get_by_role("button", name="Apply filters").first.click()

        expect(page.locator("#results-summary")).to_have_text(
            "2 offerings for ‘case’, priced at most £20 per user per month"
        )
        # The form's empty fields and defaults are redirected away: the URL is the clean one.
        assert page.url.endswith("/search/?q=case&unit=user_month&price_max=20"), page.url
        page.get_by_label("Sort by").select_option("-price")
        page.get_by_role("button", name="Sort").click()
        expect(page.locator(".app-search-result")).to_have_count(2)
        assert "sort=-price" in page.url
    finally:
        context.close()


def test_a_buyer_sees_only_frameworks_open_to_them_unless_they_ask(
    page, live_server, assert_accessible, listed
):
    """The listed lot's framework has no eligibility rules, so every buyer may use it; a
    second framework is open only to another council."""
    from tests.e2e.test_framework_pages import sign_in
    from tests.factories import MembershipFactory

    other_council = OrganisationFactory(kind="buyer", council_code="GB-BOL")
    closed_lot = supplier_lot(title="Bolton only", eligible_organisations=[other_council])
    supplier = OrganisationFactory(kind="supplier", legal_name="Bolton Case Ltd")
    made = offering(supplier=supplier, lot=closed_lot, status="live", title="Case closed shop")
    index_offerings([made.pk])
    council = OrganisationFactory(kind="buyer", legal_name="Bury Council", council_code="GB-BUR")
    officer = MembershipFactory(organisation=council, role="procurement_officer").user
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/search/?q=case")

    expect(page.locator(".app-search-result")).to_have_count(3)
    switch = page.get_by_label("Include frameworks my organisation cannot use")
    expect(switch).not_to_be_checked()
    switch.check()
    page.get_by_role("button", name="Apply filters").first.click()

    assert "all=1" in page.url
    expect(page.locator(".app-search-result")).to_have_count(4)
    expect(page.get_by_label("Include frameworks my organisation cannot use")).to_be_checked()
    marked = page.locator(".app-search-result", has_text="Not open to you")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("Case closed shop")
    assert_accessible(page)
