from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from marketplace.organisations import services
from marketplace.organisations.models import Invitation, Membership, Organisation
from tests import factories

REGISTER = {
    "kind": "supplier",
    "legal_name": "Northern Widgets Ltd",
    "company_number": "1234567",
    "region": "TLD",
    "contact_email": "hello@widgets.example",
}


def url(name, *args):
    return reverse(f"organisations:{name}", args=args)


def text(response):
    return response.content.decode()


# --- register --------------------------------------------------------------------------


def test_register_needs_sign_in(client, db):
    response = client.get(url("register"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_register_creates_organisation_and_administrator(client, db):
    user = factories.UserFactory()
    client.force_login(user)

    response = client.post(url("register"), REGISTER)

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", organisation.slug)
    assert Membership.objects.get(organisation=organisation).user == user


def test_register_offers_no_authority_kind_to_ordinary_users(client, db):
    client.force_login(factories.UserFactory())

    response = client.get(url("register"))

    assert 'value="supplier"' in text(response)
    assert 'value="authority"' not in text(response)


def test_register_duplicate_organisation_shows_error_and_saves_nothing(client, db):
    factories.OrganisationFactory(kind="supplier", company_number="01234567")
    client.force_login(factories.UserFactory())

    response = client.post(url("register"), REGISTER)

    assert response.status_code == 200
    assert "<title>Error: Register an organisation" in text(response)
    assert "govuk-error-summary" in text(response)
    assert 'href="#id_company_number"' in text(response)
    assert "An organisation with this Companies House number already exists" in text(response)
    assert Organisation.objects.count() == 1
    assert Membership.objects.count() == 0


def test_register_bad_input_shows_each_error_and_saves_nothing(client, db):
    client.force_login(factories.UserFactory())

    response = client.post(url("register"), {**REGISTER, "ppon": "P-1", "postcode": "LS1"})

    assert "Enter a PPON in the correct format" in text(response)
    assert "Enter a real postcode, like LS1 4AP" in text(response)
    assert Organisation.objects.count() == 0


# --- organisation page -----------------------------------------------------------------


def test_member_sees_details_and_members(client, supplier_admin, supplier, supplier_editor):
    client.force_login(supplier_editor)

    response = client.get(url("detail", supplier.slug))

    assert response.status_code == 200
    assert supplier.legal_name in text(response)
    assert supplier_admin.email in text(response)
    assert "Invite a member" not in text(response)


def test_administrator_sees_pending_invitations(client, supplier_admin, supplier):
    services.invite_member(
        actor=supplier_admin, organisation=supplier, email="waiting@example.org", role="editor"
    )
    client.force_login(supplier_admin)

    response = client.get(url("detail", supplier.slug))

    assert "waiting@example.org" in text(response)
    assert "Invite a member" in text(response)


def test_members_list_is_paginated(client, supplier_admin, supplier):
    factories.MembershipFactory.create_batch(30, organisation=supplier, role="editor")
    client.force_login(supplier_admin)

    first = client.get(url("detail", supplier.slug))
    second = client.get(url("detail", supplier.slug), {"page": 2})

    assert text(first).count('<tr class="govuk-table__row">') == 1 + 25
    assert 'class="govuk-pagination"' in text(first)
    assert text(second).count('<tr class="govuk-table__row">') == 1 + 6
    assert 'aria-current="page">2</a>' in text(second)


def test_members_list_queries_do_not_grow(
    client, supplier_admin, supplier, django_assert_max_num_queries
):
    factories.MembershipFactory.create_batch(30, organisation=supplier, role="editor")
    for n in range(5):
        services.invite_member(
            actor=supplier_admin, organisation=supplier, email=f"p{n}@example.org", role="editor"
        )
    client.force_login(supplier_admin)

    with django_assert_max_num_queries(20):
        response = client.get(url("detail", supplier.slug))

    assert response.status_code == 200


# --- cross-organisation 404s -------------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "edit", "invite"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_organisation_views_are_404_for_non_members(
    client, supplier_admin, other_supplier, name, method
):
    client.force_login(supplier_admin)

    response = getattr(client, method)(url(name, other_supplier.slug))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["change-role", "remove-member"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_membership_views_are_404_for_another_organisations_member(
    client, supplier_admin, supplier, other_supplier, name, method
):
    other = factories.MembershipFactory(organisation=other_supplier, role="editor")
    client.force_login(supplier_admin)

    own_slug = getattr(client, method)(url(name, supplier.slug, other.pk), {"role": "finance"})
    their_slug = getattr(client, method)(url(name, other_supplier.slug, other.pk))

    assert (own_slug.status_code, their_slug.status_code) == (404, 404)
    other.refresh_from_db()
    assert other.role == "editor"


@pytest.mark.parametrize("method", ["get", "post"])
def test_revoke_view_is_404_for_another_organisations_invitation(
    client, supplier_admin, supplier, other_supplier, method
):
    other_admin = factories.MembershipFactory(organisation=other_supplier).user
    invitation, _ = services.invite_member(
        actor=other_admin, organisation=other_supplier, email="x@example.org", role="editor"
    )
    client.force_login(supplier_admin)

    own_slug = getattr(client, method)(url("revoke-invitation", supplier.slug, invitation.pk))
    their_slug = getattr(client, method)(
        url("revoke-invitation", other_supplier.slug, invitation.pk)
    )

    assert (own_slug.status_code, their_slug.status_code) == (404, 404)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize("name", ["edit", "invite"])
def test_member_without_permission_is_refused(client, supplier_editor, supplier, name):
    client.force_login(supplier_editor)

    assert client.get(url(name, supplier.slug)).status_code == 403


# --- edit, invite, revoke, change role, remove ---------------------------------------------


def test_edit_details(client, supplier_admin, supplier):
    client.force_login(supplier_admin)
    data = {
        "legal_name": supplier.legal_name,
        "trading_name": "Widgets",
        "company_number": supplier.company_number,
        "region": "TLE",
        "contact_email": supplier.contact_email,
        "postcode": "ls14ap",
    }

    response = client.post(url("edit", supplier.slug), data)

    supplier.refresh_from_db()
    assert response.status_code == 302
    assert (supplier.trading_name, supplier.region, supplier.postcode) == (
        "Widgets",
        "TLE",
        "LS1 4AP",
    )


def test_edit_with_bad_input_changes_nothing(client, supplier_admin, supplier):
    client.force_login(supplier_admin)
    data = {
        "legal_name": "",
        "company_number": "nonsense",
        "region": supplier.region,
        "contact_email": supplier.contact_email,
    }

    response = client.post(url("edit", supplier.slug), data)

    assert "Enter the organisation&#x27;s legal name" in text(response)
    assert "Enter a Companies House number in the correct format" in text(response)
    refreshed = Organisation.objects.get(pk=supplier.pk)
    assert (refreshed.legal_name, refreshed.company_number) == (
        supplier.legal_name,
        supplier.company_number,
    )


def test_invite_sends_email_with_link(
    client, supplier_admin, supplier, django_capture_on_commit_callbacks
):
    client.force_login(supplier_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite", supplier.slug), {"email": "New.Person@Example.org", "role": "finance"}
        )

    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert (invitation.email, invitation.role) == ("new.person@example.org", "finance")
    [message] = mail.outbox
    assert "http://testserver/organisations/invitations/" in message.body


def test_invite_with_bad_input_sends_nothing(client, supplier_admin, supplier):
    client.force_login(supplier_admin)

    response = client.post(url("invite", supplier.slug), {"email": "nope", "role": "approver"})

    assert "<title>Error: Invite a member" in text(response)
    assert "Select a role" in text(response)
    assert Invitation.objects.count() == 0


def test_revoke_invitation(client, supplier_admin, supplier):
    invitation, _ = services.invite_member(
        actor=supplier_admin, organisation=supplier, email="x@example.org", role="editor"
    )
    client.force_login(supplier_admin)

    response = client.post(url("revoke-invitation", supplier.slug, invitation.pk))

    invitation.refresh_from_db()
    assert response.status_code == 302
    assert invitation.revoked_at is not None


def test_change_role(client, supplier_admin, supplier, supplier_editor):
    membership = Membership.objects.get(user=supplier_editor)
    client.force_login(supplier_admin)

    client.post(url("change-role", supplier.slug, membership.pk), {"role": "finance"})

    membership.refresh_from_db()
    assert membership.role == "finance"


def test_remove_member(client, supplier_admin, supplier, supplier_editor):
    membership = Membership.objects.get(user=supplier_editor)
    client.force_login(supplier_admin)

    response = client.post(url("remove-member", supplier.slug, membership.pk))

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_last_administrator_is_refused_with_a_message(client, supplier_admin, supplier):
    membership = Membership.objects.get(user=supplier_admin)
    client.force_login(supplier_admin)

    response = client.post(url("remove-member", supplier.slug, membership.pk))

    assert response.status_code == 409
    assert f"You cannot remove the last administrator of {supplier}" in text(response)
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- accepting an invitation ---------------------------------------------------------------


@pytest.fixture
def invitation_token(supplier_admin, supplier):
    _invitation, token = services.invite_member(
        actor=supplier_admin, organisation=supplier, email="invited@example.org", role="editor"
    )
    return token


def test_invitation_page_shows_organisation_and_role(client, invitation_token, supplier):
    invited = factories.UserFactory(email="invited@example.org")
    client.force_login(invited)

    response = client.get(url("invitation", invitation_token))

    assert response.status_code == 200
    assert supplier.name in text(response)
    assert "Editor" in text(response)
    assert "Accept invitation" in text(response)


def test_signed_in_invitee_accepts(client, invitation_token, supplier):
    invited = factories.UserFactory(email="invited@example.org")
    client.force_login(invited)

    response = client.post(url("invitation", invitation_token))

    assert response.status_code == 302
    assert response["Location"] == url("detail", supplier.slug)
    assert Membership.objects.get(user=invited).role == "editor"


def test_reused_invitation_shows_clear_page(client, invitation_token):
    invited = factories.UserFactory(email="invited@example.org")
    client.force_login(invited)
    client.post(url("invitation", invitation_token))
    Membership.objects.filter(user=invited).delete()

    response = client.post(url("invitation", invitation_token))

    assert response.status_code == 410
    assert '<h1 class="govuk-heading-l">This invitation has already been used</h1>' in text(
        response
    )
    assert Membership.objects.filter(user=invited).count() == 0


def test_expired_invitation_shows_clear_page(client, invitation_token):
    Invitation.objects.update(expires_at=timezone.now())
    invited = factories.UserFactory(email="invited@example.org")
    client.force_login(invited)

    response = client.post(url("invitation", invitation_token))

    assert response.status_code == 410
    assert "This invitation has expired" in text(response)
    assert Membership.objects.filter(user=invited).count() == 0


def test_revoked_invitation_shows_clear_page(client, invitation_token):
    Invitation.objects.update(revoked_at=timezone.now())

    response = client.get(url("invitation", invitation_token))

    assert response.status_code == 410
    assert "This invitation has been withdrawn" in text(response)


def test_unknown_invitation_shows_not_valid_page(client, db):
    response = client.get(url("invitation", "made-up-token"))

    assert response.status_code == 404
    assert "This invitation link is not valid" in text(response)


def test_signed_in_as_someone_else_is_explained(client, invitation_token, supplier_editor):
    client.force_login(supplier_editor)

    get = client.get(url("invitation", invitation_token))
    post = client.post(url("invitation", invitation_token))

    assert get.status_code == 403
    assert f"You are signed in as {supplier_editor.email}" in text(get)
    assert post.status_code == 403
    assert Invitation.objects.get().accepted_at is None


def test_existing_account_is_asked_to_sign_in(client, invitation_token):
    factories.UserFactory(email="invited@example.org")

    response = client.get(url("invitation", invitation_token))

    assert "Sign in</a> to accept the invitation" in text(response)
    assert "Create your account" not in text(response)


def test_new_account_path_creates_user_membership_and_signs_in(client, invitation_token, supplier):
    response = client.post(
        url("invitation", invitation_token),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "password1": "a-long-Unusual-passphrase",
            "password2": "a-long-Unusual-passphrase",
        },
    )

    membership = Membership.objects.get(user__email="invited@example.org")
    assert response.status_code == 302
    assert (membership.organisation, membership.role) == (supplier, "editor")
    assert int(client.session["_auth_user_id"]) == membership.user_id


def test_new_account_with_weak_password_creates_nothing(client, invitation_token):
    from django.contrib.auth import get_user_model

    response = client.post(
        url("invitation", invitation_token),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "password1": "password",
            "password2": "password",
        },
    )

    assert response.status_code == 200
    assert "<title>Error: Join" in text(response)
    assert "This password is too short" in text(response)
    assert not get_user_model().objects.filter(email="invited@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


# --- your organisations and refusals shown in forms ----------------------------------------


def test_index_lists_only_the_users_organisations(client, supplier_admin, supplier, other_supplier):
    client.force_login(supplier_admin)

    response = client.get(url("index"))

    assert supplier.name in text(response)
    assert other_supplier.name not in text(response)


def test_index_queries_do_not_grow(client, django_assert_max_num_queries, db):
    user = factories.UserFactory()
    for organisation in factories.OrganisationFactory.create_batch(10):
        factories.MembershipFactory(user=user, organisation=organisation, role="editor")
    client.force_login(user)

    with django_assert_max_num_queries(15):
        response = client.get(url("index"))

    assert response.status_code == 200


def test_inviting_an_existing_member_shows_the_refusal(client, supplier_admin, supplier_editor):
    client.force_login(supplier_admin)
    slug = supplier_editor.memberships.get().organisation.slug

    response = client.post(url("invite", slug), {"email": supplier_editor.email, "role": "finance"})

    assert response.status_code == 200
    assert "is already a member of" in text(response)
    assert Invitation.objects.count() == 0


def test_invite_hint_states_the_configured_validity(client, supplier_admin, supplier, settings):
    from datetime import timedelta

    settings.INVITATION_VALID_FOR = timedelta(days=3)
    client.force_login(supplier_admin)

    response = client.get(url("invite", supplier.slug))

    assert "It works for 3 days." in text(response)


def test_superuser_may_register_an_authority(verified_client, db):
    user = factories.UserFactory(is_superuser=True, is_staff=True)
    client = verified_client(user)

    response = client.post(
        url("register"), {**REGISTER, "kind": "authority", "legal_name": "North Combined Authority"}
    )

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert organisation.kind == "authority"
    assert Membership.objects.get(organisation=organisation).role == "framework_manager"


def test_ordinary_user_cannot_register_an_authority(client, db):
    client.force_login(factories.UserFactory())

    response = client.post(url("register"), {**REGISTER, "kind": "authority"})

    assert "Select what kind of organisation it is" in text(response)
    assert Organisation.objects.count() == 0
