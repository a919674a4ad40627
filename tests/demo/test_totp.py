import time
from io import StringIO

from django.core.management import CommandError, call_command

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.totp import current_code


def test_demo_totp_refuses_without_debug(framework_manager, settings):
    settings.DEBUG = False
    TOTPDevice.objects.create(user=framework_manager, name="Phone", confirmed=True)
    with pytest.raises(CommandError, match="only runs when DEBUG is True"):
        call_command("demo_totp", framework_manager.email)


def test_demo_totp_prints_the_current_code(framework_manager, settings):
    settings.DEBUG = True
    device = TOTPDevice.objects.create(user=framework_manager, name="Phone", confirmed=True)
    out = StringIO()
    call_command("demo_totp", framework_manager.email.upper(), stdout=out)
    assert out.getvalue().strip() in {current_code(device, at=t) for t in _now_and_next_step()}


def test_demo_totp_refuses_an_unconfirmed_device(framework_manager, settings):
    settings.DEBUG = True
    TOTPDevice.objects.create(user=framework_manager, name="Phone", confirmed=False)
    with pytest.raises(CommandError, match="has not set up an authenticator app"):
        call_command("demo_totp", framework_manager.email)


@pytest.mark.django_db
def test_demo_totp_says_when_there_is_no_such_user(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match=r"No user has the e-mail address nobody@example\.org"):
        call_command("demo_totp", "nobody@example.org")


def test_current_code_is_six_digits_with_leading_zeros(framework_manager):
    device = TOTPDevice(user=framework_manager, key="3132333435363738393031323334353637383930")
    # RFC 6238 appendix B test vector (SHA-1, T=59): 94287082, last 6 digits.
    assert current_code(device, at=59) == "287082"


def _now_and_next_step():
    now = time.time()
    return (now - 1, now, now + 1)
