"""Appointing suppliers from a CSV file of Companies House numbers: parse, then check each row.

Two steps, neither of which saves anything:

1. parse_company_numbers(file) reads the upload: UTF-8 (with or without a byte-order mark),
   a header row naming the `company_number` column, at most MAX_ROWS rows with a number in
   them (blank lines are skipped and not counted), at most MAX_FILE_SIZE bytes.
2. check_rows(...) finds each number's organisation and says what, if anything, stops it
   being appointed to the lot, so the preview can list every problem with its line.

The appointments themselves are made by services.appoint_suppliers_from_import, all or none.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from marketplace.organisations.identifiers import (
    normalise_company_number,
    validate_company_number,
)
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import OrganisationKind

from . import selectors
from .models import Appointment, Lot

EXPECTED_HEADER = "company_number"
MAX_FILE_SIZE = 1024 * 1024  # 1 MB
MAX_ROWS = 5000


@dataclass(frozen=True)
class ParsedRow:
    line: int
    company_number: str


@dataclass
class ParsedFile:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class PreviewRow:
    line: int
    company_number: str
    supplier: Organisation | None = None
    problem: str | None = None


def _normalise_header(cell: str) -> str:
    return re.sub(r"[\s_-]+", "_", cell.strip().lower())


def _decode(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def parse_company_numbers(file) -> ParsedFile:
    """Read an uploaded CSV of company numbers. Errors are about the file as a whole."""
    data = file.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        return ParsedFile(errors=[_("The file must be 1 MB or smaller")])
    text = _decode(data)
    if text is None:
        return ParsedFile(
            errors=[_("The file must be saved as UTF-8: in Excel, save it as “CSV UTF-8”")]
        )
    parsed = ParsedFile()
    column = None
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank line: skipped, not counted
            if column is None:
                headers = [_normalise_header(cell) for cell in cells]
                if EXPECTED_HEADER not in headers:
                    parsed.errors.append(
                        _(
                            "The first row must be the column heading “%(expected)s”; "
                            "it was “%(found)s”"
                        )
                        % {"expected": EXPECTED_HEADER, "found": ",".join(cells)[:100]}
                    )
                    return parsed
                column = headers.index(EXPECTED_HEADER)
                continue
            if len(parsed.rows) == MAX_ROWS:
                parsed.errors.append(
                    _("The file has more than %(max)s rows: split it into smaller files")
                    % {"max": f"{MAX_ROWS:,}"}
                )
                return parsed
            value = cells[column].strip() if column < len(cells) else ""
            parsed.rows.append(ParsedRow(line=reader.line_num, company_number=value))
    except csv.Error as error:
        parsed.errors.append(_("The file is not a valid CSV file: %(error)s") % {"error": error})
        return parsed
    if column is None:
        parsed.errors.append(
            _("The file is empty: its first row must be the column heading “%(expected)s”")
            % {"expected": EXPECTED_HEADER}
        )
    elif not parsed.rows:
        parsed.errors.append(_("The file has a heading but no company numbers"))
    return parsed


def _is_company_number(number: str) -> bool:
    try:
        validate_company_number(number)
    except ValidationError:
        return False
    return True


def check_rows(
    *, rows: list[ParsedRow], lot: Lot, authority: Organisation, on: date
) -> list[PreviewRow]:
    """Each row with the organisation found and the one problem stopping its appointment."""
    numbers = {
        normalise_company_number(row.company_number)
        for row in rows
        if _is_company_number(normalise_company_number(row.company_number))
    }
    organisations = {
        organisation.company_number: organisation
        for organisation in Organisation.objects.filter(company_number__in=numbers)
    }
    appointed = set(
        Appointment.objects.filter(lot=lot, supplier__in=organisations.values()).values_list(
            "supplier_id", flat=True
        )
    )
    debarred = selectors.debarment_problems(
        suppliers=organisations.values(), organisation=authority, on=on
    )
    first_line: dict[str, int] = {}
    preview = []
    for row in rows:
        number = normalise_company_number(row.company_number)
        entry = PreviewRow(line=row.line, company_number=row.company_number)
        preview.append(entry)
        if not _is_company_number(number):
            entry.problem = _(
                "Not a Companies House number: use 8 characters, like 01234567 or SC123456"
            )
            continue
        if number in first_line:
            entry.problem = _("Also on line %(line)s: each company can appear once") % {
                "line": first_line[number]
            }
            continue
        first_line[number] = row.line
        entry.supplier = organisations.get(number)
        if entry.supplier is None:
            entry.problem = _("No organisation with this company number is registered")
        elif entry.supplier.kind != OrganisationKind.SUPPLIER:
            entry.problem = _("%(name)s is not a supplier") % {"name": entry.supplier}
        elif entry.supplier.pk in debarred:
            entry.problem = debarred[entry.supplier.pk]
        elif entry.supplier.pk in appointed:
            entry.problem = _("%(name)s is already appointed to this lot") % {
                "name": entry.supplier
            }
    return preview
