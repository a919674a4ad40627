"""Bulk import under /supplier/lots/<lot>/import/ and export under /supplier/offerings/export/.

Included by suppliers/urls.py, so names are reversed as "suppliers:suppliers_bulk:<name>".
"""

from django.urls import path, register_converter

from . import views
from .spreadsheets import FORMATS


class SpreadsheetFormat:
    regex = "|".join(FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SpreadsheetFormat, "spreadsheet")

app_name = "suppliers_bulk"

urlpatterns = [
    path("supplier/lots/<int:lot_id>/import/", views.upload, name="upload"),
    path(
        "supplier/lots/<int:lot_id>/import/template.<spreadsheet:file_format>",
        views.template,
        name="template",
    ),
    path("supplier/lots/<int:lot_id>/import/<slug:token>/", views.preview, name="preview"),
    path(
        "supplier/lots/<int:lot_id>/import/<slug:token>/confirm/",
        views.confirm,
        name="confirm",
    ),
    path(
        "supplier/offerings/export/all.<spreadsheet:file_format>",
        views.export_all,
        name="export",
    ),
    path(
        "supplier/offerings/export/lots/<int:lot_id>.<spreadsheet:file_format>",
        views.export_lot,
        name="export-lot",
    ),
]
