"""Wagtail's own sign-in and sign-out URLs lead to the service's audited ones."""

from django.urls import reverse

import pytest

from marketplace.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_wagtail_login_url_redirects_to_the_service_sign_in(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/admin/pages/"
    assert reverse("wagtailadmin_login") == "/admin/login/"


def test_wagtail_logout_signs_out_and_is_audited(verified_client, framework_manager):
    client = verified_client(framework_manager)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert (
        AuditEvent.objects.filter(kind="account.signed_out", actor=framework_manager).count() == 1
    )
    assert client.get("/account/").status_code == 302
