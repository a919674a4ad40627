"""Importing offerings from CSV and Excel in the supplier portal: preview, problems, confirm."""

import codecs
import csv
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import openpyxl
import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.organisations.policy import PolicyDenied
from suppliers import services
from suppliers.bulk import imports, spreadsheets, uploads
from suppliers.models import Offering
from tests.factories import (
    AppointmentFactory,
    MembershipFactory,
    offering,
    offering_data,
    supplier_lot,
)

HEADINGS = [
    "reference",
    "title",
    "summary",
    "description",
    "price",
    "price_unit",
    "vat_treatment",
    "minimum_contract_value",
    "regions_served",
    "lead_time_days",
    "max_users",
    "hosted_in_uk",
    "support_hours",
    "standards",
    "onboarding",
]


def row(**overrides) -> dict:
    """One valid row for the test lot (tests.factories.ATTRIBUTE_SCHEMA), as text cells."""
    return {
        "reference": "",
        "title": "Case management platform",
        "summary": "Cloud case management for adult social care teams.",
        "description": "Hosted software with training and support included.",
        "price": "12.50",
        "price_unit": "user_month",
        "vat_treatment": "exclusive",
        "minimum_contract_value": "",
        "regions_served": "TLC; North West (England)",
        "lead_time_days": "10",
        "max_users": "500",
        "hosted_in_uk": "yes",
        "support_hours": "24/7",
        "standards": "WCAG 2.2 AA; ISO 27001",
        "onboarding": "",
        **overrides,
    }


def rows(count: int, **overrides) -> list[dict]:
    return [row(title=f"Offering {n}", **overrides) for n in range(1, count + 1)]


