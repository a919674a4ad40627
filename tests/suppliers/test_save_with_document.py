"""services.save_offering_with_document: the portal form's save of content and an uploaded
service definition, in one transaction."""

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.models import Document

import pytest

from marketplace.organisations.policy import PolicyDenied
from suppliers import services
from suppliers.models import Offering
from suppliers.validation import OfferingInvalid
from tests.factories import AppointmentFactory, MembershipFactory, offering_data

PDF = b"%PDF-1.4 service definition"


def upload():
    return SimpleUploadedFile("service.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def appointed(supplier, lot):
    return AppointmentFactory(supplier=supplier, lot=lot)


def test_creates_the_offering_with_the_uploaded_document(
    file_storages, appointed, supplier, supplier_user, lot
):
    made = services.save_offering_with_document(
        actor=supplier_user, supplier=supplier, data=offering_data(), upload=upload(), lot=lot
    )

    assert made.service_definition.file.read() == PDF


def test_an_edit_without_an_upload_keeps_the_current_document(
    file_storages, appointed, supplier, supplier_user, lot
):
    made = services.save_offering_with_document(
        actor=supplier_user, supplier=supplier, data=offering_data(), upload=upload(), lot=lot
    )

    edited = services.save_offering_with_document(
        actor=supplier_user,
        supplier=supplier,
        data=offering_data(title="Renamed platform"),
        offering=made,
        current_document=made.service_definition,
    )

    assert edited.get_latest_revision_as_object().service_definition == made.service_definition
    assert Document.objects.count() == 1


def test_bad_content_saves_nothing_and_removes_the_stored_file(
    file_storages, appointed, supplier, supplier_user, lot
):
    _media, private = file_storages

    with pytest.raises(OfferingInvalid):
        services.save_offering_with_document(
            actor=supplier_user,
            supplier=supplier,
            data=offering_data(price="lots"),
            upload=upload(),
            lot=lot,
        )

    assert (Offering.objects.count(), Document.objects.count()) == (0, 0)
    assert not any(private.rglob("*.pdf"))


def test_another_suppliers_member_is_refused_and_nothing_is_stored(
    file_storages, appointed, supplier, other_supplier, lot
):
    _media, private = file_storages
    outsider = MembershipFactory(organisation=other_supplier, role="editor").user

    with pytest.raises(PolicyDenied):
        services.save_offering_with_document(
            actor=outsider, supplier=supplier, data=offering_data(), upload=upload(), lot=lot
        )

    assert (Offering.objects.count(), Document.objects.count()) == (0, 0)
    assert not any(private.rglob("*.pdf"))
