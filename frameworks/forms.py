"""Forms for the public framework pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from frameworks.lifecycle import Lifecycle
from frameworks.models import DebarmentDecision


class FrameworkFilterForm(forms.Form):
    """The GET filters of the framework list. Choices come from the view, with their counts.

    Each field is independent: a value that does not validate is reported and ignored, and the
    other filters still apply.
    """

    authority = forms.MultipleChoiceField(
        label=_("Authority"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select authorities from the list")},
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=Lifecycle.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select statuses from the list")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        error_messages={"invalid_choice": _("Select a category from the list")},
    )
    eligible = forms.BooleanField(label=_("Only frameworks I can use"), required=False)
    include_expired = forms.BooleanField(label=_("Include expired frameworks"), required=False)

    def __init__(
        self,
        data=None,
        *,
        authorities: list[tuple[str, str]],
        categories: list[tuple[str, str]],
        with_eligibility: bool,
    ):
        # A buyer sees only the frameworks they can use until they untick the box.
        super().__init__(data, initial={"eligible": with_eligibility})
        self.fields["authority"].choices = authorities
        self.fields["category"].choices = [("", _("Any category")), *categories]
        if not with_eligibility:
            del self.fields["eligible"]

    def filters(self) -> dict:
        """The values that validated; fields in error count as not filtered."""
        self.is_valid()
        cleaned = self.cleaned_data
        return {
            "authority": cleaned.get("authority") or [],
            "status": cleaned.get("status") or [],
            "category": cleaned.get("category") or "",
            "eligible": bool(cleaned.get("eligible")),
            "include_expired": bool(cleaned.get("include_expired")),
        }

    def set_counts(self, counts: dict[str, dict[str, int]]) -> None:
        """Show how many frameworks each option would give, next to its label."""
        for name in ("authority", "status", "category"):
            field = self.fields[name]
            field.choices = [
                (value, f"{label} ({counts[name].get(value, 0)})" if value else label)
                for value, label in field.choices
            ]
        if "eligible" in self.fields:
            field = self.fields["eligible"]
            field.label = f"{field.label} ({counts['eligible']})"
            self["eligible"].label = field.label  # the bound field copied the label when cleaned


class DebarmentDecisionForm(forms.Form):
    """A buyer's or authority's decision on a discretionary debarment list entry."""

    decision = forms.ChoiceField(
        label=_("What has your organisation decided?"),
        choices=DebarmentDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether to proceed with the supplier or exclude it")},
    )
    reason = forms.CharField(
        label=_("Reason for your decision"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Kept with your decision and in your organisation's audit log."),
        error_messages={"required": _("Enter the reason for your decision")},
    )
