import re

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from axes.handlers.proxy import AxesProxyHandler

CODE_LENGTH = 6
BAD_CREDENTIALS = _("Enter a correct e-mail address and password")


class SignInForm(forms.Form):
    """E-mail and password. The e-mail field is called `username` so django-axes reads it.

    A wrong password and an unknown e-mail address get the same message, so the form never
    tells anyone whether an account exists.
    """

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None
        self.locked_out_now = False

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def clean(self) -> dict:
        cleaned = super().clean()
        email, password = cleaned.get("username"), cleaned.get("password")
        if email and password:
            was_allowed = AxesProxyHandler.is_allowed(self.request, {"username": email})
            # request= lets django-axes count the failure and refuse a locked-out account.
            self.user = authenticate(self.request, username=email, password=password)
            if self.user is None or not self.user.is_active:
                self.user = None
                # This attempt was the one that reached the limit (not one refused after it).
                self.locked_out_now = was_allowed and bool(
                    getattr(self.request, "axes_locked_out", False)
                )
                raise forms.ValidationError(BAD_CREDENTIALS, code="invalid_login")
        return cleaned


class TOTPCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows. Spaces and dashes are ignored."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6-digit code shown in the app, for example 123456"),
        max_length=20,
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not code.isascii() or not code.isdigit() or len(code) != CODE_LENGTH:
            raise forms.ValidationError(_("Enter the code as 6 digits, like 123456"), code="format")
        return code


class ActingOrganisationForm(forms.Form):
    """Which of the user's organisations they act for. Choices come from their memberships."""

    organisation = forms.TypedChoiceField(
        label=_("Which organisation are you acting for?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the organisation you are acting for")},
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (
                membership.organisation_id,
                f"{membership.organisation.name} ({membership.get_role_display()})",
            )
            for membership in memberships
        ]