def csv_bytes(data: list[dict], headings=HEADINGS, *, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows([values.get(heading, "") for heading in headings] for values in data)
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode()


def xlsx_bytes(data: list[list], headings=HEADINGS, *, title="Offerings") -> bytes:
    """A workbook as Excel would save it: openpyxl stores a text starting "=" as a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headings)
    for values in data:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def appointed(supplier, lot):
    return AppointmentFactory(supplier=supplier, lot=lot)


@pytest.fixture
def portal(client, supplier_user, appointed):
    client.force_login(supplier_user)
    return client


def upload_url(lot) -> str:
    return reverse("suppliers:suppliers_bulk:upload", args=[lot.pk])


def upload(client, lot, content: bytes, name: str = "offerings.csv"):
    return client.post(upload_url(lot), {"file": SimpleUploadedFile(name, content)})


def preview(client, lot, content: bytes, name: str = "offerings.csv"):
    response = upload(client, lot, content, name)
    assert response.status_code == 302, response.context["form"].errors
    return client.get(response["Location"])


def problems_of(response) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in response.context["problems"]]


def file_errors(response) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors["file"]


def confirm_url(response) -> str:
    return reverse(
        "suppliers:suppliers_bulk:confirm",
        args=[response.context["lot"].pk, response.context["upload"].token],
    )


# --- Happy paths -----------------------------------------------------------------------------


def test_upload_page_lists_every_column_with_guidance(portal, lot):
    response = portal.get(upload_url(lot))
    assert response.status_code == 200
    assert [column.name for column in response.context["columns"]] == HEADINGS
    content = response.content.decode()
    assert "Any of these, separated by “;”: WCAG 2.2 AA; ISO 27001." in content
    assert 'type="file"' in content
    assert 'enctype="multipart/form-data"' in content


def test_csv_import_previews_then_creates_every_row_as_a_draft(portal, lot, supplier):
    content = csv_bytes([row(), row(title="Data hosting", price="£1,250.50", price_unit="day")])
    response = preview(portal, lot, content)

    assert response.status_code == 200
    assert problems_of(response) == []
    assert [(r["row"], r["title"], r["price"]) for r in response.context["rows"]] == [
        (2, "Case management platform", "£12.50 per user per month"),
        (3, "Data hosting", "£1,250.50 per day"),
    ]
    assert Offering.objects.count() == 0

    response = portal.post(confirm_url(response))

    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:offering-list")
    imported = list(Offering.objects.order_by("title"))
    assert [(o.title, o.price, o.status, o.live) for o in imported] == [
        ("Case management platform", Decimal("12.50"), "draft", False),
        ("Data hosting", Decimal("1250.50"), "draft", False),
    ]
    first = imported[0]
    assert first.supplier == supplier
    assert first.lot == lot
    assert first.attributes == {
        "max_users": 500,
        "hosted_in_uk": True,
        "support_hours": "24/7",
        "standards": ["WCAG 2.2 AA", "ISO 27001"],
    }
    assert first.regions_served == ["TLC", "TLD"]
    assert first.comparable_price == Decimal("12.50")
    assert first.has_unpublished_changes is True
    assert first.latest_revision.content["title"] == "Case management platform"
    event = AuditEvent.objects.get(kind=AuditKind.OFFERINGS_IMPORTED)
    assert event.organisation == supplier
    assert event.data["count"] == 2
    assert sorted(event.data["offerings"]) == sorted(o.pk for o in imported)
    assert event.data["file"] == "offerings.csv"


def test_confirm_forgets_the_upload(portal, lot):
    response = preview(portal, lot, csv_bytes([row()]))
    kept = response.context["upload"]
    portal.post(confirm_url(response))

    assert not default_storage.exists(kept.path)
    assert portal.session[uploads.SESSION_KEY] == {}
    assert portal.post(confirm_url(response)).status_code == 404
    assert Offering.objects.count() == 1


def test_csv_with_a_byte_order_mark_is_read(portal, lot):
    response = preview(portal, lot, csv_bytes([row()], bom=True))
    assert problems_of(response) == []
    assert len(response.context["rows"]) == 1


def test_xlsx_made_from_the_downloaded_template_imports(portal, lot):
    template = portal.get(reverse("suppliers:suppliers_bulk:template", args=[lot.pk, "xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = workbook["Offerings"]
    headings = [cell.value for cell in sheet[1]]
    values = row(price="950", lead_time_days="5")
    # Excel keeps numbers as numbers and yes/no answers may be booleans.
    typed = {"price": 950, "lead_time_days": 5, "max_users": 250, "hosted_in_uk": True}
    sheet.append([typed.get(heading, values[heading]) for heading in headings])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = preview(portal, lot, buffer.getvalue(), "offerings.xlsx")
    assert problems_of(response) == []
    portal.post(confirm_url(response))

    imported = Offering.objects.get()
    assert (imported.price, imported.lead_time_days) == (Decimal("950.00"), 5)
    assert imported.attributes["max_users"] == 250
    assert imported.attributes["hosted_in_uk"] is True


def test_imported_drafts_can_be_edited_and_submitted(portal, lot, supplier, supplier_user):
    response = preview(portal, lot, csv_bytes([row()]))
    portal.post(confirm_url(response))
    imported = Offering.objects.get()

    edited = services.edit_offering(
        actor=supplier_user,
        supplier=supplier,
        offering=imported,
        data=offering_data(title="Renamed platform"),
    )
    submitted = services.submit_offering(actor=supplier_user, supplier=supplier, offering=edited)

    assert submitted.title == "Renamed platform"
    assert submitted.status == "submitted"
    assert submitted.revisions.count() == 2


# --- Bad input: every problem listed with its row and column, nothing saved -----------------


def test_every_problem_in_every_row_is_listed_with_row_and_column(portal, lot):
    content = csv_bytes(
        [
            row(title="Fine one"),
            row(title="Bad price", price="£1,2x"),
            row(title="Negative", price="-5"),
            row(title="Absurd", price="1000000000"),
            row(title="Nowhere", regions_served="Atlantis; TLC"),
            row(title="No users", max_users=""),
            row(title="Several", price="", lead_time_days="soon", hosted_in_uk="maybe"),
        ]
    )
    response = preview(portal, lot, content)

    assert problems_of(response) == [
        (
            3,
            "price",
            "Enter the price in pounds and pence, like 450 or 1,250.50 (you entered “£1,2x”)",
        ),
        (4, "price", "The price must be £0 or more (you entered “-5”)"),
        (5, "price", "The price must be £100,000,000 or less (you entered “1000000000”)"),
        (
            6,
            "regions_served",
            "Regions served must be ITL1 codes or names, any of: TLC, TLD, TLE, TLF, TLG, TLH, "
            "TLI, TLJ, TLK, TLL, TLM, TLN (you entered “Atlantis”)",
        ),
        (7, "max_users", "Answer “Maximum users”"),
        (8, "price", "Enter a price"),
        (
            8,
            "lead_time_days",
            "Enter the lead time as a whole number of days from 0 to 365 (you entered “soon”)",
        ),
        (8, "hosted_in_uk", "Hosted in the UK must be yes or no (you entered “maybe”)"),
    ]
    assert response.context["rows"] == []
    content = response.content.decode()
    assert "<title>Error: Fix the problems in offerings.csv" in content
    assert "8 problems in offerings.csv: nothing has been imported" in content
    assert Offering.objects.count() == 0


NUL_MESSAGE = "Remove the NUL character (\\x00): it cannot be saved"


def test_a_nul_byte_in_any_cell_is_a_problem_at_preview_with_its_row(portal, lot):
    content = csv_bytes(
        [
            row(title="Fine one"),
            row(title="Bad\x00title", summary="Nul\x00summary"),
            row(title="Bad answer", support_hours="24/7\x00"),
        ]
    )
    response = preview(portal, lot, content)

    assert problems_of(response) == [
        (3, "title", NUL_MESSAGE),
        (3, "summary", NUL_MESSAGE),
        (4, "support_hours", NUL_MESSAGE),
    ]
    response = portal.post(confirm_url(response))
    assert response.status_code == 200
    assert len(problems_of(response)) == 3
    assert Offering.objects.count() == 0


def test_errors_name_their_column_list_the_choices_and_quote_the_entry(portal, lot):
    content = csv_bytes(
        [
            row(title="Minimum", minimum_contract_value="lots"),
            row(title="Negative minimum", minimum_contract_value="-1"),
            row(title="Unit", price_unit="weekly", vat_treatment="20%"),
            row(title="Answers", support_hours="Weekends", standards="ISO 27001; Kitemark"),
            row(title="x" * 151, max_users="many"),
        ]
    )
    response = preview(portal, lot, content)

    assert problems_of(response) == [
        (
            2,
            "minimum_contract_value",
            "Enter the minimum contract value in pounds and pence, like 450 or 1,250.50 "
            "(you entered “lots”)",
        ),
        (
            3,
            "minimum_contract_value",
            "The minimum contract value must be £0 or more (you entered “-1”)",
        ),
        (
            4,
            "price_unit",
            "Price unit must be one of: hour, day, unit, month, user_month, fixed "
            "(you entered “weekly”)",
        ),
        (
            4,
            "vat_treatment",
            "VAT must be one of: exclusive, inclusive, exempt (you entered “20%”)",
        ),
        (
            5,
            "support_hours",
            "Support hours must be one of: Office hours, 24/7 (you entered “Weekends”)",
        ),
        (
            5,
            "standards",
            "Standards met must be any of: WCAG 2.2 AA, ISO 27001 (you entered “Kitemark”)",
        ),
        (6, "title", "Title must be 150 characters or fewer (you entered 151)"),
        (
            6,
            "max_users",
            "Enter Maximum users as a number, like 250 or 12.5 (you entered “many”)",
        ),
    ]


def test_confirm_refuses_a_file_with_problems(portal, lot):
    response = preview(portal, lot, csv_bytes([row(price="-5")]))
    response = portal.post(confirm_url(response))

    assert problems_of(response) == [
        (2, "price", "The price must be £0 or more (you entered “-5”)")
    ]
    assert Offering.objects.count() == 0
    assert not AuditEvent.objects.filter(kind=AuditKind.OFFERINGS_IMPORTED).exists()


def test_duplicate_titles_in_the_file_are_problems_on_the_later_rows(portal, lot):
    content = csv_bytes(
        [row(title="Hosting"), row(title="Other"), row(title="  HOSTING "), row(title="hosting")]
    )
    response = preview(portal, lot, content)

    same = "Row 2 has the same title: each offering needs its own title"
    assert problems_of(response) == [(4, "title", same), (5, "title", same)]
    assert Offering.objects.count() == 0


def test_a_title_already_used_on_the_lot_is_a_problem(portal, lot, supplier, supplier_user):
    offering(supplier=supplier, lot=lot, actor=supplier_user, title="Existing platform")
    response = preview(portal, lot, csv_bytes([row(title="existing PLATFORM")]))

    assert problems_of(response) == [
        (2, "title", "You already have an offering called “existing PLATFORM” on this lot")
    ]


def test_a_title_taken_between_preview_and_confirm_stops_the_import(
    portal, lot, supplier, supplier_user
):
    response = preview(portal, lot, csv_bytes([row(title="Hosting"), row(title="Support")]))
    offering(supplier=supplier, lot=lot, actor=supplier_user, title="Support")

    response = portal.post(confirm_url(response))

    assert response.status_code == 200
    assert problems_of(response) == [
        (3, "title", "You already have an offering called “Support” on this lot")
    ]
    assert list(Offering.objects.values_list("title", flat=True)) == ["Support"]


def test_formula_cells_in_xlsx_are_refused_with_row_and_column(portal, lot):
    values = row()
    formula_row = [values[h] for h in HEADINGS]
    formula_row[HEADINGS.index("title")] = "Another title"
    formula_row[HEADINGS.index("price")] = "=10*2"
    formula_row[HEADINGS.index("summary")] = '=HYPERLINK("http://example.com","Click")'
    response = preview(
        portal, lot, xlsx_bytes([[values[h] for h in HEADINGS], formula_row]), "offerings.xlsx"
    )

    message = "This cell holds a formula: type the value itself, not a formula"
    assert problems_of(response) == [(3, "summary", message), (3, "price", message)]
    assert Offering.objects.count() == 0


def test_cells_starting_with_equals_or_at_in_csv_are_refused(portal, lot):
    response = preview(
        portal, lot, csv_bytes([row(title="=1+2"), row(title="Fine", onboarding="@SUM(A1)")])
    )

    message = "This cell holds a formula: type the value itself, not a formula"
    assert problems_of(response) == [(2, "title", message), (3, "onboarding", message)]


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        (
            [h for h in HEADINGS if h not in {"price", "max_users"}],
            "missing price, max_users",
        ),
        (
            [*HEADINGS[:-1], "on_boarding", "colour"],
            "missing onboarding; not expected on_boarding, colour",
        ),
        ([*HEADINGS, "title"], "more than once title"),
    ],
)
def test_wrong_or_missing_headings_are_one_error_naming_them(portal, lot, headings, expected):
    response = upload(portal, lot, csv_bytes([row()], headings))

    assert file_errors(response) == [
        f"The heading row does not match the template for this lot ({expected}): download the "
        "template again and copy your rows into it"
    ]
    assert Offering.objects.count() == 0


def test_headings_are_matched_ignoring_case_and_spaces(portal, lot):
    headings = [h.replace("_", " ").title() for h in HEADINGS]
    content = csv_bytes([dict(zip(headings, row().values(), strict=True))], headings)
    response = preview(portal, lot, content)
    assert problems_of(response) == []


NOT_A_SPREADSHEET = "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("offerings.pdf", b"%PDF-1.7", NOT_A_SPREADSHEET),
        ("offerings.xls", b"\xd0\xcf\x11\xe0", NOT_A_SPREADSHEET),
        (
            "offerings.xlsx",
            b"title,summary\r\n",
            "The file is not an Excel workbook: save it from Excel as .xlsx, or upload a CSV",
        ),
        (
            "offerings.csv",
            b"\xff\xfet\x00i\x00",
            "The file must be saved as UTF-8: in Excel choose “CSV UTF-8 (Comma delimited)”",
        ),
        (
            "offerings.xlsx",
            b"PK\x03\x04 not really a zip",
            "The Excel workbook is damaged: save it again as .xlsx",
        ),
    ],
)
def test_wrong_file_types_are_refused(portal, lot, name, content, message):
    assert file_errors(upload(portal, lot, content, name)) == [message]


def test_an_excel_workbook_named_csv_is_refused(portal, lot):
    response = upload(portal, lot, xlsx_bytes([]), "offerings.csv")
    assert file_errors(response) == [
        "This file is an Excel workbook with a .csv name: rename it to end .xlsx"
    ]


def test_an_oversized_file_is_refused(portal, lot):
    content = csv_bytes([row()]) + b"\r\n" * spreadsheets.MAX_FILE_SIZE
    assert file_errors(upload(portal, lot, content)) == ["The file must be 5 MB or smaller"]


def test_an_empty_upload_is_refused(portal, lot):
    assert file_errors(upload(portal, lot, b"")) == [
        "The file is empty: start from the template for this lot"
    ]


def test_a_file_of_only_blank_lines_is_empty(portal, lot):
    content = b"\r\n" * 10_000 + b" , ,\r\n" * 10
    assert file_errors(upload(portal, lot, content)) == [
        "The file is empty: start from the template for this lot"
    ]


def test_headings_without_rows_are_refused(portal, lot):
    content = csv_bytes([]) + b"\r\n" * 10_000
    assert file_errors(upload(portal, lot, content)) == [
        "The file has a heading row but no rows of offerings below it"
    ]


def test_blank_rows_are_skipped_but_counted_in_row_numbers(portal, lot):
    content = csv_bytes([row(title="First"), {}, {}, row(title="Fourth", price="x")])
    response = preview(portal, lot, content)
    assert problems_of(response) == [
        (5, "price", "Enter the price in pounds and pence, like 450 or 1,250.50 (you entered “x”)")
    ]


def test_too_many_rows_are_refused(portal, lot):
    content = csv_bytes(rows(spreadsheets.MAX_ROWS + 1))
    assert file_errors(upload(portal, lot, content)) == [
        "The file has more than 5,000 rows: split it into files of 5,000 or fewer"
    ]


def zip_bomb() -> bytes:
    """A real workbook plus one member that inflates 1,000 times: 10 MB from about 10 kB."""
    buffer = io.BytesIO(xlsx_bytes([list(row().values())]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 10_000_000)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(portal, lot, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(spreadsheets.openpyxl, "load_workbook", never)
    content = zip_bomb()
    assert len(content) < 100_000

    assert file_errors(upload(portal, lot, content, "offerings.xlsx")) == [
        "The workbook expands to far more data than a sheet of offerings needs: remove "
        "pictures and other sheets, or upload a CSV file"
    ]


def test_a_workbook_declaring_too_much_data_in_total_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_SIZE", 1_000)
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.read_table(xlsx_bytes([list(row().values())]), name="offerings.xlsx")


# --- Who may import, and where ---------------------------------------------------------------


def test_a_lot_the_supplier_is_not_appointed_to_is_not_found(portal):
    other_lot = supplier_lot()
    assert portal.get(upload_url(other_lot)).status_code == 404
    response = upload(portal, other_lot, csv_bytes([row()]))
    assert response.status_code == 404
    url = reverse("suppliers:suppliers_bulk:template", args=[other_lot.pk, "csv"])
    assert portal.get(url).status_code == 404


def test_a_suspended_appointment_closes_the_import(portal, lot, appointed):
    appointed.status = "suspended"
    appointed.save()
    assert portal.get(upload_url(lot)).status_code == 404


def test_check_rows_reports_an_unappointed_lot(supplier):
    other_lot = supplier_lot()
    parsed = imports.parse_offerings(csv_bytes([row()]), name="a.csv", lot=other_lot)

    checked = imports.check_rows(supplier=supplier, lot=other_lot, rows=parsed.rows)

    assert [(p.row, p.message) for p in checked.problems] == [
        (None, f"{supplier} is not appointed to {other_lot}, so cannot list offerings on it")
    ]


def test_a_finance_member_may_not_import(client, supplier, lot, appointed):
    client.force_login(MembershipFactory(organisation=supplier, role="finance").user)
    assert client.get(upload_url(lot)).status_code == 403


def test_the_service_checks_the_actors_permission(supplier, lot, appointed, other_supplier):
    outsider = MembershipFactory(organisation=other_supplier, role="supplier_admin").user
    parsed = imports.parse_offerings(csv_bytes([row()]), name="a.csv", lot=lot)
    with pytest.raises(PolicyDenied):
        imports.import_offerings(actor=outsider, supplier=supplier, lot=lot, rows=parsed.rows)
    assert Offering.objects.count() == 0


def test_another_users_preview_token_is_not_found(portal, lot, supplier):
    response = preview(portal, lot, csv_bytes([row()]))
    preview_url = response.request["PATH_INFO"]
    url = confirm_url(response)

    colleague = Client()
    colleague.force_login(MembershipFactory(organisation=supplier, role="editor").user)
    assert colleague.get(preview_url).status_code == 404
    assert colleague.post(url).status_code == 404
    assert Offering.objects.count() == 0


def test_an_unknown_token_is_not_found(portal, lot):
    url = reverse("suppliers:suppliers_bulk:confirm", args=[lot.pk, "no-such-token"])
    assert portal.post(url).status_code == 404
    url = reverse("suppliers:suppliers_bulk:preview", args=[lot.pk, "no-such-token"])
    assert portal.get(url).status_code == 404


def test_a_token_for_another_lot_is_not_found(portal, lot, supplier):
    response = preview(portal, lot, csv_bytes([row()]))
    second_lot = supplier_lot()
    AppointmentFactory(supplier=supplier, lot=second_lot)
    token = response.context["upload"].token

    url = reverse("suppliers:suppliers_bulk:confirm", args=[second_lot.pk, token])
    assert portal.post(url).status_code == 404


def test_an_expired_upload_asks_for_the_file_again(portal, lot, monkeypatch):
    response = preview(portal, lot, csv_bytes([row()]))
    kept = response.context["upload"]
    monkeypatch.setattr(uploads, "MAX_AGE", timedelta(seconds=-1))

    response = portal.post(confirm_url(response), follow=True)

    assert response.redirect_chain == [(upload_url(lot), 302)]
    assert "That upload has expired: upload the file again" in response.content.decode()
    assert not default_storage.exists(kept.path)
    assert Offering.objects.count() == 0


def test_confirm_needs_post(portal, lot):
    response = preview(portal, lot, csv_bytes([row()]))
    assert portal.get(confirm_url(response)).status_code == 405


# --- Cost ------------------------------------------------------------------------------------


def test_preview_queries_do_not_grow_with_rows(portal, lot, django_assert_max_num_queries):
    small = upload(portal, lot, csv_bytes(rows(2)))
    large = upload(portal, lot, csv_bytes(rows(200)))
    with django_assert_max_num_queries(18) as small_queries:
        portal.get(small["Location"])
    with django_assert_max_num_queries(len(small_queries)):
        response = portal.get(large["Location"])
    assert len(response.context["rows"]) == 200
