import json
from urllib.parse import unquote

from django.urls import reverse

import pytest

from cms.cookies import POLICY_COOKIE, SEEN_COOKIE

pytestmark = pytest.mark.django_db

ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def analytics_enabled(settings):
    """The consent questions exist only while the service sets analytics cookies."""
    settings.ANALYTICS_ENABLED = True


def _policy(response) -> dict:
    return json.loads(unquote(response.cookies[POLICY_COOKIE].value))


def test_banner_asks_before_a_choice_is_made(client, analytics_enabled, home_page):
    response = client.get("/")

    html = response.content.decode()
    assert 'action="/cookies/banner/"' in html
    assert "Accept analytics cookies" in html
    assert response.context["analytics_allowed"] is False


def test_accepting_stores_the_choice_for_a_year(client, analytics_enabled, home_page):
    response = client.post(reverse("cms:cookie-banner"), {"cookies": "accept", "next": "/"})

    cookie = response.cookies[POLICY_COOKIE]
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _policy(response) == {"essential": True, "analytics": True}
    assert cookie["max-age"] == ONE_YEAR
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] == ""


def test_rejecting_stores_the_choice(client, analytics_enabled, home_page):
    response = client.post(reverse("cms:cookie-banner"), {"cookies": "reject", "next": "/"})

    assert _policy(response) == {"essential": True, "analytics": False}


def test_choice_cookie_is_secure_when_sessions_are(client, analytics_enabled, home_page, settings):
    settings.SESSION_COOKIE_SECURE = True

    response = client.post(reverse("cms:cookie-banner"), {"cookies": "accept", "next": "/"})

    assert response.cookies[POLICY_COOKIE]["secure"] is True


def test_banner_without_a_choice_sets_nothing(client, analytics_enabled, home_page):
    response = client.post(reverse("cms:cookie-banner"), {"cookies": "maybe", "next": "/"})

    assert POLICY_COOKIE not in response.cookies


def test_banner_does_not_redirect_off_site(client, analytics_enabled, home_page):
    response = client.post(
        reverse("cms:cookie-banner"), {"cookies": "accept", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_banner_returns_to_the_page_the_choice_was_made_on(client, analytics_enabled, home_page):
    response = client.post(
        reverse("cms:cookie-banner"), {"cookies": "accept", "next": "/search/?q=levy"}
    )

    assert response["Location"] == "/search/?q=levy"


def test_after_accepting_the_banner_confirms_the_choice(client, analytics_enabled, home_page):
    client.post(reverse("cms:cookie-banner"), {"cookies": "accept", "next": "/"})

    response = client.get("/")

    html = response.content.decode()
    assert "You've accepted analytics cookies." in html
    assert "Accept analytics cookies" not in html
    assert 'action="/cookies/banner/hide/"' in html
    assert response.context["analytics_allowed"] is True


def test_after_rejecting_the_banner_confirms_the_rejection(client, analytics_enabled, home_page):
    client.post(reverse("cms:cookie-banner"), {"cookies": "reject", "next": "/"})

    response = client.get("/")

    assert "You've rejected analytics cookies." in response.content.decode()
    assert response.context["analytics_allowed"] is False


def test_hiding_the_confirmation_removes_the_banner(client, analytics_enabled, home_page):
    client.post(reverse("cms:cookie-banner"), {"cookies": "accept", "next": "/"})

    hide = client.post(reverse("cms:cookie-banner-hide"), {"next": "/"})
    response = client.get("/")

    assert hide.cookies[SEEN_COOKIE].value == "true"
    assert 'class="govuk-cookie-banner"' not in response.content.decode()


def test_banner_only_takes_posts(client, analytics_enabled, home_page):
    response = client.get(reverse("cms:cookie-banner"))

    assert response.status_code == 405


def test_unreadable_choice_cookie_asks_again(client, analytics_enabled, home_page):
    client.cookies[POLICY_COOKIE] = "not-json"

    response = client.get("/")

    assert "Accept analytics cookies" in response.content.decode()


def test_cookies_page_lists_the_cookies_we_set(client, analytics_enabled, settings):
    response = client.get(reverse("cms:cookies"))

    html = response.content.decode()
    assert response.status_code == 200
    for name in [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "cookies_policy"]:
        assert f'<td class="govuk-table__cell">{name}</td>' in html
    assert 'class="govuk-cookie-banner"' not in html


def test_cookies_page_shows_the_current_choice(client, analytics_enabled):
    client.post(reverse("cms:cookie-banner"), {"cookies": "accept", "next": "/"})

    response = client.get(reverse("cms:cookies"))

    assert 'name="analytics" type="radio" value="yes" checked' in response.content.decode()


def test_cookies_page_changes_the_choice(client, analytics_enabled):
    client.post(reverse("cms:cookie-banner"), {"cookies": "accept", "next": "/"})

    response = client.post(reverse("cms:cookies"), {"analytics": "no"})

    assert response.status_code == 302
    assert response["Location"] == "/cookies/?saved=1"
    assert _policy(response) == {"essential": True, "analytics": False}
    assert response.cookies[SEEN_COOKIE].value == "true"


def test_cookies_page_confirms_a_saved_choice(client, analytics_enabled):
    response = client.post(reverse("cms:cookies"), {"analytics": "yes"}, follow=True)

    assert "You've set your cookie preferences." in response.content.decode()


def test_cookies_page_without_an_answer_shows_an_error_and_saves_nothing(client, analytics_enabled):
    response = client.post(reverse("cms:cookies"), {})

    html = response.content.decode()
    assert response.status_code == 200
    assert POLICY_COOKIE not in response.cookies
    assert "<title>Error: Cookies" in html
    assert "Select yes if you want to accept analytics cookies" in html


def test_without_analytics_no_banner_asks_about_cookies(client, home_page):
    response = client.get("/")

    html = response.content.decode()
    assert 'class="govuk-cookie-banner"' not in html
    assert "analytics" not in html
    assert response.context["analytics_allowed"] is False


def test_without_analytics_an_old_choice_does_not_allow_analytics(client, home_page):
    client.cookies[POLICY_COOKIE] = '{"essential":true,"analytics":true}'

    response = client.get("/")

    assert response.context["analytics_allowed"] is False
    assert 'class="govuk-cookie-banner"' not in response.content.decode()


def test_without_analytics_the_banner_stores_no_choice(client, home_page):
    response = client.post(reverse("cms:cookie-banner"), {"cookies": "accept", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies == {}


def test_without_analytics_cookies_page_says_only_essential_cookies_are_used(client, settings):
    response = client.get(reverse("cms:cookies"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "We only use essential cookies." in html
    assert 'name="analytics"' not in html
    assert "cookies_policy" not in html
    for name in [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME]:
        assert f'<td class="govuk-table__cell">{name}</td>' in html


def test_without_analytics_cookies_page_saves_no_choice(client):
    response = client.post(reverse("cms:cookies"), {"analytics": "yes"})

    assert response.status_code == 200
    assert response.cookies == {}
