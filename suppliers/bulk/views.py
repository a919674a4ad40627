"""Bulk import and export pages of the supplier portal.

Upload a spreadsheet for a lot → the preview lists every problem, or the rows to be created
→ confirm imports them all as drafts. Only members who may edit the supplier's offerings get
here, and only for lots the supplier is appointed to today (any other lot is a 404).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frameworks.models import Lot
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation, Region
from marketplace.organisations.roles import Action
from suppliers import selectors
from suppliers.pricing import PriceUnit
from suppliers.views.portal import supplier_portal

from . import exports, uploads
from .forms import OfferingFileForm
from .imports import (
    CheckResult,
    ImportInvalid,
    check_rows,
    columns_for,
    import_offerings,
    parse_offerings,
)
from .spreadsheets import CONTENT_TYPES, MAX_FILE_SIZE, MAX_ROWS


def _require_editor(request, supplier: Organisation) -> None:
    policy.require(request.user, Action.EDIT_OFFERINGS, supplier)


def _appointed_lot(request, supplier: Organisation, lot_id: int) -> Lot:
    _require_editor(request, supplier)
    lots = selectors.appointed_lots(supplier=supplier, on=timezone.localdate())
    return get_object_or_404(lots, pk=lot_id)


def _download(download: exports.Download, file_format: str) -> HttpResponse:
    response = HttpResponse(download.content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(True, download.file_name)
    return response


@supplier_portal
@require_http_methods(["GET", "POST"])
def upload(request, supplier, lot_id):
    lot = _appointed_lot(request, supplier, lot_id)
    form = OfferingFileForm(request.POST or None, request.FILES or None, lot=lot)
    if request.method == "POST" and form.is_valid():
        token = uploads.keep(
            request,
            supplier=supplier,
            lot=lot,
            name=form.cleaned_data["file"].name,
            content=form.content,
        )
        return redirect("suppliers:suppliers_bulk:preview", lot_id=lot.pk, token=token)
    return render(
        request,
        "suppliers/bulk/upload.html",
        {
            "lot": lot,
            "form": form,
            "columns": columns_for(lot),
            "max_size": MAX_FILE_SIZE // (1024 * 1024),
            "max_rows": MAX_ROWS,
        },
    )


def _preview_rows(checked: CheckResult) -> list[dict]:
    regions = dict(Region.choices)
    return [
        {
            "row": row.row,
            "reference": row.offering.reference if row.offering else "",
            "change": row.change,
            "title": row.content["title"],
            "price": f"£{row.content['price']:,.2f} {PriceUnit(row.content['price_unit']).label}",
            "regions": ", ".join(str(regions[code]) for code in row.content["regions_served"]),
            "lead_time": row.content["lead_time_days"],
        }
        for row in checked.rows
    ]


def _render_preview(request, *, lot, upload, checked: CheckResult, status=200):
    return render(
        request,
        "suppliers/bulk/preview.html",
        {
            "lot": lot,
            "upload": upload,
            "problems": checked.problems,
            "rows": _preview_rows(checked),
            "counts": checked.counts(),
            "to_import": len(checked.new) + len(checked.changed),
        },
        status=status,
    )


def _kept_content(request, upload) -> bytes | None:
    """The kept file, or None (with a message) if it has expired."""
    content = None if upload.expired else upload.read()
    if content is None:
        uploads.discard(request, upload)
        messages.error(request, _("That upload has expired: upload the file again"))
    return content


@supplier_portal
@require_GET
def preview(request, supplier, lot_id, token):
    lot = _appointed_lot(request, supplier, lot_id)
    upload = uploads.find(request, token=token, supplier=supplier, lot=lot)
    content = _kept_content(request, upload)
    if content is None:
        return redirect("suppliers:suppliers_bulk:upload", lot_id=lot.pk)
    parsed = parse_offerings(content, name=upload.name, lot=lot)
    checked = (
        CheckResult(problems=parsed.problems)
        if parsed.problems
        else check_rows(supplier=supplier, lot=lot, rows=parsed.rows)
    )
    return _render_preview(request, lot=lot, upload=upload, checked=checked)


@supplier_portal
@require_POST
def confirm(request, supplier, lot_id, token):
    lot = _appointed_lot(request, supplier, lot_id)
    upload = uploads.find(request, token=token, supplier=supplier, lot=lot)
    content = _kept_content(request, upload)
    if content is None:
        return redirect("suppliers:suppliers_bulk:upload", lot_id=lot.pk)
    parsed = parse_offerings(content, name=upload.name, lot=lot)
    try:
        if parsed.problems:
            raise ImportInvalid(parsed.problems)
        outcome = import_offerings(
            actor=request.user, supplier=supplier, lot=lot, rows=parsed.rows, file_name=upload.name
        )
    except ImportInvalid as error:
        # Something changed since the preview (a title taken meanwhile, say): show why.
        return _render_preview(
            request, lot=lot, upload=upload, checked=CheckResult(problems=error.problems)
        )
    uploads.discard(request, upload)
    if outcome.created:
        messages.success(
            request,
            ngettext(
                "%(count)s offering was imported as a draft on %(lot)s",
                "%(count)s offerings were imported as drafts on %(lot)s",
                len(outcome.created),
            )
            % {"count": f"{len(outcome.created):,}", "lot": lot},
        )
    if outcome.changed:
        messages.success(
            request,
            ngettext(
                "%(count)s offering was changed: a live offering's changes go to review",
                "%(count)s offerings were changed: live offerings' changes go to review",
                len(outcome.changed),
            )
            % {"count": f"{len(outcome.changed):,}"},
        )
    return redirect("suppliers:offering-list")


@supplier_portal
@require_GET
def template(request, supplier, lot_id, file_format):
    lot = _appointed_lot(request, supplier, lot_id)
    return _download(exports.template(lot, file_format), file_format)


@supplier_portal
@require_GET
def export_all(request, supplier, file_format):
    _require_editor(request, supplier)
    return _download(exports.export(supplier=supplier, file_format=file_format), file_format)


@supplier_portal
@require_GET
def export_lot(request, supplier, lot_id, file_format):
    _require_editor(request, supplier)
    lot = exports.exportable_lot(supplier=supplier, pk=lot_id)
    return _download(
        exports.export(supplier=supplier, file_format=file_format, lot=lot), file_format
    )
