"""A framework's status from its dates, and the moves between statuses."""

from datetime import date, timedelta

import pytest

from frameworks.lifecycle import TRANSITIONS, Lifecycle, can_move, check_move, status_from_dates
from marketplace.exceptions import DomainError

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


ALLOWED = {
    (Lifecycle.COMING, Lifecycle.OPEN),
    (Lifecycle.COMING, Lifecycle.EVALUATING),
    (Lifecycle.COMING, Lifecycle.STANDSTILL),
    (Lifecycle.COMING, Lifecycle.LIVE),
    (Lifecycle.COMING, Lifecycle.EXPIRED),
    (Lifecycle.COMING, Lifecycle.SUSPENDED),
    (Lifecycle.OPEN, Lifecycle.EVALUATING),
    (Lifecycle.OPEN, Lifecycle.STANDSTILL),
    (Lifecycle.OPEN, Lifecycle.LIVE),
    (Lifecycle.OPEN, Lifecycle.EXPIRED),
    (Lifecycle.OPEN, Lifecycle.SUSPENDED),
    (Lifecycle.EVALUATING, Lifecycle.STANDSTILL),
    (Lifecycle.EVALUATING, Lifecycle.LIVE),
    (Lifecycle.EVALUATING, Lifecycle.EXPIRED),
    (Lifecycle.EVALUATING, Lifecycle.SUSPENDED),
    (Lifecycle.STANDSTILL, Lifecycle.LIVE),
    (Lifecycle.STANDSTILL, Lifecycle.EXPIRED),
    (Lifecycle.STANDSTILL, Lifecycle.SUSPENDED),
    (Lifecycle.LIVE, Lifecycle.OPEN),
    (Lifecycle.LIVE, Lifecycle.EXPIRED),
    (Lifecycle.LIVE, Lifecycle.SUSPENDED),
    (Lifecycle.SUSPENDED, Lifecycle.COMING),
    (Lifecycle.SUSPENDED, Lifecycle.OPEN),
    (Lifecycle.SUSPENDED, Lifecycle.EVALUATING),
    (Lifecycle.SUSPENDED, Lifecycle.STANDSTILL),
    (Lifecycle.SUSPENDED, Lifecycle.LIVE),
    (Lifecycle.SUSPENDED, Lifecycle.EXPIRED),
}
PAIRS = [(current, new) for current in Lifecycle for new in Lifecycle if current != new]


def test_transition_table_is_exactly_the_expected_moves():
    table = {(current, new) for current, targets in TRANSITIONS.items() for new in targets}
    assert table == ALLOWED


@pytest.mark.parametrize(("current", "new"), PAIRS)
def test_each_pair_moves_only_if_allowed(current, new):
    assert can_move(current, new) is ((current, new) in ALLOWED)


@pytest.mark.parametrize(("current", "new"), [pair for pair in PAIRS if pair not in ALLOWED])
def test_check_move_raises_for_each_forbidden_move(current, new):
    with pytest.raises(DomainError) as raised:
        check_move(current, new)
    assert raised.value.code == "invalid_transition"


@pytest.mark.parametrize("status", list(Lifecycle))
def test_staying_in_the_same_status_is_always_allowed(status):
    check_move(status, status)
