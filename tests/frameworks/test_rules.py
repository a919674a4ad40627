"""The Procurement Act 2023 rules for a framework's dates, each at its boundary."""

from datetime import date, timedelta

import pytest

from frameworks import rules
from frameworks.models import FrameworkKind, FrameworkPage, FrameworkReopening, Regime
from tests import factories

DAY = timedelta(days=1)


def _dates(**overrides):
    """A standard Procurement Act framework awarded 1 March 2026, starting 1 April 2026."""
    values = {
        "applications_open_on": date(2026, 1, 5),
        "applications_close_on": date(2026, 2, 5),
        "award_on": date(2026, 3, 2),
        "starts_on": date(2026, 4, 1),
        "ends_on": date(2030, 3, 31),
        "regime": Regime.PROCUREMENT_ACT_2023,
        "kind": FrameworkKind.STANDARD,
        "award_notice_published_on": date(2026, 3, 2),
    }
    return values | overrides


def _errors(**overrides):
    return rules.framework_date_errors(**_dates(**overrides))


# --- Date order -------------------------------------------------------------------------------


def test_dates_in_order_have_no_errors():
    assert _errors() == {}


def test_award_on_the_closing_day_is_refused():
    errors = _errors(award_on=date(2026, 2, 5), award_notice_published_on=None)
    assert errors == {"award_on": "The award decision must come after applications close"}


def test_closing_before_opening_is_refused():
    assert _errors(applications_close_on=date(2026, 1, 4)) == {
        "applications_close_on": "Applications must close on or after the day they open"
    }


# --- Term (s.47) ------------------------------------------------------------------------------


def test_a_standard_framework_lasts_at_most_4_years():
    assert _errors(ends_on=date(2030, 3, 31)) == {}
    assert _errors(ends_on=date(2030, 4, 1)) == {"ends_on": "A framework can last at most 4 years"}


@pytest.mark.parametrize("kind", [FrameworkKind.DEFENCE_AND_SECURITY, FrameworkKind.UTILITIES])
def test_defence_and_utilities_frameworks_last_up_to_8_years_with_a_reason(kind):
    reason = "The works programme runs for seven years."
    assert _errors(kind=kind, ends_on=date(2034, 3, 31), longer_term_reason=reason) == {}
    assert _errors(kind=kind, ends_on=date(2034, 4, 1), longer_term_reason=reason) == {
        "ends_on": "A defence and security or utilities framework can last at most 8 years"
    }


@pytest.mark.parametrize("kind", [FrameworkKind.DEFENCE_AND_SECURITY, FrameworkKind.UTILITIES])
def test_defence_and_utilities_frameworks_over_4_years_record_why(kind):
    assert _errors(kind=kind, ends_on=date(2030, 3, 31)) == {}
    assert _errors(kind=kind, ends_on=date(2030, 4, 1), longer_term_reason="  ") == {
        "longer_term_reason": "Enter why the framework needs to last over 4 years"
    }


def test_a_light_touch_framework_has_no_term_limit():
    assert _errors(kind=FrameworkKind.LIGHT_TOUCH, ends_on=date(2036, 3, 31)) == {}


# --- Open frameworks (s.49) -------------------------------------------------------------------


def _open(reopenings, **overrides):
    """An open framework first awarded 1 January 2026, ending 31 December 2030."""
    values = {
        "kind": FrameworkKind.OPEN,
        "applications_open_on": date(2025, 10, 1),
        "applications_close_on": date(2025, 11, 1),
        "award_on": date(2026, 1, 1),
        "award_notice_published_on": date(2026, 1, 2),
        "starts_on": date(2026, 1, 20),
        "ends_on": date(2030, 12, 31),
        "reopenings": reopenings,
    }
    return _errors(**values | overrides)


def test_an_open_framework_awards_a_new_framework_within_3_years_of_its_first_award():
    in_time = [(date(2028, 11, 1), date(2028, 11, 30), date(2028, 12, 31))]
    late = [(date(2028, 11, 1), date(2028, 11, 30), date(2029, 1, 1))]
    assert _open(in_time) == {}
    assert _open(late) == {
        "reopenings": "An open framework must award a new framework through a reopening "
        "within 3 years of its first award"
    }


