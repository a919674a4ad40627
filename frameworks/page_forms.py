"""The framework page's admin form: rules that need the inline rows (lots, reopenings).

The model's clean() sees only the page's own fields; lot numbers and reopening dates live in
inline formsets, so they are checked here, with the same rule functions. The eligibility
lists are stored as JSON lists of codes and edited here as tick boxes, so only known codes
are saved.
"""

from django import forms
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm

from marketplace.organisations.choosers import NamedOrganisationsWidget, buyer_chooser_viewset
from marketplace.organisations.models import Organisation, Region
from marketplace.organisations.roles import OrganisationKind

from . import rules

CODE_LIST_CHOICES = {
    "eligible_regions": Region.choices,
    "eligible_kinds": OrganisationKind.choices,
}


def _live_rows(formset) -> list[dict]:
    """Cleaned data of the rows that would be kept (valid, filled in and not deleted)."""
    if formset is None:
        return []
    # Each row on its own: the formset's own checks run later, in ClusterForm.is_valid().
    return [
        form.cleaned_data
        for form in formset.forms
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _is_deleted(form) -> bool:
    form.is_valid()  # cleans the row: cleaned_data holds its DELETE box even if it is invalid
    return bool(form.cleaned_data.get("DELETE"))


class FrameworkPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in CODE_LIST_CHOICES.items():
            if name in self.fields:
                self.fields[name] = self._tick_boxes(self.fields[name], choices)
        if "eligible_organisations" in self.fields:
            # Named bodies are buyers, chosen by search: there are too many for a list.
            named = self.fields["eligible_organisations"]
            named.queryset = Organisation.objects.filter(kind=OrganisationKind.BUYER)
            named.widget = NamedOrganisationsWidget(buyer_chooser_viewset)

    @staticmethod
    def _tick_boxes(json_field: forms.Field, choices) -> forms.MultipleChoiceField:
        """Replace the raw JSON box; an unknown code is refused as an invalid choice."""
        return forms.MultipleChoiceField(
            label=json_field.label,
            help_text=json_field.help_text,
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self):
        cleaned_data = super().clean()
        self._check_lot_numbers()
        self._check_removed_lots()
        self._check_reopenings(cleaned_data)
        return cleaned_data

    def _check_removed_lots(self) -> None:
        """A lot with appointments is closed, never removed: refuse here, not at publish."""
        formset = self.formsets.get("lots")
        if formset is None or self.instance.pk is None:
            return
        # Imported here: the page model imports this form.
        from .models.pages import lots_with_records

        kept = {form.instance.pk for form in formset.forms if not _is_deleted(form)}
        removed = (
            lots_with_records(formset.model.objects.filter(framework_id=self.instance.pk))
            .exclude(pk__in=kept)
            .select_related("closure")
            .order_by("number")
        )
        for lot in removed:
            names = {"number": lot.number, "title": lot.title}
            if lot.is_closed:
                message = _(
                    "Lot %(number)s, %(title)s, is closed and cannot be removed: it keeps the "
                    "record of its appointments."
                )
            else:
                message = _(
                    "Lot %(number)s, %(title)s, has appointments and cannot be removed. "
                    "Close it instead."
                )
            self.add_error(None, message % names)

    def _check_lot_numbers(self) -> None:
        formset = self.formsets.get("lots")
        rows = _live_rows(formset)
        duplicates = rules.duplicate_lot_numbers(
            row["number"] for row in rows if row.get("number") is not None
        )
        if not duplicates:
            return
        message = _(
            "Two or more lots have the number %(numbers)s: give each lot its own number"
        ) % {"numbers": ", ".join(str(number) for number in duplicates)}
        self.add_error(None, message)
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("number") in duplicates and not data.get("DELETE"):
                form.add_error("number", _("Another lot already has this number"))

    def _check_reopenings(self, cleaned_data: dict) -> None:
        windows = [
            (row["opens_on"], row["closes_on"])
            for row in _live_rows(self.formsets.get("reopenings"))
            if row.get("opens_on") and row.get("closes_on")
        ]
        errors = rules.framework_date_errors(
            applications_open_on=cleaned_data.get("applications_open_on"),
            applications_close_on=cleaned_data.get("applications_close_on"),
            award_on=cleaned_data.get("award_on"),
            starts_on=cleaned_data.get("starts_on"),
            ends_on=cleaned_data.get("ends_on"),
            is_open_framework=bool(cleaned_data.get("is_open_framework")),
            allows_longer_term=cleaned_data.get("sector", "general") != "general",
            reopenings=windows,
        )
        if "reopenings" in errors:
            self.add_error(None, errors["reopenings"])
