"""A frozen shortlist as a download, CSV or OpenDocument spreadsheet (.ods): a header block
(framework, lot, project, when it was frozen in London time, the search in words), a blank row,
then one row per item with its prices and the buyer's decision.

Every text cell goes through suppliers.bulk.spreadsheets.neutralise, so a title starting with
"=" is never taken for a formula. Prices are numbers in the ODS file."""

import codecs
import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

import tablib

from suppliers.bulk.spreadsheets import as_text, neutralise

from .models import Shortlist, ShortlistItem

CSV = "csv"
ODS = "ods"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    ODS: "application/vnd.oasis.opendocument.spreadsheet",
}
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class ShortlistTable:
    header: list[tuple[str, str]]
    headings: list[str]
    rows: list[list]


def london_time(moment) -> str:
    local = moment.astimezone(LONDON)
    return _("%(day)s %(month_year)s at %(time)s (London time)") % {
        "day": local.day,
        "month_year": local.strftime("%B %Y"),
        "time": local.strftime("%H:%M"),
    }


def _money(amount: Decimal | None) -> Decimal | str:
    return "" if amount is None else amount


def shortlist_table(shortlist: Shortlist, items: list[ShortlistItem]) -> ShortlistTable:
    project = shortlist.project
    framework = project.lot.framework
    return ShortlistTable(
        header=[
            (_("Framework"), f"{framework.title} ({framework.reference})"),
            (_("Lot"), str(project.lot)),
            (_("Project"), f"{project.reference}: {project.title}"),
            (_("Frozen"), london_time(shortlist.frozen_at)),
            (_("Search"), shortlist.description),
            (_("Items"), str(len(items))),
        ],
        headings=[
            _("Position"),
            _("Offering reference"),
            _("Title"),
            _("Supplier"),
            _("Price (£)"),
            _("Price unit"),
            _("VAT"),
            _("Comparable price (£, excluding VAT)"),
            _("Decision"),
            _("Reason"),
        ],
        rows=[
            [
                item.position,
                item.offering_reference,
                item.title,
                item.supplier_name,
                item.price,
                item.get_price_unit_display(),
                item.get_vat_treatment_display(),
                _money(item.comparable_price),
                item.get_decision_display(),
                item.reason,
            ]
            for item in items
        ],
    )


def _cell(value):
    """Numbers stay numbers; text is made safe to open in a spreadsheet."""
    if isinstance(value, int | Decimal):
        return value
    return neutralise(value)


def _lines(table: ShortlistTable) -> list[list]:
    width = len(table.headings)
    pad = [""] * (width - 2)
    return [
        *([label, value, *pad] for label, value in table.header),
        [""] * width,
        list(table.headings),
        *table.rows,
    ]


def write_csv(table: ShortlistTable) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads "£" and accented letters correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([neutralise(as_text(value)) for value in line] for line in _lines(table))
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def write_ods(table: ShortlistTable) -> bytes:
    dataset = tablib.Dataset(title=_("Shortlist"))
    for line in _lines(table):
        dataset.append([_cell(value) for value in line])
    return dataset.export(ODS)


WRITERS = {CSV: write_csv, ODS: write_ods}
