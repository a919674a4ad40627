"""CSV import of company numbers: parsing, row checks, and the admin upload → preview → confirm."""

import time
from datetime import timedelta
from io import BytesIO

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from frameworks import services
from frameworks.appointment_import import ParsedRow, check_rows, parse_company_numbers
from frameworks.models import Appointment
from tests import factories
from tests.frameworks.conftest import create_framework

UPLOAD = "appointments:import"
CONFIRM = "appointments:import-confirm"


def _parse(text: str | bytes):
    return parse_company_numbers(BytesIO(text.encode() if isinstance(text, str) else text))


def test_parse_reads_each_number_with_its_line():
    parsed = _parse("company_number\n01234567\nSC123456\n")
    assert (parsed.rows, parsed.errors) == (
        [ParsedRow(2, "01234567"), ParsedRow(3, "SC123456")],
        [],
    )


def test_parse_accepts_the_header_in_any_case_and_spacing():
    parsed = _parse(" Company Number ,name\r\n01234567,Acme\r\n")
    assert (parsed.rows, parsed.errors) == ([ParsedRow(2, "01234567")], [])


def test_parse_accepts_a_byte_order_mark():
    parsed = _parse(b"\xef\xbb\xbfcompany_number\n01234567\n")
    assert (parsed.rows, parsed.errors) == ([ParsedRow(2, "01234567")], [])


def test_parse_refuses_the_wrong_header():
    parsed = _parse("company,name\n01234567,Acme\n")
    assert (parsed.rows, parsed.errors) == (
        [],
        ["The first row must be the column heading “company_number”; it was “company,name”"],
    )


def test_parse_refuses_a_file_that_is_not_utf8():
    parsed = _parse("company_number\n01234567\nCafé Ltd\n".encode("cp1252"))
    assert parsed.errors == ["The file must be saved as UTF-8: in Excel, save it as “CSV UTF-8”"]


def test_parse_refuses_a_file_over_1_mb():
    parsed = _parse("company_number\n" + "01234567\n" * 120_000)
    assert (parsed.rows, parsed.errors) == ([], ["The file must be 1 MB or smaller"])


def test_parse_refuses_more_than_5000_rows():
    parsed = _parse("company_number\n" + "01234567\n" * 5001)
    assert parsed.errors == ["The file has more than 5,000 rows: split it into smaller files"]


def test_parse_accepts_exactly_5000_rows():
    parsed = _parse("company_number\n" + "01234567\n" * 5000)
    assert (len(parsed.rows), parsed.errors) == (5000, [])


def test_parse_skips_10000_blank_lines_quickly():
    text = "company_number\n" + "\n" * 5000 + "01234567\n" + " , \n" * 5000 + "SC123456\n"
    started = time.perf_counter()
    parsed = _parse(text)
    elapsed = time.perf_counter() - started
    assert (parsed.rows, parsed.errors) == (
        [ParsedRow(5002, "01234567"), ParsedRow(10003, "SC123456")],
        [],
    )
    assert elapsed < 2  # generous: the point is that blank lines cost next to nothing


def test_parse_refuses_an_empty_file():
    assert _parse("").errors == [
        "The file is empty: its first row must be the column heading “company_number”"
    ]


def test_parse_refuses_a_header_without_numbers():
    assert _parse("company_number\n\n").errors == ["The file has a heading but no company numbers"]


@pytest.fixture
def check(lot, authority, today):
    def run(*numbers):
        rows = [ParsedRow(line, number) for line, number in enumerate(numbers, start=2)]
        return [
            (row.line, row.supplier, row.problem)
            for row in check_rows(rows=rows, lot=lot, authority=authority, on=today)
        ]

    return run


def test_check_finds_each_supplier(check, supplier, other_supplier):
    assert check(supplier.company_number, other_supplier.company_number) == [
        (2, supplier, None),
        (3, other_supplier, None),
    ]


def test_check_reports_an_invalid_number(check):
    assert check("12-AB") == [
        (2, None, "Not a Companies House number: use 8 characters, like 01234567 or SC123456")
    ]


def test_check_reports_an_unknown_company(check):
    assert check("09999999") == [
        (2, None, "No organisation with this company number is registered")
    ]