def test_an_open_framework_without_a_reopening_is_refused():
    assert set(_open([])) == {"reopenings"}


def test_after_the_second_award_a_new_framework_is_awarded_within_every_5_years():
    first = (date(2027, 1, 1), date(2027, 1, 31), date(2027, 3, 1))
    in_time = [first, (date(2031, 12, 1), date(2031, 12, 31), date(2032, 2, 28))]
    late = [first, (date(2031, 12, 1), date(2031, 12, 31), date(2032, 3, 1))]
    ends = {"ends_on": date(2033, 12, 31)}
    assert _open(in_time, **ends) == {}
    assert _open(late, **ends) == {
        "reopenings": "An open framework must award a new framework through a reopening at "
        "least every 5 years after the second award, or end"
    }


def test_the_last_framework_in_the_scheme_ends_within_5_years_of_its_award():
    reopening = [(date(2027, 1, 1), date(2027, 1, 31), date(2027, 3, 1))]
    assert _open(reopening, ends_on=date(2032, 2, 29)) == {}
    assert set(_open(reopening, ends_on=date(2032, 3, 1))) == {"reopenings"}


def test_an_open_framework_scheme_ends_within_8_years_of_its_first_award():
    reopenings = [
        (date(2027, 1, 1), date(2027, 1, 31), date(2027, 3, 1)),
        (date(2031, 1, 1), date(2031, 1, 31), date(2031, 3, 1)),
    ]
    assert _open(reopenings, ends_on=date(2033, 12, 31)) == {}
    assert _open(reopenings, ends_on=date(2034, 1, 1)) == {
        "ends_on": "An open framework can last at most 8 years after its first award"
    }


def test_an_open_framework_with_a_single_supplier_ends_within_4_years():
    reopening = [(date(2027, 1, 1), date(2027, 1, 31), date(2027, 3, 1))]
    assert _open(reopening, ends_on=date(2029, 12, 31), supplier_count=1) == {}
    assert _open(reopening, ends_on=date(2030, 1, 1), supplier_count=1) == {
        "ends_on": "An open framework with a single supplier can last at most 4 years after "
        "its first award"
    }
    assert _open(reopening, ends_on=date(2030, 1, 1), supplier_count=2) == {}


def test_a_reopening_is_awarded_after_it_closes_and_before_the_framework_ends():
    on_close = [(date(2027, 1, 1), date(2027, 1, 31), date(2027, 1, 31))]
    assert _open(on_close) == {"reopenings": "Each reopening must be awarded after it closes"}
    at_end = [(date(2027, 1, 1), date(2027, 1, 31), date(2030, 12, 31))]
    assert _open(at_end) == {
        "reopenings": "Each reopening must be awarded before the framework ends"
    }


def test_only_an_open_framework_has_reopenings():
    reopening = [(date(2027, 1, 1), date(2027, 1, 31), date(2027, 3, 1))]
    assert _errors(reopenings=reopening) == {
        "reopenings": "Only an open framework has reopening dates"
    }


def test_without_its_reopenings_the_open_framework_rules_wait_for_them():
    """The model's clean() cannot see the inline rows: the admin form checks them."""
    assert _open(None) == {}


def test_scheme_periods_end_the_day_before_the_next_award():
    awards = [date(2026, 1, 1), date(2027, 3, 1), date(2029, 6, 1)]
    assert rules.scheme_periods(awards, date(2030, 12, 31)) == [
        (date(2026, 1, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2029, 5, 31)),
        (date(2029, 6, 1), date(2030, 12, 31)),
    ]


def test_a_framework_page_lists_its_award_dates_and_scheme_periods(db):
    page = FrameworkPage(kind=FrameworkKind.OPEN, award_on=date(2026, 1, 1))
    page.ends_on = date(2030, 12, 31)
    page.reopenings = [
        FrameworkReopening(
            opens_on=date(2028, 1, 1), closes_on=date(2028, 1, 31), award_on=date(2028, 3, 1)
        ),
        FrameworkReopening(
            opens_on=date(2027, 1, 1), closes_on=date(2027, 1, 31), award_on=date(2027, 3, 1)
        ),
    ]
    assert page.award_dates() == [date(2026, 1, 1), date(2027, 3, 1), date(2028, 3, 1)]
    assert page.scheme_periods() == [
        (date(2026, 1, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2028, 2, 29)),
        (date(2028, 3, 1), date(2030, 12, 31)),
    ]
    page.kind = FrameworkKind.STANDARD
    assert page.award_dates() == [date(2026, 1, 1)]


