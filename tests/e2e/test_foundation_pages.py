"""Home, sign-in (errors, lockout, keyboard only) and 404 in a real browser, each checked by axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in_page(page, live_server):
    page.goto(f"{live_server.url}/account/sign-in/")
    return page


def test_home_page_is_govuk_styled_and_accessible(page, live_server, assert_accessible):
    page.goto(live_server.url + "/")
    expect(page.locator("a.govuk-skip-link")).to_have_text("Skip to main content")
    expect(page.locator("header.govuk-template__header")).to_be_visible()
    expect(page.locator(".govuk-phase-banner")).to_be_visible()
    expect(page.locator("footer.govuk-template__footer")).to_be_visible()
    # The stylesheet is served and its fonts load from /assets/ at the site root.
    heading_font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert heading_font.startswith('"GDS Transport"')
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('19px \"GDS Transport\"')") is True
    assert_accessible(page)


def test_unknown_page_shows_the_govuk_404(page, live_server, assert_accessible):
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_sign_in_page_is_accessible(page, live_server, assert_accessible):
    sign_in_page(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)


def test_wrong_password_shows_an_error_summary(page, live_server, assert_accessible):
    membership = MembershipFactory(role="supplier_admin")
    sign_in_page(page, live_server)
    page.get_by_label("E-mail address").fill(membership.user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct e-mail address and password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("E-mail address")).to_have_value(membership.user.email)
    assert_accessible(page)


def test_repeated_failures_lock_the_account_with_a_clear_message(
    page, live_server, assert_accessible, settings
):
    membership = MembershipFactory(role="supplier_admin")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in_page(page, live_server)
        page.get_by_label("E-mail address").fill(membership.user.email)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in at the moment")
    expect(page.locator("main")).to_contain_text("wrong details too many times")
    # Even the right password is refused while locked out.
    sign_in_page(page, live_server)
    page.get_by_label("E-mail address").fill(membership.user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in at the moment")
    expect(page.locator("main")).to_contain_text("wrong details too many times")
    assert_accessible(page)


def test_sign_in_with_the_keyboard_only(page, live_server):
    membership = MembershipFactory(role="supplier_admin")
    sign_in_page(page, live_server)
    for _press in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "username":
            break
    else:
        pytest.fail("The e-mail field cannot be reached with the Tab key")
    page.keyboard.type(membership.user.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/supplier/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
