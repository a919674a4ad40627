"""Small screens (WCAG 2.2 1.4.10 Reflow) for pages a link walk cannot reach: they answer a form.

Every other page is checked at 320 CSS px by tests/e2e/test_walk_per_role.py.
"""

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from tests.e2e.test_bulk_import_pages import choose_file
from tests.e2e.test_organisation_pages import sign_in
from tests.factories import AppointmentFactory, MembershipFactory, OrganisationFactory, supplier_lot
from tests.suppliers.test_bulk_import import csv_bytes, row

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NARROWEST = 320


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_import_problems_and_preview_tables_scroll_in_their_own_region(page, live_server):
    page.set_viewport_size({"width": NARROWEST, "height": 800})
    supplier = OrganisationFactory(kind="supplier", legal_name="Narrow Screens Ltd")
    user = MembershipFactory(organisation=supplier, role="editor").user
    lot = supplier_lot()
    AppointmentFactory(supplier=supplier, lot=lot)
    sign_in(page, live_server, user)
    page.goto(live_server.url + reverse("suppliers:suppliers_bulk:upload", args=[lot.pk]))
    assert page_width(page) <= NARROWEST

    choose_file(
        page,
        "offerings.csv",
        # A problem quotes the value entered: one long unbroken word.
        csv_bytes([row(title="Bad", price_unit="y" * 80)]),
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fix the problems")
    problems = page.get_by_role("region", name="Problems in offerings.csv")
    expect(problems).to_have_attribute("tabindex", "0")
    assert page_width(page) <= NARROWEST

    page.get_by_role("button", name="Upload a corrected file").click()
    choose_file(page, "offerings.csv", csv_bytes([row(), row(title="Second offering")]))
    expect(page.get_by_role("region", name="Offerings to import")).to_be_visible()
    assert page_width(page) <= NARROWEST
