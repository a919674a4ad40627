import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "signed_in_at"


class SessionAbsoluteTimeoutMiddleware:
    """Ends a session SESSION_ABSOLUTE_TIMEOUT seconds after sign-in, however active it is.

    The idle timeout is Django's own: SESSION_COOKIE_AGE renewed on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, time.time())
            if time.time() - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?timeout=1")
        return self.get_response(request)


def requires_second_factor(user) -> bool:
    """Authority staff and anyone who can reach the Wagtail admin must use TOTP."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"):
        return True
    return user.memberships.filter(organisation__kind="authority").exists()


class RequireSecondFactorMiddleware:
    """Sends users who need a second factor to set one up, or to enter a code, first."""

    EXEMPT_PREFIXES = ("/account/two-factor/", "/account/sign-out/", "/static/", "/assets/")
    EXEMPT_PATHS = ("/healthz",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            not path.startswith(self.EXEMPT_PREFIXES)
            and path not in self.EXEMPT_PATHS
            and requires_second_factor(request.user)
            and not request.user.is_verified()
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two-factor')}?{query}")
        return self.get_response(request)