def test_check_reports_a_duplicate_naming_the_first_line(check, supplier):
    assert check(supplier.company_number, supplier.company_number)[1] == (
        3,
        None,
        "Also on line 2: each company can appear once",
    )


def test_check_reports_a_buyer(check, buyer):
    assert check(buyer.company_number) == [(2, buyer, f"{buyer.name} is not a supplier")]


def test_check_reports_a_debarred_supplier(check, supplier, today):
    factories.debarment_entry(supplier=supplier, starts_on=today)
    assert check(supplier.company_number) == [
        (2, supplier, f"{supplier.name} is on the debarment list on a mandatory exclusion ground")
    ]


def test_check_reports_an_existing_appointment(
    check, framework_manager, authority, lot, supplier, today
):
    services.appoint_supplier(
        actor=framework_manager, organisation=authority, lot=lot, supplier=supplier, starts_on=today
    )
    assert check(supplier.company_number) == [
        (2, supplier, f"{supplier.name} is already appointed to this lot")
    ]


def test_check_normalises_numbers_with_dropped_zeros(check, db):
    company = factories.OrganisationFactory(kind="supplier", company_number="00123456")
    assert check("123456") == [(2, company, None)]


# --- Through the admin ----------------------------------------------------------------------


def _upload(client, lot, today, content: bytes, name="suppliers.csv"):
    return client.post(
        reverse(UPLOAD),
        {
            "lot": lot.pk,
            "starts_on": today.isoformat(),
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        },
    )


def _csv(*numbers) -> bytes:
    return ("company_number\n" + "".join(f"{number}\n" for number in numbers)).encode()


def test_upload_previews_without_saving(manager_client, lot, supplier, other_supplier, today):
    response = _upload(
        manager_client, lot, today, _csv(supplier.company_number, other_supplier.company_number)
    )
    assert [(row.line, row.supplier) for row in response.context["rows"]] == [
        (2, supplier),
        (3, other_supplier),
    ]
    assert response.context["confirm_form"] is not None
    assert not Appointment.objects.exists()


def test_confirm_appoints_every_supplier(manager_client, lot, supplier, other_supplier, today):
    preview = _upload(
        manager_client, lot, today, _csv(supplier.company_number, other_supplier.company_number)
    )
    token = preview.context["confirm_form"].initial["token"]
    response = manager_client.post(reverse(CONFIRM), {"token": token}, follow=True)
    assert set(Appointment.objects.filter(lot=lot).values_list("supplier", flat=True)) == {
        supplier.pk,
        other_supplier.pk,
    }
    assert [str(message) for message in response.context["messages"]] == [
        f"2 suppliers are appointed to {lot}"
    ]


def test_preview_with_problems_offers_no_confirm(manager_client, lot, supplier, today):
    response = _upload(manager_client, lot, today, _csv(supplier.company_number, "09999999", "bad"))
    assert [(row.line, row.problem) for row in response.context["rows"]] == [
        (2, None),
        (3, "No organisation with this company number is registered"),
        (4, "Not a Companies House number: use 8 characters, like 01234567 or SC123456"),
    ]
    assert response.context["confirm_form"] is None
    assert "Confirm and appoint" not in response.content.decode()
    assert not Appointment.objects.exists()


def test_upload_with_the_wrong_header_shows_the_error(manager_client, lot, today):
    response = _upload(manager_client, lot, today, b"number\n01234567\n")
    assert response.context["form"].errors["file"] == [
        "The first row must be the column heading “company_number”; it was “number”"
    ]
    assert not Appointment.objects.exists()


def test_upload_refuses_a_file_not_ending_csv(manager_client, lot, supplier, today):
    response = _upload(
        manager_client, lot, today, _csv(supplier.company_number), name="suppliers.xlsx"
    )
    assert response.context["form"].errors["file"] == ["The file must be a CSV file (ending .csv)"]


def test_upload_refuses_an_oversize_file(manager_client, lot, today):
    response = _upload(manager_client, lot, today, b"company_number\n" + b"01234567\n" * 120_000)
    assert response.context["form"].errors["file"] == ["The file must be 1 MB or smaller"]
    assert not Appointment.objects.exists()


