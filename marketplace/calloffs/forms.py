from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NAME_MAX_LENGTH


class SavedSearchNameForm(forms.Form):
    """The name of a saved search. The service has the last word on it; this form gives the
    same messages first, against the field, for the error summary."""

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("So that you and your colleagues can tell it apart, up to 100 characters."),
        error_messages={
            "required": _("Enter a name for the search"),
            "max_length": _("Name must be %(limit_value)d characters or fewer"),
        },
    )


class SaveSearchForm(SavedSearchNameForm):
    # The search's query string, carried from the search page through the form unchanged.
    query = forms.CharField(required=False, widget=forms.HiddenInput)
