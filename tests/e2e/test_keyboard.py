"""Keyboard use that the GOV.UK components promise, in a real browser."""

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_link_styled_as_a_button_follows_on_space_as_well_as_enter(page, live_server):
    user = UserFactory()
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/organisations/")

    page.get_by_role("button", name="Register an organisation").focus()
    page.keyboard.press("Space")

    expect(page).to_have_url(live_server.url + reverse("organisations:register"))
