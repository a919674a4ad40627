"""The supplier's form for reporting progress against one of its contract's KPIs.

The form reads what was typed and says at once what is wrong with the period on its face (out of
order, or not yet over), beside any other error; the service holds every rule (the period within
the contract too), and the view puts its refusals back on the field named by the error's code.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from .date_fields import GovukDateField
from .models.progress import ACHIEVED_MAX_LENGTH, UPDATE_MAX_LENGTH


class KpiProgressForm(forms.Form):
    period_start = GovukDateField(
        label=gettext_lazy("Start of the period this report covers"),
        help_text=gettext_lazy("For example, 1 4 2026"),
        error_messages={"required": gettext_lazy("Enter the start of the period")},
    )
    period_end = GovukDateField(
        label=gettext_lazy("End of the period this report covers"),
        help_text=gettext_lazy("Today or earlier. For example, 30 9 2026"),
        error_messages={"required": gettext_lazy("Enter the end of the period")},
    )
    update = forms.CharField(
        label=gettext_lazy("What you did towards the target"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=UPDATE_MAX_LENGTH,
        help_text=gettext_lazy(
            "In plain words. The buyer reads it when it assesses the contract's performance."
        ),
        error_messages={
            "required": gettext_lazy("Enter what you did towards the target"),
            "max_length": gettext_lazy(
                "What you did towards the target must be %(limit_value)d characters or fewer"
            ),
        },
    )
    achieved = forms.CharField(
        label=gettext_lazy("Achieved so far (optional)"),
        required=False,
        max_length=ACHIEVED_MAX_LENGTH,
        help_text=gettext_lazy("A figure against the target, like “3 apprentices” or “38%”."),
        error_messages={
            "max_length": gettext_lazy(
                "What you achieved so far must be %(limit_value)d characters or fewer"
            ),
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error(
                "period_end", gettext("The period must end on or after the day it starts")
            )
        elif end and end > timezone.localdate():
            self.add_error(
                "period_end", gettext("The end of the period must be today or in the past")
            )
        return cleaned
