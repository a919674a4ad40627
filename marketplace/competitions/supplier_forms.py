"""Forms of the supplier's competition pages. They parse what was typed; the rules are the
services' own (services.clarifications, services.bids), whose refusals land on these fields.

A bid is sealed to everyone, its bidder included, so the bid form never shows an earlier bid:
revising it means entering it again in full."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from marketplace.calloffs.award_forms import MoneyField

from .models import CompetitionCriterion
from .services.bids import ANSWER_MAX_LENGTH, COMMITMENT_MAX_LENGTH
from .services.clarifications import QUESTION_MAX_LENGTH

# Field names are the codes services.bids gives its refusals, so each lands on its field.
ANSWER_PREFIX = "answer-"
COMMITMENT_PREFIX = "commitment-"


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        help_text=_(
            "The buyer publishes its answer to every invited supplier, without saying who asked."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=QUESTION_MAX_LENGTH,
        error_messages={
            "required": _("Enter your question"),
            "max_length": _("Your question must be %(limit_value)d characters or fewer"),
        },
    )


class BidForm(forms.Form):
    """A price, an answer to each criterion and, under each social value criterion, an optional
    measurable commitment that becomes a contract KPI if the bid wins."""

    price = MoneyField(
        label=_("Your price, in pounds, excluding VAT"),
        help_text=_("The total price for the whole of the requirements, for example 48,500.00"),
        # Text, not a number box: a number box refuses the "£" and commas people type.
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Enter your price"),
            "invalid": _("Enter your price as a number of pounds, like 48500 or 48,500.00"),
            "min_value": _("Your price must be more than £0"),
            "max_digits": _("Your price must be less than £1,000,000,000,000"),
            "max_whole_digits": _("Your price must be less than £1,000,000,000,000"),
            "max_decimal_places": _("Enter your price in pounds and pence, like 48,500.25"),
        },
    )

    def __init__(self, *args, criteria: list[CompetitionCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"{ANSWER_PREFIX}{criterion.pk}"] = forms.CharField(
                label=_("Your answer: %(criterion)s") % {"criterion": criterion.title},
                widget=forms.Textarea(attrs={"rows": 8}),
                max_length=ANSWER_MAX_LENGTH,
                error_messages={
                    "required": _("Enter your answer to %(criterion)s")
                    % {"criterion": criterion.title},
                    "max_length": _(
                        "Your answer to %(criterion)s must be %(limit)d characters or fewer"
                    )
                    % {"criterion": criterion.title, "limit": ANSWER_MAX_LENGTH},
                },
            )
            if criterion.is_social_value:
                self.fields[f"{COMMITMENT_PREFIX}{criterion.pk}"] = forms.CharField(
                    label=_("Your commitment: %(criterion)s (optional)")
                    % {"criterion": criterion.title},
                    help_text=_(
                        "Something that can be measured, like “4 apprenticeships” or “40% of "
                        "spend with local SMEs”. If you win, it becomes a KPI of the contract."
                    ),
                    required=False,
                    max_length=COMMITMENT_MAX_LENGTH,
                    error_messages={
                        "max_length": _(
                            "Your commitment for %(criterion)s must be %(limit)d characters "
                            "or fewer"
                        )
                        % {"criterion": criterion.title, "limit": COMMITMENT_MAX_LENGTH},
                    },
                )

    def criterion_fields(self) -> list[tuple[CompetitionCriterion, forms.BoundField, object]]:
        """Each criterion with its answer field and its commitment field (None if it is not a
        social value criterion), in the brief's order."""
        return [
            (
                criterion,
                self[f"{ANSWER_PREFIX}{criterion.pk}"],
                self[f"{COMMITMENT_PREFIX}{criterion.pk}"] if criterion.is_social_value else None,
            )
            for criterion in self.criteria
        ]

    @property
    def answers(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"{ANSWER_PREFIX}{c.pk}"] for c in self.criteria}

    @property
    def commitments(self) -> dict[int, str]:
        return {
            c.pk: self.cleaned_data[f"{COMMITMENT_PREFIX}{c.pk}"]
            for c in self.criteria
            if c.is_social_value and self.cleaned_data[f"{COMMITMENT_PREFIX}{c.pk}"]
        }


class BidDocumentForm(forms.Form):
    """One document per request. A file past the upload cap never arrives (uploads.py drops
    it as it streams in), so the view passes the refusal in to be shown against the field."""

    document = forms.FileField(
        label=_("Add a document to your bid"),
        required=False,
        error_messages={"empty": _("The selected file is empty")},
    )

    def __init__(self, *args, refusal: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal
        self.fields["document"].help_text = _(
            "One file at a time, up to %(size)s. Its name is sealed with its content."
        ) % {"size": filesizeformat(settings.BID_UPLOAD_MAX_BYTES)}

    def clean_document(self):
        if self.refusal:
            raise forms.ValidationError(self.refusal)
        document = self.cleaned_data["document"]
        if not document:
            raise forms.ValidationError(_("Choose a file to add to your bid"))
        return document
