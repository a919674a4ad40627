"""UK working days (Procurement Act 2023 s.123), shared by every rule that counts them.

A working day is not a Saturday or Sunday, Christmas Day, Good Friday, or a bank holiday in
any part of the United Kingdom: a holiday in Scotland alone still stops the count in England.
"""

from datetime import date, timedelta
from functools import cache

import holidays

UK_NATIONS = ("ENG", "WLS", "SCT", "NIR")
STANDSTILL_WORKING_DAYS = 8


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    """Every nation's bank holidays; the package lists Christmas Day and Good Friday in each."""
    days: set[date] = set()
    for nation in UK_NATIONS:
        days.update(holidays.UK(subdiv=nation, years=year))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after `day` (`day` itself is not counted)."""
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def standstill_end(published_on: date) -> date:
    """The last day of the s.51 standstill: the 8 working days beginning with the day the
    contract award notice is published. The framework may be entered into only after it."""
    counted = 1 if is_working_day(published_on) else 0
    return add_working_days(published_on, STANDSTILL_WORKING_DAYS - counted)
