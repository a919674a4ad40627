"""Private files (documents, kept import uploads) live outside the public media root.

These tests use the storages of base.py on a temporary folder (file_storages), not the
suite's in-memory storage, and build the URLs as development settings do (DEBUG on: MEDIA_ROOT
served at /media/).
"""

import importlib

from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import clear_url_caches

from wagtail.images.models import get_rendition_storage

import pytest

import marketplace.urls
from suppliers import services
from suppliers.bulk import uploads
from tests.factories import offering

PDF = b"%PDF-1.4 private service definition"


@pytest.fixture
def dev_urls(settings, file_storages):
    """marketplace.urls as built with DEBUG on, as under development settings."""
    settings.DEBUG = True
    importlib.reload(marketplace.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(marketplace.urls)
    clear_url_caches()


@pytest.fixture
def document(file_storages, supplier, supplier_user, lot):
    stored = services.store_service_definition(
        actor=supplier_user,
        supplier=supplier,
        file=SimpleUploadedFile("service.pdf", PDF, content_type="application/pdf"),
    )
    offering(supplier=supplier, lot=lot, actor=supplier_user, service_definition=stored)
    return stored


def owner_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_private_document_is_stored_outside_the_public_media_root(file_storages, document):
    media, private = file_storages

    assert (private / document.file.name).read_bytes() == PDF
    assert not media.exists() or not any(media.rglob("*.pdf"))


def test_a_private_document_is_not_served_from_media(dev_urls, document):
    response = Client().get(f"/media/{document.file.name}")

    assert response.status_code == 404


def test_a_private_file_has_no_url_to_leak(file_storages, document):
    with pytest.raises(NotImplementedError):
        _url = document.file.url


def test_the_owner_still_downloads_it_through_the_serve_view(dev_urls, document, supplier_user):
    response = owner_client(supplier_user).get(document.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_kept_import_upload_is_private_and_not_served(
    dev_urls, file_storages, supplier, supplier_user, lot
):
    media, private = file_storages
    request = RequestFactory().post("/")
    request.session, request.user = SessionStore(), supplier_user
    token = uploads.keep(request, supplier=supplier, lot=lot, name="rows.csv", content=b"a,b\n")
    path = request.session[uploads.SESSION_KEY][token]["path"]

    assert (private / path).read_bytes() == b"a,b\n"
    assert not (media / path).exists()
    assert Client().get(f"/media/{path}").status_code == 404


def test_public_files_are_image_renditions_under_media(file_storages):
    media, private = file_storages

    assert get_rendition_storage() is storages["public"]
    assert storages["public"].path("x") == str(media / "x")
    assert default_storage.path("x") == str(private / "x")
