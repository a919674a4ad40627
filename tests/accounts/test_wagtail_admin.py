from django.urls import reverse

from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.totp import current_code
from tests.accounts.conftest import sign_in_data
from tests.helpers import sign_in_with_second_factor

SIGN_IN = reverse("accounts:sign-in")


def test_signed_out_visit_to_the_admin_lands_on_our_sign_in_page(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [(f"{SIGN_IN}?next=/admin/", 302)]
    assert response.templates[0].name == "accounts/sign_in.html"
    assert b'name="next" value="/admin/"' in response.content


def test_admin_user_reaches_the_admin_after_password_and_code(client, wagtail_editor):
    device = TOTPDevice.objects.create(user=wagtail_editor, name="Phone", confirmed=True)
    response = client.post(SIGN_IN, sign_in_data(wagtail_editor.email, next="/admin/"))
    assert response.url == f"{reverse('accounts:two-factor')}?next=%2Fadmin%2F"
    response = client.post(response.url, {"code": current_code(device), "next": "/admin/"})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_user_without_a_code_is_stopped_before_the_admin(client, wagtail_editor):
    client.post(SIGN_IN, sign_in_data(wagtail_editor.email))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:two-factor')}?next=%2Fadmin%2F"


def test_user_without_admin_access_is_sent_to_sign_in_without_a_loop(client, supplier_admin):
    client.force_login(supplier_admin)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [(f"{SIGN_IN}?next=/admin/", 302)]
    assert response.status_code == 200


def test_helper_gives_a_verified_session_that_reaches_the_admin(client, wagtail_editor):
    sign_in_with_second_factor(client, wagtail_editor)
    assert client.get("/admin/").status_code == 200


def test_verified_client_fixture_reaches_the_admin(verified_client, wagtail_editor):
    assert verified_client(wagtail_editor).get("/admin/").status_code == 200
