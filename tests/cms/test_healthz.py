import json
from unittest import mock

from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert reverse("cms:healthz") == "/healthz"
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "pages": "ok"}


def test_healthz_reports_503_when_the_database_fails(client):
    with mock.patch("cms.views.connection") as connection:
        connection.cursor.return_value.__enter__.return_value.execute.side_effect = (
            OperationalError("connection refused")
        )
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_healthz_sets_no_cookies_and_creates_no_session(client):
    response = client.get("/healthz")

    assert response.cookies == {}
    assert Session.objects.count() == 0


def test_healthz_is_not_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_open_to_users_who_still_need_a_second_factor(client, framework_manager):
    client.force_login(framework_manager)

    response = client.get("/healthz")

    assert response.status_code == 200


def test_healthz_reports_503_when_pages_cannot_render(client, settings, tmp_path):
    # An empty manifest: what a release gets when collectstatic failed or never ran.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    (tmp_path / "staticfiles.json").write_text('{"version": "1.1", "paths": {}}')

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "pages": "error"}


def test_healthz_reports_ok_when_pages_render_from_a_full_manifest(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    paths = {
        "govuk/govuk-frontend.min.css": "govuk/govuk-frontend.min.abc123.css",
        "cms/app.css": "cms/app.abc123.css",
    }
    (tmp_path / "staticfiles.json").write_text(json.dumps({"version": "1.1", "paths": paths}))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "pages": "ok"}
