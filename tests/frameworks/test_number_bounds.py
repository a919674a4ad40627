"""A lot's number questions carry bounds, which the spec hands to forms, imports and search."""

from decimal import Decimal

from wagtail import blocks

import pytest

from frameworks.attributes import AttributeSchemaBlock, AttributeSpec, specs_from_stream

QUESTION = {"label": "Capacity", "key": "capacity", "unit": "people", "required": True}


def spec_of(raw: dict) -> AttributeSpec:
    stream = AttributeSchemaBlock().to_python([{"type": "number", "value": raw}])
    return specs_from_stream(stream)[0]


def cleaned(raw: dict) -> dict:
    block = AttributeSchemaBlock().child_blocks["number"]
    return block.clean(block.to_python(raw))


def test_a_question_saved_before_bounds_existed_reads_the_defaults():
    spec = spec_of(QUESTION)

    assert (spec.minimum, spec.maximum, spec.decimal_places, spec.percentage) == (
        Decimal(0),
        Decimal(1_000_000_000),
        2,
        False,
    )


def test_the_bounds_an_editor_sets_reach_the_spec():
    spec = spec_of({**QUESTION, "minimum": "1", "maximum": "40.5", "decimal_places": 1})

    assert (spec.minimum, spec.maximum, spec.decimal_places) == (
        Decimal(1),
        Decimal("40.5"),
        1,
    )


def test_a_percentage_is_0_to_100_in_per_cent_whatever_else_was_set():
    raw = {**QUESTION, "percentage": True, "minimum": "5", "maximum": "500"}

    spec = spec_of(raw)
    assert (spec.minimum, spec.maximum, spec.unit, spec.percentage) == (
        Decimal(0),
        Decimal(100),
        "%",
        True,
    )
    # Saving in the editor writes the fixed bounds, so the editor sees what applies.
    value = cleaned(raw)
    assert (value["minimum"], value["maximum"], value["unit"]) == (Decimal(0), Decimal(100), "%")


def test_the_largest_answer_may_not_be_below_the_smallest():
    with pytest.raises(blocks.StructBlockValidationError) as caught:
        cleaned({**QUESTION, "minimum": "10", "maximum": "5"})

    assert [error.message for error in caught.value.block_errors["maximum"].error_list] == [
        "The largest answer must not be below the smallest"
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decimal_places", 5),
        ("decimal_places", -1),
        ("maximum", "100000000000"),
        ("minimum", "-100000000000"),
        ("maximum", "1.00001"),
    ],
)
def test_bounds_are_limited_so_every_answer_stays_an_exact_json_number(field, value):
    with pytest.raises(blocks.StructBlockValidationError) as caught:
        cleaned({**QUESTION, field: value})

    assert set(caught.value.block_errors) == {field}


def test_every_bound_has_help_text_for_editors():
    block = AttributeSchemaBlock().child_blocks["number"]

    for name in ("minimum", "maximum", "decimal_places", "percentage"):
        assert block.child_blocks[name].field.help_text, name
