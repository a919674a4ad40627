import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts.middleware import SIGNED_IN_AT
from tests.accounts.conftest import sign_in_data

DASHBOARD = reverse("accounts:dashboard")


def stored_session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_idle_timeout_is_thirty_minutes_renewed_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_pushes_the_idle_expiry_back(client, person):
    client.post(reverse("accounts:sign-in"), sign_in_data(person.email))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=60)
    )
    client.get(DASHBOARD)
    remaining = stored_session(client).expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < remaining
    assert remaining <= timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_idle_session_is_signed_out(client, person):
    client.post(reverse("accounts:sign-in"), sign_in_data(person.email))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_session_older_than_the_absolute_timeout_is_signed_out(client, person):
    client.post(reverse("accounts:sign-in"), sign_in_data(person.email))
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT - 1
    session.save()
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:sign-in')}?timeout=1"
    assert "_auth_user_id" not in client.session


def test_timed_out_user_sees_the_timeout_message(client, person):
    client.post(reverse("accounts:sign-in"), sign_in_data(person.email))
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT - 1
    session.save()
    response = client.get(DASHBOARD, follow=True)
    assert b"You were signed out because your session timed out" in response.content


def test_session_within_the_absolute_timeout_carries_on(client, person):
    client.post(reverse("accounts:sign-in"), sign_in_data(person.email))
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT + 60
    session.save()
    assert client.get(DASHBOARD).status_code == 200


def test_signing_in_again_restarts_the_absolute_timeout(client, person):
    client.post(reverse("accounts:sign-in"), sign_in_data(person.email))
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT + 5
    session.save()
    before = time.time()
    client.post(reverse("accounts:sign-in"), sign_in_data(person.email))
    assert client.session[SIGNED_IN_AT] >= before


def test_signing_in_gives_a_new_session_key(client, person):
    client.get(reverse("accounts:sign-in"))
    client.session.save()
    anonymous_key = client.session.session_key
    client.post(reverse("accounts:sign-in"), sign_in_data(person.email))
    assert client.session.session_key != anonymous_key
