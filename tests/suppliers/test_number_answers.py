"""Number answers: bounded, parsed without Decimal arithmetic on hostile text, stored as numbers."""

import importlib
import json

from django.apps import apps
from django.urls import reverse

import pytest

from marketplace.audit.models import AuditEvent
from suppliers import services
from suppliers.models import Offering
from tests.factories import AppointmentFactory, framework_page, offering

from .test_bulk_export import read_csv
from .test_bulk_import import confirm_url, csv_bytes, preview, problems_of, row
from .test_portal_views import form_data

RANGE_MESSAGE = "Enter a number between 0 and 1,000,000,000 for Maximum users"
FORMAT_MESSAGE = "Enter Maximum users as a number, like 250 or 12.5"
HOSTILE = ["1e999999", "1e1000000", "NaN", "Infinity", "9" * 1_000_000]


@pytest.fixture
def appointed(supplier, lot):
    return AppointmentFactory(supplier=supplier, lot=lot)


@pytest.fixture
def portal(client, supplier_user, appointed):
    client.force_login(supplier_user)
    return client


def _nothing_huge_stored():
    """No offering, revision or audit event holds anything near a huge answer."""
    for event in AuditEvent.objects.all():
        assert len(json.dumps(event.data)) < 10_000
    for each in Offering.objects.all():
        assert len(json.dumps(each.attributes)) < 10_000
        for revision in each.revisions.all():
            assert len(json.dumps(revision.content)) < 10_000


