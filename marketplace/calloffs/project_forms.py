"""Forms for buying projects and the buyer's settings. The services have the last word; these
forms give the same messages first, against the field, for the error summary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import DomainError

from .services.projects import NEED_MAX_LENGTH, TERM_MONTHS_MAX, TITLE_MAX_LENGTH, clean_money


def _money_field(form: forms.Form, name: str, label: str, *, allow_zero: bool = False):
    value = form.cleaned_data.get(name)
    if value in (None, ""):
        return None
    try:
        return clean_money(value, field=name, label=label, allow_zero=allow_zero)
    except DomainError as refusal:
        raise forms.ValidationError(str(refusal)) from None


class ProjectForm(forms.Form):
    """A project's details and the colleagues who may work on it."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("What is being bought, in a few words, like “Grounds maintenance for parks”."),
        error_messages={
            "required": _("Enter a title for the project"),
            "max_length": _("Title must be %(limit_value)d characters or fewer"),
        },
    )
    need = forms.CharField(
        label=_("The need"),
        max_length=NEED_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What your organisation needs and why, in plain words."),
        error_messages={
            "required": _("Describe what your organisation needs"),
            "max_length": _("The need must be %(limit_value)d characters or fewer"),
        },
    )
    estimated_value = forms.CharField(
        label=_("Estimated value, excluding VAT"),
        help_text=_("For the whole contract, in pounds, like 45000 or 45000.50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": _("Enter the estimated value")},
    )
    estimated_term_months = forms.IntegerField(
        label=_("Estimated term"),
        min_value=1,
        max_value=TERM_MONTHS_MAX,
        help_text=_("How many months the contract is expected to run, like 24."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the estimated term in months"),
            "invalid": _("Estimated term must be a whole number of months, like 24"),
            "min_value": _("Estimated term must be between 1 and %(max)d months")
            % {"max": TERM_MONTHS_MAX},
            "max_value": _("Estimated term must be between 1 and %(max)d months")
            % {"max": TERM_MONTHS_MAX},
        },
    )
    team = forms.ModelMultipleChoiceField(
        label=_("Colleagues who may work on it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Members of your organisation who run call-offs. Your organisation's approvers may "
            "always work on its projects."
        ),
        error_messages={"invalid_choice": _("Choose colleagues from your organisation only")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = candidates

    def clean_estimated_value(self):
        return _money_field(self, "estimated_value", _("Estimated value"))


class LotChoiceForm(forms.Form):
    """One of the lot-and-route pairs that fit the project, as "<lot pk>:<route>"."""

    choice = forms.CharField(
        label=_("Lot and route"),
        error_messages={"required": _("Choose a lot and how you will buy from it")},
    )

    def clean_choice(self) -> tuple[int, str]:
        lot, _separator, route = self.cleaned_data["choice"].partition(":")
        if not lot.isdigit() or not route:
            raise forms.ValidationError(_("Choose a lot and how you will buy from it"))
        return int(lot), route


class CancelProjectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling the project?"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("This is kept in the project's record. Nothing is deleted."),
        error_messages={
            "required": _("Give the reason for cancelling the project"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )


class BuyerSettingsForm(forms.Form):
    approval_threshold = forms.CharField(
        label=_("Sign-off threshold, excluding VAT"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_(
            "Awards above this value need an approver's sign-off, by someone other than the "
            "person who made the award. Leave it blank if no award needs sign-off."
        ),
    )

    def clean_approval_threshold(self):
        return _money_field(self, "approval_threshold", _("Sign-off threshold"), allow_zero=True)
