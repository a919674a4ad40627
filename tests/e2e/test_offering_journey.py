"""The whole journey of a listing: a supplier submits it, a reviewer approves it, buyers see it."""

import pytest
from playwright.sync_api import expect

from frameworks.setup import ensure_authority_section
from marketplace.organisations.admin_access import sync_staff_group
from suppliers.models import Offering
from tests.factories import (
    TEST_PASSWORD,
    AppointmentFactory,
    MembershipFactory,
    OrganisationFactory,
    supplier_lot,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_supplier_submits_reviewer_approves_and_the_offering_is_public(
    page, live_server, assert_accessible, open_admin_as
):
    lot = supplier_lot()
    authority = lot.framework.authority
    ensure_authority_section(authority=authority)
    supplier = OrganisationFactory(kind="supplier", legal_name="Pennine Digital Ltd")
    AppointmentFactory(supplier=supplier, lot=lot)
    editor = MembershipFactory(organisation=supplier, role="editor").user
    reviewer = MembershipFactory(organisation=authority, role="reviewer").user
    sync_staff_group(authority)

    # The supplier signs in, writes the offering and submits it.
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/supplier/lots/{lot.pk}/offerings/new/")
    page.get_by_label("Title", exact=True).fill("Pennine case management")
    page.get_by_label("Summary").fill("Case management for adult social care teams.")
    page.get_by_label("Description").fill("Hosted software with training and support.")
    page.get_by_label("Maximum users").fill("250")
    page.get_by_role("group", name="Hosted in the UK").get_by_label("Yes").check()
    page.get_by_label("Price", exact=True).fill("£8.50")
    page.get_by_label("Per user per month").check()
    page.get_by_label("Excluding VAT (VAT added at 20%)").check()
    page.get_by_label("Yorkshire and The Humber").check()
    page.get_by_label("Lead time").fill("10")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Offering submitted for review")
    made = Offering.objects.get()
    assert made.status == Offering.Status.SUBMITTED

    # Until it is approved, nobody else can see it.
    response = page.goto(f"{live_server.url}/offerings/{made.pk}/")
    assert response.status == 404

    # The reviewer finds it in the admin queue, reads it and approves it.
    page.context.clear_cookies()
    open_admin_as(page, reviewer)
    page.goto(f"{live_server.url}/admin/offerings/")
    page.get_by_role("link", name="Pennine case management").click()
    expect(page.locator("main")).to_contain_text("Not yet published")
    page.get_by_role("button", name="Approve and publish").click()
    made.refresh_from_db()
    assert (made.status, made.live) == (Offering.Status.LIVE, True)

    # Anyone can now read it.
    page.context.clear_cookies()
    response = page.goto(f"{live_server.url}/offerings/{made.pk}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Pennine case management")
    expect(page.locator("main")).to_contain_text("Pennine Digital Ltd")
    assert_accessible(page)
