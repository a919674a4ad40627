"""The contracts register in a real browser, each page checked by axe: from the footer to the
register, filtering it, a contract's page and its OCDS; a supplier's contracts from the
dashboard; the regional lead's call-offs in the Wagtail admin."""

import json
from datetime import date

import pytest
from playwright.sync_api import expect

from frameworks.setup import ensure_authority_section
from marketplace.organisations.admin_access import sync_staff_group
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NARROWEST = 320  # CSS px: WCAG 2.2 1.4.10 Reflow


def assert_reflows(page):
    """At a 320 px viewport the page does not scroll sideways (wide tables scroll in their own
    region)."""
    size = page.viewport_size
    page.set_viewport_size({"width": NARROWEST, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST, page.url
    page.set_viewport_size(size)


@pytest.fixture
def contracts():
    lot = factories.framework_page(title="Grounds and parks").lots.get()
    buyer = factories.OrganisationFactory(kind="buyer", legal_name="Wigan Council")
    supplier = factories.OrganisationFactory(kind="supplier", legal_name="Mow Ltd")
    mowing = factories.contract(
        lot=lot,
        buyer=buyer,
        supplier=supplier,
        title="Park mowing",
        value="6000000.00",
        entered_into_on=date(2026, 3, 20),
        kpis=[("Grass cut on schedule", "95% of cuts on time")],
    )
    factories.performance_assessment(
        contract=mowing,
        summary="Good first half.",
        ratings=[(mowing.award.kpis.get(), "good", "On time.")],
    )
    hedges = factories.contract(lot=lot, title="Hedge cutting", value="900.00")
    return mowing, hedges


def test_public_journey_footer_register_filter_contract_and_ocds(
    page, live_server, assert_accessible, contracts
):
    mowing = contracts[0]
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Contracts register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contracts register")
    expect(page.locator("#contract-count")).to_have_text("2 contracts")
    assert_accessible(page)
    assert_reflows(page)

    page.get_by_label("Buyer").select_option(label="Wigan Council")
    page.get_by_role("button", name="Apply filters").last.click()
    expect(page.locator("#contract-count")).to_have_text("1 contract matches your filters")
    expect(page.get_by_role("link", name="Hedge cutting")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Value from (excluding VAT)").fill("lots")
    page.get_by_role("button", name="Apply filters").last.click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a number.")
    assert_accessible(page)

    page.get_by_role("link", name="Park mowing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Park mowing")
    expect(page.locator("#kpis")).to_contain_text("Grass cut on schedule")
    expect(page.get_by_text("Good first half.")).to_be_visible()
    assert_accessible(page)
    assert_reflows(page)

    ocds_url = page.get_by_role("link", name="OCDS release package (JSON)").get_attribute("href")
    package = json.loads(page.request.get(f"{live_server.url}{ocds_url}").text())
    assert package["releases"][0]["contracts"][0]["id"] == mowing.reference


def test_supplier_reaches_its_contracts_from_the_dashboard(
    page, live_server, assert_accessible, contracts
):
    mowing, _ = contracts
    user = factories.MembershipFactory(organisation=mowing.supplier, role="editor").user
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/supplier/")

    page.get_by_role("link", name="Your contracts").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your contracts")
    expect(page.get_by_role("link", name="Park mowing", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Hedge cutting")).to_have_count(0)
    assert_accessible(page)
    assert_reflows(page)


def test_regional_lead_sees_call_offs_in_the_admin(
    page, live_server, assert_accessible, open_admin_as, contracts
):
    authority = contracts[0].framework.authority
    ensure_authority_section(authority=authority)
    lead = factories.MembershipFactory(organisation=authority, role="framework_manager").user
    sync_staff_group(authority)
    open_admin_as(page, lead)

    page.goto(f"{live_server.url}/admin/calloffs/")

    expect(page.locator("#calloffs-heading")).to_have_text("2 call-offs")
    expect(page.locator("#contracted-total")).to_have_text("£6,000,900.00 excluding VAT in total.")
    assert_accessible(page)
    assert_reflows(page)
