"""Authority staff reach the Wagtail admin through their membership, and lose it with it."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

import pytest

from frameworks.setup import ensure_authority_section
from marketplace.organisations import services
from marketplace.organisations.admin_access import staff_group, staff_group_name
from marketplace.organisations.models import Membership
from tests import factories
from tests.helpers import sign_in_with_second_factor

NEW_EMAIL = "new.colleague@example.gov.uk"


@pytest.fixture
def section(authority, framework_manager):
    return ensure_authority_section(authority=authority)


@pytest.fixture
def other_section(db):
    return ensure_authority_section(authority=factories.OrganisationFactory(kind="authority"))


def invite_and_accept(actor, authority, role):
    _invitation, token = services.invite_member(
        actor=actor, organisation=authority, email=NEW_EMAIL, role=role
    )
    user = factories.UserFactory(email=NEW_EMAIL)
    services.accept_invitation(token=token, user=user)
    return user


def admin_client(user):
    client = Client()
    sign_in_with_second_factor(client, user)
    return client


def staff(authority):
    return set(staff_group(authority).user_set.all())


@pytest.mark.parametrize("role", ["framework_manager", "reviewer"])
def test_invited_staff_join_the_authoritys_group(framework_manager, authority, section, role):
    user = invite_and_accept(framework_manager, authority, role)

    assert staff(authority) == {framework_manager, user}


def test_staff_joining_with_a_new_account_join_the_group(framework_manager, authority, section):
    _invitation, token = services.invite_member(
        actor=framework_manager, organisation=authority, email=NEW_EMAIL, role="reviewer"
    )

    user, _membership = services.accept_invitation_with_new_account(
        token=token, first_name="Ada", last_name="Lovelace", password="a-long-Unusual-passphrase"
    )

    assert staff(authority) == {framework_manager, user}


def test_invited_staff_edit_pages_in_their_section_only(
    framework_manager, authority, section, other_section
):
    client = admin_client(invite_and_accept(framework_manager, authority, "reviewer"))

    own = client.get(reverse("wagtailadmin_pages:edit", args=(section.pk,)))
    other = client.get(reverse("wagtailadmin_pages:edit", args=(other_section.pk,)))

    assert own.status_code == 200
    assert (other.status_code, other.url) == (302, reverse("wagtailadmin_home"))


def test_removed_member_loses_the_admin(framework_manager, authority, section):
    user = invite_and_accept(framework_manager, authority, "reviewer")
    client = admin_client(user)
    membership = Membership.objects.get(user=user, organisation=authority)

    services.remove_member(actor=framework_manager, membership=membership)

    edit_url = reverse("wagtailadmin_pages:edit", args=(section.pk,))
    response = client.get(edit_url)
    assert staff(authority) == {framework_manager}
    assert (response.status_code, response.url) == (
        302,
        f"{reverse('accounts:sign-in')}?next={edit_url}",
    )


def test_changing_role_within_the_authority_keeps_admin_access(
    framework_manager, authority, section, reviewer
):
    membership = Membership.objects.get(user=reviewer, organisation=authority)

    services.change_role(actor=framework_manager, membership=membership, role="framework_manager")

    assert staff(authority) == {framework_manager, reviewer}


def test_superuser_registering_an_authority_joins_its_group(db):
    user = factories.UserFactory(is_superuser=True)

    authority = services.create_organisation(
        actor=user,
        kind="authority",
        legal_name="Northern Combined Authority",
        region="TLD",
        contact_email="procurement@northern.example.gov.uk",
    )

    assert staff(authority) == {user}


def test_registering_a_supplier_makes_no_staff_group(db):
    organisation = services.create_organisation(
        actor=factories.UserFactory(),
        kind="supplier",
        legal_name="Northern Widgets Ltd",
        company_number="01234567",
        region="TLD",
        contact_email="hello@widgets.example",
    )

    assert not Group.objects.filter(name=staff_group_name(organisation)).exists()


def test_group_change_rolls_back_with_the_membership(framework_manager, authority, section):
    _invitation, token = services.invite_member(
        actor=framework_manager, organisation=authority, email=NEW_EMAIL, role="reviewer"
    )
    user = factories.UserFactory(email=NEW_EMAIL)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.accept_invitation(token=token, user=user)
        raise RuntimeError("a later step of the same request fails")

    assert staff(authority) == {framework_manager}
