"""Legal and sanity rules for frameworks and lots, as plain functions returning errors.

Model clean() methods and the admin form both call these, so a rule lives in one place.
"""

import itertools
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_TERM_YEARS = 4
MAX_TERM_YEARS_DEFENCE_OR_UTILITIES = 8
MAX_OPEN_FRAMEWORK_YEARS = 8
MAX_LEVY_RATE = Decimal("5")


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def framework_date_errors(
    *,
    applications_open_on: date | None,
    applications_close_on: date | None,
    award_on: date | None,
    starts_on: date | None,
    ends_on: date | None,
    is_open_framework: bool,
    allows_longer_term: bool,
    reopenings: Iterable[tuple[date, date]] = (),
) -> dict[str, str]:
    """Errors keyed by field name; empty when the dates are in order and within the law."""
    errors: dict[str, str] = {}
    ordered = [
        ("applications_close_on", applications_open_on, applications_close_on, False,
         _("Applications must close on or after the day they open")),
        ("award_on", applications_close_on, award_on, True,
         _("The award decision must come after applications close")),
        ("starts_on", award_on, starts_on, False,
         _("The framework must start on or after the award decision")),
        ("ends_on", starts_on, ends_on, True, _("The framework must end after it starts")),
    ]  # fmt: skip
    for field_name, earlier, later, strictly, message in ordered:
        if earlier and later and (later <= earlier if strictly else later < earlier):
            errors[field_name] = message
    if starts_on and ends_on and "ends_on" not in errors:
        if is_open_framework:
            limit, message = (
                MAX_OPEN_FRAMEWORK_YEARS,
                _("An open framework can last at most %(years)s years in total"),
            )
        elif allows_longer_term:
            limit, message = (
                MAX_TERM_YEARS_DEFENCE_OR_UTILITIES,
                _("A defence and security or utilities framework can last at most %(years)s years"),
            )
        else:
            limit, message = MAX_TERM_YEARS, _("A framework can last at most %(years)s years")
        if ends_on > add_years(starts_on, limit):
            errors["ends_on"] = message % {"years": limit}
    reopenings = sorted(reopenings)
    if reopenings and not is_open_framework:
        errors["reopenings"] = _("Only an open framework has reopening dates")
    for opens, closes in reopenings:
        if closes < opens:
            errors["reopenings"] = _("Each reopening must close on or after the day it opens")
        elif starts_on and ends_on and not (starts_on <= opens and closes <= ends_on):
            errors["reopenings"] = _("Each reopening must fall between the start and end dates")
    for (_opens, previous_close), (next_open, _closes) in itertools.pairwise(reopenings):
        if next_open <= previous_close:
            errors["reopenings"] = _("Reopenings must not overlap")
    return errors


def lot_errors(
    *,
    minimum_value: Decimal | None,
    maximum_value: Decimal | None,
    allows_direct_award: bool,
    allows_further_competition: bool,
    direct_award_mechanism: str,
    active_supplier_count: int,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if minimum_value is not None and maximum_value is not None and maximum_value < minimum_value:
        errors["maximum_value"] = _("The maximum call-off value must not be less than the minimum")
    if not (allows_direct_award or allows_further_competition):
        errors["allows_further_competition"] = _(
            "Allow at least one route: direct award or further competition"
        )
    if allows_direct_award and not direct_award_mechanism.strip() and active_supplier_count != 1:
        errors["direct_award_mechanism"] = _(
            "Direct award needs a written objective selection mechanism, unless the lot has "
            "exactly one supplier"
        )
    return errors


def duplicate_lot_numbers(numbers: Iterable[int]) -> list[int]:
    seen: set[int] = set()
    duplicates: set[int] = set()
    for number in numbers:
        (duplicates if number in seen else seen).add(number)
    return sorted(duplicates)


def publication_errors(framework, *, as_of: date) -> list[str]:
    """Every rule the framework breaks, as messages; empty when it may be published.

    `framework` is a FrameworkPage whose lots and reopenings may be unsaved inline rows in
    its cluster: `.all()` serves those from memory, so the page is checked as it would be.
    """
    reopenings = list(framework.reopenings.all())
    errors = framework_date_errors(
        applications_open_on=framework.applications_open_on,
        applications_close_on=framework.applications_close_on,
        award_on=framework.award_on,
        starts_on=framework.starts_on,
        ends_on=framework.ends_on,
        is_open_framework=framework.is_open_framework,
        allows_longer_term=framework.sector != "general",
        reopenings=[(reopening.opens_on, reopening.closes_on) for reopening in reopenings],
    )
    messages = [str(message) for message in errors.values()]
    lots = list(framework.lots.all())
    duplicates = duplicate_lot_numbers(lot.number for lot in lots)
    if duplicates:
        messages.append(
            _("Two or more lots have the number %(numbers)s: give each lot its own number")
            % {"numbers": ", ".join(str(number) for number in duplicates)}
        )
    for lot in lots:
        for message in lot_errors(
            minimum_value=lot.minimum_value,
            maximum_value=lot.maximum_value,
            allows_direct_award=lot.allows_direct_award,
            allows_further_competition=lot.allows_further_competition,
            direct_award_mechanism=lot.direct_award_mechanism,
            active_supplier_count=lot.active_supplier_count(),
        ).values():
            messages.append(
                _("Lot %(number)s: %(message)s") % {"number": lot.number, "message": message}
            )
    return messages
