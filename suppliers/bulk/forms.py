from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from frameworks.models import Lot

from .imports import ParsedFile, parse_offerings
from .spreadsheets import MAX_FILE_SIZE, MAX_ROWS, file_format


class OfferingFileForm(forms.Form):
    """The upload; a file that cannot be read at all is refused here, row problems later."""

    file = forms.FileField(
        label=_("Upload your spreadsheet"),
        help_text=_(
            "A CSV file (saved as CSV UTF-8) or an Excel workbook (.xlsx), up to "
            "%(size)s MB and %(rows)s offerings."
        )
        % {"size": MAX_FILE_SIZE // (1024 * 1024), "rows": f"{MAX_ROWS:,}"},
        error_messages={
            "required": _("Choose a CSV or Excel file to upload"),
            "empty": _("The file is empty: start from the template for this lot"),
        },
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, lot: Lot, **kwargs):
        super().__init__(*args, **kwargs)
        self.lot = lot
        self.parsed = ParsedFile()
        self.content = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The browser's content type is not trusted: the name must say CSV or Excel, and the
        # reader checks that the content really is what the name says.
        if file_format(upload.name) is None:
            raise ValidationError(
                _("The file must be a CSV file (.csv) or an Excel workbook (.xlsx)"), code="type"
            )
        if upload.size > MAX_FILE_SIZE:
            raise ValidationError(
                _("The file must be %(size)s MB or smaller")
                % {"size": MAX_FILE_SIZE // (1024 * 1024)},
                code="size",
            )
        upload.seek(0)
        content = upload.read(MAX_FILE_SIZE + 1)
        parsed = parse_offerings(content, name=upload.name, lot=self.lot)
        if parsed.problems:
            raise ValidationError([problem.message for problem in parsed.problems], code="file")
        self.parsed, self.content = parsed, content
        return upload
