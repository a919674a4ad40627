from django import forms
from django.utils.translation import gettext_lazy as _


class RejectOfferingForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        help_text=_("The supplier sees this. Say what to change so it can be approved."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Enter the reason for rejecting this offering")},
    )
