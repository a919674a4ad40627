"""Legal and sanity rules for frameworks and lots, as plain functions returning errors.

Model clean() methods and the admin form both call these, so a rule lives in one place.
"""

import itertools
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from frameworks.regimes import (
    LONGER_TERM_KINDS,
    NO_TERM_LIMIT_KINDS,
    PROCUREMENT_ACT_COMMENCEMENT,
    FrameworkKind,
    Regime,
)
from marketplace.working_days import standstill_end

MAX_TERM_YEARS = 4
MAX_TERM_YEARS_DEFENCE_OR_UTILITIES = 8
MAX_OPEN_FRAMEWORK_YEARS = 8
MAX_SINGLE_SUPPLIER_OPEN_FRAMEWORK_YEARS = 4
FIRST_REOPENING_WITHIN_YEARS = 3
LATER_REOPENING_WITHIN_YEARS = 5
MAX_LEVY_RATE = Decimal("5")
# DirectAwardMethod's values (frameworks.models imports this module, so not the choices).
RANKED_ROTATION = "ranked_rotation"
SINGLE_SUPPLIER = "single_supplier"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def scheme_periods(award_dates: list[date], ends_on: date) -> list[tuple[date, date]]:
    """(awarded, last day in force) of each framework in a scheme: each award after the first
    replaces the framework before it, which expires on that award (s.49)."""
    ends = [later - timedelta(days=1) for later in award_dates[1:]] + [ends_on]
    return list(zip(award_dates, ends, strict=True))


def framework_date_errors(
    *,
    applications_open_on: date | None,
    applications_close_on: date | None,
    award_on: date | None,
    starts_on: date | None,
    ends_on: date | None,
    regime: str = Regime.PROCUREMENT_ACT_2023,
    kind: str = FrameworkKind.STANDARD,
    longer_term_reason: str = "",
    award_notice_published_on: date | None = None,
    reopenings: Iterable[tuple[date, date, date | None]] | None = None,
    supplier_count: int = 0,
    as_of: date | None = None,
) -> dict[str, str]:
    """Errors keyed by field name; empty when the dates are in order and within the law.

    `reopenings` are (opens, closes, awarded) rows, or None when the caller cannot see them
    (the model's clean(): they are inline rows), which skips the rules that need them.
    `supplier_count` is how many distinct suppliers are appointed; `as_of` is today.
    """
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
    if reopenings is not None:
        _reopening_errors(
            errors, sorted(reopenings), kind=kind, starts_on=starts_on, ends_on=ends_on
        )
    if regime == Regime.PCR_2015:
        # Procured under the old law: it keeps its dates; only their order is checked.
        if applications_open_on and applications_open_on >= PROCUREMENT_ACT_COMMENCEMENT:
            errors["regime"] = _(
                "The Public Contracts Regulations 2015 apply only to frameworks procured "
                "before 24 February 2025: choose the Procurement Act 2023"
            )
        return errors
    if starts_on and ends_on and "ends_on" not in errors and kind not in NO_TERM_LIMIT_KINDS:
        _term_errors(
            errors,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            longer_term_reason=longer_term_reason,
        )
    if kind == FrameworkKind.OPEN and award_on and ends_on and reopenings is not None:
        _open_framework_errors(
            errors,
            award_on=award_on,
            ends_on=ends_on,
            reopenings=sorted(reopenings),
            supplier_count=supplier_count,
        )
    _standstill_errors(
        errors,
        award_on=award_on,
        starts_on=starts_on,
        award_notice_published_on=award_notice_published_on,
        as_of=as_of,
    )
    return errors


def _reopening_errors(errors, reopenings, *, kind, starts_on, ends_on) -> None:
    if reopenings and kind != FrameworkKind.OPEN:
        errors["reopenings"] = _("Only an open framework has reopening dates")
    for opens, closes, awarded in reopenings:
        if closes < opens:
            errors["reopenings"] = _("Each reopening must close on or after the day it opens")
        elif starts_on and ends_on and not (starts_on <= opens and closes <= ends_on):
            errors["reopenings"] = _("Each reopening must fall between the start and end dates")
        elif awarded and not closes < awarded:
            errors["reopenings"] = _("Each reopening must be awarded after it closes")
        elif awarded and ends_on and not awarded < ends_on:
            errors["reopenings"] = _("Each reopening must be awarded before the framework ends")
    for (_opens, previous_close, _awarded), (next_open, _closes, _next) in itertools.pairwise(
        reopenings
    ):
        if next_open <= previous_close:
            errors["reopenings"] = _("Reopenings must not overlap")


