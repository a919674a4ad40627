from django.http import HttpRequest

from . import cookies


def cookie_consent(request: HttpRequest) -> dict:
    """`analytics_allowed` for any future analytics script, and the cookie banner's state."""
    return {
        "analytics_allowed": cookies.analytics_allowed(request),
        "cookie_banner_state": cookies.banner_state(request),
        "cookie_policy": cookies.read_policy(request),
    }
