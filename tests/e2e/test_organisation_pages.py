"""Registering an organisation, its page, inviting and joining, in a real browser with axe."""

import re

import pytest
from playwright.sync_api import expect

from marketplace.organisations import services
from marketplace.organisations.models import Invitation
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_register_an_organisation_with_an_error_then_success(page, live_server, assert_accessible):
    user = UserFactory()
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/organisations/new/")
    assert_accessible(page)

    page.get_by_role("radio", name="Supplier", exact=True).check()
    page.get_by_label("Legal name").fill("Accessible Widgets Ltd")
    page.get_by_label("Companies House number").fill("not a number")
    page.get_by_label("Region").select_option("TLD")
    page.get_by_label("Contact e-mail address").fill("hello@widgets.example")
    page.get_by_role("button", name="Register organisation").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a Companies House number in the correct format"
    )
    assert_accessible(page)

    page.get_by_label("Companies House number").fill("1234567")
    page.get_by_role("button", name="Register organisation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Accessible Widgets Ltd")
    expect(page.locator(".govuk-summary-list")).to_contain_text("01234567")
    assert_accessible(page)


def test_invite_form_and_member_page_are_accessible(page, live_server, assert_accessible):
    membership = MembershipFactory(role="supplier_admin")
    MembershipFactory.create_batch(26, organisation=membership.organisation, role="editor")
    sign_in(page, live_server, membership.user)
    page.goto(f"{live_server.url}/organisations/{membership.organisation.slug}/")
    expect(page.locator(".govuk-pagination")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Invite a member").click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    page.get_by_label("E-mail address").fill("colleague@example.org")
    page.get_by_role("radio", name="Finance", exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("colleague@example.org")
    assert Invitation.objects.get().role == "finance"


def test_join_with_a_new_account(page, live_server, assert_accessible):
    membership = MembershipFactory(role="supplier_admin")
    _invitation, token = services.invite_member(
        actor=membership.user,
        organisation=membership.organisation,
        email="newcomer@example.org",
        role="editor",
    )
    page.goto(f"{live_server.url}/organisations/invitations/{token}/")
    expect(page.get_by_role("heading", level=2, name="Create your account")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Confirm your password").fill("short")
    page.get_by_role("button", name="Create account and join").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This password is too short")
    assert_accessible(page)

    page.get_by_label("Create a password").fill("a-long-Unusual-passphrase")
    page.get_by_label("Confirm your password").fill("a-long-Unusual-passphrase")
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(membership.organisation.name)


def test_used_invitation_page_is_clear_and_accessible(page, live_server, assert_accessible):
    membership = MembershipFactory(role="supplier_admin")
    _invitation, token = services.invite_member(
        actor=membership.user,
        organisation=membership.organisation,
        email="x@example.org",
        role="editor",
    )
    Invitation.objects.update(revoked_at=Invitation.objects.get().created_at)

    response = page.goto(f"{live_server.url}/organisations/invitations/{token}/")

    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has been withdrawn")
    assert_accessible(page)
