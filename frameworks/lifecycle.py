"""A framework's lifecycle, computed from its dates.

The stage is never stored: it follows from the dates and the suspension flag, so it has no
transition table. What is stored, the framework's publication and suspension, moves through
FrameworkPage.TRANSITIONS (marketplace.state).
"""

from datetime import date

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _


class Lifecycle(models.TextChoices):
    COMING = "coming", _("Coming soon")
    OPEN = "open", _("Open for applications")
    EVALUATING = "evaluating", _("Evaluating applications")
    STANDSTILL = "standstill", _("Standstill")
    LIVE = "live", _("Live")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")


def status_from_dates(
    *,
    today: date,
    applications_open_on: date,
    applications_close_on: date,
    award_on: date,
    starts_on: date,
    ends_on: date,
    reopenings: list[tuple[date, date]] = (),
    is_suspended: bool = False,
) -> Lifecycle:
    if is_suspended:
        return Lifecycle.SUSPENDED
    if today > ends_on:
        return Lifecycle.EXPIRED
    if today >= starts_on:
        if any(opens <= today <= closes for opens, closes in reopenings):
            return Lifecycle.OPEN
        return Lifecycle.LIVE
    if today >= award_on:
        return Lifecycle.STANDSTILL
    if today > applications_close_on:
        return Lifecycle.EVALUATING
    if today >= applications_open_on:
        return Lifecycle.OPEN
    return Lifecycle.COMING


def status_expression(today: date) -> Case:
    """The same rules as status_from_dates, as SQL, for filtering and counting listings.

    A reopening window of an open framework is checked with an Exists() by the selector.
    """
    return Case(
        When(is_suspended=True, then=Value(Lifecycle.SUSPENDED.value)),
        When(ends_on__lt=today, then=Value(Lifecycle.EXPIRED.value)),
        When(Q(starts_on__lte=today) & Q(reopened_now=True), then=Value(Lifecycle.OPEN.value)),
        When(starts_on__lte=today, then=Value(Lifecycle.LIVE.value)),
        When(award_on__lte=today, then=Value(Lifecycle.STANDSTILL.value)),
        When(applications_close_on__lt=today, then=Value(Lifecycle.EVALUATING.value)),
        When(applications_open_on__lte=today, then=Value(Lifecycle.OPEN.value)),
        default=Value(Lifecycle.COMING.value),
        output_field=models.CharField(),
    )
