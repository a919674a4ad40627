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
        (
            "£1,2x",
            "Enter the price in pounds and pence, like 450 or 1,250.50 (you entered “£1,2x”)",
        ),
        ("1,25", "Enter the price in pounds and pence, like 450 or 1,250.50 (you entered “1,25”)"),
        ("-1", "The price must be £0 or more (you entered “-1”)"),
        ("£-1", "The price must be £0 or more (you entered “£-1”)"),
        (Decimal("-0.01"), "The price must be £0 or more (you entered “-0.01”)"),
        ("100000001", "The price must be £100,000,000 or less (you entered “100000001”)"),
        (Decimal("1.005"), "Enter the price to the nearest penny (you entered “1.005”)"),
        (
            Decimal("NaN"),
            "Enter the price in pounds and pence, like 450 or 1,250.50 (you entered “NaN”)",
        ),
        ("  ", "Enter a price"),
    ],
)
def test_unreadable_prices_say_what_to_type_and_quote_it(text, message):
    with pytest.raises(PriceError) as caught:
        parse_price(text)
    assert str(caught.value) == message


def test_price_errors_name_the_amount_they_are_about():
    with pytest.raises(PriceError) as caught:
        parse_price("-1", label="minimum contract value")
    assert str(caught.value) == "The minimum contract value must be £0 or more (you entered “-1”)"


def test_a_long_entry_is_quoted_shortened():
    with pytest.raises(PriceError) as caught:
        parse_price("x" * 100)
    assert str(caught.value) == (
        "Enter the price in pounds and pence, like 450 or 1,250.50 (you entered “"
        + "x" * 40
        + "…”)"
    )


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


def test_a_number_longer_than_any_price_is_refused_not_a_crash():
    with pytest.raises(PriceError) as caught:
        parse_price("9" * 80)
    assert str(caught.value) == (
        "The price must be £100,000,000 or less (you entered “" + "9" * 40 + "…”)"
    )