def _term_errors(errors, *, kind, starts_on, ends_on, longer_term_reason) -> None:
    """s.47: at most 4 years, or 8 for defence and security or utilities with a reason."""
    if kind in LONGER_TERM_KINDS:
        if ends_on >= add_years(starts_on, MAX_TERM_YEARS_DEFENCE_OR_UTILITIES):
            errors["ends_on"] = _(
                "A defence and security or utilities framework can last at most %(years)s years"
            ) % {"years": MAX_TERM_YEARS_DEFENCE_OR_UTILITIES}
        elif ends_on >= add_years(starts_on, MAX_TERM_YEARS) and not longer_term_reason.strip():
            errors["longer_term_reason"] = _(
                "Enter why the framework needs to last over %(years)s years"
            ) % {"years": MAX_TERM_YEARS}
    elif ends_on >= add_years(starts_on, MAX_TERM_YEARS):
        errors["ends_on"] = _("A framework can last at most %(years)s years") % {
            "years": MAX_TERM_YEARS
        }


def _open_framework_errors(errors, *, award_on, ends_on, reopenings, supplier_count) -> None:
    """s.49, counted from the first framework's award: a new framework awarded within 3 years,
    then within every 5 years; the scheme ends within 8 years, or 4 with a single supplier."""
    if ends_on >= add_years(award_on, MAX_OPEN_FRAMEWORK_YEARS):
        errors["ends_on"] = _(
            "An open framework can last at most %(years)s years after its first award"
        ) % {"years": MAX_OPEN_FRAMEWORK_YEARS}
    elif supplier_count == 1 and ends_on >= add_years(
        award_on, MAX_SINGLE_SUPPLIER_OPEN_FRAMEWORK_YEARS
    ):
        errors["ends_on"] = _(
            "An open framework with a single supplier can last at most %(years)s years after "
            "its first award"
        ) % {"years": MAX_SINGLE_SUPPLIER_OPEN_FRAMEWORK_YEARS}
    if "reopenings" in errors:  # the rows themselves are wrong: that is said first
        return
    awards = sorted(awarded for _opens, _closes, awarded in reopenings if awarded)
    if not awards or awards[0] >= add_years(award_on, FIRST_REOPENING_WITHIN_YEARS):
        errors["reopenings"] = _(
            "An open framework must award a new framework through a reopening within "
            "%(years)s years of its first award"
        ) % {"years": FIRST_REOPENING_WITHIN_YEARS}
        return
    # After the second award, each framework is replaced within 5 years, or the scheme ends.
    if any(
        later >= add_years(earlier, LATER_REOPENING_WITHIN_YEARS)
        for earlier, later in itertools.pairwise([*awards, ends_on])
    ):
        errors["reopenings"] = _(
            "An open framework must award a new framework through a reopening at least "
            "every %(years)s years after the second award, or end"
        ) % {"years": LATER_REOPENING_WITHIN_YEARS}


def _standstill_errors(errors, *, award_on, starts_on, award_notice_published_on, as_of) -> None:
    """s.51: the framework is entered into only after 8 working days from the award notice."""
    notice = award_notice_published_on
    if notice is None:
        if starts_on and as_of and as_of >= starts_on:
            errors["award_notice_published_on"] = _(
                "Enter the date the contract award notice was published: the framework has started"
            )
        return
    if award_on and notice < award_on:
        errors["award_notice_published_on"] = _(
            "The contract award notice must be published on or after the award decision"
        )
    elif starts_on and "starts_on" not in errors and starts_on <= standstill_end(notice):
        errors["starts_on"] = _(
            "The framework must start after the standstill, which ends on %(day)s"
        ) % {"day": formats.date_format(standstill_end(notice), "j F Y")}


def lot_errors(
    *,
    minimum_value: Decimal | None,
    maximum_value: Decimal | None,
    allows_direct_award: bool,
    allows_further_competition: bool,
    direct_award_mechanism: str,
    active_supplier_count: int,
    direct_award_method: str = "",
    rotation_period_days: int = 0,
) -> dict[str, str]:
    """A lot's own rules. The direct-award method names which objective mechanism a call-off
    follows (s.45(4)): a single-supplier lot may have only one active supplier to award to,
    and a ranked list needs its rotation period."""
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
    if allows_direct_award and not direct_award_method:
        errors["direct_award_method"] = _(
            "Choose the direct-award method: search and shortlist, ranked list with rotation, "
            "or single supplier"
        )
    elif direct_award_method == SINGLE_SUPPLIER and (active_supplier_count > 1):
        errors["direct_award_method"] = _(
            "A single-supplier direct award needs a lot with at most one active supplier; "
            "this lot has %(count)s"
        ) % {"count": active_supplier_count}
    elif direct_award_method == RANKED_ROTATION and not rotation_period_days:
        errors["rotation_period_days"] = _(
            "A ranked list with rotation needs a rotation period: enter how many days an "
            "awarded supplier waits at the bottom of the ranking"
        )
    return errors


