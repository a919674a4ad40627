"""Helpers shared by tests in every area."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.middleware import SIGNED_IN_AT


def sign_in_with_second_factor(client, user) -> TOTPDevice:
    """Sign `user` in on `client` with a confirmed authenticator app and an OTP-verified session.

    Use it for anyone RequireSecondFactorMiddleware stops (authority members, staff, Wagtail
    admin users): `sign_in_with_second_factor(client, framework_manager)`; then
    `client.get("/admin/")` reaches the page instead of the two-factor step.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SIGNED_IN_AT] = time.time()
    session.save()
    return device


def queries_to_get(client, url, data=None) -> int:
    """How many queries `client.get(url, data)` makes, after a first request has warmed the
    per-process caches (content types, site root paths): for listings' query-count guards."""
    client.get(url, data)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, data)
    return len(queries)
