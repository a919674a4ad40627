from django.urls import reverse

import pytest

from marketplace.accounts.middleware import SIGNED_IN_AT
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from tests.accounts.conftest import sign_in_data
from tests.factories import TEST_PASSWORD

SIGN_IN = reverse("accounts:sign-in")
BAD_CREDENTIALS = "Enter a correct e-mail address and password"


@pytest.mark.django_db
def test_sign_in_page_shows_the_form(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/sign_in.html"
    assert b'name="username"' in response.content
    assert b'type="email"' in response.content
    assert b'name="password"' in response.content
    assert b"<title>Sign in" in response.content


def test_correct_details_sign_in_and_go_to_the_dashboard(client, person):
    response = client.post(SIGN_IN, sign_in_data(person.email))
    assert response.status_code == 302
    assert response.url == reverse("accounts:dashboard")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_e_mail_address_is_matched_whatever_its_case(client, person):
    client.post(SIGN_IN, sign_in_data("  Person@Example.GOV.uk "))
    assert client.session["_auth_user_id"] == str(person.pk)


def test_sign_in_records_the_time_for_the_absolute_timeout(client, person, monkeypatch):
    monkeypatch.setattr("marketplace.accounts.services.time.time", lambda: 1_000_000.0)
    client.post(SIGN_IN, sign_in_data(person.email))
    assert client.session[SIGNED_IN_AT] == 1_000_000.0


def test_sign_in_is_audited(client, person):
    client.post(SIGN_IN, sign_in_data(person.email))
    event = AuditEvent.objects.get(kind=AuditKind.USER_SIGNED_IN)
    assert event.actor == person
    assert event.organisation is None
    assert event.target_object_id == str(person.pk)


def test_wrong_password_gets_the_generic_message(client, person):
    response = client.post(SIGN_IN, sign_in_data(person.email, "wrong-password"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [BAD_CREDENTIALS]
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(kind=AuditKind.USER_SIGNED_IN).exists()


def test_unknown_e_mail_gets_the_same_message_as_a_wrong_password(client, person):
    unknown = client.post(SIGN_IN, sign_in_data("nobody@example.gov.uk", "wrong-password"))
    wrong = client.post(SIGN_IN, sign_in_data(person.email, "wrong-password"))
    assert unknown.context["form"].errors == wrong.context["form"].errors
    assert unknown.context["form"].errors == {"__all__": [BAD_CREDENTIALS]}


def test_inactive_user_cannot_sign_in_and_gets_the_generic_message(client, person):
    person.is_active = False
    person.save()
    response = client.post(SIGN_IN, sign_in_data(person.email))
    assert response.context["form"].errors == {"__all__": [BAD_CREDENTIALS]}
    assert "_auth_user_id" not in client.session


def test_bad_form_keeps_the_e_mail_address_and_not_the_password(client, person):
    response = client.post(SIGN_IN, sign_in_data(person.email, "wrong-password"))
    assert f'value="{person.email}"'.encode() in response.content
    assert b"wrong-password" not in response.content


def test_error_page_title_starts_with_error_and_has_a_summary(client, person):
    response = client.post(SIGN_IN, sign_in_data(person.email, "wrong-password"))
    assert b"<title>Error: Sign in" in response.content
    assert b"govuk-error-summary" in response.content
    assert BAD_CREDENTIALS.encode() in response.content


@pytest.mark.django_db
def test_empty_form_asks_for_both_fields(client):
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    assert response.context["form"].errors == {
        "username": ["Enter your e-mail address"],
        "password": ["Enter your password"],
    }
    assert b'href="#id_username"' in response.content


@pytest.mark.django_db
def test_badly_formed_e_mail_is_refused_and_kept(client):
    response = client.post(SIGN_IN, sign_in_data("not-an-email"))
    assert response.context["form"].errors == {
        "username": ["Enter an e-mail address in the correct format, like name@example.com"]
    }
    assert b'value="not-an-email"' in response.content


def test_safe_next_is_followed(client, person):
    response = client.post(SIGN_IN, sign_in_data(person.email, next="/frameworks/?page=2"))
    assert response.url == "/frameworks/?page=2"


def test_next_to_another_site_is_ignored(client, person):
    response = client.post(SIGN_IN, sign_in_data(person.email, next="https://evil.example/"))
    assert response.url == reverse("accounts:dashboard")


def test_protocol_relative_next_is_ignored(client, person):
    response = client.post(SIGN_IN, sign_in_data(person.email, next="//evil.example/"))
    assert response.url == reverse("accounts:dashboard")


@pytest.mark.django_db
def test_next_from_the_query_string_goes_into_the_form(client):
    response = client.get(SIGN_IN, {"next": "/account/"})
    assert b'name="next" value="/account/"' in response.content


@pytest.mark.django_db
def test_unsafe_next_is_not_put_into_the_form(client):
    response = client.get(SIGN_IN, {"next": "https://evil.example/"})
    assert response.context["next"] == ""
    assert b'name="next" value="https://evil.example/"' not in response.content


@pytest.mark.django_db
def test_timeout_message_is_shown_after_a_timeout(client):
    response = client.get(SIGN_IN, {"timeout": "1"})
    assert b"You were signed out because your session timed out" in response.content


@pytest.mark.django_db
def test_timeout_message_is_not_shown_otherwise(client):
    response = client.get(SIGN_IN)
    assert b"session timed out" not in response.content


def test_user_who_needs_a_second_factor_goes_to_the_two_factor_step(client, framework_manager):
    response = client.post(SIGN_IN, sign_in_data(framework_manager.email, next="/account/"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:two-factor')}?next=%2Faccount%2F"


def test_password_is_never_echoed_on_a_validation_error(client, person):
    response = client.post(SIGN_IN, {"username": "", "password": TEST_PASSWORD})
    assert TEST_PASSWORD.encode() not in response.content
