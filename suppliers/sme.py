"""Whether a supplier is a small or medium-sized enterprise, and why.

The UK government's procurement definition: fewer than 250 staff, and either turnover of at
most £44 million or a balance sheet total of at most £38 million. Micro and small bands use
the same pairing (10 staff / £2m, 50 staff / £10m).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

MILLION = Decimal("1000000")
# (size, staff below, turnover or balance sheet at most)
BANDS = (
    ("micro", 10, 2 * MILLION, 2 * MILLION),
    ("small", 50, 10 * MILLION, 10 * MILLION),
    ("medium", 250, 44 * MILLION, 38 * MILLION),
)


@dataclass(frozen=True)
class SmeStatus:
    size: str
    basis: str

    @property
    def is_sme(self) -> bool:
        return self.size != "large"


def _pounds(amount: Decimal) -> str:
    return f"£{amount / MILLION:,.1f} million"


def sme_status(profile) -> SmeStatus:
    turnover = profile.annual_turnover
    balance = profile.balance_sheet_total
    for size, staff_below, turnover_limit, balance_limit in BANDS:
        if profile.headcount >= staff_below:
            continue
        if turnover <= turnover_limit:
            return SmeStatus(
                size,
                _(
                    "%(staff)s staff (fewer than %(limit)s) and turnover of %(turnover)s "
                    "(at most %(max)s)"
                )
                % {
                    "staff": profile.headcount,
                    "limit": staff_below,
                    "turnover": _pounds(turnover),
                    "max": _pounds(turnover_limit),
                },
            )
        if balance is not None and balance <= balance_limit:
            return SmeStatus(
                size,
                _(
                    "%(staff)s staff (fewer than %(limit)s) and a balance sheet total of "
                    "%(balance)s (at most %(max)s)"
                )
                % {
                    "staff": profile.headcount,
                    "limit": staff_below,
                    "balance": _pounds(balance),
                    "max": _pounds(balance_limit),
                },
            )
    return SmeStatus(
        "large",
        _(
            "%(staff)s staff and turnover of %(turnover)s: above the SME thresholds "
            "(fewer than 250 staff, and turnover up to £44 million or balance sheet up to "
            "£38 million)"
        )
        % {"staff": profile.headcount, "turnover": _pounds(turnover)},
    )
