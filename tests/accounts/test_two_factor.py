from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.totp import current_code, secret_for_display
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from tests.accounts.conftest import sign_in_data
from tests.factories import UserFactory
from tests.helpers import sign_in_with_second_factor

TWO_FACTOR = reverse("accounts:two-factor")
WRONG_CODE = "The code is not correct. Enter the latest 6-digit code from your authenticator app"


@pytest.fixture
def confirmed_device(framework_manager):
    return TOTPDevice.objects.create(user=framework_manager, name="Phone", confirmed=True)


def wrong_code_for(device):
    return f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"


def test_authority_member_is_sent_to_the_two_factor_step(client, framework_manager):
    client.force_login(framework_manager)
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response.url == f"{TWO_FACTOR}?next=%2Faccount%2F"


def test_member_of_a_supplier_is_not_asked_for_a_second_factor(client, supplier_admin):
    client.force_login(supplier_admin)
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200


def test_staff_user_is_sent_to_the_two_factor_step(client, db):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("accounts:dashboard"))
    assert response.url.startswith(TWO_FACTOR)


def test_wagtail_admin_user_is_sent_to_the_two_factor_step(client, wagtail_editor):
    client.force_login(wagtail_editor)
    response = client.get(reverse("accounts:dashboard"))
    assert response.url.startswith(TWO_FACTOR)


def test_two_factor_page_needs_a_signed_in_user(client, db):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_setup_page_shows_the_secret_and_an_inline_qr_code(client, framework_manager):
    client.force_login(framework_manager)
    response = client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=framework_manager, confirmed=False)
    content = response.content.decode()
    assert response.templates[0].name == "accounts/two_factor_setup.html"
    assert secret_for_display(device) in content
    assert '<svg width="200" height="200"' in content
    assert 'role="img" aria-labelledby="qr-code-title"' in content
    assert (
        '<title id="qr-code-title">QR code to scan with your authenticator app</title>' in content
    )
    assert "<img" not in content.split("<main", 1)[1]


def test_secret_is_grouped_in_fours_for_reading(framework_manager):
    device = TOTPDevice(user=framework_manager, key="00" * 20)
    assert secret_for_display(device) == "AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA"


def test_setup_page_keeps_the_same_secret_when_reloaded(client, framework_manager):
    client.force_login(framework_manager)
    client.get(TWO_FACTOR)
    client.get(TWO_FACTOR)
    assert TOTPDevice.objects.filter(user=framework_manager).count() == 1


def test_correct_code_confirms_the_device_and_verifies_the_session(client, framework_manager):
    client.force_login(framework_manager)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=framework_manager)
    response = client.post(TWO_FACTOR, {"code": current_code(device), "next": "/account/"})
    device.refresh_from_db()
    assert response.status_code == 302
    assert response.url == "/account/"
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_confirming_a_device_is_audited(client, framework_manager):
    client.force_login(framework_manager)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=framework_manager)
    client.post(TWO_FACTOR, {"code": current_code(device)})
    event = AuditEvent.objects.get(kind=AuditKind.SECOND_FACTOR_ADDED)
    assert event.actor == framework_manager
    assert event.target_object_id == str(device.pk)


def test_wrong_code_during_setup_leaves_the_device_unconfirmed(client, framework_manager):
    client.force_login(framework_manager)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=framework_manager)
    response = client.post(TWO_FACTOR, {"code": wrong_code_for(device)})
    device.refresh_from_db()
    assert response.context["form"].errors == {"code": [WRONG_CODE]}
    assert device.confirmed is False
    assert not AuditEvent.objects.filter(kind=AuditKind.SECOND_FACTOR_ADDED).exists()


def test_user_with_a_device_is_asked_for_a_code(client, framework_manager, confirmed_device):
    client.force_login(framework_manager)
    response = client.get(TWO_FACTOR)
    assert response.templates[0].name == "accounts/two_factor_verify.html"
    assert b"qr-code-title" not in response.content
    assert TOTPDevice.objects.filter(user=framework_manager).count() == 1


