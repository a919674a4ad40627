"""Forms for the buyer's contract pages: entering into the contract, recording the contract
details notice, publishing the contract document and assessing performance.

The forms read what was typed; the rules (dates against the contract, every KPI rated) are the
services', whose refusals the views put back on the fields named by the error's code.
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from suppliers.forms import validate_service_definition

from .date_fields import GovukDateField
from .models import Contract, PerformanceAssessment


class EnterIntoContractForm(forms.Form):
    entered_into_on = GovukDateField(
        label=gettext_lazy("Date the contract was entered into"),
        help_text=gettext_lazy(
            "The day both parties signed, today or earlier. For example, 27 3 2026"
        ),
        error_messages={"required": gettext_lazy("Enter the date the contract was entered into")},
    )


class DetailsNoticeForm(forms.Form):
    identifier = forms.CharField(
        label=gettext_lazy("Notice identifier"),
        max_length=Contract._meta.get_field("details_notice_identifier").max_length,
        help_text=gettext_lazy("As the central digital platform shows it."),
        error_messages={"required": gettext_lazy("Enter the notice's identifier")},
    )
    published_on = GovukDateField(
        label=gettext_lazy("Date the notice was published"),
        help_text=gettext_lazy("For example, 27 3 2026"),
        error_messages={"required": gettext_lazy("Enter the date the notice was published")},
    )


class ContractDocumentForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("Contract document"),
        validators=[validate_service_definition],
        error_messages={
            "required": gettext_lazy("Choose the contract document to publish"),
            "empty": gettext_lazy("The selected file is empty"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        upload = self.fields["document"]
        upload.widget.attrs["accept"] = ".pdf,.docx,.odt"
        upload.help_text = gettext_lazy(
            "A PDF, DOCX or ODT file, up to %(size)s. Remove anything the law lets you "
            "withhold (s.94) before you upload it: the document is public."
        ) % {"size": filesizeformat(settings.MAX_UPLOAD_SIZE)}


RATING_PREFIX = "rating_"
COMMENT_PREFIX = "comment_"


class AssessmentForm(forms.Form):
    """The period, a summary, and a rating (with an optional comment) for each KPI."""

    period_start = GovukDateField(
        label=gettext_lazy("Start of the period assessed"),
        help_text=gettext_lazy("For example, 1 4 2026"),
        error_messages={"required": gettext_lazy("Enter the start of the period assessed")},
    )
    period_end = GovukDateField(
        label=gettext_lazy("End of the period assessed"),
        help_text=gettext_lazy("For example, 31 3 2027"),
        error_messages={"required": gettext_lazy("Enter the end of the period assessed")},
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary of the supplier's performance"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=PerformanceAssessment._meta.get_field("summary").max_length,
        help_text=gettext_lazy("It is published on the contract's public page."),
        error_messages={"required": gettext_lazy("Summarise the supplier's performance")},
    )

    def __init__(self, *args, kpis, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = list(kpis)
        for kpi in self.kpis:
            self.fields[f"{RATING_PREFIX}{kpi.pk}"] = forms.ChoiceField(
                label=gettext_lazy("Rating for “%(kpi)s”") % {"kpi": kpi.title},
                help_text=gettext_lazy("Target: %(target)s") % {"target": kpi.target},
                choices=PerformanceAssessment.Rating.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext_lazy("Rate “%(kpi)s”") % {"kpi": kpi.title},
                    "invalid_choice": gettext_lazy("Rate “%(kpi)s”") % {"kpi": kpi.title},
                },
            )
            self.fields[f"{COMMENT_PREFIX}{kpi.pk}"] = forms.CharField(
                label=gettext_lazy("Comment on “%(kpi)s” (optional)") % {"kpi": kpi.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=2_000,
            )

    def kpi_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"{RATING_PREFIX}{kpi.pk}"], self[f"{COMMENT_PREFIX}{kpi.pk}"])
            for kpi in self.kpis
        ]

    def ratings(self) -> dict:
        """{kpi id: (rating, comment)}, as assess_performance takes them."""
        return {
            kpi.pk: (
                self.cleaned_data[f"{RATING_PREFIX}{kpi.pk}"],
                self.cleaned_data.get(f"{COMMENT_PREFIX}{kpi.pk}", ""),
            )
            for kpi in self.kpis
        }
