"""Forms for the authority admin screens. They validate input; the services decide and save."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks import selectors
from frameworks.appointment_import import MAX_FILE_SIZE, ParsedFile, parse_company_numbers
from frameworks.models import Appointment, Lot
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


class AppointmentForm(forms.Form):
    lot = LotChoiceField(label=_("Lot"), queryset=Lot.objects.none())
    supplier = _supplier_field(
        label=_("Supplier"),
        help_text=_("Search registered suppliers by name or company number."),
    )
    starts_on = forms.DateField(label=_("Appointed from"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Appointed until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave blank for the rest of the framework's term."),
    )

    def __init__(self, *args, authority: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = selectors.lots_for_authority(organisation=authority)
        self.fields["starts_on"].initial = timezone.localdate()


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
    starts_on = forms.DateField(label=_("Appointed from"), widget=DateInput())
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
    supplier = _supplier_field(label=_("Supplier"))
    reason = forms.CharField(
        label=_("Grounds for debarment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("As recorded in the decision. It is kept in the audit log."),
    )
    starts_on = forms.DateField(label=_("Debarred from"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Debarred until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave blank until the debarment is ended."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()


class EndDebarmentForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day of the debarment"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave blank to end it today."),
    )


class SuspendFrameworkForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for suspending the framework"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to buyers and kept in the audit log. No call-offs while suspended."),
    )
