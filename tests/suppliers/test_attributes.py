from decimal import Decimal

import pytest

from frameworks.attributes import AttributeSpec
from suppliers.attributes import (
    AttributeErrors,
    clean_attributes,
    clean_number,
    display_value,
    number_guidance,
    spreadsheet_value,
)

SPECS = [
    AttributeSpec(key="users", label="Users", kind="number", required=True, unit="users"),
    AttributeSpec(key="uk", label="UK hosted", kind="yes_no", required=True),
    AttributeSpec(key="tier", label="Tier", kind="one_of", options=("Bronze", "Gold")),
    AttributeSpec(key="kinds", label="Kinds", kind="many_of", options=("A", "B", "C")),
    AttributeSpec(key="notes", label="Notes", kind="text"),
]


def test_text_answers_from_a_spreadsheet_become_typed_values():
    assert clean_attributes(
        SPECS,
        {"users": "1,500 users", "uk": "Y", "tier": "gold", "kinds": "c; a", "notes": " Hi "},
    ) == {"users": 1500, "uk": True, "tier": "Gold", "kinds": ["A", "C"], "notes": "Hi"}


def test_typed_answers_from_a_form_are_accepted():
    assert clean_attributes(SPECS, {"users": 20, "uk": False, "kinds": ["B"]}) == {
        "users": 20,
        "uk": False,
        "kinds": ["B"],
    }


def test_every_problem_is_reported_with_its_attribute():
    with pytest.raises(AttributeErrors) as caught:
        clean_attributes(
            SPECS,
            {"users": "many", "tier": "Platinum", "kinds": "A;Z", "notes": "x" * 501, "extra": 1},
        )
    assert caught.value.errors == {
        "extra": "extra is not a question on this lot",
        "users": "Enter Users as a number, like 250 or 12.5 (you entered “many”)",
        "uk": "Answer “UK hosted”",
        "tier": "Tier must be one of: Bronze, Gold (you entered “Platinum”)",
        "kinds": "Kinds must be any of: A, B, C (you entered “Z”)",
        "notes": "Notes must be 500 characters or fewer (you entered 501)",
    }


def test_answers_read_back_for_people_and_spreadsheets():
    users, uk, _tier, kinds, _notes = SPECS
    assert display_value(users, 20) == "20 users"
    assert display_value(uk, True) == "Yes"
    assert display_value(kinds, ["A", "C"]) == "A, C"
    assert spreadsheet_value(uk, False) == "no"
    assert spreadsheet_value(kinds, ["A", "C"]) == "A; C"
    assert clean_attributes(SPECS, {"users": "20", "uk": "no", "kinds": "A; C"})["kinds"] == [
        "A",
        "C",
    ]


# --- Numbers ---------------------------------------------------------------------------------

CAPACITY = AttributeSpec(key="capacity", label="Capacity", kind="number", unit="people")
WHOLE = AttributeSpec(
    key="crews",
    label="Crews",
    kind="number",
    minimum=Decimal(1),
    maximum=Decimal(50),
    decimal_places=0,
)
AVAILABILITY = AttributeSpec(
    key="availability",
    label="Availability",
    kind="number",
    unit="%",
    maximum=Decimal(100),
    percentage=True,
)


@pytest.mark.parametrize(
    ("answer", "number"),
    [
        ("250", 250),
        ("12.5", 12.5),
        ("12.50", 12.5),
        ("1,250.75 people", 1250.75),
        (".5", 0.5),
        ("+3", 3),
        ("-0", 0),  # zero, however it is written
        ("1000000000", 1_000_000_000),
        (42, 42),
        (12.25, 12.25),
        (Decimal("7.10"), 7.1),
    ],
)
def test_numbers_are_stored_as_json_numbers(answer, number):
    cleaned = clean_number(CAPACITY, answer)
    assert cleaned == number
    assert type(cleaned) is type(number)


