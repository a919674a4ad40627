"""Helpers shared by tests in every area."""

import time

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
