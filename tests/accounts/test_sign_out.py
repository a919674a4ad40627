from django.urls import reverse

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent

SIGN_OUT = reverse("accounts:sign-out")


def test_sign_out_ends_the_session_and_shows_the_signed_out_page(client, person):
    client.force_login(person)
    response = client.post(SIGN_OUT, follow=True)
    assert response.redirect_chain == [(reverse("accounts:signed-out"), 302)]
    assert b"You have signed out" in response.content
    assert "_auth_user_id" not in client.session


def test_sign_out_is_audited(client, person):
    client.force_login(person)
    client.post(SIGN_OUT)
    event = AuditEvent.objects.get(kind=AuditKind.USER_SIGNED_OUT)
    assert event.actor == person
    assert event.organisation is None


def test_sign_out_refuses_get(client, person):
    client.force_login(person)
    response = client.get(SIGN_OUT)
    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(person.pk)


def test_signing_out_when_signed_out_records_nothing(client, db):
    response = client.post(SIGN_OUT)
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(kind=AuditKind.USER_SIGNED_OUT).exists()


def test_user_needing_a_second_factor_can_sign_out_before_entering_a_code(
    client, framework_manager
):
    client.force_login(framework_manager)
    response = client.post(SIGN_OUT)
    assert response.url == reverse("accounts:signed-out")
    assert "_auth_user_id" not in client.session
