from django.db.models import QuerySet

from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_devices_for_user(*, user, confirmed: bool) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk")


def confirmed_totp_device(*, user) -> TOTPDevice | None:
    """The authenticator app the user signs in with, if they have set one up."""
    return totp_devices_for_user(user=user, confirmed=True).first()


def pending_totp_device(*, user) -> TOTPDevice | None:
    """An authenticator app the user has started to set up but not yet confirmed."""
    return totp_devices_for_user(user=user, confirmed=False).first()