def test_upload_refuses_a_non_utf8_file(manager_client, lot, today):
    response = _upload(manager_client, lot, today, "company_number\nCafé\n".encode("cp1252"))
    assert response.context["form"].errors["file"] == [
        "The file must be saved as UTF-8: in Excel, save it as “CSV UTF-8”"
    ]


def test_upload_refuses_another_authoritys_lot(manager_client, other_lot, supplier, today):
    response = _upload(manager_client, other_lot, today, _csv(supplier.company_number))
    assert response.context["form"].errors["lot"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_preview_between_awards_shows_why_and_offers_no_confirm(
    manager_client, section, supplier, today
):
    started = create_framework(
        section, title="Started framework", starts_on=today - timedelta(days=1)
    )
    lot = started.lots.get(number=1)
    response = _upload(manager_client, lot, today, _csv(supplier.company_number))
    assert response.context["refusal"] == (
        f"No supplier can be appointed on {today:%-d %B %Y}. Suppliers join Started framework "
        f"only at an award: from the award on {started.award_on:%-d %B %Y} to "
        f"{started.starts_on:%-d %B %Y}. Its terms do not allow replacing a supplier between "
        "awards."
    )
    assert [(row.line, row.supplier) for row in response.context["rows"]] == [(2, supplier)]
    assert response.context["confirm_form"] is None
    html = response.content.decode()
    assert ("These suppliers cannot be appointed now" in html, "Confirm and appoint" in html) == (
        True,
        False,
    )
    assert not Appointment.objects.exists()


def test_preview_refuses_a_start_before_the_award(manager_client, framework, lot, supplier):
    before = framework.award_on - timedelta(days=1)
    response = _upload(manager_client, lot, before, _csv(supplier.company_number))
    assert response.context["refusal"] == (
        f"The appointment cannot start before its award on {framework.award_on:%-d %B %Y}"
    )
    assert response.context["confirm_form"] is None


def test_preview_without_a_start_date_appoints_from_the_framework_start(
    manager_client, framework, lot, supplier
):
    response = manager_client.post(
        reverse(UPLOAD),
        {
            "lot": lot.pk,
            "starts_on": "",
            "file": SimpleUploadedFile("s.csv", _csv(supplier.company_number)),
        },
    )
    token = response.context["confirm_form"].initial["token"]
    manager_client.post(reverse(CONFIRM), {"token": token})
    assert Appointment.objects.get(lot=lot, supplier=supplier).starts_on == framework.starts_on


def test_confirm_with_a_forged_token_saves_nothing(manager_client, lot, supplier, today):
    forged = signing.dumps({"lot": lot.pk, "suppliers": [supplier.pk]}, salt="something-else")
    response = manager_client.post(reverse(CONFIRM), {"token": forged})
    assert (response.status_code, response.url) == (302, reverse(UPLOAD))
    assert not Appointment.objects.exists()


def test_confirm_after_someone_else_appointed_one_saves_nothing(
    manager_client, framework_manager, authority, lot, supplier, other_supplier, today
):
    preview = _upload(
        manager_client, lot, today, _csv(supplier.company_number, other_supplier.company_number)
    )
    services.appoint_supplier(
        actor=framework_manager, organisation=authority, lot=lot, supplier=supplier, starts_on=today
    )
    response = manager_client.post(
        reverse(CONFIRM), {"token": preview.context["confirm_form"].initial["token"]}, follow=True
    )
    assert list(Appointment.objects.values_list("supplier", flat=True)) == [supplier.pk]
    assert [str(message) for message in response.context["messages"]] == [
        f"Nothing was saved: {supplier.name} is already appointed to this lot"
    ]


def test_confirm_by_another_authority_is_refused(
    manager_client, lot, supplier, today, other_manager, other_section, admin_client_for
):
    preview = _upload(manager_client, lot, today, _csv(supplier.company_number))
    token = preview.context["confirm_form"].initial["token"]
    response = admin_client_for(other_manager).post(reverse(CONFIRM), {"token": token})
    assert (response.status_code, response.url) == (302, reverse(UPLOAD))
    assert not Appointment.objects.exists()
