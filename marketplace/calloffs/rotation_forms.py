"""Forms for the ranked list with rotation and the single supplier. The services have the last
word; these give the same messages first, against the field, for the error summary."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SelectionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for choosing this supplier"),
        help_text=_("Recorded against the framework's selection mechanism (s.45(4))."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        error_messages={
            "required": _(
                "Give the reason for choosing this supplier under the framework's mechanism"
            )
        },
    )


class DeclineOfferForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you declining?"),
        help_text=_("The buyer sees this reason; the offer then goes to the next supplier."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        error_messages={"required": _("Give the reason for declining the offer")},
    )