@pytest.mark.parametrize(
    "answer",
    [
        "1e5",
        "1E5",
        "1e999999",
        "1e1000000",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "0x10",
        "1,5",
        "12.",
        "1 000",
        "--1",
        "",
        "people",
        "٣",
        True,
        1e20,
        float("nan"),
        "9" * 61,
    ],
)
def test_anything_but_a_plain_decimal_is_refused_before_decimal_arithmetic(answer):
    with pytest.raises(ValueError, match=r"^Enter Capacity as a number, like 250 or 12\.5"):
        clean_number(CAPACITY, answer)


@pytest.mark.parametrize(
    ("spec", "answer", "message"),
    [
        (CAPACITY, "-1", "Enter a number between 0 and 1,000,000,000 for Capacity"),
        (CAPACITY, "1000000000.01", "Enter a number between 0 and 1,000,000,000 for Capacity"),
        (CAPACITY, "12.345", "Enter Capacity with no more than 2 decimal places"),
        (WHOLE, "0", "Enter a number between 1 and 50 for Crews"),
        (WHOLE, "2.5", "Enter Crews as a whole number"),
        (WHOLE, "2.0", None),
        (AVAILABILITY, "100.01", "Enter a number between 0 and 100 for Availability"),
        (AVAILABILITY, "99.99%", None),
    ],
)
def test_numbers_are_held_to_their_bounds(spec, answer, message):
    if message is None:
        clean_number(spec, answer)
        return
    with pytest.raises(ValueError) as caught:
        clean_number(spec, answer)
    assert str(caught.value) == f"{message} (you entered “{answer}”)"


def test_a_huge_entry_is_quoted_short():
    with pytest.raises(ValueError) as caught:
        clean_number(CAPACITY, "9" * 1_000_000)
    assert str(caught.value) == (
        f"Enter Capacity as a number, like 250 or 12.5 (you entered “{'9' * 40}…”)"
    )


def test_numbers_read_with_their_unit_and_decimal_places():
    assert display_value(CAPACITY, 1250.5) == "1,250.50 people"
    assert display_value(CAPACITY, 1250) == "1,250 people"
    assert display_value(AVAILABILITY, 99.9) == "99.90%"
    assert display_value(WHOLE, 3) == "3"
    # An answer with more places than the question now allows is shown in full, not rounded.
    assert display_value(WHOLE, 2.75) == "2.75"
    # Left as text by the migration because it did not fit: shown as it was.
    assert display_value(CAPACITY, "abc") == "abc people"


@pytest.mark.parametrize("number", [0, 7, 0.01, 12.5, 1250.75, 999_999_999.99])
def test_spreadsheet_numbers_read_back_the_same(number):
    written = spreadsheet_value(CAPACITY, number)
    assert "," not in written
    assert clean_number(CAPACITY, written) == number


def test_number_guidance_states_the_bounds():
    assert number_guidance(CAPACITY) == (
        "A number from 0 to 1,000,000,000, with up to 2 decimal places. In people."
    )
    assert number_guidance(WHOLE) == "A whole number from 1 to 50."
    assert number_guidance(AVAILABILITY) == ("A number from 0 to 100, with up to 2 decimal places.")


DAY_RATE = AttributeSpec(key="rate", label="Audit day rate", kind="number", unit="£ per day")
POUNDS = AttributeSpec(key="fee", label="Fee", kind="number", unit="£", decimal_places=2)


def test_money_reads_with_the_pound_sign_before_the_number():
    assert display_value(DAY_RATE, 864) == "£864 per day"
    assert display_value(DAY_RATE, 1250) == "£1,250 per day"
    assert display_value(POUNDS, 12.5) == "£12.50"
    assert display_value(POUNDS, -12.5) == "-£12.50"
    # Other units still follow the number.
    assert display_value(CAPACITY, 1250) == "1,250 people"
    # Text left by the migration is shown as it was, unit after.
    assert display_value(DAY_RATE, "about 800") == "about 800 £ per day"
