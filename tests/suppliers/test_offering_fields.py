"""The offering's fields are declared once (Offering.SUPPLIER_FIELDS) and its text limits come
from the model: the portal form, the import template, the export and the validator agree."""

import pytest

from suppliers.bulk import exports
from suppliers.bulk.imports import columns_for
from suppliers.forms import OfferingForm, SupplierProfileForm
from suppliers.models import Offering
from suppliers.validation import OfferingInvalid, clean_offering
from tests.factories import offering_data

SUPPLIER_FIELDS = [
    "title",
    "summary",
    "description",
    "price",
    "price_unit",
    "vat_treatment",
    "minimum_contract_value",
    "regions_served",
    "lead_time_days",
]
QUESTIONS = ["max_users", "hosted_in_uk", "support_hours", "standards", "onboarding"]


def test_offering_declares_the_fields_a_supplier_fills_in():
    assert list(Offering.SUPPLIER_FIELDS) == SUPPLIER_FIELDS


def test_text_limits_are_the_models():
    assert Offering.text_limits() == {"title": 150, "summary": 300, "description": 10_000}
    assert Offering._meta.get_field("title").max_length == 150
    assert Offering._meta.get_field("summary").max_length == 300


def test_portal_form_shows_the_fields_with_the_lots_questions_after_the_description(supplier, lot):
    form = OfferingForm(supplier=supplier, lot=lot)

    assert list(form.fields) == [
        *SUPPLIER_FIELDS[:3],
        *(f"attribute_{key}" for key in QUESTIONS),
        *SUPPLIER_FIELDS[3:],
        "service_definition",
    ]


def test_import_template_has_the_fields_then_the_lots_questions(lot):
    columns = columns_for(lot)

    assert [column.name for column in columns] == ["reference", *SUPPLIER_FIELDS, *QUESTIONS]
    assert [column.label for column in columns[1:10]] == [
        "Title",
        "Summary",
        "Description",
        "Price (£)",
        "Price unit",
        "VAT",
        "Minimum contract value (£)",
        "Regions served",
        "Lead time (days)",
    ]
    assert [column.name for column in columns if not column.required] == [
        "reference",
        "minimum_contract_value",
        "support_hours",
        "standards",
        "onboarding",
    ]


def test_import_guidance_gives_the_models_text_limits(lot):
    guidance = {column.name: column.guidance for column in columns_for(lot)}

    assert guidance["title"] == (
        "Up to 150 characters, different from your other offerings on this lot."
    )
    assert guidance["summary"] == "One or two sentences, up to 300 characters."
    assert guidance["description"] == (
        "What is included and how it is delivered, up to 10,000 characters."
    )


def test_export_has_the_import_columns_then_status(draft, lot):
    sheet = exports.offerings_sheet([draft], lot=lot)

    assert sheet.headings == ["reference", *SUPPLIER_FIELDS, *QUESTIONS, "status"]


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("title", 151, "Title must be 150 characters or fewer (you entered 151)"),
        ("summary", 301, "Summary must be 300 characters or fewer (you entered 301)"),
        (
            "description",
            10_001,
            "Description must be 10,000 characters or fewer (you entered 10,001)",
        ),
    ],
)
def test_text_longer_than_the_models_limit_is_refused(supplier, lot, field, length, message):
    with pytest.raises(OfferingInvalid) as invalid:
        clean_offering(supplier=supplier, lot=lot, data=offering_data(**{field: "x" * length}))

    assert invalid.value.errors == {field: message}


def test_text_at_the_models_limit_is_taken(supplier, lot):
    data = offering_data(title="x" * 150, summary="y" * 300, description="z" * 10_000)

    cleaned = clean_offering(supplier=supplier, lot=lot, data=data)

    assert (len(cleaned["title"]), len(cleaned["summary"]), len(cleaned["description"])) == (
        150,
        300,
        10_000,
    )


def test_blank_text_is_asked_for_by_the_fields_name(supplier, lot):
    with pytest.raises(OfferingInvalid) as invalid:
        clean_offering(supplier=supplier, lot=lot, data=offering_data(summary=" "))

    assert invalid.value.errors == {"summary": "Enter a summary"}


def test_profile_contact_name_limit_is_the_models(supplier):
    form = SupplierProfileForm(
        {"contact_name": "x" * 101, "contact_email": "bids@example.com", "headcount": "5"},
        organisation=supplier,
    )

    assert form.errors["contact_name"] == ["The contact name must be 100 characters or fewer"]
