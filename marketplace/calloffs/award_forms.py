"""Forms of the award step. They parse what was typed; the rules are the services' own
(services.awards), so a refused award shows the same message the service gives."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .date_fields import GovukDateField
from .models import Award, KeyPerformanceIndicator
from .services.awards import AwardError, contract_terms_problems

# Rows offered for KPIs; a contract over £5 million (not light-touch) needs at least three.
KPI_ROWS = 5
# Where a problem with the KPIs as a whole is shown: the first row's indicator.
KPI_ALIASES = {"kpis": "kpi_1_title"}


class MoneyField(forms.DecimalField):
    """Pounds and pence; a pound sign and thousands separators are allowed."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, min_value=Decimal("0.01"), **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)


def kpi_rows_initial(kpis: list[dict]) -> dict:
    """The award form's initial KPI rows from suggested {"title", "target"} pairs."""
    initial = {}
    for row, kpi in enumerate(kpis[:KPI_ROWS], start=1):
        initial[f"kpi_{row}_title"], initial[f"kpi_{row}_target"] = kpi["title"], kpi["target"]
    return initial


def add_refusal(form: forms.Form, refusal, *, aliases: dict | None = None) -> None:
    """Show a service's refusal against the field its code names, or above the form."""
    code = getattr(refusal, "code", None)
    field = (aliases or {}).get(code, code)
    form.add_error(field if field in form.fields else None, str(refusal))


class AwardForm(forms.Form):
    description = forms.CharField(
        label=_("Describe the contract"),
        max_length=Award._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the supplier will provide. It is published in the award notice."),
        error_messages={"required": _("Describe the contract")},
    )
    value = MoneyField(
        label=_("Value excluding VAT"),
        help_text=_("The whole contract's value over its term, in pounds, like 125000.00."),
        error_messages={
            "required": _("Enter the value excluding VAT"),
            "invalid": _("Value excluding VAT must be an amount of money, like 125000.00"),
            "min_value": _("Value excluding VAT must be more than £0"),
            "max_decimal_places": _("Value excluding VAT must be in pounds and pence"),
        },
    )
    value_including_vat = MoneyField(
        label=_("Value including VAT"),
        help_text=_("The same value with VAT added; equal to it if no VAT is charged."),
        error_messages={
            "required": _("Enter the value including VAT"),
            "invalid": _("Value including VAT must be an amount of money, like 150000.00"),
            "min_value": _("Value including VAT must be more than £0"),
            "max_decimal_places": _("Value including VAT must be in pounds and pence"),
        },
    )
    starts_on = GovukDateField(
        label=_("Start date"),
        help_text=_("For example, 1 4 2027"),
        error_messages={"required": _("Enter the start date")},
    )
    ends_on = GovukDateField(
        label=_("End date"),
        help_text=_("The last day of the contract, for example, 31 3 2029"),
        error_messages={"required": _("Enter the end date")},
    )
    kpi_none_reason = forms.CharField(
        label=_("Reason for setting no key performance indicators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only if you set fewer than three for a contract over £5 million including VAT. "
            "The contract details notice gives it."
        ),
    )

    def __init__(self, *args, project, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.today = project, today
        title_field = KeyPerformanceIndicator._meta.get_field("title")
        target_field = KeyPerformanceIndicator._meta.get_field("target")
        for row in range(1, KPI_ROWS + 1):
            self.fields[f"kpi_{row}_title"] = forms.CharField(
                label=_("Indicator %(row)s") % {"row": row},
                required=False,
                max_length=title_field.max_length,
                help_text=title_field.help_text if row == 1 else "",
            )
            self.fields[f"kpi_{row}_target"] = forms.CharField(
                label=_("Target %(row)s") % {"row": row},
                required=False,
                max_length=target_field.max_length,
                help_text=target_field.help_text if row == 1 else "",
            )

    @property
    def kpi_rows(self) -> list[tuple]:
        return [
            (self[f"kpi_{row}_title"], self[f"kpi_{row}_target"]) for row in range(1, KPI_ROWS + 1)
        ]

    def kpis(self) -> list[dict]:
        """The rows filled in, in order."""
        rows = [
            {
                "title": self.cleaned_data.get(f"kpi_{row}_title", "").strip(),
                "target": self.cleaned_data.get(f"kpi_{row}_target", "").strip(),
            }
            for row in range(1, KPI_ROWS + 1)
        ]
        return [row for row in rows if row["title"] or row["target"]]

    def clean(self):
        cleaned = super().clean()
        for row in range(1, KPI_ROWS + 1):
            title, target = cleaned.get(f"kpi_{row}_title"), cleaned.get(f"kpi_{row}_target")
            if title and not target:
                self.add_error(
                    f"kpi_{row}_target", _("Enter the target for indicator %(row)s") % {"row": row}
                )
            elif target and not title:
                self.add_error(
                    f"kpi_{row}_title", _("Enter the indicator for target %(row)s") % {"row": row}
                )
        if self.errors:
            return cleaned
        for field, message in contract_terms_problems(
            project=self.project,
            value=cleaned["value"],
            value_including_vat=cleaned["value_including_vat"],
            starts_on=cleaned["starts_on"],
            ends_on=cleaned["ends_on"],
            kpis=self.kpis(),
            kpi_none_reason=cleaned["kpi_none_reason"].strip(),
            on=self.today,
        ):
            add_refusal(self, AwardError(message, code=field), aliases=KPI_ALIASES)
        return cleaned


class SignOffForm(forms.Form):
    SIGN_OFF, REFUSE = "sign_off", "refuse"

    decision = forms.ChoiceField(
        label=_("Do you sign off this award?"),
        choices=[
            (SIGN_OFF, _("Yes, sign it off: the award takes effect")),
            (REFUSE, _("No, refuse sign-off: the project returns to the award step")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you sign off the award")},
    )
    note = forms.CharField(
        label=_("Why are you refusing sign-off?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required if you refuse. The team sees it on the award page."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REFUSE and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why you are refusing to sign off the award"))
        return cleaned


class AwardNoticeForm(forms.Form):
    YES, NO = "yes", "no"

    identifier = forms.CharField(
        label=_("Notice identifier"),
        max_length=Award._meta.get_field("notice_identifier").max_length,
        help_text=Award._meta.get_field("notice_identifier").help_text,
        error_messages={"required": _("Enter the notice's identifier")},
    )
    published_on = GovukDateField(
        label=_("Date the notice was published"),
        help_text=_("For example, 27 3 2027"),
        error_messages={"required": _("Enter the date the notice was published")},
    )
    standstill = forms.ChoiceField(
        label=_("Does the notice state a voluntary standstill period?"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
        help_text=_(
            "Optional for call-offs. Once the notice states one, the contract cannot be entered "
            "into until it ends."
        ),
        error_messages={"required": _("Select whether the notice states a voluntary standstill")},
    )
    standstill_ends_on = GovukDateField(
        label=_("Date the standstill ends"),
        required=False,
        help_text=_("At least 8 working days from publication, as the notice states."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("standstill") == self.YES
            and not cleaned.get("standstill_ends_on")
            and "standstill_ends_on" not in self.errors
        ):
            self.add_error("standstill_ends_on", _("Enter the date the standstill ends"))
        return cleaned

    def stated_standstill_end(self) -> date | None:
        if self.cleaned_data["standstill"] == self.YES:
            return self.cleaned_data["standstill_ends_on"]
        return None


class WithdrawAwardForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the award withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The project returns to the award step with its supplier still selected. The "
            "reason is recorded."
        ),
        error_messages={"required": _("Say why the award is withdrawn")},
    )