@pytest.mark.parametrize("answer", HOSTILE, ids=lambda answer: answer[:12])
def test_hostile_number_in_the_portal_form_is_refused_and_nothing_is_stored(portal, lot, answer):
    events = AuditEvent.objects.count()

    response = portal.post(
        reverse("suppliers:offering-create", args=[lot.pk]),
        form_data(attribute_max_users=answer),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["attribute_max_users"] == [
        f"{FORMAT_MESSAGE} (you entered “{answer[:40]}{'…' if len(answer) > 40 else ''}”)"
    ]
    assert Offering.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("answer", ["1e999999", "1e1000000"])
def test_hostile_number_editing_a_live_offering_stores_nothing(portal, live_offering, answer):
    events = AuditEvent.objects.count()
    revisions = live_offering.revisions.count()

    response = portal.post(
        reverse("suppliers:offering-edit", args=[live_offering.pk]),
        form_data(attribute_max_users=answer),
    )

    assert response.status_code == 200
    assert "attribute_max_users" in response.context["form"].errors
    assert (AuditEvent.objects.count(), live_offering.revisions.count()) == (events, revisions)
    _nothing_huge_stored()


@pytest.mark.parametrize("answer", ["1e999999", "1e1000000"])
def test_hostile_number_in_an_import_is_a_problem_on_its_row(portal, lot, answer):
    response = preview(portal, lot, csv_bytes([row(), row(title="Huge", max_users=answer)]))

    assert problems_of(response) == [(3, "max_users", f"{FORMAT_MESSAGE} (you entered “{answer}”)")]
    assert portal.post(confirm_url(response)).status_code == 200
    assert Offering.objects.count() == 0
    _nothing_huge_stored()


def test_answers_outside_the_bounds_are_refused_in_an_import(portal, lot):
    response = preview(
        portal,
        lot,
        csv_bytes(
            [
                row(title="Negative", max_users="-1"),
                row(title="Too many", max_users="1,000,000,001"),
                row(title="Too precise", max_users="12.125"),
            ]
        ),
    )

    assert problems_of(response) == [
        (2, "max_users", f"{RANGE_MESSAGE} (you entered “-1”)"),
        (3, "max_users", f"{RANGE_MESSAGE} (you entered “1,000,000,001”)"),
        (
            4,
            "max_users",
            "Enter Maximum users with no more than 2 decimal places (you entered “12.125”)",
        ),
    ]


def test_number_answers_are_json_numbers_in_the_offering_revision_and_audit_event(portal, lot):
    portal.post(
        reverse("suppliers:offering-create", args=[lot.pk]),
        form_data(attribute_max_users="1,250.5 users"),
    )

    made = Offering.objects.get()
    assert made.attributes["max_users"] == 1250.5
    assert made.latest_revision.content["attributes"]["max_users"] == 1250.5
    # The audit chain writes floats as their repr text, to hash them the same on every database.
    event = AuditEvent.objects.get(kind="offering.created")
    assert event.data["attributes"]["max_users"] == "1250.5"


def test_an_approved_revision_publishes_numbers(supplier, supplier_user, reviewer, lot):
    made = offering(supplier=supplier, lot=lot, actor=supplier_user, status="live")
    made = services.edit_offering(
        actor=supplier_user,
        supplier=supplier,
        offering=made,
        data={**form_data(), "attributes": {"max_users": "750", "hosted_in_uk": "yes"}},
    )
    made = services.submit_offering(actor=supplier_user, supplier=supplier, offering=made)
    services.approve_offering(actor=reviewer, authority=lot.framework.authority, offering=made)

    assert Offering.objects.get(pk=made.pk).attributes["max_users"] == 750


def test_offerings_filter_by_a_range_of_a_number_answer(supplier, supplier_user, lot):
    """Numbers compare as numbers in the database: 1000 > 150 > 99.5, where text had "99.5" top."""
    for title, users in [("Small", "99.5"), ("Medium", "150"), ("Large", "1000")]:
        offering(
            supplier=supplier,
            lot=lot,
            actor=supplier_user,
            title=title,
            attributes={"max_users": users, "hosted_in_uk": "yes"},
        )

    def titles(**lookup):
        return sorted(Offering.objects.filter(**lookup).values_list("title", flat=True))

    assert titles(attributes__max_users__gte=100) == ["Large", "Medium"]
    assert titles(attributes__max_users__lt=150) == ["Small"]
    assert titles(attributes__max_users__gt=99, attributes__max_users__lte=999.5) == [
        "Medium",
        "Small",
    ]
    assert titles(attributes__max_users=150) == ["Medium"]


def test_a_percentage_question_is_bounded_0_to_100(portal, supplier, db):
    schema = [
        (
            "number",
            {"key": "availability", "label": "Availability", "percentage": True, "required": True},
        )
    ]
    lot = framework_page(
        lots=[{"number": 1, "title": "Hosting", "attribute_schema": schema}]
    ).lots.get()
    AppointmentFactory(supplier=supplier, lot=lot)
    create = reverse("suppliers:offering-create", args=[lot.pk])

    response = portal.post(create, {**form_data(), "attribute_availability": "100.5"})
    assert response.context["form"].errors["attribute_availability"] == [
        "Enter a number between 0 and 100 for Availability (you entered “100.5”)"
    ]

    portal.post(create, {**form_data(), "attribute_availability": "99.95"})
    made = Offering.objects.get()
    assert made.attributes == {"availability": 99.95}
    assert made.answers() == [("Availability", "99.95%")]


# --- Migrating answers stored as text ------------------------------------------------------

migration = importlib.import_module("suppliers.migrations.0006_number_answers")


def test_migration_turns_text_answers_into_numbers_and_counts_what_does_not_fit(
    supplier, supplier_user, lot, capsys
):
    fits = offering(supplier=supplier, lot=lot, actor=supplier_user, title="Fits")
    huge = offering(supplier=supplier, lot=lot, actor=supplier_user, title="Huge")
    legacy = {"max_users": "1500", "hosted_in_uk": True, "onboarding": "12"}
    Offering.objects.filter(pk=fits.pk).update(attributes=legacy)
    Offering.objects.filter(pk=huge.pk).update(attributes={"max_users": "1" + "0" * 20})
    revision = fits.latest_revision
    revision.content = {**revision.content, "attributes": {"max_users": "12.50"}}
    revision.save(update_fields=["content"])

    counts = migration.answers_as_numbers(apps)

    fits.refresh_from_db()
    revision.refresh_from_db()
    # Text answers stay text; only number questions are converted.
    assert fits.attributes == {"max_users": 1500, "hosted_in_uk": True, "onboarding": "12"}
    assert revision.content["attributes"] == {"max_users": 12.5}
    assert Offering.objects.get(pk=huge.pk).attributes == {"max_users": "1" + "0" * 20}
    assert counts["converted"] == 2  # fits and its revision; huge's revision was made a number
    assert counts["left"] == [f"{huge.reference} max_users"]
    assert capsys.readouterr().out == (
        "\n  Number answers: 2 converted to numbers; 1 left as text because they do not fit "
        f"their question's bounds: {huge.reference} max_users\n"
    )


def test_migration_leaves_numbers_alone_and_says_nothing(supplier, supplier_user, lot, capsys):
    offering(supplier=supplier, lot=lot, actor=supplier_user)

    assert migration.answers_as_numbers(apps) == {"converted": 0, "left": []}
    assert capsys.readouterr().out == ""


# --- Shown and exported with their decimal places -------------------------------------------


def test_numbers_show_with_unit_and_decimal_places_and_export_back_to_an_import(
    portal, supplier, supplier_user, lot
):
    made = offering(
        supplier=supplier,
        lot=lot,
        actor=supplier_user,
        status="live",
        attributes={"max_users": "1250.5", "hosted_in_uk": "yes"},
    )
    page = portal.get(reverse("suppliers:offering", args=[made.pk])).content.decode()
    assert "1,250.50 users" in page

    exported = portal.get(reverse("suppliers:suppliers_bulk:export-lot", args=[lot.pk, "csv"]))
    table = read_csv(exported.content)
    assert table[1][table[0].index("max_users")] == "1250.50"

    # The exported file, as it is, imports with no problem and the same answer.
    response = preview(portal, lot, exported.content)
    assert problems_of(response) == []
    portal.post(confirm_url(response))
    assert Offering.objects.get(pk=made.pk).attributes["max_users"] == 1250.5
