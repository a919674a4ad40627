"""Bid uploads stay in memory, never in a temporary file, and stop at the upload cap."""

import os
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseForbidden, JsonResponse
from django.test import Client
from django.urls import path

import pytest

from marketplace.competitions.uploads import (
    UploadTooLarge,
    memory_only_uploads,
    raise_for_refused_uploads,
)
from marketplace.settings import base as base_settings

CAP = 10 * 1024
CANARY = b"CANARY-5be21d-bid-upload"


def describe_upload(request):
    """What the view received, and what sat in the temporary folders while it ran."""
    upload = request.FILES.get("document")
    try:
        raise_for_refused_uploads(request)
        refusal = None
    except UploadTooLarge as error:
        refusal = {"field": error.field_name, "message": error.message}
    return JsonResponse(
        {
            "files_on_disk": sorted(os.listdir(settings.FILE_UPLOAD_TEMP_DIR)),
            "upload": None
            if upload is None
            else {
                "class": type(upload).__name__,
                "size": upload.size,
                "holds_canary": CANARY in upload.read(),
            },
            "refusal": refusal,
            "note": request.POST.get("note"),
        }
    )


def csrf_refused(request, reason=""):
    return HttpResponseForbidden(reason)


urlpatterns = [
    path("bid-upload/", memory_only_uploads(describe_upload)),
    path("ordinary-upload/", describe_upload),
]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def tiny_memory_limit(settings, tmp_path, monkeypatch):
    """Django would spool anything above one byte to a temporary file in tmp_path."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.BID_UPLOAD_MAX_BYTES = CAP
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def document(size: int) -> SimpleUploadedFile:
    content = CANARY + b"x" * (size - len(CANARY))
    return SimpleUploadedFile("method-statement.pdf", content, content_type="application/pdf")


def test_bid_upload_stays_in_memory_however_small_the_memory_limit(client, tiny_memory_limit):
    response = client.post("/bid-upload/", {"document": document(5000), "note": "kept"})
    assert response.json() == {
        "files_on_disk": [],
        "upload": {"class": "InMemoryUploadedFile", "size": 5000, "holds_canary": True},
        "refusal": None,
        "note": "kept",
    }
    assert list(tiny_memory_limit.iterdir()) == []


def test_without_the_decorator_django_spools_the_same_upload_to_disk(client):
    # The control: shows the test above would see a temporary file if one were written.
    response = client.post("/ordinary-upload/", {"document": document(5000)})
    body = response.json()
    assert len(body["files_on_disk"]) == 1
    assert body["upload"]["class"] == "TemporaryUploadedFile"


def test_upload_exactly_at_the_cap_is_kept(client):
    response = client.post("/bid-upload/", {"document": document(CAP)})
    assert response.json()["upload"] == {
        "class": "InMemoryUploadedFile",
        "size": CAP,
        "holds_canary": True,
    }
    assert response.json()["refusal"] is None


def test_upload_past_the_cap_is_refused_and_the_rest_of_the_form_arrives(client, tiny_memory_limit):
    response = client.post("/bid-upload/", {"document": document(CAP + 1), "note": "kept"})
    assert response.json() == {
        "files_on_disk": [],
        "upload": None,
        "refusal": {
            "field": "document",
            "message": "The selected file must be 10.0\xa0KB or smaller",
        },
        "note": "kept",
    }
    assert list(tiny_memory_limit.iterdir()) == []


def test_refused_upload_still_passes_the_csrf_check_when_the_token_comes_after_it():
    client = Client(enforce_csrf_checks=True)
    token = "A" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    response = client.post(
        "/bid-upload/", {"document": document(CAP + 1), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert response.json()["refusal"]["field"] == "document"


def test_bid_upload_view_still_checks_csrf(settings):
    # The project's 403 page links to URLs this test's URLconf leaves out.
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_refused"
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = "A" * 32
    response = client.post("/bid-upload/", {"document": document(100)})
    assert response.status_code == 403
    assert response.content == b"CSRF token missing."


def test_the_refusal_names_the_cap_for_the_person_and_not_the_file():
    error = UploadTooLarge(field_name="document", max_bytes=10 * 1024 * 1024)
    assert error.message == "The selected file must be 10.0\xa0MB or smaller"
    assert str(error) == error.message


def test_bid_uploads_are_capped_at_10_mb_by_default():
    assert base_settings.BID_UPLOAD_MAX_BYTES == 10 * 1024 * 1024
