"""Reading and writing spreadsheets people upload and download: CSV and Excel (.xlsx).

Reading is defensive because the file comes from outside:

* at most MAX_FILE_SIZE bytes and MAX_ROWS rows with something in them (blank rows are
  skipped and not counted, but are still numbered, so row numbers match what the person sees);
* CSV must be UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8");
* an .xlsx file is a zip: its declared sizes are checked before openpyxl opens it, so a small
  file that inflates to gigabytes (a zip bomb) is refused unread;
* a cell holding a formula is reported, never evaluated or stored. In .xlsx that is a formula
  cell; in either format a value starting with "=" or "@", which a spreadsheet would run when
  the data is opened again. Values starting with "+" or "-" are left to the field checks, so a
  negative price gets the message about prices.

Writing neutralises every cell that a spreadsheet could take for a formula (OWASP's advice on
CSV injection): a value starting with =, +, -, @, tab or carriage return gets a leading
single quote.
"""

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath

from django.utils.translation import gettext as _

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5_000
# Wider than any lot's template: cells further right are not read.
MAX_COLUMNS = 200
# Zip-bomb guard for .xlsx: limits on what the archive says it holds once inflated. Python's
# zipfile never inflates a member beyond its declared size, so these bound the real work.
MAX_UNCOMPRESSED_SIZE = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 500

# The sheet read from a workbook if it has one (the template's first sheet), else the first.
TEMPLATE_SHEET = "Offerings"
CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "@")
INJECTION_STARTS = ("=", "+", "-", "@", "\t", "\r")
ZIP_MAGIC = b"PK\x03\x04"


