"""Spreadsheets a supplier downloads: the import template for a lot, and their offerings.

Every cell is neutralised against formula injection by spreadsheets.write_csv/write_xlsx.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from frameworks.models import Appointment, Lot
from marketplace.organisations.models import Organisation
from suppliers import selectors
from suppliers.attributes import spreadsheet_value
from suppliers.models import Offering

from .imports import (
    CORE_COLUMNS,
    REFERENCE_COLUMN,
    STATUS_COLUMN,
    attribute_column_name,
    columns_for,
)
from .spreadsheets import CSV, TEMPLATE_SHEET, Sheet, as_text, write_csv, write_xlsx

GUIDANCE_SHEET = "Guidance"


@dataclass(frozen=True)
class Download:
    content: bytes
    file_name: str


def _lot_slug(lot: Lot) -> str:
    return f"{lot.framework.reference}-lot-{lot.number}".lower()


def template(lot: Lot, file_format: str) -> Download:
    """The headings of the lot's import file; in Excel also a sheet saying what each takes."""
    columns = columns_for(lot)
    headings = [column.name for column in columns]
    name = f"{_lot_slug(lot)}-offerings-template.{file_format}"
    if file_format == CSV:
        return Download(write_csv(Sheet(TEMPLATE_SHEET, headings)), name)
    guidance = Sheet(
        GUIDANCE_SHEET,
        [_("Column"), _("Question"), _("Required"), _("What to enter")],
        [
            [column.name, column.label, _("Yes") if column.required else _("No"), column.guidance]
            for column in columns
        ],
    )
    return Download(write_xlsx([Sheet(TEMPLATE_SHEET, headings), guidance]), name)


# --- Exporting offerings --------------------------------------------------------------------


def exportable_lot(*, supplier: Organisation, pk: int) -> Lot:
    """A lot the supplier is or was appointed to, or has offerings on; 404 for any other."""
    lots = Lot.objects.filter(
        Q(pk__in=Appointment.objects.filter(supplier=supplier).values("lot_id"))
        | Q(pk__in=Offering.objects.filter(supplier=supplier).values("lot_id"))
    )
    return get_object_or_404(lots.select_related("framework"), pk=pk)


def offerings_to_export(*, supplier: Organisation, lot: Lot | None = None) -> QuerySet[Offering]:
    offerings = selectors.offerings_for_supplier(organisation=supplier)
    return offerings.filter(lot=lot) if lot is not None else offerings


def _attribute_columns(lots: Iterable[Lot]) -> dict[str, str]:
    """Column name for each attribute key, across the lots in order (a shared key shares)."""
    columns: dict[str, str] = {}
    for lot in lots:
        for spec in lot.attributes():
            columns.setdefault(spec.key, attribute_column_name(spec.key))
    return columns


def offerings_sheet(offerings: Iterable[Offering], *, lot: Lot | None = None) -> Sheet:
    """The lot's template columns plus status; for every lot, the framework and lot first.

    Each row carries its offering's reference, so the file can be edited and imported back.
    """
    offerings = list(offerings)
    lots = [lot] if lot is not None else list({o.lot_id: o.lot for o in offerings}.values())
    specs = {each.pk: each.attributes() for each in lots}
    attributes = _attribute_columns(lots)
    headings = [
        *(() if lot is not None else ("framework", "lot")),
        REFERENCE_COLUMN,
        *CORE_COLUMNS,
        *attributes.values(),
        STATUS_COLUMN,
    ]
    rows = []
    for offering in offerings:
        answers = {
            spec.key: spreadsheet_value(spec, offering.attributes.get(spec.key))
            for spec in specs[offering.lot_id]
        }
        rows.append(
            [
                *(
                    ()
                    if lot is not None
                    else (offering.lot.framework.reference, offering.lot.number)
                ),
                offering.reference,
                *(as_text(getattr(offering, name)) for name in CORE_COLUMNS),
                *(answers.get(key, "") for key in attributes),
                offering.status,
            ]
        )
    return Sheet(_("Offerings"), headings, rows)


def export(*, supplier: Organisation, file_format: str, lot: Lot | None = None) -> Download:
    sheet = offerings_sheet(offerings_to_export(supplier=supplier, lot=lot), lot=lot)
    scope = _lot_slug(lot) if lot is not None else "all-lots"
    name = f"{supplier.slug}-offerings-{scope}.{file_format}"
    content = write_csv(sheet) if file_format == CSV else write_xlsx([sheet])
    return Download(content, name)
