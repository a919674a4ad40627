"""Templates and exports of offerings as CSV and Excel, with formula injection neutralised."""

import codecs
import csv
import io

from django.urls import reverse

import openpyxl
import pytest

from suppliers.bulk import exports, spreadsheets
from tests.factories import (
    AppointmentFactory,
    MembershipFactory,
    framework_page,
    offering,
    supplier_lot,
)

from .test_bulk_import import HEADINGS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def portal(client, supplier_user):
    client.force_login(supplier_user)
    return client


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(content[len(codecs.BOM_UTF8) :].decode(), newline="")))


def read_xlsx(content: bytes) -> dict[str, list[list[str]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheets = {}
    for sheet in workbook.worksheets:
        assert {cell.data_type for row in sheet.iter_rows() for cell in row} <= {"s", "n"}
        sheets[sheet.title] = [
            [cell.value or "" for cell in row] for row in sheet.iter_rows() if any(row)
        ]
    return sheets


# --- Neutralising formulas ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://example.com","x")', '\'=HYPERLINK("http://example.com","x")'),
        ("+44 161 496 0000", "'+44 161 496 0000"),
        ("-5", "'-5"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        (" =1+2", " =1+2"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_neutralise_prefixes_exactly_the_risky_starts_with_a_quote(value, written):
    assert spreadsheets.neutralise(value) == written


def test_csv_writer_neutralises_every_cell_including_headings():
    sheet = spreadsheets.Sheet("x", ["=heading", "plain"], [["-1", "@x"], ["ok", "+1"]])
    assert spreadsheets.write_csv(sheet) == (
        codecs.BOM_UTF8 + b"'=heading,plain\r\n'-1,'@x\r\nok,'+1\r\n"
    )


def test_xlsx_writer_stores_every_cell_as_neutralised_text():
    sheet = spreadsheets.Sheet("Sheet", ["=heading"], [["=1+2"], ["-1"], ["12"]])
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.write_xlsx([sheet])))
    cells = [row[0] for row in workbook["Sheet"].iter_rows()]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        ("'=heading", "s"),
        ("'=1+2", "s"),
        ("'-1", "s"),
        ("12", "s"),
    ]


# --- Templates ------------------------------------------------------------------------------


def test_csv_template_is_the_heading_row_only(portal, supplier, lot, appointed_lot):
    response = portal.get(reverse("suppliers:suppliers_bulk:template", args=[lot.pk, "csv"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reference = lot.framework.reference.lower()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{reference}-lot-1-offerings-template.csv"'
    )
    assert response.content == codecs.BOM_UTF8 + ",".join(HEADINGS).encode() + b"\r\n"


def test_xlsx_template_has_the_headings_and_a_guidance_sheet(portal, lot, appointed_lot):
    response = portal.get(reverse("suppliers:suppliers_bulk:template", args=[lot.pk, "xlsx"]))

    assert response["Content-Type"] == XLSX_TYPE
    sheets = read_xlsx(response.content)
    assert list(sheets) == ["Offerings", "Guidance"]
    assert sheets["Offerings"] == [HEADINGS]
    guidance = sheets["Guidance"]
    assert guidance[0] == ["Column", "Question", "Required", "What to enter"]
    assert [line[0] for line in guidance[1:]] == HEADINGS
    by_column = {line[0]: line[1:] for line in guidance[1:]}
    assert by_column["price_unit"] == [
        "Price unit",
        "Yes",
        "What the price is for, one of: hour (per hour); day (per day); unit (per unit); "
        "month (per month); user_month (per user per month); fixed (fixed price).",
    ]
    assert by_column["max_users"] == [
        "Maximum users",
        "Yes",
        "A number from 0 to 1,000,000,000, with up to 2 decimal places. In users.",
    ]
    assert by_column["support_hours"] == ["Support hours", "No", "One of: Office hours; 24/7."]
    assert by_column["minimum_contract_value"][1] == "No"


def test_an_attribute_named_like_an_offering_field_gets_its_own_column(db):
    schema = [("text", {"key": "price", "label": "Price notes", "required": False})]
    lot = framework_page(lots=[{"number": 1, "title": "X", "attribute_schema": schema}]).lots.get()
    assert [column.name for column in exports.columns_for(lot)][-1] == "attribute_price"


@pytest.fixture
def appointed_lot(supplier, lot):
    return AppointmentFactory(supplier=supplier, lot=lot)


# --- Exports --------------------------------------------------------------------------------


@pytest.fixture
def risky(supplier, supplier_user, lot):
    """An offering whose text a spreadsheet would take for formulas."""
    return offering(
        supplier=supplier,
        lot=lot,
        actor=supplier_user,
        title="=1+2",
        summary="+44 161 496 0000 for support",
        description="@risk assessment included",
        attributes={"max_users": "500", "hosted_in_uk": "no", "onboarding": "-none-"},
    )


RISKY_ROW = [
    "'=1+2",
    "'+44 161 496 0000 for support",
    "'@risk assessment included",
    "12.50",
    "user_month",
    "exclusive",
    "",
    "TLC; TLD",
    "10",
    "500",
    "no",
    "",
    "",
    "'-none-",
    "draft",
]


def test_lot_export_as_csv_is_the_template_columns_plus_status_neutralised(
    portal, supplier, lot, risky
):
    url = reverse("suppliers:suppliers_bulk:export-lot", args=[lot.pk, "csv"])
    response = portal.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reference = lot.framework.reference.lower()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{supplier.slug}-offerings-{reference}-lot-1.csv"'
    )
    assert read_csv(response.content) == [[*HEADINGS, "status"], [risky.reference, *RISKY_ROW]]


def test_lot_export_as_xlsx_has_the_same_neutralised_text(portal, lot, risky):
    response = portal.get(reverse("suppliers:suppliers_bulk:export-lot", args=[lot.pk, "xlsx"]))

    assert response["Content-Type"] == XLSX_TYPE
    assert read_xlsx(response.content) == {
        "Offerings": [[*HEADINGS, "status"], [risky.reference, *RISKY_ROW]]
    }


def test_export_of_every_lot_names_framework_and_lot_and_joins_the_questions(
    portal, supplier, supplier_user, lot, other_supplier
):
    schema = [
        ("yes_no", {"key": "hosted_in_uk", "label": "UK hosted", "required": True}),
        ("number", {"key": "crews", "label": "Crews", "unit": "crews", "required": True}),
    ]
    second = framework_page(
        lots=[{"number": 2, "title": "Grounds", "attribute_schema": schema}]
    ).lots.get()
    offering(supplier=supplier, lot=lot, actor=supplier_user, title="Platform")
    offering(
        supplier=supplier,
        lot=second,
        actor=supplier_user,
        title="Mowing",
        price="300",
        price_unit="day",
        attributes={"hosted_in_uk": "no", "crews": "4"},
    )
    offering(supplier=other_supplier, lot=lot, title="Not ours")

    response = portal.get(reverse("suppliers:suppliers_bulk:export", args=["csv"]))

    table = read_csv(response.content)
    assert table[0] == ["framework", "lot", *HEADINGS, "crews", "status"]
    expected = [
        (lot.framework, ["1", "Platform", "", "draft"]),
        (second.framework, ["2", "Mowing", "4", "draft"]),
    ]
    expected.sort(key=lambda line: line[0].title)  # the portal's order: framework, lot, title
    assert [[line[0], line[1], line[3], line[-2], line[-1]] for line in table[1:]] == [
        [framework.reference, *rest] for framework, rest in expected
    ]
    assert response["Content-Disposition"] == (
        f'attachment; filename="{supplier.slug}-offerings-all-lots.csv"'
    )


def test_live_offerings_export_with_their_status(portal, supplier, supplier_user, lot):
    offering(supplier=supplier, lot=lot, actor=supplier_user, status="live")
    response = portal.get(reverse("suppliers:suppliers_bulk:export-lot", args=[lot.pk, "csv"]))
    assert read_csv(response.content)[1][-1] == "live"


def test_export_of_a_lot_the_supplier_has_nothing_on_is_not_found(portal, other_supplier):
    other_lot = supplier_lot()
    offering(supplier=other_supplier, lot=other_lot)
    url = reverse("suppliers:suppliers_bulk:export-lot", args=[other_lot.pk, "csv"])
    assert portal.get(url).status_code == 404


def test_export_needs_permission_to_edit_offerings(client, supplier, lot, risky):
    client.force_login(MembershipFactory(organisation=supplier, role="finance").user)
    response = client.get(reverse("suppliers:suppliers_bulk:export", args=["csv"]))
    assert response.status_code == 403


def test_the_offering_list_offers_no_export_to_those_who_may_not_export(client, supplier, risky):
    client.force_login(MembershipFactory(organisation=supplier, role="finance").user)
    html = client.get(reverse("suppliers:offering-list")).content.decode()
    assert "=1+2" in html
    assert reverse("suppliers:suppliers_bulk:export", args=["csv"]) not in html


def test_the_offering_list_offers_the_export_to_editors(portal, risky):
    html = portal.get(reverse("suppliers:offering-list")).content.decode()
    assert reverse("suppliers:suppliers_bulk:export", args=["csv"]) in html


def test_unknown_formats_are_not_found(portal, lot, appointed_lot):
    assert portal.get("/supplier/offerings/export/all.pdf").status_code == 404
    assert portal.get(f"/supplier/lots/{lot.pk}/import/template.ods").status_code == 404


def test_export_queries_do_not_grow_with_offerings(
    portal, supplier, supplier_user, lot, django_assert_max_num_queries
):
    offering(supplier=supplier, lot=lot, actor=supplier_user, title="First")
    url = reverse("suppliers:suppliers_bulk:export", args=["xlsx"])
    with django_assert_max_num_queries(11) as few:
        portal.get(url)
    for number in range(20):
        offering(supplier=supplier, lot=lot, actor=supplier_user, title=f"More {number}")
    with django_assert_max_num_queries(len(few)):
        response = portal.get(url)
    assert len(read_xlsx(response.content)["Offerings"]) == 22