def errors_for_lot(lot) -> dict[str, str]:
    """lot_errors for a Lot (or any object with its fields)."""
    return lot_errors(
        minimum_value=lot.minimum_value,
        maximum_value=lot.maximum_value,
        allows_direct_award=lot.allows_direct_award,
        allows_further_competition=lot.allows_further_competition,
        direct_award_mechanism=lot.direct_award_mechanism,
        active_supplier_count=lot.active_supplier_count(),
        direct_award_method=lot.direct_award_method,
        rotation_period_days=lot.rotation_period_days,
    )


def ranking_errors(ranks: dict[str, int | None]) -> list[str]:
    """A lot's ranking, as each active supplier's name and the rank given to it: every one
    ranked, each rank its own, from 1 to the number of suppliers."""
    count = len(ranks)
    errors = []
    for name, rank in ranks.items():
        if rank is None:
            errors.append(_("Give %(supplier)s a rank") % {"supplier": name})
        elif not 1 <= rank <= count:
            errors.append(
                _("%(supplier)s's rank must be from 1 to %(count)s, one per active supplier")
                % {"supplier": name, "count": count}
            )
    by_rank: dict[int, list[str]] = {}
    for name, rank in ranks.items():
        if rank is not None:
            by_rank.setdefault(rank, []).append(name)
    for rank, names in sorted(by_rank.items()):
        if len(names) > 1:
            errors.append(
                _("%(suppliers)s share rank %(rank)s: give each supplier its own rank")
                % {"suppliers": " and ".join(names), "rank": rank}
            )
    return errors


def duplicate_lot_numbers(numbers: Iterable[int]) -> list[int]:
    seen: set[int] = set()
    duplicates: set[int] = set()
    for number in numbers:
        (duplicates if number in seen else seen).add(number)
    return sorted(duplicates)


# The FrameworkPage fields the framework rules read.
FRAMEWORK_RULE_FIELDS = (
    "applications_open_on",
    "applications_close_on",
    "award_on",
    "starts_on",
    "ends_on",
    "regime",
    "kind",
    "longer_term_reason",
    "award_notice_published_on",
)


def framework_errors(
    framework, *, reopenings=None, supplier_count: int = 0, as_of: date | None = None
) -> dict[str, str]:
    """framework_date_errors for a FrameworkPage (or any object with its fields)."""
    return framework_date_errors(
        **{name: getattr(framework, name) for name in FRAMEWORK_RULE_FIELDS},
        reopenings=reopenings,
        supplier_count=supplier_count,
        as_of=as_of,
    )


def publication_errors(framework, *, as_of: date) -> list[str]:
    """Every rule the framework breaks, as messages; empty when it may be published.

    `framework` is a FrameworkPage whose lots and reopenings may be unsaved inline rows in
    its cluster: `.all()` serves those from memory, so the page is checked as it would be.
    """
    reopenings = [(r.opens_on, r.closes_on, r.award_on) for r in framework.reopenings.all()]
    errors = framework_errors(
        framework,
        reopenings=reopenings,
        supplier_count=framework.appointed_supplier_count(),
        as_of=as_of,
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
        for message in errors_for_lot(lot).values():
            messages.append(
                _("Lot %(number)s: %(message)s") % {"number": lot.number, "message": message}
            )
    return messages


def appointment_windows(
    *, award_on: date, starts_on: date, reopening_awards: Iterable[date] = ()
) -> list[tuple[date, date]]:
    """The (first, last) days on which suppliers may be appointed, one window per award.

    Suppliers join a framework only at its award, or at the award of an open framework's
    reopening (Procurement Act 2023 ss.45 and 49). The appointment is recorded as part of that
    award, so each window opens on the award day and closes when the award is done: the day the
    framework is entered into (its start date) for the framework's own award, and the end of the
    standstill (s.51, in working days) for a reopening's award, which records no start of its
    own. A supplier added after that would join between awards, which only a replacement the
    framework's terms allow may do.
    """
    return [
        (award_on, starts_on),
        *((awarded, standstill_end(awarded)) for awarded in sorted(reopening_awards)),
    ]


def appointment_window_on(
    day: date, windows: Iterable[tuple[date, date]]
) -> tuple[date, date] | None:
    """The window that holds `day` (first and last days included), or None."""
    return next(((first, last) for first, last in windows if first <= day <= last), None)
