"""The GOV.UK date input as a form field, shared by every call-off form that asks for a date.
Render it with the partial calloffs/award/_date_input.html."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes named <name>_day, _month, _year."""

    def __init__(self):
        super().__init__(
            widgets={"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}
        )

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK pattern's messages."""

    widget = GovukDateWidget

    def prepare_value(self, value):
        """Day, month and year, whether the value is a date (initial) or what was typed."""
        if isinstance(value, date):
            return self.widget.decompress(value)
        return value or [None, None, None]

    def to_python(self, value):
        day, month, year = (str(part or "").strip() for part in (value or ["", "", ""]))
        if not (day or month or year):
            return None
        missing = [
            name
            for name, part in ((_("day"), day), (_("month"), month), (_("year"), year))
            if not part
        ]
        if missing:
            raise ValidationError(
                _("%(label)s must include a %(part)s") % {"label": self.label, "part": missing[0]}
            )
        try:
            if len(year) != 4:
                raise ValueError
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                _("%(label)s must be a real date") % {"label": self.label}
            ) from None
