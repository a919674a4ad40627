"""Removing a lot with appointments in the page editor: the editor says no before submit, and
the lot is closed from its own screen instead. In a real browser, with axe."""

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from frameworks.models import LotClosure
from frameworks.setup import ensure_authority_section
from marketplace.organisations.admin_access import sync_staff_group
from tests.factories import AppointmentFactory, MembershipFactory, framework_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def framework(db):
    framework = framework_page(
        lots=[{"number": 1, "title": "Software"}, {"number": 2, "title": "Cloud hosting"}]
    )
    ensure_authority_section(authority=framework.authority)
    AppointmentFactory(lot=framework.lots.get(number=2))
    return framework


@pytest.fixture
def manager_page(page, open_admin_as, framework):
    manager = MembershipFactory(organisation=framework.authority, role="framework_manager").user
    sync_staff_group(framework.authority)
    return open_admin_as(page, manager)


def editor_url(live_server, framework) -> str:
    return f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=(framework.pk,))}"


def test_the_editor_refuses_to_remove_a_lot_with_appointments(manager_page, live_server, framework):
    manager_page.goto(editor_url(live_server, framework))
    lot_two = manager_page.locator("#inline_child_lots-1")
    lot_two.get_by_role("button", name="Delete").click()
    manager_page.get_by_role("button", name="Save draft").click()

    expect(
        manager_page.get_by_text(
            "Lot 2, Cloud hosting, has appointments and cannot be removed. Close it instead."
        )
    ).to_be_visible()
    assert framework.lots.count() == 2


def test_a_manager_closes_the_lot_from_its_screen(
    manager_page, live_server, framework, assert_accessible
):
    manager_page.goto(editor_url(live_server, framework))
    # The page header's "Actions" menu comes first, before any chooser's.
    manager_page.get_by_role("button", name="Actions").first.click()
    manager_page.get_by_role("link", name="Close a lot").click()
    manager_page.get_by_role("button", name="Close the lot").click()
    expect(manager_page.get_by_role("link", name="Reason: This field is required.")).to_be_visible()
    assert_accessible(manager_page)

    manager_page.get_by_label("Lot 2: Cloud hosting").check()
    manager_page.get_by_label("Reason").fill("Now bought through the national framework")
    manager_page.get_by_label("Not a substantial modification (s.74)").check()
    manager_page.get_by_role("button", name="Close the lot").click()

    expect(manager_page.get_by_text("Lot 2: Cloud hosting is closed")).to_be_visible()
    assert LotClosure.objects.get().lot.number == 2
