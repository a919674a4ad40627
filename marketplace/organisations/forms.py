from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import identifiers
from .models import LocalAuthority, Organisation, Region
from .roles import OrganisationKind, Role, roles_for_kind

IDENTIFIER_FIELDS = ("company_number", "charity_number", "ppon")

# Which field shows the message when a database constraint refuses a duplicate.
CONSTRAINT_FIELDS = {
    "organisation_unique_name_per_kind": "legal_name",
    "organisation_unique_company_number": "company_number",
    "organisation_unique_council_code": "council_code",
    "organisation_unique_charity_number": "charity_number",
    "organisation_unique_ods_code": "ods_code",
    "organisation_unique_urn": "urn",
    "organisation_unique_ppon": "ppon",
}

_NORMALISERS = {
    "company_number": identifiers.normalise_company_number,
    "charity_number": identifiers.normalise_charity_number,
    "ppon": identifiers.normalise_ppon,
    "postcode": identifiers.normalise_postcode,
}


class OrganisationForm(forms.ModelForm):
    """An organisation's details. Identifiers are normalised before they are validated, and
    duplicates are reported against the field that clashes."""

    class Meta:
        model = Organisation
        fields = (
            "legal_name",
            "trading_name",
            "company_number",
            "charity_number",
            "ppon",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "region",
            "contact_email",
            "is_sme",
            "is_vcse",
        )
        error_messages = {
            "legal_name": {"required": _("Enter the organisation's legal name")},
            "region": {"required": _("Select the region of the organisation's main office")},
            "contact_email": {
                "required": _("Enter a contact e-mail address"),
                "invalid": _(
                    "Enter an e-mail address in the correct format, like name@example.com"
                ),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # People type identifiers with spaces and in lower case: accept any length here and
        # check the normalised value against the model's limits.
        for name in (*IDENTIFIER_FIELDS, "postcode"):
            field = self.fields[name]
            field.max_length = None
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.widget.attrs.pop("maxlength", None)
        self.fields["region"].choices = [
            ("", _("Select a region")),
            *self.fields["region"].choices[1:],
        ]
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["address_line_1"].widget.attrs["autocomplete"] = "address-line1"
        self.fields["address_line_2"].widget.attrs["autocomplete"] = "address-line2"
        self.fields["town"].widget.attrs["autocomplete"] = "address-level2"

    def _normalised(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        return _NORMALISERS[name](value) if value else ""

    def clean_company_number(self) -> str:
        return self._normalised("company_number")

    def clean_ppon(self) -> str:
        return self._normalised("ppon")

    def clean_charity_number(self) -> str:
        return self._normalised("charity_number")

    def clean_postcode(self) -> str:
        return self._normalised("postcode")

    def clean_contact_email(self) -> str:
        return (self.cleaned_data.get("contact_email") or "").lower()

    def _post_clean(self) -> None:
        super()._post_clean()
        # A malformed identifier already says what is wrong; don't also say one is missing or
        # too long.
        for name in IDENTIFIER_FIELDS:
            errors = self._errors.get(name) if self._errors else None
            if errors and len(errors) > 1:
                errors.data = [
                    e for e in errors.as_data() if e.code not in {"unidentified", "max_length"}
                ]

    def validate_unique(self) -> None:
        """Check the unique constraints one by one, so each duplicate names its field.

        The kind is checked too even when it is not on the form (editing), so a name clash
        within the kind is caught here rather than by the database.
        """
        exclude = self._get_validation_exclusions() - {"kind"}
        for constraint in Organisation._meta.constraints:
            field = CONSTRAINT_FIELDS.get(constraint.name)
            if field and field in exclude:
                continue
            try:
                constraint.validate(
                    Organisation, self.instance, exclude=exclude, using=DEFAULT_DB_ALIAS
                )
            except ValidationError as error:
                self.add_error(field if field in self.fields else None, error.messages)


class RegisterOrganisationForm(OrganisationForm):
    """A new organisation: as OrganisationForm, plus the kinds this user may register."""

    class Meta(OrganisationForm.Meta):
        fields = ("kind", *OrganisationForm.Meta.fields)
        widgets = {"kind": forms.RadioSelect}
        labels = {"kind": _("What kind of organisation is it?")}
        error_messages = {
            **OrganisationForm.Meta.error_messages,
            "kind": {
                "required": _("Select what kind of organisation it is"),
                "invalid_choice": _("Select what kind of organisation it is"),
            },
        }

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in OrganisationKind.choices if value in kinds
        ]
        self.fields["kind"].help_text = _(
            "Suppliers list offerings on frameworks; buyers call them off. Councils, NHS bodies "
            "and schools are claimed instead, by their official identifiers."
        )


# --- Claims to act for a council, NHS body or school -------------------------------------

CONTACT_EMAIL_MESSAGES = {
    "required": _("Enter a contact e-mail address"),
    "invalid": _("Enter an e-mail address in the correct format, like name@example.com"),
}


def _contact_email_field() -> forms.EmailField:
    return forms.EmailField(
        label=_("Contact e-mail address"),
        help_text=_("A shared inbox that authorities and suppliers can write to."),
        error_messages=CONTACT_EMAIL_MESSAGES,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CouncilClaimForm(forms.Form):
    """Pick the council from the list of current councils; it is never typed in."""

    local_authority = forms.ModelChoiceField(
        label=_("Which council?"),
        queryset=LocalAuthority.objects.none(),
        empty_label=_("Select your council"),
        help_text=_("Councils are listed by their official names."),
        error_messages={
            "required": _("Select your council from the list"),
            "invalid_choice": _("Select your council from the list"),
        },
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = councils
        self.fields["contact_email"] = _contact_email_field()


class BodyClaimForm(forms.Form):
    """An NHS body or a school: its official identifier, name, region and contact address."""

    identifier_field: str  # the official identifier's field, shown first

    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        error_messages={"required": _("Enter the organisation's legal name")},
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("Select a region")), *Region.choices],
        help_text=_("The ITL1 region of the main office."),
        error_messages={
            "required": _("Select the region of the organisation's main office"),
            "invalid_choice": _("Select the region of the organisation's main office"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"] = _contact_email_field()
        self.order_fields([self.identifier_field, "legal_name", "region", "contact_email"])

    def _clean_identifier(self, normalise, validate) -> str:
        value = normalise(self.cleaned_data.get(self.identifier_field) or "")
        validate(value)
        return value


class NhsBodyClaimForm(BodyClaimForm):
    identifier_field = "ods_code"

    ods_code = forms.CharField(
        label=_("ODS code"),
        help_text=_(
            "The NHS Organisation Data Service code: 3 to 6 letters and numbers, like RW3."
        ),
        error_messages={"required": _("Enter the ODS code")},
    )

    def clean_ods_code(self) -> str:
        return self._clean_identifier(identifiers.normalise_ods_code, identifiers.validate_ods_code)


class SchoolClaimForm(BodyClaimForm):
    identifier_field = "urn"

    urn = forms.CharField(
        label=_("URN"),
        help_text=_("The school's Unique Reference Number on Get Information about Schools."),
        error_messages={"required": _("Enter the URN")},
    )

    def clean_urn(self) -> str:
        return self._clean_identifier(identifiers.normalise_urn, identifiers.validate_urn)


class RefuseClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the claim refused?"),
        help_text=_("The person who made the claim will see this."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason for refusing the claim")},
    )


class RoleField(forms.ChoiceField):
    def __init__(self, *, kind: str, **kwargs):
        choices = [(role.value, role.label) for role in roles_for_kind(kind)]
        super().__init__(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Select a role"),
                "invalid_choice": _("Select a role"),
            },
            **kwargs,
        )


class InviteMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={
            "required": _("Enter the e-mail address of the person to invite"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        days = settings.INVITATION_VALID_FOR.days
        self.fields["email"].help_text = ngettext(
            "We'll send an invitation link to this address. It works for %(days)d day.",
            "We'll send an invitation link to this address. It works for %(days)d days.",
            days,
        ) % {"days": days}
        self.fields["role"] = RoleField(kind=organisation.kind, label=_("Role"))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class ChangeRoleForm(forms.Form):
    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = RoleField(kind=organisation.kind, label=_("New role"))


class NewAccountForm(forms.Form):
    """Create an account for the invited e-mail address."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": _("Enter your first name")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Enter your last name")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        help_text=_("At least 12 characters. Avoid common words and your name."),
        error_messages={"required": _("Enter a password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirm your password"),
        strip=False,
        error_messages={"required": _("Enter the password again")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The passwords do not match"))
        elif password1:
            candidate = get_user_model()(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


ROLE_DESCRIPTIONS = {
    Role.FRAMEWORK_MANAGER: _("Manages frameworks, appointments and members"),
    Role.REVIEWER: _("Reviews offerings and approves frameworks"),
    Role.PROCUREMENT_OFFICER: _("Searches offerings and runs call-offs"),
    Role.APPROVER: _("Approves call-off awards and manages members"),
    Role.SUPPLIER_ADMIN: _("Manages the profile, offerings, returns and members"),
    Role.EDITOR: _("Edits offerings"),
    Role.FINANCE: _("Files returns and pays the levy"),
}
