"""Updating existing offerings from a spreadsheet by their references."""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.models import Revision

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from suppliers import services
from suppliers.bulk.imports import create_in_bulk
from suppliers.models import Offering, new_offering_reference
from tests.factories import offering, offering_data

from .test_bulk_import import (  # noqa: F401 - fixtures
    HEADINGS,
    appointed,
    confirm_url,
    csv_bytes,
    portal,
    preview,
    problems_of,
    row,
)

REFERENCE = re.compile(r"^OF-[0-9A-HJKMNP-TV-Z]{6}$")


def export_of(client, lot) -> bytes:
    return client.get(reverse("suppliers:suppliers_bulk:export-lot", args=[lot.pk, "csv"])).content


def revision_and_event_counts() -> tuple[int, int]:
    return Revision.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def live(supplier, supplier_user, lot, appointed):  # noqa: F811
    return offering(supplier=supplier, lot=lot, actor=supplier_user, status="live")


@pytest.fixture
def draft(supplier, supplier_user, lot, appointed):  # noqa: F811
    return offering(supplier=supplier, lot=lot, actor=supplier_user, title="Data hosting")


# --- References -------------------------------------------------------------------------------


def test_every_offering_gets_its_own_readable_reference(live, draft):
    assert REFERENCE.match(live.reference)
    assert REFERENCE.match(draft.reference)
    assert live.reference != draft.reference
    assert REFERENCE.match(new_offering_reference())


def test_offerings_created_in_bulk_get_references(supplier, lot):
    content = {**offering_data(), "regions_served": ["TLC"], "lead_time_days": 5}
    content.update(
        price=Decimal("10.00"),
        minimum_contract_value=None,
        attributes={"max_users": "5", "hosted_in_uk": True},
    )
    made = create_in_bulk(
        [
            Offering(supplier=supplier, lot=lot, live=False, **{**content, "title": f"T{n}"})
            for n in range(3)
        ]
    )
    references = set(Offering.objects.values_list("reference", flat=True))
    assert references == {each.reference for each in made}
    assert len(references) == 3
    assert all(REFERENCE.match(reference) for reference in references)


def test_a_revision_keeps_the_offerings_reference(live, supplier, supplier_user):
    services.edit_offering(
        actor=supplier_user, supplier=supplier, offering=live, data=offering_data(price="20")
    )
    live.refresh_from_db()
    assert live.get_latest_revision_as_object().reference == live.reference


def test_the_reference_is_shown_on_the_portal_and_public_offering_pages(portal, client, live):  # noqa: F811
    page = portal.get(reverse("suppliers:offering-detail", args=[live.pk])).content.decode()
    assert live.reference in page
    client.logout()
    public = client.get(reverse("suppliers:offering", args=[live.pk])).content.decode()
    assert (
        f'<dd class="govuk-summary-list__value govuk-!-text-break-word">{live.reference}</dd>'
        in (public)
    )


# --- Importing the export back ----------------------------------------------------------------


def test_an_exported_file_imported_back_changes_nothing(portal, lot, live, draft):  # noqa: F811
    before = revision_and_event_counts()

    response = preview(portal, lot, export_of(portal, lot))

    assert problems_of(response) == []
    assert response.context["counts"] == "0 new, 0 changed, 2 unchanged"
    page = response.content.decode()
    assert "Every row matches its offering already: there is nothing to import." in page
    assert confirm_url(response) not in page
    response = portal.post(confirm_url(response))
    assert response.status_code == 302
    assert revision_and_event_counts() == before
    live.refresh_from_db()
    assert (live.awaiting_review, live.has_unpublished_changes) == (False, False)


def test_a_changed_live_offering_becomes_a_revision_awaiting_review(
    portal,  # noqa: F811
    lot,
    live,
    supplier_user,
):
    content = csv_bytes([row(reference=live.reference, price="99")])
    response = preview(portal, lot, content)
    assert response.context["counts"] == "0 new, 1 changed, 0 unchanged"
    assert [(r["change"], r["reference"]) for r in response.context["rows"]] == [
        ("Changed", live.reference)
    ]

    portal.post(confirm_url(response))

    live.refresh_from_db()
    assert (live.status, live.live, live.price) == ("live", True, Decimal("12.50"))
    assert live.awaiting_review is True
    assert live.submitted_revision.content["price"] == "99.00"
    assert live.submitted_revision.user == supplier_user
    assert Offering.objects.count() == 1
    kinds = list(AuditEvent.objects.order_by("-pk").values_list("kind", flat=True)[:3])
    assert kinds == [
        AuditKind.OFFERINGS_IMPORTED,
        AuditKind.OFFERING_SUBMITTED,
        AuditKind.OFFERING_EDITED,
    ]
    imported = AuditEvent.objects.get(kind=AuditKind.OFFERINGS_IMPORTED)
    assert (imported.data["count"], imported.data["changed"]) == (0, [live.pk])


def test_a_changed_draft_stays_a_draft_and_keeps_its_document(portal, lot, draft):  # noqa: F811
    content = csv_bytes([row(reference=draft.reference, title="Data hosting", lead_time_days="3")])
    response = preview(portal, lot, content)
    portal.post(confirm_url(response))

    draft.refresh_from_db()
    assert (draft.status, draft.lead_time_days, draft.awaiting_review) == ("draft", 3, False)
    assert draft.revisions.count() == 2


