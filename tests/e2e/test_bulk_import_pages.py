"""Bulk import pages in a real browser, each checked by axe: upload, problems, clean preview."""

import re

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from suppliers.models import Offering
from tests.e2e.test_organisation_pages import sign_in
from tests.factories import AppointmentFactory, MembershipFactory, OrganisationFactory, supplier_lot
from tests.suppliers.test_bulk_import import csv_bytes, row

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def choose_file(page, name: str, content: bytes, mime_type: str = "text/csv"):
    page.get_by_label("Upload your spreadsheet").set_input_files(
        files=[{"name": name, "mimeType": mime_type, "buffer": content}]
    )
    page.get_by_role("button", name="Check the file").click()


def test_upload_problems_and_clean_preview_pages(page, live_server, assert_accessible):
    supplier = OrganisationFactory(kind="supplier", legal_name="Accessible Imports Ltd")
    user = MembershipFactory(organisation=supplier, role="editor").user
    lot = supplier_lot()
    AppointmentFactory(supplier=supplier, lot=lot)
    sign_in(page, live_server, user)
    upload_url = live_server.url + reverse("suppliers:suppliers_bulk:upload", args=[lot.pk])

    page.goto(upload_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Upload offerings for {lot}")
    assert_accessible(page)

    choose_file(page, "offerings.pdf", b"%PDF-1.7", "application/pdf")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)"
    )
    assert_accessible(page)

    choose_file(page, "offerings.csv", csv_bytes([row(), row(title="Bad", price="£1,2x")]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fix the problems in offerings.csv")
    expect(page.locator("#problems tbody tr")).to_have_count(1)
    # The error summary's link moves focus to the problems table, which can take it.
    page.locator(".govuk-error-summary a[href='#problems']").press("Enter")
    expect(page.locator("#problems")).to_be_focused()
    expect(page.locator("#problems tbody")).to_contain_text(
        "Enter the price in pounds and pence, like 450 or 1,250.50 (you entered “£1,2x”)"
    )
    assert_accessible(page)

    page.get_by_role("button", name="Upload a corrected file").click()
    choose_file(page, "offerings.csv", csv_bytes([row(), row(title="Second offering")]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check 2 offerings before importing")
    expect(page.locator("#import-counts")).to_have_text("2 new, 0 changed, 0 unchanged")
    # The button comes after the rows it imports, in the order a keyboard reaches them.
    order = page.evaluate(
        "() => [...document.querySelectorAll('main table, main button')].map(e => e.tagName)"
    )
    assert order == ["TABLE", "BUTTON"]
    assert_accessible(page)

    page.get_by_role("button", name="Import 2 offerings").click()
    expect(page.locator("main")).to_contain_text(f"2 offerings were imported as drafts on {lot}")
    assert Offering.objects.filter(supplier=supplier, status="draft").count() == 2
