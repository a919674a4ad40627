"""Account actions: sign in and out, set up and use an authenticator app, pick an organisation.

Signing in and out touch only the session and the audit log, so they take the request rather
than an actor; the person acting is request.user.
"""

import math
import time
from datetime import datetime

from django.contrib.auth import get_user_model, login, logout
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

import django_otp
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.organisations.models import Membership
from marketplace.organisations.selectors import ACTING_ORGANISATION_SESSION_KEY

from .middleware import SIGNED_IN_AT
from .selectors import pending_totp_device

TOTP_DEVICE_NAME = "Authenticator app"


class SecondFactorError(Exception):
    """A code was refused; the message says why in words a person can act on."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class WrongCode(SecondFactorError):
    pass


class TooManyAttempts(SecondFactorError):
    def __init__(self, message, *, locked_until: datetime | None):
        super().__init__(message)
        self.locked_until = locked_until


@transaction.atomic
def sign_in(*, request, user) -> None:
    """Start a session for a user who has just given the right e-mail address and password."""
    login(request, user)
    # The absolute session timeout counts from here, whatever the session held before.
    request.session[SIGNED_IN_AT] = time.time()
    audit.record(actor=user, organisation=None, kind=AuditKind.USER_SIGNED_IN, target=user, data={})


@transaction.atomic
def record_lockout(*, email: str) -> None:
    """Note that repeated wrong details locked sign-in for this e-mail address.

    Recorded once, when the limit is reached; there is no actor, and the account (if any)
    is the target so its owner's history shows it.
    """
    user = get_user_model().objects.filter(email__iexact=email).first()
    audit.record(
        actor=None,
        organisation=None,
        kind=AuditKind.SIGN_IN_LOCKED_OUT,
        target=user,
        data={"email": email},
    )


@transaction.atomic
def sign_out(*, request) -> None:
    user = request.user
    if user.is_authenticated:
        audit.record(
            actor=user, organisation=None, kind=AuditKind.USER_SIGNED_OUT, target=user, data={}
        )
    logout(request)


@transaction.atomic
def start_totp_setup(*, actor) -> TOTPDevice:
    """The unconfirmed authenticator device whose secret the setup page shows.

    Reused until confirmed, so reloading the page does not change the secret being scanned.
    """
    device = pending_totp_device(user=actor)
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def verify_second_factor(*, request, device: TOTPDevice, code: str) -> TOTPDevice:
    """Check a code against the user's device; on success mark the session as verified.

    A first successful code confirms a new device. django-otp's throttling applies: after each
    wrong code the next attempt must wait twice as long as the last. The failure count is
    saved, so the refusal is raised only after the transaction has committed.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        allowed, details = device.verify_is_allowed()
        verified = allowed and device.verify_token(code)
        if verified:
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit.record(
                    actor=request.user,
                    organisation=None,
                    kind=AuditKind.SECOND_FACTOR_ADDED,
                    target=device,
                    data={"device": "totp", "name": device.name},
                )
            django_otp.login(request, device)
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        raise TooManyAttempts(_wait_message(locked_until), locked_until=locked_until)
    if not verified:
        raise WrongCode(
            _("The code is not correct. Enter the latest 6-digit code from your authenticator app")
        )
    return device


def _wait_message(locked_until: datetime | None) -> str:
    if locked_until is None:
        return gettext("You have entered too many wrong codes. Wait a minute and try again")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return ngettext(
        "You have entered too many wrong codes. Wait %(seconds)d second and try again",
        "You have entered too many wrong codes. Wait %(seconds)d seconds and try again",
        seconds,
    ) % {"seconds": seconds}


def choose_acting_organisation(*, request, membership: Membership) -> None:
    """Remember which of their organisations the user acts for (session only, no database)."""
    if membership.user_id != request.user.pk:
        raise ValueError("A user can only act for their own memberships")
    request.session[ACTING_ORGANISATION_SESSION_KEY] = membership.organisation_id
