"""The supplier portal and the public supplier and offering pages in a real browser, with axe."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from suppliers import services
from suppliers.models import Offering
from tests.factories import (
    TEST_PASSWORD,
    AppointmentFactory,
    MembershipFactory,
    OrganisationFactory,
    offering,
    supplier_lot,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supplier dashboard")


@pytest.fixture
def portal():
    lot = supplier_lot()
    supplier = OrganisationFactory(kind="supplier", legal_name="Accessible Care Ltd")
    AppointmentFactory(supplier=supplier, lot=lot)
    user = MembershipFactory(organisation=supplier, role="supplier_admin").user
    return SimpleNamespace(lot=lot, supplier=supplier, user=user)


def test_supplier_creates_and_submits_an_offering(page, live_server, assert_accessible, portal):
    sign_in(page, live_server, portal.user)
    page.goto(f"{live_server.url}/supplier/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Supplier dashboard")
    expect(page.locator("#profile-missing")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Create an offering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which lot is the offering for?")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label(f"{portal.lot.framework.title} – Lot 1: Software").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Create an offering")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Accessible case management")
    page.get_by_label("Price", exact=True).fill("£1,2x")
    page.get_by_role("button", name="Save and continue").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the price in pounds and pence, like 450 or 1,250.50")
    expect(summary).to_contain_text("Answer “Maximum users”")
    expect(summary).to_contain_text("Choose at least one region you serve")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Accessible case management")
    assert_accessible(page)

    page.get_by_label("Summary").fill("Case management that works with screen readers.")
    page.get_by_label("Description").fill("Hosted software, training and support.")
    page.get_by_label("Maximum users").fill("250")
    page.get_by_role("group", name="Hosted in the UK").get_by_label("Yes").check()
    page.get_by_label("Price", exact=True).fill("£1,250.50")
    page.get_by_label("Per day").check()
    page.get_by_label("Excluding VAT (VAT added at 20%)").check()
    page.get_by_label("North West (England)").check()
    page.get_by_label("Lead time").fill("5")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting your offering"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("£1,250.50 per day")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for review").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Offering submitted for review")
    assert_accessible(page)
    made = Offering.objects.get()
    assert (made.title, made.status) == ("Accessible case management", Offering.Status.SUBMITTED)


def test_profile_form_with_an_error_then_saved(page, live_server, assert_accessible, portal):
    sign_in(page, live_server, portal.user)
    page.goto(f"{live_server.url}/supplier/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your supplier profile")
    assert_accessible(page)

    page.get_by_label("Number of staff").fill("twelve")
    page.get_by_label("Annual turnover").fill("£1,250,000")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the number of staff as a whole number, like 25"
    )
    expect(page.get_by_label("Annual turnover")).to_have_value("£1,250,000")
    assert_accessible(page)

    page.get_by_label("Number of staff").fill("12")
    page.get_by_role("group", name=re.compile("voluntary, community")).get_by_label("No").check()
    page.get_by_label("Cyber Essentials", exact=True).check()
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Size: Small enterprise")
    expect(page.locator("#sme-basis")).to_contain_text("12 staff (fewer than 50)")
    assert_accessible(page)


def test_offering_list_withdraw_and_public_pages(page, live_server, assert_accessible, portal):
    live = offering(supplier=portal.supplier, lot=portal.lot, actor=portal.user, status="live")
    for number in range(26):
        offering(
            supplier=portal.supplier, lot=portal.lot, actor=portal.user, title=f"Draft {number:02d}"
        )
    services.save_supplier_profile(
        actor=portal.user,
        organisation=portal.supplier,
        data={"headcount": 30, "annual_turnover": 900_000, "is_vcse": True},
    )
    sign_in(page, live_server, portal.user)

    page.goto(f"{live_server.url}/supplier/")
    expect(page.locator("strong.govuk-tag", has_text="Draft").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("See all 27 offerings"))).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/supplier/offerings/")
    expect(page.locator(".govuk-pagination")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/supplier/offerings/{live.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(live.title)
    assert_accessible(page)
    page.get_by_role("link", name="Withdraw this offering").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Are you sure you want to withdraw"
    )
    assert_accessible(page)

    page.goto(f"{live_server.url}/offerings/{live.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(live.title)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Derived from the price")
    assert_accessible(page)

    page.get_by_role("link", name=portal.supplier.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(portal.supplier.name)
    expect(page.locator("strong.govuk-tag", has_text="SME")).to_be_visible()
    expect(page.locator("strong.govuk-tag", has_text="VCSE")).to_be_visible()
    assert_accessible(page)