# --- Standstill (s.51) ------------------------------------------------------------------------


def test_a_framework_starts_only_after_the_standstill():
    # Notice published Thursday 26 November 2026; St Andrew's Day (Monday 30 November) is a
    # bank holiday in Scotland only, so the 8 working days end on Tuesday 8 December.
    dates = {
        "applications_open_on": date(2026, 9, 1),
        "applications_close_on": date(2026, 10, 1),
        "award_on": date(2026, 11, 26),
        "award_notice_published_on": date(2026, 11, 26),
        "ends_on": date(2029, 12, 31),
    }
    assert _errors(**dates, starts_on=date(2026, 12, 9)) == {}
    assert _errors(**dates, starts_on=date(2026, 12, 8)) == {
        "starts_on": "The framework must start after the standstill, which ends on 8 December 2026"
    }


def test_a_framework_that_has_started_records_its_award_notice():
    no_notice = {"award_notice_published_on": None}
    assert _errors(**no_notice, as_of=date(2026, 3, 31)) == {}
    assert _errors(**no_notice, as_of=date(2026, 4, 1)) == {
        "award_notice_published_on": "Enter the date the contract award notice was "
        "published: the framework has started"
    }


def test_the_award_notice_is_published_on_or_after_the_award():
    assert _errors(award_notice_published_on=date(2026, 3, 2)) == {}
    assert _errors(award_notice_published_on=date(2026, 3, 1)) == {
        "award_notice_published_on": "The contract award notice must be published on or "
        "after the award decision"
    }


# --- Regime -----------------------------------------------------------------------------------


def test_pcr_2015_is_only_for_frameworks_procured_before_24_february_2025():
    pcr = {
        "regime": Regime.PCR_2015,
        "applications_close_on": date(2025, 3, 24),
        "award_on": date(2025, 4, 24),
        "award_notice_published_on": None,
        "starts_on": date(2025, 5, 1),
        "ends_on": date(2028, 4, 30),
    }
    assert _errors(**pcr, applications_open_on=date(2025, 2, 23)) == {}
    assert _errors(**pcr, applications_open_on=date(2025, 2, 24)) == {
        "regime": "The Public Contracts Regulations 2015 apply only to frameworks procured "
        "before 24 February 2025: choose the Procurement Act 2023"
    }


def test_a_pcr_2015_framework_is_exempt_from_the_act_but_keeps_its_dates_in_order():
    pcr = {
        "regime": Regime.PCR_2015,
        "applications_open_on": date(2024, 6, 1),
        "applications_close_on": date(2024, 7, 1),
        "award_on": date(2024, 8, 1),
        "starts_on": date(2024, 8, 2),
        "ends_on": date(2029, 1, 1),  # over 4 years
        "award_notice_published_on": None,
        "as_of": date(2026, 12, 1),  # started, with no notice recorded
    }
    assert _errors(**pcr) == {}
    assert _errors(**pcr | {"ends_on": date(2024, 8, 2)}) == {
        "ends_on": "The framework must end after it starts"
    }


# --- Before every publish ---------------------------------------------------------------------


def test_publication_errors_check_the_unsaved_reopenings_in_the_page(db):
    today = date.today()
    framework = factories.framework_page(kind=FrameworkKind.OPEN)
    assert rules.publication_errors(framework, as_of=today) == [
        "An open framework must award a new framework through a reopening within 3 years of "
        "its first award"
    ]
    framework.reopenings = [
        FrameworkReopening(
            opens_on=today + 10 * DAY, closes_on=today + 40 * DAY, award_on=today + 60 * DAY
        )
    ]
    assert rules.publication_errors(framework, as_of=today) == []
