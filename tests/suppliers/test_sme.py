from decimal import Decimal

import pytest

from suppliers.models import SupplierProfile
from suppliers.sme import sme_status


def _profile(headcount, turnover, balance=None):
    return SupplierProfile(
        headcount=headcount,
        annual_turnover=Decimal(turnover),
        balance_sheet_total=None if balance is None else Decimal(balance),
    )


@pytest.mark.parametrize(
    ("headcount", "turnover", "balance", "size"),
    [
        (4, "900000", None, "micro"),
        (30, "9000000", None, "small"),
        (30, "12000000", "8000000", "small"),
        (200, "40000000", None, "medium"),
        (200, "50000000", "30000000", "medium"),
        (200, "50000000", None, "large"),
        (250, "1000000", None, "large"),
    ],
)
def test_size_follows_staff_and_turnover_or_balance_sheet(headcount, turnover, balance, size):
    status = sme_status(_profile(headcount, turnover, balance))
    assert status.size == size
    assert status.is_sme is (size != "large")


def test_the_basis_says_which_figures_decided():
    assert sme_status(_profile(30, "12000000", "8000000")).basis == (
        "30 staff (fewer than 50) and a balance sheet total of £8.0 million (at most £10.0 million)"
    )
