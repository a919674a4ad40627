import pytest

from frameworks.attributes import AttributeSpec
from suppliers.attributes import (
    AttributeErrors,
    clean_attributes,
    display_value,
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
    ) == {"users": "1500", "uk": True, "tier": "Gold", "kinds": ["A", "C"], "notes": "Hi"}


def test_typed_answers_from_a_form_are_accepted():
    assert clean_attributes(SPECS, {"users": 20, "uk": False, "kinds": ["B"]}) == {
        "users": "20",
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
        "users": "Users must be a number of users (you entered “many”)",
        "uk": "Answer “UK hosted”",
        "tier": "Tier must be one of: Bronze, Gold (you entered “Platinum”)",
        "kinds": "Kinds must be any of: A, B, C (you entered “Z”)",
        "notes": "Notes must be 500 characters or fewer (you entered 501)",
    }


def test_answers_read_back_for_people_and_spreadsheets():
    users, uk, _tier, kinds, _notes = SPECS
    assert display_value(users, "20") == "20 users"
    assert display_value(uk, True) == "Yes"
    assert display_value(kinds, ["A", "C"]) == "A, C"
    assert spreadsheet_value(uk, False) == "no"
    assert spreadsheet_value(kinds, ["A", "C"]) == "A; C"
    assert clean_attributes(SPECS, {"users": "20", "uk": "no", "kinds": "A; C"})["kinds"] == [
        "A",
        "C",
    ]
