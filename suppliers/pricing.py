"""Prices as suppliers state them, and the comparable figure buyers sort and filter by.

A supplier states a price, a unit and a VAT treatment. Search needs like compared with like,
so each offering also carries a comparable figure: excluding VAT, and for time-based prices
converted to a day rate. Prices in other units stay in their own unit and are only compared
with prices in that unit.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .attributes import you_entered

PENNY = Decimal("0.01")
# The Crown Commercial Service convention for day rates: a working day is 7.5 hours.
HOURS_PER_DAY = Decimal("7.5")
STANDARD_VAT_RATE = Decimal("0.20")
# Above this a price is far more likely a typing slip than a real unit price.
MAXIMUM_PRICE = Decimal("100000000.00")


class PriceUnit(models.TextChoices):
    PER_HOUR = "hour", _("per hour")
    PER_DAY = "day", _("per day")
    PER_UNIT = "unit", _("per unit")
    PER_MONTH = "month", _("per month")
    PER_USER_PER_MONTH = "user_month", _("per user per month")
    FIXED = "fixed", _("fixed price")


class VatTreatment(models.TextChoices):
    EXCLUSIVE = "exclusive", _("Excluding VAT (VAT added at 20%)")
    INCLUSIVE = "inclusive", _("Including VAT at 20%")
    EXEMPT = "exempt", _("Exempt from VAT or outside its scope")


# The unit a price is compared in: time-based prices become day rates, the rest keep theirs.
COMPARABLE_UNIT = {
    PriceUnit.PER_HOUR: PriceUnit.PER_DAY,
    PriceUnit.PER_DAY: PriceUnit.PER_DAY,
    PriceUnit.PER_UNIT: PriceUnit.PER_UNIT,
    PriceUnit.PER_MONTH: PriceUnit.PER_MONTH,
    PriceUnit.PER_USER_PER_MONTH: PriceUnit.PER_USER_PER_MONTH,
    PriceUnit.FIXED: PriceUnit.FIXED,
}


class PriceError(ValueError):
    """A price that cannot be read; the message says what to type instead."""


_PRICE_TEXT = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_price(value, *, label: str | None = None) -> Decimal:
    """Read an amount typed by a person or found in a spreadsheet cell, in pounds.

    `label` names the amount in messages ("minimum contract value"); by default "price".
    Every message about something entered quotes it.
    """
    label = label or gettext("price")

    def refuse(message: str) -> PriceError:
        return PriceError(you_entered(message % {"label": label}, value))

    unreadable = gettext("Enter the %(label)s in pounds and pence, like 450 or 1,250.50")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | float):
        amount = Decimal(str(value))
    else:
        text = str(value or "").strip()
        if not text:
            raise PriceError(gettext("Enter a %(label)s") % {"label": label})
        if text.startswith(("-", "£-")):
            raise refuse(gettext("The %(label)s must be £0 or more"))
        if not _PRICE_TEXT.match(text):
            raise refuse(unreadable)
        try:
            amount = Decimal(text.lstrip("£").strip().replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
            raise refuse(unreadable) from None
    if not amount.is_finite():
        raise refuse(unreadable)
    if amount < 0:
        raise refuse(gettext("The %(label)s must be £0 or more"))
    # The maximum first: quantising a number longer than the decimal context raises.
    if amount > MAXIMUM_PRICE:
        raise refuse(gettext("The %(label)s must be £100,000,000 or less"))
    if amount != amount.quantize(PENNY, rounding=ROUND_HALF_UP):
        raise refuse(gettext("Enter the %(label)s to the nearest penny"))
    return amount.quantize(PENNY)


@dataclass(frozen=True)
class ComparablePrice:
    amount: Decimal
    unit: PriceUnit
    basis: str

    def __str__(self) -> str:
        return f"£{self.amount:,.2f} {self.unit.label}"


def comparable_price(*, price: Decimal, unit: str, vat: str) -> ComparablePrice:
    """The price excluding VAT, with hourly rates turned into day rates, and how it was got."""
    unit = PriceUnit(unit)
    steps = []
    amount = price
    if VatTreatment(vat) == VatTreatment.INCLUSIVE:
        amount = amount / (1 + STANDARD_VAT_RATE)
        steps.append(str(_("VAT at 20% taken off")))
    if unit == PriceUnit.PER_HOUR:
        amount = amount * HOURS_PER_DAY
        steps.append(str(_("hourly rate × 7.5 hours a day")))
    basis = "; ".join(steps) if steps else str(_("as stated, excluding VAT"))
    return ComparablePrice(
        amount=amount.quantize(PENNY, rounding=ROUND_HALF_UP),
        unit=COMPARABLE_UNIT[unit],
        basis=basis,
    )