class SpreadsheetError(Exception):
    """The file as a whole cannot be used; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TableRow:
    number: int  # the row number a spreadsheet shows: the heading row is usually 1
    values: tuple[str, ...]  # one per heading, stripped text
    formulas: frozenset[int] = frozenset()  # indexes of cells holding a formula


@dataclass
class Table:
    headings: list[str]
    heading_row: int
    rows: list[TableRow] = field(default_factory=list)


def file_format(name: str) -> str | None:
    suffix = PurePath(name or "").suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def normalise_heading(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def read_table(data: bytes, *, name: str, max_rows: int = MAX_ROWS) -> Table:
    """The first non-blank row as headings, then every non-blank row below it."""
    if len(data) > MAX_FILE_SIZE:
        raise SpreadsheetError(
            _("The file must be %(size)s or smaller") % {"size": _megabytes(MAX_FILE_SIZE)}
        )
    kind = file_format(name)
    if kind is None:
        raise SpreadsheetError(_("The file must be a CSV file (.csv) or an Excel workbook (.xlsx)"))
    source = _XlsxSource(data) if kind == XLSX else _CsvSource(data)
    try:
        return _table(source, max_rows=max_rows)
    finally:
        source.close()


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


# (row number, stripped values, indexes of formula cells)
RawRow = tuple[int, tuple[str, ...], frozenset[int]]


def _table(source, *, max_rows: int) -> Table:
    # Two passes: the first finds the heading row; the second reads only as many cells a row
    # as there are headings.
    heading = next((row for row in source.rows(start=1, width=MAX_COLUMNS) if any(row[1])), None)
    if heading is None:
        raise SpreadsheetError(_("The file is empty: start from the template for this lot"))
    table = _headings(*heading)
    width = max(len(table.headings), 1)
    for number, values, formulas in source.rows(start=table.heading_row + 1, width=width):
        if not any(values):
            continue
        if len(table.rows) == max_rows:
            raise SpreadsheetError(
                _("The file has more than %(max)s rows: split it into files of %(max)s or fewer")
                % {"max": f"{max_rows:,}"}
            )
        padded = values + ("",) * (width - len(values))
        table.rows.append(TableRow(number, padded, formulas))
    if not table.rows:
        raise SpreadsheetError(_("The file has a heading row but no rows of offerings below it"))
    return table


def _headings(number: int, values: tuple[str, ...], formulas: frozenset[int]) -> Table:
    if formulas:
        raise SpreadsheetError(_("The heading row must not contain formulas"))
    values = list(values)
    while values and not values[-1]:
        values.pop()
    return Table(headings=[normalise_heading(value) for value in values], heading_row=number)


def _raw_row(number: int, values: tuple[str, ...], formula_cells=()) -> RawRow:
    formulas = frozenset(formula_cells) | {
        index for index, value in enumerate(values) if value.startswith(FORMULA_STARTS)
    }
    return number, values, frozenset(formulas)


# --- CSV -------------------------------------------------------------------------------------


class _CsvSource:
    def __init__(self, data: bytes):
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        if data.startswith(ZIP_MAGIC):
            raise SpreadsheetError(
                _("This file is an Excel workbook with a .csv name: rename it to end .xlsx")
            )
        try:
            self.text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SpreadsheetError(
                _("The file must be saved as UTF-8: in Excel choose “CSV UTF-8 (Comma delimited)”")
            ) from None

    def rows(self, *, start: int, width: int) -> Iterator[RawRow]:
        # Row numbers count records, as a spreadsheet shows them, not physical lines: a
        # quoted value may span several lines.
        reader = csv.reader(io.StringIO(self.text, newline=""))
        try:
            for number, cells in enumerate(reader, start=1):
                # Empty lines are skipped at once: a file of millions must not take long.
                if cells and number >= start:
                    yield _raw_row(number, tuple(cell.strip() for cell in cells[:width]))
        except csv.Error as error:
            raise SpreadsheetError(
                _("The file is not a valid CSV file: %(error)s") % {"error": error}
            ) from None

    def close(self) -> None:
        pass


# --- XLSX ------------------------------------------------------------------------------------


def _check_archive(data: bytes) -> None:
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetError(
            _("The file is not an Excel workbook: save it from Excel as .xlsx, or upload a CSV")
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise SpreadsheetError(_("The Excel workbook is damaged: save it again as .xlsx")) from None
    if (
        len(members) > MAX_ZIP_MEMBERS
        or sum(member.file_size for member in members) > MAX_UNCOMPRESSED_SIZE
        or any(
            member.file_size > max(member.compress_size, 1) * MAX_COMPRESSION_RATIO
            for member in members
        )
    ):
        raise SpreadsheetError(
            _(
                "The workbook expands to far more data than a sheet of offerings needs: "
                "remove pictures and other sheets, or upload a CSV file"
            )
        )


def _unreadable() -> SpreadsheetError:
    return SpreadsheetError(
        _("The file could not be read as an Excel workbook: save it again as .xlsx")
    )


class _XlsxSource:
    def __init__(self, data: bytes):
        _check_archive(data)
        try:
            with warnings.catch_warnings():
                # openpyxl warns about styles and extensions it ignores; they do not matter.
                warnings.simplefilter("ignore")
                self.workbook = openpyxl.load_workbook(
                    io.BytesIO(data), read_only=True, data_only=False, keep_links=False
                )
            self.sheet = self._offerings_sheet()
            # Some programs write a wrong used range, which read-only mode would trust.
            self.sheet.reset_dimensions()
        # A malformed workbook fails in many ways (KeyError, ValueError, XML errors...); to
        # the person uploading they all mean the same thing.
        except Exception:
            raise _unreadable() from None

    def _offerings_sheet(self):
        names = {name.lower(): name for name in self.workbook.sheetnames}
        if TEMPLATE_SHEET.lower() in names:
            return self.workbook[names[TEMPLATE_SHEET.lower()]]
        return self.workbook.worksheets[0]

    def rows(self, *, start: int, width: int) -> Iterator[RawRow]:
        try:
            # Read-only sheets yield every row from `start` in order. Without max_col, a row
            # missing from the file comes as an empty tuple, so a sheet whose used range ends
            # at row 1,048,576 costs next to nothing per empty row.
            for number, row in enumerate(self.sheet.iter_rows(min_row=start), start=start):
                if not row:
                    continue
                cells = row[:width]
                yield _raw_row(
                    number,
                    tuple(_cell_text(cell.value) for cell in cells),
                    (index for index, cell in enumerate(cells) if cell.data_type == "f"),
                )
        except Exception:  # as above: a malformed sheet part fails in many different ways
            raise _unreadable() from None

    def close(self) -> None:
        self.workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# --- Writing ---------------------------------------------------------------------------------


def neutralise(value) -> str:
    """A cell's text, made safe to open in a spreadsheet (OWASP CSV injection guidance)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(INJECTION_STARTS) else text


@dataclass(frozen=True)
class Sheet:
    title: str
    headings: Sequence[str]
    rows: Iterable[Sequence] = ()


def write_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accented letters and "£" correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(value) for value in sheet.headings])
    writer.writerows([neutralise(value) for value in row] for row in sheet.rows)
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """One worksheet per sheet, headings in bold, every cell written as text."""
    workbook = openpyxl.Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        headings = []
        for value in sheet.headings:
            cell = _text_cell(worksheet, value)
            cell.font = Font(bold=True)
            headings.append(cell)
        worksheet.append(headings)
        for row in sheet.rows:
            worksheet.append([_text_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(worksheet, value) -> WriteOnlyCell:
    text = neutralise(value)
    cell = WriteOnlyCell(worksheet, value=text or None)
    if text:
        # openpyxl would store text starting with "=" as a formula; the quote already
        # prevents that, and the explicit type keeps every cell plain text whatever it holds.
        cell.data_type = "s"
    return cell


def as_text(value) -> str:
    """A stored value as it goes into a cell: Decimals in full, lists joined with "; "."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)