def test_preview_counts_new_changed_and_unchanged_rows_exactly(portal, lot, live, draft):  # noqa: F811
    unchanged = row(reference=draft.reference.lower(), title="Data hosting", standards="")
    content = csv_bytes(
        [
            row(title="First new"),
            row(reference=live.reference, summary="A new summary for buyers."),
            unchanged,
            row(title="Second new"),
        ]
    )
    response = preview(portal, lot, content)

    assert problems_of(response) == []
    assert response.context["counts"] == "2 new, 1 changed, 1 unchanged"
    page = response.content.decode()
    assert '<p class="govuk-body-l" id="import-counts">2 new, 1 changed, 1 unchanged</p>' in page
    assert "Import 3 offerings</button>" in page
    # The button follows the rows it imports.
    assert page.index("Offerings to import") < page.index("Import 3 offerings</button>")

    portal.post(confirm_url(response))
    assert Offering.objects.count() == 4
    draft.refresh_from_db()
    assert draft.revisions.count() == 1


def test_another_suppliers_or_an_unknown_reference_is_refused_with_its_row(
    portal,  # noqa: F811
    lot,
    other_supplier,
):
    theirs = offering(supplier=other_supplier, lot=lot)
    content = csv_bytes(
        [
            row(title="Fine"),
            row(reference=theirs.reference, title="Theirs"),
            row(reference="OF-ZZZZZZ", title="Unknown"),
        ]
    )
    response = preview(portal, lot, content)

    assert problems_of(response) == [
        (
            3,
            "reference",
            f"You have no offering on this lot with the reference “{theirs.reference}”",
        ),
        (4, "reference", "You have no offering on this lot with the reference “OF-ZZZZZZ”"),
    ]
    theirs.refresh_from_db()
    assert theirs.revisions.count() == 1


def test_a_row_for_an_offering_awaiting_review_is_refused_with_the_reason(
    portal,  # noqa: F811
    lot,
    supplier,
    supplier_user,
    live,
):
    edited = services.edit_offering(
        actor=supplier_user, supplier=supplier, offering=live, data=offering_data(price="20")
    )
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=edited)
    submitted = offering(supplier=supplier, lot=lot, actor=supplier_user, status="submitted",
                         title="Submitted one")  # fmt: skip
    content = csv_bytes(
        [
            row(reference=live.reference, price="30"),
            row(reference=submitted.reference, title="Submitted one", price="30"),
        ]
    )
    response = preview(portal, lot, content)

    waiting = "has changes waiting for review: change it again after the reviewer's decision"
    assert problems_of(response) == [
        (2, "reference", f"{live.reference} {waiting}"),
        (3, "reference", f"{submitted.reference} {waiting}"),
    ]


def test_a_withdrawn_offering_and_a_repeated_reference_are_refused(
    portal,  # noqa: F811
    lot,
    supplier,
    supplier_user,
    live,
    draft,
):
    services.withdraw_offering(actor=supplier_user, supplier=supplier, offering=draft)
    content = csv_bytes(
        [
            row(reference=draft.reference, title="Data hosting"),
            row(reference=live.reference, price="40"),
            row(reference=live.reference, title="Renamed", price="41"),
        ]
    )
    response = preview(portal, lot, content)

    assert problems_of(response) == [
        (2, "reference", f"{draft.reference} is withdrawn: it cannot be changed"),
        (4, "reference", "Row 3 has the same reference: each offering can be changed once a file"),
    ]


def test_a_file_without_the_reference_column_creates_drafts(portal, lot):  # noqa: F811
    headings = [heading for heading in HEADINGS if heading != "reference"]
    response = preview(portal, lot, csv_bytes([row()], headings=headings))
    assert response.context["counts"] == "1 new, 0 changed, 0 unchanged"


def test_preview_queries_do_not_grow_with_referenced_rows(
    portal,  # noqa: F811
    lot,
    supplier,
    supplier_user,
    django_assert_max_num_queries,
):
    made = [
        offering(supplier=supplier, lot=lot, actor=supplier_user, title=f"Offering {n}")
        for n in range(1, 11)
    ]
    few = csv_bytes(
        [row(reference=each.reference, title=each.title, standards="") for each in made[:2]]
    )
    many = csv_bytes(
        [row(reference=each.reference, title=each.title, standards="") for each in made]
    )
    small = portal.post(
        reverse("suppliers:suppliers_bulk:upload", args=[lot.pk]),
        {"file": SimpleUploadedFile("offerings.csv", few)},
    )
    large = portal.post(
        reverse("suppliers:suppliers_bulk:upload", args=[lot.pk]),
        {"file": SimpleUploadedFile("offerings.csv", many)},
    )
    with django_assert_max_num_queries(30) as small_queries:
        portal.get(small["Location"])
    with django_assert_max_num_queries(len(small_queries)):
        response = portal.get(large["Location"])
    assert response.context["counts"] == "0 new, 0 changed, 10 unchanged"


def test_a_change_refused_at_confirm_undoes_the_whole_import_and_names_the_row(
    portal,  # noqa: F811
    lot,
    live,
    monkeypatch,
):
    content = csv_bytes([row(title="New one"), row(reference=live.reference, price="99")])
    response = preview(portal, lot, content)

    def refuse(**kwargs):
        raise DomainError("Lot 1: Software is closed: no new offerings can be listed on it")

    monkeypatch.setattr(services, "submit_offering", refuse)
    response = portal.post(confirm_url(response))

    assert problems_of(response) == [
        (3, "reference", "Lot 1: Software is closed: no new offerings can be listed on it")
    ]
    assert Offering.objects.count() == 1
    live.refresh_from_db()
    assert (live.revisions.count(), live.awaiting_review) == (1, False)