def test_correct_code_verifies_the_session(client, framework_manager, confirmed_device):
    client.force_login(framework_manager)
    response = client.post(TWO_FACTOR, {"code": current_code(confirmed_device)})
    assert response.url == "/admin/"
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_code_with_spaces_is_accepted(client, framework_manager, confirmed_device):
    client.force_login(framework_manager)
    code = current_code(confirmed_device)
    client.post(TWO_FACTOR, {"code": f" {code[:3]} {code[3:]} "})
    assert client.session[DEVICE_ID_SESSION_KEY] == confirmed_device.persistent_id


def test_wrong_code_is_refused_with_a_clear_error(client, framework_manager, confirmed_device):
    client.force_login(framework_manager)
    response = client.post(TWO_FACTOR, {"code": wrong_code_for(confirmed_device)})
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": [WRONG_CODE]}
    assert b"<title>Error: Enter the code" in response.content
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_wrong_code_counts_towards_throttling(client, framework_manager, confirmed_device):
    client.force_login(framework_manager)
    client.post(TWO_FACTOR, {"code": wrong_code_for(confirmed_device)})
    confirmed_device.refresh_from_db()
    assert confirmed_device.throttling_failure_count == 1


def test_empty_code_asks_for_the_code(client, framework_manager, confirmed_device):
    client.force_login(framework_manager)
    response = client.post(TWO_FACTOR, {"code": ""})
    assert response.context["form"].errors == {
        "code": ["Enter the 6-digit code from your authenticator app"]
    }


@pytest.mark.parametrize("code", ["abcdef", "12345", "1234567", "12345a", "١٢٣٤٥٦"])
def test_code_that_is_not_6_digits_is_refused(client, framework_manager, confirmed_device, code):
    client.force_login(framework_manager)
    response = client.post(TWO_FACTOR, {"code": code})
    assert response.context["form"].errors == {"code": ["Enter the code as 6 digits, like 123456"]}
    confirmed_device.refresh_from_db()
    assert confirmed_device.throttling_failure_count == 0


def test_throttled_device_refuses_even_the_right_code(client, framework_manager, confirmed_device):
    confirmed_device.throttling_failure_count = 10
    confirmed_device.throttling_failure_timestamp = timezone.now()
    confirmed_device.save()
    client.force_login(framework_manager)
    response = client.post(TWO_FACTOR, {"code": current_code(confirmed_device)})
    [message] = response.context["form"].errors["code"]
    assert message.startswith("You have entered too many wrong codes. Wait ")
    assert message.endswith(" seconds and try again")
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_throttling_ends_after_the_wait(client, framework_manager, confirmed_device):
    confirmed_device.throttling_failure_count = 3
    confirmed_device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=5)
    confirmed_device.save()
    client.force_login(framework_manager)
    client.post(TWO_FACTOR, {"code": current_code(confirmed_device)})
    assert client.session[DEVICE_ID_SESSION_KEY] == confirmed_device.persistent_id


def test_another_users_device_is_never_used(client, framework_manager, reviewer):
    other_device = TOTPDevice.objects.create(user=reviewer, name="Phone", confirmed=True)
    client.force_login(framework_manager)
    response = client.post(TWO_FACTOR, {"code": current_code(other_device)})
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert response.templates[0].name == "accounts/two_factor_setup.html"


def test_unsafe_next_after_the_code_goes_to_the_admin_dashboard(
    client, framework_manager, confirmed_device
):
    client.force_login(framework_manager)
    response = client.post(
        TWO_FACTOR, {"code": current_code(confirmed_device), "next": "https://evil.example/"}
    )
    assert response.url == "/admin/"


def test_verified_user_visiting_the_page_goes_on_to_next(client, framework_manager):
    sign_in_with_second_factor(client, framework_manager)
    response = client.get(TWO_FACTOR, {"next": "/account/"})
    assert response.url == "/account/"


def test_full_journey_password_then_code_reaches_next(client, framework_manager, confirmed_device):
    response = client.post(
        reverse("accounts:sign-in"), sign_in_data(framework_manager.email, next="/account/")
    )
    response = client.post(
        response.url, {"code": current_code(confirmed_device), "next": "/account/"}
    )
    assert response.url == "/account/"
    assert client.get("/account/").status_code == 200
