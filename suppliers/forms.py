"""Forms of the supplier portal.

The offering form does no checking of its own on the offering's content: it gathers what was
typed and hands it to suppliers.validation.clean_offering, the one validator that imports and
services use too, then puts each problem back on the field it belongs to.
"""

import zipfile
from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks.attributes import AttributeKind, AttributeSpec
from frameworks.models import Lot
from marketplace.organisations import identifiers
from marketplace.organisations.models import Organisation, Region

from .attributes import number_guidance, spreadsheet_value
from .models import MAX_LEAD_TIME_DAYS, Accreditation, Offering, SupplierProfile
from .pricing import PriceUnit, VatTreatment
from .validation import ATTRIBUTE_ERROR_PREFIX, OfferingInvalid, clean_offering

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
ATTRIBUTE_FIELD_PREFIX = "attribute_"


def _capitalised(choices) -> list[tuple[str, str]]:
    return [(value, capfirst(str(label))) for value, label in choices]


class PoundsField(forms.DecimalField):
    """An amount in pounds as people type it: "£1,250,000" or "1250000.50"."""

    # A number input would refuse the "£" and commas people type (and GOV.UK advises against it).
    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
        return super().to_python(value)


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            **kwargs,
        )


class SupplierProfileForm(forms.ModelForm):
    """The supplier's profile, plus the VCSE flag kept on the organisation itself."""

    website = forms.URLField(
        label=gettext_lazy("Website (optional)"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": gettext_lazy("Enter a web address, like www.example.co.uk")},
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact name (optional)"),
        required=False,
        max_length=SupplierProfile._meta.get_field("contact_name").max_length,
        help_text=gettext_lazy("A person or a team, like “Bids team”."),
        error_messages={
            "max_length": gettext_lazy(
                "The contact name must be %(limit_value)d characters or fewer"
            )
        },
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Contact e-mail address (optional)"),
        required=False,
        help_text=gettext_lazy("A shared mailbox lasts longer than a person's own address."),
        error_messages={
            "invalid": gettext_lazy(
                "Enter an e-mail address in the correct format, like name@example.com"
            )
        },
    )
    headcount = forms.IntegerField(
        label=gettext_lazy("Number of staff"),
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=SupplierProfile._meta.get_field("headcount").help_text,
        error_messages={
            "required": gettext_lazy("Enter the number of staff"),
            "invalid": gettext_lazy("Enter the number of staff as a whole number, like 25"),
            "min_value": gettext_lazy("The number of staff must be 0 or more"),
        },
    )
    annual_turnover = PoundsField(
        label=gettext_lazy("Annual turnover"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text=SupplierProfile._meta.get_field("annual_turnover").help_text,
        error_messages={
            "required": gettext_lazy("Enter your annual turnover"),
            "invalid": gettext_lazy("Enter the turnover in pounds, like 1,250,000"),
            "min_value": gettext_lazy("The turnover must be £0 or more"),
            "max_digits": gettext_lazy("Enter a turnover under £1 trillion"),
            "max_whole_digits": gettext_lazy("Enter a turnover under £1 trillion"),
            "max_decimal_places": gettext_lazy("Enter the turnover to the nearest penny"),
        },
    )
    balance_sheet_total = PoundsField(
        label=gettext_lazy("Balance sheet total (optional)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy(
            "From your latest accounts. Used for the SME test when turnover is above the limit."
        ),
        error_messages={
            "invalid": gettext_lazy("Enter the balance sheet total in pounds, like 800,000"),
            "min_value": gettext_lazy("The balance sheet total must be £0 or more"),
            "max_digits": gettext_lazy("Enter a balance sheet total under £1 trillion"),
            "max_whole_digits": gettext_lazy("Enter a balance sheet total under £1 trillion"),
            "max_decimal_places": gettext_lazy(
                "Enter the balance sheet total to the nearest penny"
            ),
        },
    )
    ppon = forms.CharField(
        label=gettext_lazy("PPON (optional)"),
        required=False,
        help_text=gettext_lazy(
            "Your Public Procurement Organisation Number from the Central Digital Platform "
            "(Find a Tender), like PDDW-2534-TWPT. Contract award notices need it."
        ),
    )
    is_vcse = YesNoField(
        label=gettext_lazy("Is your organisation a voluntary, community or social enterprise?"),
        help_text=gettext_lazy("For example a charity, a community interest company or a co-op."),
        error_messages={"required": gettext_lazy("Select yes if you are a VCSE")},
    )
    regions_served = forms.MultipleChoiceField(
        label=gettext_lazy("Regions you serve (optional)"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Select all that apply."),
        error_messages={"invalid_choice": gettext_lazy("Select regions from the list")},
    )
    accreditations = forms.MultipleChoiceField(
        label=gettext_lazy("Accreditations you hold (optional)"),
        choices=Accreditation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only those that are current. Buyers may ask for certificates."),
        error_messages={"invalid_choice": gettext_lazy("Select accreditations from the list")},
    )

    field_order = (
        "description",
        "website",
        "contact_name",
        "contact_email",
        "headcount",
        "annual_turnover",
        "balance_sheet_total",
        "is_vcse",
        "ppon",
        "regions_served",
        "accreditations",
    )

    class Meta:
        model = SupplierProfile
        fields = (
            "description",
            "website",
            "contact_name",
            "contact_email",
            "headcount",
            "annual_turnover",
            "balance_sheet_total",
            "regions_served",
            "accreditations",
        )
        labels = {"description": gettext_lazy("About your organisation (optional)")}
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_vcse"].initial = "yes" if organisation.is_vcse else "no"
        self.fields["ppon"].initial = organisation.ppon
        self.fields["ppon"].widget.attrs["spellcheck"] = "false"

    def clean_ppon(self) -> str:
        ppon = identifiers.normalise_ppon(self.cleaned_data["ppon"])
        if ppon:
            identifiers.validate_ppon(ppon)
        return ppon

    def clean_contact_email(self) -> str:
        # The domain part is case-insensitive; the mailbox part is kept as typed.
        return BaseUserManager.normalize_email(self.cleaned_data["contact_email"])

    def clean(self):
        cleaned = super().clean()
        # An invalid address has its own error already.
        wanted = cleaned.get("contact_name") and "contact_email" not in self.errors
        if wanted and not cleaned.get("contact_email"):
            self.add_error(
                "contact_email",
                _("Enter the e-mail address buyers can write to, or remove the contact name"),
            )
        return cleaned


# --- Offerings --------------------------------------------------------------------------------


class OpenChoiceField(forms.ChoiceField):
    """Passes any submitted value on, so the offering validator reports it in its own words."""

    def validate(self, value):
        pass


class OpenMultipleChoiceField(forms.MultipleChoiceField):
    def validate(self, value):
        pass


DOCUMENT_EXTENSIONS = frozenset({"pdf", "docx", "odt"})
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _looks_like(upload, extension: str) -> bool:
    """Whether the file's content matches its name: a renamed file is refused."""
    upload.seek(0)
    try:
        if extension == "pdf":
            return upload.read(5) == b"%PDF-"
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if extension == "docx":
                    return {"[Content_Types].xml", "word/document.xml"} <= names
                # Only the first few bytes are read, whatever the entry claims to hold.
                return "mimetype" in names and archive.open("mimetype").read(64) == ODT_MIMETYPE
        # Truncated, encrypted or oddly compressed archives are not documents we can accept.
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError):
            return False
    finally:
        upload.seek(0)


def validate_service_definition(upload) -> None:
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension not in DOCUMENT_EXTENSIONS or not _looks_like(upload, extension):
        raise ValidationError(_("The selected file must be a PDF, DOCX or ODT document"))
    if upload.size == 0:
        raise ValidationError(_("The selected file is empty"))
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The selected file must be smaller than %(size)s")
            % {"size": filesizeformat(settings.MAX_UPLOAD_SIZE)}
        )


def _attribute_field(spec: AttributeSpec) -> forms.Field:
    label = spec.label if spec.required else _("%(label)s (optional)") % {"label": spec.label}
    hint = spec.help_text
    if spec.kind == AttributeKind.NUMBER:
        hint = " ".join(filter(None, [hint, number_guidance(spec)]))
    common = {"label": label, "help_text": hint, "required": False}
    if spec.kind == AttributeKind.YES_NO:
        field = OpenChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        field.govuk_class = "govuk-radios--inline"
        return field
    if spec.kind == AttributeKind.ONE_OF:
        options = [(option, option) for option in spec.options]
        return OpenChoiceField(choices=options, widget=forms.RadioSelect, **common)
    if spec.kind == AttributeKind.MANY_OF:
        options = [(option, option) for option in spec.options]
        return OpenMultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.kind == AttributeKind.NUMBER:
        field = forms.CharField(**common)
        # Whole numbers get the digits-only keypad; the rest need a decimal point.
        field.widget.attrs["inputmode"] = "numeric" if spec.decimal_places == 0 else "decimal"
        field.widget.attrs["spellcheck"] = "false"
        field.govuk_class = "govuk-input--width-10"
        field.unit = spec.unit
        return field
    return forms.CharField(**common)


def field_name_for(error_key: str) -> str:
    """The form field an OfferingInvalid key belongs to ("attributes.x" → "attribute_x")."""
    if error_key.startswith(ATTRIBUTE_ERROR_PREFIX):
        return ATTRIBUTE_FIELD_PREFIX + error_key.removeprefix(ATTRIBUTE_ERROR_PREFIX)
    return error_key


def _attribute_initial(spec: AttributeSpec, value):
    if spec.kind == AttributeKind.MANY_OF:
        return list(value or [])
    return spreadsheet_value(spec, value)


def initial_for(offering: Offering, *, specs: list[AttributeSpec]) -> dict:
    """The form's starting values from an offering (or the draft revision of one)."""
    initial = {field: getattr(offering, field) for field in Offering.SUPPLIER_FIELDS}
    initial["price"] = format(offering.price, "f")
    initial["minimum_contract_value"] = (
        format(offering.minimum_contract_value, "f")
        if offering.minimum_contract_value is not None
        else ""
    )
    for spec in specs:
        initial[ATTRIBUTE_FIELD_PREFIX + spec.key] = _attribute_initial(
            spec, offering.attributes.get(spec.key)
        )
    return initial


class OfferingForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        help_text=Offering._meta.get_field("title").help_text,
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Offering._meta.get_field("summary").help_text,
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=Offering._meta.get_field("description").help_text,
    )
    price = forms.CharField(
        label=gettext_lazy("Price"),
        required=False,
        help_text=gettext_lazy("In pounds and pence, like 450 or 1,250.50."),
    )
    price_unit = OpenChoiceField(
        label=gettext_lazy("What is the price for?"),
        choices=_capitalised(PriceUnit.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    vat_treatment = OpenChoiceField(
        label=gettext_lazy("VAT"),
        choices=VatTreatment.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    minimum_contract_value = forms.CharField(
        label=gettext_lazy("Minimum contract value (optional)"),
        required=False,
        help_text=Offering._meta.get_field("minimum_contract_value").help_text,
    )
    regions_served = OpenMultipleChoiceField(
        label=gettext_lazy("Regions where you deliver this offering"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Select all that apply."),
    )
    lead_time_days = forms.CharField(
        label=gettext_lazy("Lead time"),
        required=False,
        help_text=format_lazy(
            gettext_lazy("Working days from order to start, from 0 to {max}."),
            max=MAX_LEAD_TIME_DAYS,
        ),
    )
    service_definition = forms.FileField(
        label=gettext_lazy("Service definition document (optional)"),
        required=False,
        validators=[validate_service_definition],
        error_messages={"empty": gettext_lazy("The selected file is empty")},
    )

    def __init__(
        self,
        *args,
        supplier: Organisation,
        lot: Lot,
        offering: Offering | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.supplier, self.lot, self.offering = supplier, lot, offering
        self.attribute_specs = lot.attributes()
        for name in ("price", "minimum_contract_value"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        self.fields["lead_time_days"].widget.attrs["inputmode"] = "numeric"
        upload = self.fields["service_definition"]
        upload.widget.attrs["accept"] = ".pdf,.docx,.odt"
        upload.help_text = _("A PDF, DOCX or ODT file, up to %(size)s.") % {
            "size": filesizeformat(settings.MAX_UPLOAD_SIZE)
        }
        if offering is not None and offering.service_definition_id:
            upload.help_text += " " + _("Choose a file only to replace the current one.")
        # The lot's questions come straight after the description, in the schema's order.
        fields = list(self.fields.items())
        position = [name for name, _field in fields].index("price")
        answers = [
            (ATTRIBUTE_FIELD_PREFIX + spec.key, _attribute_field(spec))
            for spec in self.attribute_specs
        ]
        self.fields = dict(fields[:position] + answers + fields[position:])

    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[ATTRIBUTE_FIELD_PREFIX + spec.key] for spec in self.attribute_specs]

    def content(self) -> dict:
        """What was typed, as the offering validator and services take it."""
        data = {field: self.cleaned_data.get(field) for field in Offering.SUPPLIER_FIELDS}
        data["attributes"] = {
            spec.key: self.cleaned_data.get(ATTRIBUTE_FIELD_PREFIX + spec.key)
            for spec in self.attribute_specs
        }
        return data

    def clean(self):
        cleaned = super().clean()
        try:
            clean_offering(
                supplier=self.supplier, lot=self.lot, data=self.content(), offering=self.offering
            )
        except OfferingInvalid as invalid:
            self.add_offering_errors(invalid)
        if self._errors and cleaned.get("service_definition"):
            # A browser never keeps a chosen file when the page comes back with errors.
            self.add_error(
                "service_definition",
                _("Choose %(name)s again: files are not kept while there are problems to fix")
                % {"name": cleaned["service_definition"].name},
            )
        return cleaned

    def add_offering_errors(self, invalid: OfferingInvalid) -> None:
        for key, message in invalid.errors.items():
            name = field_name_for(key)
            self.add_error(name if name in self.fields else None, message)


class ChooseLotForm(forms.Form):
    lot = forms.TypedChoiceField(
        label=gettext_lazy("Which lot is the offering for?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select the lot the offering is for"),
            "invalid_choice": gettext_lazy("Select the lot the offering is for"),
        },
    )

    def __init__(self, *args, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].choices = [(lot.pk, f"{lot.framework.title} – {lot}") for lot in lots]
