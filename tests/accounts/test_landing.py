"""Where people land after signing in, when they did not ask for a page: where their work is."""

from django.urls import reverse

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.totp import current_code
from marketplace.organisations.selectors import ACTING_ORGANISATION_SESSION_KEY
from tests import factories
from tests.accounts.conftest import sign_in_data

SIGN_IN = reverse("accounts:sign-in")
TWO_FACTOR = reverse("accounts:two-factor")


def test_supplier_lands_on_the_supplier_dashboard(client, supplier_admin):
    response = client.post(SIGN_IN, sign_in_data(supplier_admin.email))
    assert response.url == "/supplier/"


def test_buyer_lands_on_the_buyer_home(client, procurement_officer):
    response = client.post(SIGN_IN, sign_in_data(procurement_officer.email))
    assert response.url == "/buy/"


def test_someone_without_an_organisation_lands_on_their_account(client, person):
    response = client.post(SIGN_IN, sign_in_data(person.email))
    assert response.url == "/account/"


def test_member_of_several_organisations_lands_on_their_account_to_choose(
    client, supplier_admin, buyer
):
    factories.MembershipFactory(user=supplier_admin, organisation=buyer, role="approver")
    response = client.post(SIGN_IN, sign_in_data(supplier_admin.email))
    assert response.url == "/account/"


def test_safe_next_wins_over_the_landing_page(client, supplier_admin):
    response = client.post(SIGN_IN, sign_in_data(supplier_admin.email, next="/frameworks/"))
    assert response.url == "/frameworks/"


def test_unsafe_next_is_replaced_by_the_landing_page(client, supplier_admin):
    response = client.post(
        SIGN_IN, sign_in_data(supplier_admin.email, next="https://evil.example/")
    )
    assert response.url == "/supplier/"


@pytest.mark.django_db
def test_sign_in_form_carries_no_next_when_none_was_asked_for(client):
    """It once carried next=/account/, which then won over the landing page."""
    response = client.get(SIGN_IN)
    assert response.context["next"] == ""
    assert b'name="next" value="/account/"' not in response.content


def test_authority_staff_land_on_the_admin_dashboard_after_the_second_factor(
    client, framework_manager
):
    device = TOTPDevice.objects.create(user=framework_manager, name="Phone", confirmed=True)

    response = client.post(SIGN_IN, sign_in_data(framework_manager.email))
    assert response.url == TWO_FACTOR
    response = client.post(response.url, {"code": current_code(device)})

    assert response.url == "/admin/"


def test_superuser_lands_on_the_admin_dashboard(client, db):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    device = TOTPDevice.objects.create(user=superuser, name="Phone", confirmed=True)

    client.post(SIGN_IN, sign_in_data(superuser.email))
    response = client.post(TWO_FACTOR, {"code": current_code(device)})

    assert response.url == "/admin/"


def test_second_factor_keeps_a_safe_next(client, framework_manager):
    device = TOTPDevice.objects.create(user=framework_manager, name="Phone", confirmed=True)

    response = client.post(SIGN_IN, sign_in_data(framework_manager.email, next="/frameworks/"))
    response = client.post(response.url, {"code": current_code(device), "next": "/frameworks/"})

    assert response.url == "/frameworks/"


def test_member_of_several_organisations_lands_by_the_one_they_act_for(
    client, framework_manager, buyer
):
    """The second factor comes after sign-in, so the acting organisation may be chosen by then."""
    factories.MembershipFactory(user=framework_manager, organisation=buyer, role="approver")
    device = TOTPDevice.objects.create(user=framework_manager, name="Phone", confirmed=True)
    client.post(SIGN_IN, sign_in_data(framework_manager.email))
    session = client.session
    session[ACTING_ORGANISATION_SESSION_KEY] = buyer.pk
    session.save()

    response = client.post(TWO_FACTOR, {"code": current_code(device)})

    assert response.url == "/buy/"
