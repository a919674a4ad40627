from decimal import Decimal

import pytest

from suppliers.pricing import PriceError, comparable_price, parse_price


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("450", Decimal("450.00")),
        ("£1,250.50", Decimal("1250.50")),
        ("£ 12.5", Decimal("12.50")),
        ("0", Decimal("0.00")),
        (Decimal("99.99"), Decimal("99.99")),
        (7, Decimal("7.00")),
    ],
)
def test_prices_are_read_in_pounds_and_pence(text, amount):
    assert parse_price(text) == amount


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("£1,2x", "Enter a price in pounds and pence, like 450 or 1,250.50"),
        ("1,25", "Enter a price in pounds and pence, like 450 or 1,250.50"),
        ("-1", "The price must be £0 or more"),
        ("£-1", "The price must be £0 or more"),
        (Decimal("-0.01"), "The price must be £0 or more"),
        ("100000001", "The price must be £100,000,000 or less"),
        (Decimal("1.005"), "Enter the price to the nearest penny"),
        (Decimal("NaN"), "Enter a price in pounds and pence, like 450 or 1,250.50"),
        ("  ", "Enter a price"),
    ],
)
def test_unreadable_prices_say_what_to_type(text, message):
    with pytest.raises(PriceError, match=f"^{message}$"):
        parse_price(text)


def test_hourly_rate_including_vat_becomes_a_day_rate_excluding_vat():
    comparable = comparable_price(price=Decimal("60.00"), unit="hour", vat="inclusive")
    assert (comparable.amount, comparable.unit) == (Decimal("375.00"), "day")
    assert comparable.basis == "VAT at 20% taken off; hourly rate × 7.5 hours a day"
    assert str(comparable) == "£375.00 per day"


@pytest.mark.parametrize(
    ("unit", "vat", "amount", "basis"),
    [
        ("day", "exclusive", Decimal("450.00"), "as stated, excluding VAT"),
        ("user_month", "exempt", Decimal("450.00"), "as stated, excluding VAT"),
        ("fixed", "inclusive", Decimal("375.00"), "VAT at 20% taken off"),
    ],
)
def test_other_units_keep_their_unit(unit, vat, amount, basis):
    comparable = comparable_price(price=Decimal("450.00"), unit=unit, vat=vat)
    assert (comparable.amount, comparable.unit, comparable.basis) == (amount, unit, basis)
