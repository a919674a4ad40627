from datetime import date

import pytest

from marketplace.working_days import add_working_days, is_working_day, standstill_end


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 4), True),  # Friday
        (date(2026, 12, 5), False),  # Saturday
        (date(2026, 12, 6), False),  # Sunday
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 11, 30), False),  # St Andrew's Day: a bank holiday in Scotland only
        (date(2026, 7, 13), False),  # Battle of the Boyne (observed): Northern Ireland only
        (date(2025, 7, 14), False),  # Battle of the Boyne (observed): Northern Ireland only
        (date(2026, 3, 17), False),  # St Patrick's Day: Northern Ireland only
        (date(2026, 8, 3), False),  # Summer bank holiday: Scotland only
        (date(2026, 8, 31), False),  # Late summer bank holiday: England, Wales and NI
        (date(2026, 12, 1), True),
    ],
)
def test_a_working_day_is_not_a_weekend_or_any_uk_bank_holiday(day, working):
    assert is_working_day(day) is working


def test_counting_working_days_skips_a_weekend():
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)
    assert add_working_days(date(2026, 12, 4), 0) == date(2026, 12, 4)


def test_counting_working_days_skips_christmas_and_boxing_day():
    # 24 December 2026 is a Thursday; 25th, the weekend and Boxing Day (observed 28th) are off.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_standstill_counts_the_publication_day_and_ends_on_the_eighth_working_day():
    # Published Tuesday 1 December 2026: 1, 2, 3, 4, 7, 8, 9, 10 December.
    assert standstill_end(date(2026, 12, 1)) == date(2026, 12, 10)


def test_standstill_is_counted_across_a_scottish_only_bank_holiday():
    # Published Thursday 26 November 2026: 26, 27 November, then St Andrew's Day (Monday
    # 30 November) is skipped though England works: 1, 2, 3, 4, 7, 8 December.
    assert standstill_end(date(2026, 11, 26)) == date(2026, 12, 8)


def test_standstill_is_counted_across_a_northern_ireland_only_bank_holiday():
    # Published Thursday 9 July 2026: 9, 10, then the 12 July holiday observed Monday 13th:
    # 14, 15, 16, 17, 20, 21 July.
    assert standstill_end(date(2026, 7, 9)) == date(2026, 7, 21)


def test_standstill_published_on_a_non_working_day_starts_counting_the_next_one():
    # Published Saturday 5 December 2026: 7, 8, 9, 10, 11, 14, 15, 16 December.
    assert standstill_end(date(2026, 12, 5)) == date(2026, 12, 16)
