"""Forms for the authority admin screens. They validate input; the services decide and save."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks import selectors
from frameworks.appointment_import import MAX_FILE_SIZE, ParsedFile, parse_company_numbers
from frameworks.models import Appointment, ExclusionType, Lot
from marketplace import state
from marketplace.organisations.choosers import supplier_chooser_viewset
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import OrganisationKind


class DateInput(forms.DateInput):
    """The browser's own date field: works without JavaScript."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Lot) -> str:
        return f"{obj.framework.title} ({obj.framework.reference}) – {obj}"


def _supplier_field(**kwargs) -> forms.ModelChoiceField:
    """A registered supplier, picked in a searchable chooser (there are hundreds)."""
    return forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.SUPPLIER),
        widget=supplier_chooser_viewset.widget_class(),
        **kwargs,
    )


STARTS_ON_HELP = _(
    "Leave blank to start on the day the framework starts (or, at a reopening's award, on that "
    "award; for a replacement, today). It cannot start before the award."
)


class ReplacedAppointmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Appointment) -> str:
        framework = obj.lot.framework
        return f"{obj.supplier} – {framework.title} ({framework.reference}) – {obj.lot}"


class AppointmentForm(forms.Form):
    lot = LotChoiceField(label=_("Lot"), queryset=Lot.objects.none())
    supplier = _supplier_field(
        label=_("Supplier"),
        help_text=_("Search registered suppliers by name or company number."),
    )
    starts_on = forms.DateField(
        label=_("Appointed from"), required=False, widget=DateInput(), help_text=STARTS_ON_HELP
    )
    ends_on = forms.DateField(
        label=_("Appointed until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave blank for the rest of the framework's term."),
    )
    replaces = ReplacedAppointmentField(
        label=_("Replaces (only between awards)"),
        required=False,
        queryset=Appointment.objects.none(),
        help_text=_(
            "Between awards, a supplier can join only in place of an excluded supplier on the "
            "same lot, where the framework's terms allow it. Leave blank at an award."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the replacement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for a replacement: it is kept with the appointment and audited."),
    )

    def __init__(self, *args, authority: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = selectors.lots_for_authority(organisation=authority)
        replaceable = selectors.replaceable_appointments(organisation=authority)
        if replaceable.exists():
            self.fields["replaces"].queryset = replaceable
        else:
            # No framework's terms allow a replacement of anyone now: offer no such route.
            del self.fields["replaces"]
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        replaced, lot = cleaned.get("replaces"), cleaned.get("lot")
        if replaced is None:
            if cleaned.get("reason", "").strip() and "replaces" not in self.errors:
                self.add_error("replaces", _("Choose the excluded supplier being replaced"))
            return cleaned
        if lot is not None and replaced.lot_id != lot.pk:
            self.add_error("replaces", _("Choose an excluded supplier on the lot you chose"))
        if not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the replacement"))
        return cleaned


class AppointmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when suspending or excluding: it is kept in the audit log."),
    )

    def __init__(self, *args, appointment: Appointment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label)
            for status in Appointment.Status
            if state.can_move(Appointment, appointment.status, status)
        ]


class AppointmentImportForm(forms.Form):
    lot = LotChoiceField(label=_("Lot"), queryset=Lot.objects.none())
    starts_on = forms.DateField(
        label=_("Appointed from"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Leave blank to start on the day the framework starts (or, at a reopening's award, "
            "on that award). It cannot start before the award."
        ),
    )
    file = forms.FileField(
        label=_("CSV file of company numbers"),
        help_text=_(
            "A .csv file of up to 1 MB, saved as UTF-8, whose first row is the heading "
            "company_number and each further row one Companies House number."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, authority: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = selectors.lots_for_authority(organisation=authority)
        self.parsed = ParsedFile()

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("The file must be a CSV file (ending .csv)"), code="type")
        if upload.size > MAX_FILE_SIZE:
            raise ValidationError(_("The file must be 1 MB or smaller"), code="size")
        upload.seek(0)
        self.parsed = parse_company_numbers(upload)
        if self.parsed.errors:
            raise ValidationError(self.parsed.errors, code="content")
        return upload


class ConfirmImportForm(forms.Form):
    """Carries the signed result of a clean preview; nothing in it is trusted unsigned."""

    token = forms.CharField(widget=forms.HiddenInput)


class DebarmentForm(forms.Form):
    """An entry copied from the Minister's published debarment list."""

    supplier = _supplier_field(label=_("Supplier"))
    ground = forms.CharField(
        label=_("Exclusion ground"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("As the debarment list states it. Buyers and authorities see it."),
    )
    exclusion_type = forms.ChoiceField(
        label=_("Exclusion type"),
        choices=ExclusionType.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Mandatory bars the supplier everywhere; discretionary asks each buyer and "
            "authority to decide."
        ),
    )
    starts_on = forms.DateField(label=_("On the list from"), widget=DateInput())
    expected_end_on = forms.DateField(
        label=_("Expected end"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day the list gives. Leave blank if it states no end."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()


class RemoveDebarmentForm(forms.Form):
    removed_on = forms.DateField(
        label=_("Removed from the list on"),
        required=False,
        widget=DateInput(),
        help_text=_("The first day the supplier is no longer listed. Leave blank for today."),
    )


class SuspendFrameworkForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for suspending the framework"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to buyers and kept in the audit log. No call-offs while suspended."),
    )
