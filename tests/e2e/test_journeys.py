"""Journeys joined up, in a real browser with axe: each person signs in and lands where their
work is; a buyer goes from their home to a framework, a lot, an offering's supplier."""

import pytest
from playwright.sync_api import expect

from marketplace.organisations.models import Region
from tests.e2e.test_framework_pages import sign_in
from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    home_page,
    offering,
    supplier_lot,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def lot(db):
    return supplier_lot(
        title="Care technology",
        summary="Technology for adult social care.",
        cpv_codes=("72000000-5",),
    )


@pytest.fixture
def supplier(lot):
    supplier = OrganisationFactory(kind="supplier", legal_name="Northern Care Software Ltd")
    offering(supplier=supplier, lot=lot, status="live", title="Case management platform")
    return supplier


@pytest.fixture
def buyer_user(db):
    buyer = OrganisationFactory(
        kind="buyer",
        legal_name="Salford City Council",
        council_code="GB-SLF",
        region=Region.NORTH_WEST,
    )
    return MembershipFactory(organisation=buyer, role="procurement_officer").user


def test_supplier_signs_in_and_lands_on_the_supplier_dashboard(
    page, live_server, assert_accessible, supplier
):
    user = MembershipFactory(organisation=supplier, role="supplier_admin").user

    sign_in(page, live_server, user)

    expect(page).to_have_url(f"{live_server.url}/supplier/")
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Your offerings")).to_have_attribute(
        "aria-current", "page"
    )
    expect(navigation.get_by_role("link", name="Your organisation")).to_be_visible()
    assert_accessible(page)


def test_buyer_signs_in_and_goes_from_their_home_to_a_lot_and_a_supplier(
    page, live_server, assert_accessible, lot, supplier, buyer_user
):
    sign_in(page, live_server, buyer_user)

    expect(page).to_have_url(f"{live_server.url}/buy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Frameworks you can use")
    expect(page.locator("#how-to-buy")).to_contain_text(
        "Direct award and further competition both work"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Care technology").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Care technology")
    expect(page.locator("#eligibility")).to_contain_text("Yes, Salford City Council can use")
    assert_accessible(page)

    page.get_by_role("link", name="Lot 1: Software").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lot 1: Software")
    expect(page.get_by_role("link", name="Case management platform")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("row").get_by_role("link", name="Northern Care Software Ltd").click()
    expect(page).to_have_url(f"{live_server.url}/suppliers/{supplier.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Northern Care Software Ltd")
    assert_accessible(page)


def test_start_now_signs_an_anonymous_buyer_in_then_leads_to_the_buyer_home(
    page, live_server, assert_accessible, lot, buyer_user
):
    home = home_page()
    home.cta_label = "Start now"
    home.cta_url = "/buy/"
    home.save_revision().publish()

    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Start now").click()
    expect(page).to_have_url(f"{live_server.url}/account/sign-in/?next=/buy/")
    sign_in_form = page.locator("main")
    sign_in_form.get_by_label("E-mail address").fill(buyer_user.email)
    sign_in_form.get_by_label("Password").fill(TEST_PASSWORD)
    sign_in_form.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/buy/")
    expect(page.get_by_role("link", name="Care technology")).to_be_visible()
    assert_accessible(page)
