"""Who may download a supplier's service definition document (GET /documents/<id>/<name>)."""

from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Collection

import pytest

from frameworks.models import FrameworkDocument
from suppliers import services
from suppliers.documents import SUPPLIER_DOCUMENTS, can_download_document
from tests.factories import (
    MembershipFactory,
    UserFactory,
    framework_page,
    offering,
    offering_data,
)
from tests.helpers import sign_in_with_second_factor

Document = get_document_model()
PDF = b"%PDF-1.4 service definition"


@pytest.fixture(autouse=True)
def storages_on_disk(file_storages):
    return file_storages


def pdf(name="service.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def uploaded(supplier, actor, name="service.pdf"):
    return services.store_service_definition(actor=actor, supplier=supplier, file=pdf(name))


@pytest.fixture
def owner(supplier):
    return MembershipFactory(organisation=supplier, role="supplier_admin").user


@pytest.fixture
def visitors(supplier_user, other_supplier, reviewer):
    """One client per kind of visitor, signed in where they have an account."""
    other = MembershipFactory(organisation=other_supplier, role="supplier_admin").user
    clients = {"anonymous": Client()}
    for name, user in (
        ("another supplier", other),
        ("owning authority", reviewer),
        ("owner", supplier_user),
    ):
        clients[name] = signed_in(user)
    return clients


def signed_in(user) -> Client:
    client = Client()
    sign_in_with_second_factor(client, user)
    return client


def with_document(status, supplier, supplier_user, lot):
    document = uploaded(supplier, supplier_user)
    made = offering(
        supplier=supplier,
        lot=lot,
        actor=supplier_user,
        status="live" if status == "withdrawn" else status,
        service_definition=document,
    )
    if status == "withdrawn":
        services.withdraw_offering(actor=supplier_user, supplier=supplier, offering=made)
    return document


def statuses(visitors, document) -> dict:
    return {name: client.get(document.url).status_code for name, client in visitors.items()}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            "draft",
            {"anonymous": 404, "another supplier": 404, "owning authority": 200, "owner": 200},
        ),
        (
            "submitted",
            {"anonymous": 404, "another supplier": 404, "owning authority": 200, "owner": 200},
        ),
        (
            "live",
            {"anonymous": 200, "another supplier": 200, "owning authority": 200, "owner": 200},
        ),
        (
            "withdrawn",
            {"anonymous": 404, "another supplier": 404, "owning authority": 200, "owner": 200},
        ),
    ],
)
def test_who_may_download_a_service_definition(
    visitors, supplier, supplier_user, lot, status, expected
):
    document = with_document(status, supplier, supplier_user, lot)

    assert statuses(visitors, document) == expected


def test_the_owner_gets_the_file_itself(visitors, supplier, supplier_user, lot):
    document = with_document("draft", supplier, supplier_user, lot)

    response = visitors["owner"].get(document.url)

    assert b"".join(response.streaming_content) == PDF


def test_an_unknown_document_and_a_private_one_both_answer_not_found(
    visitors, supplier, supplier_user, lot
):
    document = with_document("draft", supplier, supplier_user, lot)
    unknown = reverse("wagtaildocs_serve", args=[document.pk + 1, "service.pdf"])

    assert visitors["anonymous"].get(unknown).status_code == 404
    assert visitors["anonymous"].get(document.url).status_code == 404


def test_a_superuser_outside_the_supplier_and_authority_is_not_found(supplier, supplier_user, lot):
    document = with_document("draft", supplier, supplier_user, lot)
    superuser = signed_in(UserFactory(is_superuser=True, is_staff=True))

    assert superuser.get(document.url).status_code == 404


def test_a_document_only_in_an_edit_awaiting_review_is_not_public(
    visitors, supplier, supplier_user, lot, live_offering
):
    replacement = uploaded(supplier, supplier_user, "new.pdf")
    services.edit_offering(
        actor=supplier_user,
        supplier=supplier,
        offering=live_offering,
        data=offering_data(service_definition=replacement),
    )
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=live_offering)

    assert statuses(visitors, replacement) == {
        "anonymous": 404,
        "another supplier": 404,
        "owning authority": 200,
        "owner": 200,
    }


def test_a_document_replaced_by_an_approved_edit_stops_being_public(
    visitors, supplier, supplier_user, lot, reviewer
):
    first = with_document("live", supplier, supplier_user, lot)
    live = supplier.offerings.get()
    replacement = uploaded(supplier, supplier_user, "new.pdf")
    services.edit_offering(
        actor=supplier_user,
        supplier=supplier,
        offering=live,
        data=offering_data(service_definition=replacement),
    )
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=live)
    services.approve_offering(actor=reviewer, authority=lot.framework.authority, offering=live)

    assert visitors["anonymous"].get(replacement.url).status_code == 200
    assert visitors["anonymous"].get(first.url).status_code == 404
    assert visitors["owner"].get(first.url).status_code == 200


def test_an_upload_no_offering_uses_is_not_found_for_anyone(visitors, supplier, supplier_user):
    # Kept when the offering form it came with was refused: nothing links to it.
    document = uploaded(supplier, supplier_user)

    assert set(statuses(visitors, document).values()) == {404}


def test_supplier_uploads_go_into_the_private_collection(supplier, supplier_user):
    first = uploaded(supplier, supplier_user)
    second = uploaded(supplier, supplier_user, "other.pdf")

    assert first.collection.name == SUPPLIER_DOCUMENTS
    assert second.collection == first.collection
    assert first.collection.get_parent() == Collection.get_first_root_node()


def test_a_framework_document_is_public_while_its_framework_page_is_live(db):
    document = Document.objects.create(
        title="Specification", file=ContentFile(PDF, name="specification.pdf")
    )
    framework_page(documents=[FrameworkDocument(document=document)])

    assert Client().get(document.url).status_code == 200


def test_other_documents_keep_wagtails_own_rules(db):
    document = Document.objects.create(title="Guide", file=ContentFile(PDF, name="guide.pdf"))

    assert can_download_document(UserFactory(), document) is True
    assert Client().get(document.url).status_code == 200


def test_existing_offering_documents_move_into_the_private_collection(supplier, supplier_user, lot):
    root = Collection.get_first_root_node()
    document = with_document("draft", supplier, supplier_user, lot)
    Document.objects.filter(pk=document.pk).update(collection=root)
    guide = Document.objects.create(title="Guide", file=ContentFile(PDF, name="guide.pdf"))
    out = StringIO()

    call_command("protect_supplier_documents", stdout=out)
    call_command("protect_supplier_documents", stdout=out)

    document.refresh_from_db()
    guide.refresh_from_db()
    assert (document.collection.name, guide.collection) == (SUPPLIER_DOCUMENTS, root)
    assert out.getvalue().splitlines() == [
        f"Moved 1 supplier document into “{SUPPLIER_DOCUMENTS}”.",
        f"Moved 0 supplier documents into “{SUPPLIER_DOCUMENTS}”.",
    ]


def test_a_private_document_is_protected_even_before_it_is_moved(
    visitors, supplier, supplier_user, lot
):
    document = with_document("draft", supplier, supplier_user, lot)
    Document.objects.filter(pk=document.pk).update(collection=Collection.get_first_root_node())

    assert visitors["anonymous"].get(document.url).status_code == 404
    assert visitors["owner"].get(document.url).status_code == 200
