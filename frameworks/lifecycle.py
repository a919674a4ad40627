"""A framework's lifecycle, computed from its dates, and the moves between states allowed.

The status is never stored: it follows from the dates and the suspension flag. The transition
table guards the two ways a status can change other than by time passing: suspending or
reinstating, and editing the dates of a published framework.
"""

from datetime import date

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import DomainError


class Lifecycle(models.TextChoices):
    COMING = "coming", _("Coming soon")
    OPEN = "open", _("Open for applications")
    EVALUATING = "evaluating", _("Evaluating applications")
    STANDSTILL = "standstill", _("Standstill")
    LIVE = "live", _("Live")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")


_ORDER = [
    Lifecycle.COMING,
    Lifecycle.OPEN,
    Lifecycle.EVALUATING,
    Lifecycle.STANDSTILL,
    Lifecycle.LIVE,
    Lifecycle.EXPIRED,
]

# Time moves a framework forward (possibly past states nobody looked at); a live open
# framework reopens for applications; any state but expired can be suspended, and a suspended
# framework is reinstated into whatever its dates then say.
TRANSITIONS: dict[Lifecycle, frozenset[Lifecycle]] = {
    Lifecycle.COMING: frozenset(
        {Lifecycle.OPEN, Lifecycle.EVALUATING, Lifecycle.STANDSTILL, Lifecycle.LIVE}
        | {Lifecycle.EXPIRED, Lifecycle.SUSPENDED}
    ),
    Lifecycle.OPEN: frozenset(
        {Lifecycle.EVALUATING, Lifecycle.STANDSTILL, Lifecycle.LIVE, Lifecycle.EXPIRED}
        | {Lifecycle.SUSPENDED}
    ),
    Lifecycle.EVALUATING: frozenset(
        {Lifecycle.STANDSTILL, Lifecycle.LIVE, Lifecycle.EXPIRED, Lifecycle.SUSPENDED}
    ),
    Lifecycle.STANDSTILL: frozenset({Lifecycle.LIVE, Lifecycle.EXPIRED, Lifecycle.SUSPENDED}),
    Lifecycle.LIVE: frozenset({Lifecycle.OPEN, Lifecycle.EXPIRED, Lifecycle.SUSPENDED}),
    Lifecycle.SUSPENDED: frozenset(set(_ORDER)),
    Lifecycle.EXPIRED: frozenset(),
}


def can_move(current: str, new: str) -> bool:
    return current == new or Lifecycle(new) in TRANSITIONS[Lifecycle(current)]


def check_move(current: str, new: str) -> None:
    if not can_move(current, new):
        raise DomainError(
            _("A framework cannot move from “%(current)s” to “%(new)s”")
            % {"current": Lifecycle(current).label, "new": Lifecycle(new).label},
            code="invalid_transition",
        )


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
