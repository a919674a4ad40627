from datetime import timedelta

from django.conf import settings
from django.urls import reverse

import pytest

from marketplace.accounts.templatetags.accounts_tags import duration_in_words
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from tests.accounts.conftest import sign_in_data

SIGN_IN = reverse("accounts:sign-in")
LOCKED_MESSAGE = "You've entered the wrong details too many times. Wait 15 minutes and try again"


def fail(client, email, times):
    return [client.post(SIGN_IN, sign_in_data(email, "wrong-password")) for _ in range(times)]


def test_four_wrong_passwords_do_not_lock_the_account(client, person):
    fail(client, person.email, settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(SIGN_IN, sign_in_data(person.email))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_fifth_wrong_password_locks_the_account(client, person):
    responses = fail(client, person.email, settings.AXES_FAILURE_LIMIT)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "accounts/locked_out.html" in [t.name for t in responses[-1].templates]


def test_locked_account_cannot_sign_in_with_the_correct_password(client, person):
    fail(client, person.email, settings.AXES_FAILURE_LIMIT)
    response = client.post(SIGN_IN, sign_in_data(person.email))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_says_what_happened_and_how_long_to_wait(client, person):
    response = fail(client, person.email, settings.AXES_FAILURE_LIMIT)[-1]
    assert LOCKED_MESSAGE.encode() in response.content


@pytest.mark.django_db
def test_unknown_e_mail_is_locked_out_the_same_way(client):
    responses = fail(client, "nobody@example.gov.uk", settings.AXES_FAILURE_LIMIT)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert LOCKED_MESSAGE.encode() in responses[-1].content


def test_lockout_page_is_the_same_for_known_and_unknown_e_mails(client, person):
    known = fail(client, person.email, settings.AXES_FAILURE_LIMIT)[-1]
    client.cookies.clear()
    unknown = fail(client, "nobody@example.gov.uk", settings.AXES_FAILURE_LIMIT)[-1]
    strip_tokens = [
        line
        for line in known.content.decode().splitlines()
        if "csrf" not in line and "nonce" not in line
    ]
    assert strip_tokens == [
        line
        for line in unknown.content.decode().splitlines()
        if "csrf" not in line and "nonce" not in line
    ]


def test_changing_the_case_of_the_e_mail_does_not_dodge_the_lockout(client, person):
    fail(client, person.email, settings.AXES_FAILURE_LIMIT)
    response = client.post(SIGN_IN, sign_in_data(person.email.upper()))
    assert response.status_code == 429


def test_lockout_of_one_account_does_not_lock_another_from_another_browser(
    client, person, framework_manager
):
    fail(client, person.email, settings.AXES_FAILURE_LIMIT)
    client.cookies.clear()
    response = client.post(
        SIGN_IN, sign_in_data(framework_manager.email), HTTP_USER_AGENT="Another browser"
    )
    assert response.status_code == 302


def test_duration_in_words_reads_minutes_and_hours():
    assert duration_in_words(timedelta(minutes=15)) == "15 minutes"
    assert duration_in_words(timedelta(minutes=1)) == "1 minute"
    assert duration_in_words(timedelta(hours=1, minutes=30)) == "1 hour 30 minutes"
    assert duration_in_words(timedelta(hours=2)) == "2 hours"
    assert duration_in_words(timedelta(seconds=61)) == "2 minutes"


def test_lockout_wait_follows_the_cool_off_setting(client, person, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    response = fail(client, person.email, settings.AXES_FAILURE_LIMIT)[-1]
    assert b"Wait 30 minutes and try again" in response.content


def test_lockout_is_audited_once_when_it_happens(client, person):
    fail(client, person.email, settings.AXES_FAILURE_LIMIT + 2)
    [event] = AuditEvent.objects.filter(kind=AuditKind.SIGN_IN_LOCKED_OUT)
    assert event.actor is None
    assert event.target_object_id == str(person.pk)
    assert event.data == {"email": person.email}


@pytest.mark.django_db
def test_lockout_of_an_unknown_e_mail_is_audited_without_a_target(client):
    fail(client, "nobody@example.gov.uk", settings.AXES_FAILURE_LIMIT)
    [event] = AuditEvent.objects.filter(kind=AuditKind.SIGN_IN_LOCKED_OUT)
    assert event.target_object_id in ("", None)
    assert event.data == {"email": "nobody@example.gov.uk"}


def test_wrong_passwords_below_the_limit_are_not_audited_as_a_lockout(client, person):
    fail(client, person.email, settings.AXES_FAILURE_LIMIT - 1)
    assert not AuditEvent.objects.filter(kind=AuditKind.SIGN_IN_LOCKED_OUT).exists()
