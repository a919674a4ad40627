"""The cookie consent choice: read from and written to the `cookies_policy` cookie.

The policy is JSON, URL-encoded so that scripts can read it with decodeURIComponent:
`{"essential": true, "analytics": false}`. A second cookie, `cookies_preferences_set`, records
that the person has seen the confirmation message, so the banner stays hidden from then on.
Both work without JavaScript: the banner and the cookies page post ordinary forms.
"""

import json
from datetime import timedelta
from urllib.parse import quote, unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse

POLICY_COOKIE = "cookies_policy"
SEEN_COOKIE = "cookies_preferences_set"
COOKIE_AGE = timedelta(days=365)


def read_policy(request: HttpRequest) -> dict | None:
    """The stored choice, or None when there is none (or it cannot be understood)."""
    raw = request.COOKIES.get(POLICY_COOKIE)
    if not raw:
        return None
    try:
        policy = json.loads(unquote(raw))
    except ValueError:
        return None
    if not isinstance(policy, dict) or not isinstance(policy.get("analytics"), bool):
        return None
    return {"essential": True, "analytics": policy["analytics"]}


def analytics_enabled() -> bool:
    """Whether the service sets analytics cookies at all; without them there is nothing to
    ask, so no banner and no choice to store."""
    return settings.ANALYTICS_ENABLED


def analytics_allowed(request: HttpRequest) -> bool:
    """Whether the person has accepted analytics cookies; no choice means no."""
    policy = read_policy(request)
    return analytics_enabled() and bool(policy and policy["analytics"])


def banner_state(request: HttpRequest) -> str:
    """ "question" until a choice is made, then "confirmation" until hidden, then ""."""
    if not analytics_enabled():
        return ""
    if read_policy(request) is None:
        return "question"
    if request.COOKIES.get(SEEN_COOKIE) != "true":
        return "confirmation"
    return ""


def _set(response: HttpResponse, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
        httponly=False,
    )


def store_policy(response: HttpResponse, *, analytics: bool, seen: bool = False) -> None:
    policy = json.dumps({"essential": True, "analytics": analytics}, separators=(",", ":"))
    _set(response, POLICY_COOKIE, quote(policy))
    if seen:
        mark_seen(response)


def mark_seen(response: HttpResponse) -> None:
    _set(response, SEEN_COOKIE, "true")
