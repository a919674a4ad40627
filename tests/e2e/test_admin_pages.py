"""The Wagtail admin pages a regional lead works in, in a real browser: no script refused by
the content security policy, the widgets those scripts start still start, and the lot
attribute editor has a label on every input."""

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from frameworks.setup import ensure_authority_section
from marketplace.organisations.admin_access import sync_staff_group
from tests.factories import ATTRIBUTE_SCHEMA, MembershipFactory, framework_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The authority's listings, each a Wagtail viewset with a filter set.
LISTINGS = ["appointments:index", "debarments:index", "suppliers_admin:index"]


@pytest.fixture
def framework(db):
    framework = framework_page(
        lots=[
            {"number": 1, "title": "Software", "attribute_schema": ATTRIBUTE_SCHEMA},
            {"number": 2, "title": "Support"},
        ]
    )
    ensure_authority_section(authority=framework.authority)
    return framework


@pytest.fixture
def manager_page(page, open_admin_as, framework):
    """The browser page, signed in (with a verified second factor) as a framework manager."""
    manager = MembershipFactory(organisation=framework.authority, role="framework_manager").user
    sync_staff_group(framework.authority)
    return open_admin_as(page, manager)


def test_admin_pages_run_no_script_the_policy_refuses(manager_page, live_server, framework):
    refused = []
    manager_page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("audit_events:index"),
        *map(reverse, LISTINGS),
        reverse("wagtailadmin_explore", args=(framework.get_parent().pk,)),
        reverse("wagtailadmin_pages:edit", args=(framework.pk,)),
    ):
        response = manager_page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
    assert refused == []


def test_listings_are_accessible_and_filter_in_wagtails_filter_ui(
    manager_page, live_server, framework, assert_accessible
):
    for name in LISTINGS:
        manager_page.goto(f"{live_server.url}{reverse(name)}")
        assert_accessible(manager_page)
    manager_page.goto(f"{live_server.url}{reverse('appointments:index')}")
    manager_page.get_by_role("button", name="Filter").click()
    expect(manager_page.get_by_role("button", name="Status")).to_be_visible()


def test_framework_editor_widgets_start_without_inline_scripts(
    manager_page, live_server, framework
):
    manager_page.goto(
        f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=(framework.pk,))}"
    )
    manager_page.get_by_role("tab", name="Dates").click()
    manager_page.get_by_role("button", name="Add Reopening").click()
    reopening = manager_page.locator("[id^='inline_child_reopenings-']").first
    reopening.get_by_label("Reopens").click()
    expect(manager_page.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)


def test_lot_attribute_editor_labels_every_input(manager_page, live_server, framework, axe):
    """The questions are edited on their own page, reached from the lot in the editor."""
    manager_page.goto(
        f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=(framework.pk,))}"
    )
    results = axe.run(manager_page, context={"include": [["#panel-child-content-lots-content"]]})
    assert results.violations_count == 0, results.generate_report()
    manager_page.get_by_role("link", name="Edit offering questions for Lot 1").click()
    heading = manager_page.get_by_role(
        "heading", level=2, name="Offering questions for Lot 1: Software", exact=True
    )
    expect(heading).to_be_visible()
    first_question = manager_page.locator("input[name='attribute_schema-0-value-label']")
    expect(first_question).to_have_value("Maximum users")
    results = axe.run(manager_page, context={"include": [["#w-editor-form"]]})
    assert results.violations_count == 0, results.generate_report()
