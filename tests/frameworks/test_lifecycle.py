"""A framework's status from its dates."""

from datetime import date, timedelta

import pytest

from frameworks.lifecycle import Lifecycle, status_from_dates

DATES = {
    "applications_open_on": date(2026, 1, 10),
    "applications_close_on": date(2026, 2, 10),
    "award_on": date(2026, 3, 1),
    "starts_on": date(2026, 3, 20),
    "ends_on": date(2030, 3, 19),
}
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 9), Lifecycle.COMING),
        (date(2026, 1, 10), Lifecycle.OPEN),
        (date(2026, 2, 10), Lifecycle.OPEN),
        (date(2026, 2, 11), Lifecycle.EVALUATING),
        (date(2026, 2, 28), Lifecycle.EVALUATING),
        (date(2026, 3, 1), Lifecycle.STANDSTILL),
        (date(2026, 3, 19), Lifecycle.STANDSTILL),
        (date(2026, 3, 20), Lifecycle.LIVE),
        (date(2030, 3, 19), Lifecycle.LIVE),
        (date(2030, 3, 20), Lifecycle.EXPIRED),
    ],
)
def test_status_follows_the_dates_on_each_boundary_day(today, expected):
    assert status_from_dates(today=today, **DATES) == expected


def test_a_live_framework_is_open_during_a_reopening():
    window = (date(2027, 1, 1), date(2027, 1, 31))
    statuses = [
        status_from_dates(today=day, reopenings=[window], **DATES)
        for day in (window[0] - DAY, window[0], window[1], window[1] + DAY)
    ]
    assert statuses == [Lifecycle.LIVE, Lifecycle.OPEN, Lifecycle.OPEN, Lifecycle.LIVE]


def test_a_suspended_framework_is_suspended_whatever_the_dates():
    assert status_from_dates(today=date(2026, 5, 1), is_suspended=True, **DATES) == (
        Lifecycle.SUSPENDED
    )
