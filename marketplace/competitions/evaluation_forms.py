"""Forms of the buyer's evaluation pages. They parse what was typed; the rules are
services.evaluation's own, so a refused change shows the service's message against the field
its code names (forms.add_refusal)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MARK_MAX
from .services.evaluation import TEXT_MAX_LENGTH

CONFLICT_CHOICES = [
    ("no", _("No, I have no conflict of interest")),
    ("yes", _("Yes, I have a conflict of interest")),
]
MARK_CHOICES = [(str(mark), str(mark)) for mark in range(MARK_MAX + 1)]


def _text_field(label, *, help_text="") -> forms.CharField:
    """Optional here: the service says when a conflict needs it."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("%(label)s must be %(limit)d characters or fewer")
            % {"label": label, "limit": TEXT_MAX_LENGTH}
        },
    )


class DeclarationForm(forms.Form):
    """A conflict of interest declaration (Procurement Act 2023 ss.81-83)."""

    has_conflict = forms.ChoiceField(
        label=_("Do you have a conflict of interest in this competition?"),
        choices=CONFLICT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you have a conflict of interest")},
    )
    details = _text_field(
        _("Details of the conflict"),
        help_text=_("Only if you have one: for example, a relative works for a bidder."),
    )
    action = _text_field(
        _("Action taken"),
        help_text=_("Only if you have one: for example, you are removed as an evaluator."),
    )

    def declaration(self) -> dict:
        """declare_conflict's keyword arguments; the service requires the details and action."""
        return {
            "has_conflict": self.cleaned_data["has_conflict"] == "yes",
            "details": self.cleaned_data["details"],
            "action": self.cleaned_data["action"],
        }


class MarkForm(forms.Form):
    """A mark from 0 to 10 with its reason: an evaluator's own score, or the moderated one."""

    mark = forms.ChoiceField(
        label=_("Mark"),
        choices=MARK_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("0 is no evidence at all; %(max)d fully meets the criterion.")
        % {"max": MARK_MAX},
        error_messages={
            "required": _("Choose a mark from 0 to %(max)d") % {"max": MARK_MAX},
            "invalid_choice": _("The mark must be a whole number from 0 to %(max)d")
            % {"max": MARK_MAX},
        },
    )
    reason = forms.CharField(
        label=_("Reason for the mark"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the reason for the mark"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )


class AwardForm(forms.Form):
    reason = forms.CharField(
        label=_("Note for the award (optional)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the reason recorded for choosing the supplier."),
        error_messages={"max_length": _("The note must be %(limit_value)d characters or fewer")},
    )


class ModerationForm(MarkForm):
    """The mark the evaluators agree, with the reason recorded for it."""

    reason = forms.CharField(
        label=_("Reason for the agreed mark"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the reason for the moderated score"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )
