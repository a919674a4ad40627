"""Forms of the buyer's further-competition pages. They parse what was typed; the rules are the
services' own (services.brief, invitations, clarifications), so a refused change shows the
same message the service gives, against the field it names."""

import re
from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.calloffs.date_fields import GovukDateField

from .models import Clarification, Competition
from .models.competition import CRITERION_DESCRIPTION_MAX_LENGTH, REQUIREMENTS_MAX_LENGTH
from .services.invitations import REASON_MAX_LENGTH

# 14:00, 9:30, 2pm or 2:30pm.
TIME_PATTERN = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def add_refusal(form: forms.Form, refusal, *, aliases: dict) -> None:
    """Show a service's refusal against the field its code names, or above the form."""
    code = getattr(refusal, "code", None)
    field = aliases.get(code, code)
    form.add_error(field if field in form.fields else None, str(refusal))


def parse_time(text: str) -> time | None:
    match = TIME_PATTERN.match(text.strip().lower())
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _percentage_field(label, *, help_text="") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter %(label)s") % {"label": str(label).lower()},
            "invalid": _("%(label)s must be a whole number from 0 to 100") % {"label": label},
            "min_value": _("%(label)s must be from 0 to 100") % {"label": label},
            "max_value": _("%(label)s must be from 0 to 100") % {"label": label},
        },
    )


class BriefForm(forms.Form):
    """The brief: requirements, the price weight, each framework criterion's refinement, the
    two deadlines (London time) and the voluntary standstill."""

    requirements = forms.CharField(
        label=_("Requirements"),
        max_length=REQUIREMENTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the supplier must deliver, as the invited suppliers will read it."),
        error_messages={
            "required": _("Enter the requirements"),
            "max_length": _("The requirements must be %(limit_value)d characters or fewer"),
        },
    )
    price_weight = _percentage_field(
        _("Price weight"),
        help_text=_(
            "Share of the total mark given to price, 0 to 100. Quality has the rest. Each "
            "bid's price mark is the lowest price divided by its price, times this weight."
        ),
    )
    clarification_date = GovukDateField(
        label=_("Deadline for questions"),
        help_text=_("London time. For example, 27 3 2027"),
        error_messages={"required": _("Enter the date of the deadline for questions")},
    )
    clarification_time = forms.CharField(
        label=_("Time of the deadline for questions"),
        help_text=_("For example, 14:00"),
        error_messages={"required": _("Enter the time of the deadline for questions")},
    )
    submission_date = GovukDateField(
        label=_("Deadline for bids"),
        help_text=_("London time. Bids stay sealed until then. For example, 3 4 2027"),
        error_messages={"required": _("Enter the date of the deadline for bids")},
    )
    submission_time = forms.CharField(
        label=_("Time of the deadline for bids"),
        help_text=_("For example, 14:00"),
        error_messages={"required": _("Enter the time of the deadline for bids")},
    )
    voluntary_standstill = forms.ChoiceField(
        label=_("Will you hold a voluntary standstill before entering into the contract?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you will hold a voluntary standstill")},
    )

    def __init__(self, *args, competition: Competition, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}_description"] = forms.CharField(
                label=_("How %(title)s will be assessed") % {"title": criterion.title},
                required=False,
                max_length=CRITERION_DESCRIPTION_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _(
                        "The description of %(title)s must be %(limit)d characters or fewer"
                    )
                    % {"title": criterion.title, "limit": CRITERION_DESCRIPTION_MAX_LENGTH}
                },
            )
            self.fields[f"criterion_{criterion.pk}_weighting"] = _percentage_field(
                _("The weighting of %(title)s") % {"title": criterion.title},
                help_text=_("Share of the quality mark. The framework gives it %(weight)d%%.")
                % {"weight": criterion.framework_weighting},
            )

    @staticmethod
    def initial_for(competition: Competition, criteria) -> dict:
        initial = {
            "requirements": competition.requirements,
            "price_weight": competition.price_weight,
            "voluntary_standstill": "yes" if competition.voluntary_standstill else "no",
        }
        for prefix, moment in (
            ("clarification", competition.clarification_deadline),
            ("submission", competition.submission_deadline),
        ):
            if moment is not None:
                local = timezone.localtime(moment)
                initial[f"{prefix}_date"] = local.date()
                initial[f"{prefix}_time"] = local.strftime("%H:%M")
        for criterion in criteria:
            initial[f"criterion_{criterion.pk}_description"] = criterion.description
            initial[f"criterion_{criterion.pk}_weighting"] = criterion.weighting
        return initial

    @property
    def criterion_rows(self) -> list[tuple]:
        return [
            (
                criterion,
                self[f"criterion_{criterion.pk}_description"],
                self[f"criterion_{criterion.pk}_weighting"],
            )
            for criterion in self.criteria
        ]

    @property
    def quality_weight(self) -> int | None:
        """Quality's share as the form stands (100 − price), for the page to show."""
        value = self["price_weight"].value()
        try:
            price = int(str(value).strip())
        except (TypeError, ValueError):
            return None
        return 100 - price if 0 <= price <= 100 else None

    def _clean_time(self, name: str) -> time | None:
        text = self.cleaned_data.get(name, "")
        moment = parse_time(text)
        if moment is None:
            label = self.fields[name.replace("_time", "_date")].label
            raise forms.ValidationError(
                _("The time of the %(label)s must be a real time, like 14:00")
                % {"label": str(label).lower()}
            )
        return moment

    def clean_clarification_time(self):
        return self._clean_time("clarification_time")

    def clean_submission_time(self):
        return self._clean_time("submission_time")

    def deadline(self, prefix: str) -> datetime:
        """The deadline typed, as an aware London time."""
        return timezone.make_aware(
            datetime.combine(
                self.cleaned_data[f"{prefix}_date"], self.cleaned_data[f"{prefix}_time"]
            )
        )

    def brief(self) -> dict:
        """update_brief's arguments."""
        data = self.cleaned_data
        return {
            "requirements": data["requirements"],
            "price_weight": data["price_weight"],
            "criteria": {
                criterion.pk: {
                    "description": data[f"criterion_{criterion.pk}_description"],
                    "weighting": data[f"criterion_{criterion.pk}_weighting"],
                }
                for criterion in self.criteria
            },
            "clarification_deadline": self.deadline("clarification"),
            "submission_deadline": self.deadline("submission"),
            "voluntary_standstill": data["voluntary_standstill"] == "yes",
        }

    def aliases(self) -> dict:
        """Service codes to this form's fields."""
        first = f"criterion_{self.criteria[0].pk}_weighting" if self.criteria else None
        return {
            "criteria": first,
            "clarification_deadline": "clarification_date",
            "submission_deadline": "submission_date",
            **{
                f"criterion-{criterion.pk}": f"criterion_{criterion.pk}_weighting"
                for criterion in self.criteria
            },
        }


class InviteForm(forms.Form):
    """Tick the invitable suppliers to leave out, each with the reason; the rest are invited.
    Where the lot's terms require every appointed supplier to be invited (`may_narrow` false)
    the page offers no tick boxes, and a submission that leaves one out is refused."""

    def __init__(self, *args, invitable, may_narrow: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitable = list(invitable)
        self.may_narrow = may_narrow
        for supplier in self.invitable:
            self.fields[f"leave_out_{supplier.pk}"] = forms.BooleanField(
                label=_("Leave out %(name)s") % {"name": supplier}, required=False
            )
            if not may_narrow:
                # Read only to refuse a submission that ticks it anyway.
                continue
            self.fields[f"reason_{supplier.pk}"] = forms.CharField(
                label=_("Why %(name)s is left out") % {"name": supplier},
                required=False,
                max_length=REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Only if you leave it out: for example, why it cannot do the work."),
                error_messages={
                    "max_length": _(
                        "The reason for leaving out %(name)s must be %(limit)d characters or fewer"
                    )
                    % {"name": supplier, "limit": REASON_MAX_LENGTH}
                },
            )

    @property
    def rows(self) -> list[tuple]:
        if not self.may_narrow:
            return []
        return [
            (supplier, self[f"leave_out_{supplier.pk}"], self[f"reason_{supplier.pk}"])
            for supplier in self.invitable
        ]

    def clean(self):
        data = super().clean()
        if not self.may_narrow:
            if any(data.get(f"leave_out_{supplier.pk}") for supplier in self.invitable):
                raise forms.ValidationError(
                    _(
                        "This lot's terms require every appointed supplier to be invited: "
                        "no supplier can be left out"
                    ),
                    code="left_out",
                )
            return data
        for supplier in self.invitable:
            # A reason refused already (too long) is not also missing.
            reason = data.get(f"reason_{supplier.pk}")
            if data.get(f"leave_out_{supplier.pk}") and reason is not None and not reason.strip():
                self.add_error(
                    f"reason_{supplier.pk}",
                    _("Give the reason for leaving out %(name)s") % {"name": supplier},
                )
        return data

    def left_out(self) -> dict[int, str]:
        """invite_suppliers' `left_out`: the ticked suppliers' reasons."""
        if not self.may_narrow:
            return {}
        return {
            supplier.pk: self.cleaned_data[f"reason_{supplier.pk}"]
            for supplier in self.invitable
            if self.cleaned_data.get(f"leave_out_{supplier.pk}")
        }

    def aliases(self) -> dict:
        if not self.may_narrow:
            return {}
        return {f"left_out-{supplier.pk}": f"reason_{supplier.pk}" for supplier in self.invitable}


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=Clarification._meta.get_field("answer").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published to every invited supplier."),
        error_messages={
            "required": _("Enter the answer"),
            "max_length": _("The answer must be %(limit_value)d characters or fewer"),
        },
    )
    published_question = forms.CharField(
        label=_("The question as published (optional)"),
        required=False,
        max_length=Clarification._meta.get_field("published_question").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Leave blank to publish the question as asked. Reword it if it gives away who asked."
        ),
        error_messages={
            "max_length": _("The question as published must be %(limit_value)d characters or fewer")
        },
    )
