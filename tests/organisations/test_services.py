from datetime import timedelta

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from marketplace.organisations import services
from marketplace.organisations.models import Invitation, Membership, Organisation, hash_token
from marketplace.organisations.policy import PolicyDenied
from tests import factories

SUPPLIER_FIELDS = {
    "legal_name": "Northern Widgets Ltd",
    "company_number": "1234567",
    "region": "TLD",
    "contact_email": "Hello@Widgets.example",
    "postcode": "m1 1aa",
}


def audit_events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


# --- create_organisation -------------------------------------------------------------------


def test_create_organisation_makes_the_creator_its_administrator(db):
    user = factories.UserFactory()

    organisation = services.create_organisation(actor=user, kind="supplier", **SUPPLIER_FIELDS)

    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (user, "supplier_admin")


def test_create_organisation_normalises_identifiers(db):
    organisation = services.create_organisation(
        actor=factories.UserFactory(), kind="supplier", **SUPPLIER_FIELDS
    )

    assert (organisation.company_number, organisation.postcode, organisation.contact_email) == (
        "01234567",
        "M1 1AA",
        "hello@widgets.example",
    )


@pytest.mark.parametrize(
    ("kind", "role"), [("buyer", "approver"), ("authority", "framework_manager")]
)
def test_administrator_role_depends_on_kind(db, kind, role):
    user = factories.UserFactory(is_superuser=True)

    organisation = services.create_organisation(actor=user, kind=kind, **SUPPLIER_FIELDS)

    assert Membership.objects.get(organisation=organisation).role == role


def test_only_superusers_may_create_authorities(db):
    with pytest.raises(PolicyDenied):
        services.create_organisation(
            actor=factories.UserFactory(), kind="authority", **SUPPLIER_FIELDS
        )

    assert Organisation.objects.count() == 0


def test_supplier_without_company_or_charity_number_is_refused(db):
    fields = {**SUPPLIER_FIELDS, "company_number": ""}

    with pytest.raises(ValidationError) as error:
        services.create_organisation(actor=factories.UserFactory(), kind="supplier", **fields)

    assert error.value.message_dict == {
        "company_number": ["Enter a Companies House number or a charity number"]
    }
    assert Organisation.objects.count() == 0


def test_create_organisation_writes_an_audit_event(db):
    user = factories.UserFactory()

    organisation = services.create_organisation(actor=user, kind="supplier", **SUPPLIER_FIELDS)

    [event] = audit_events(AuditKind.ORGANISATION_CREATED)
    assert (event.actor_id, event.organisation_id, event.target_object_id) == (
        user.pk,
        organisation.pk,
        str(organisation.pk),
    )
    assert event.data == {
        "kind": "supplier",
        "legal_name": "Northern Widgets Ltd",
        "role": "supplier_admin",
    }


# --- update_organisation -------------------------------------------------------------------


def test_update_organisation_records_old_and_new_values(supplier_admin, supplier):
    services.update_organisation(
        actor=supplier_admin, organisation=supplier, trading_name="Widgets"
    )

    supplier.refresh_from_db()
    assert supplier.trading_name == "Widgets"
    [event] = audit_events(AuditKind.ORGANISATION_UPDATED)
    assert event.data == {"changes": {"trading_name": ["", "Widgets"]}}


def test_update_organisation_refused_for_editor(supplier_editor, supplier):
    with pytest.raises(PolicyDenied):
        services.update_organisation(actor=supplier_editor, organisation=supplier, trading_name="X")

    supplier.refresh_from_db()
    assert supplier.trading_name == ""


def test_update_organisation_cannot_change_kind(supplier_admin, supplier):
    with pytest.raises(DomainError):
        services.update_organisation(actor=supplier_admin, organisation=supplier, kind="buyer")

    supplier.refresh_from_db()
    assert supplier.kind == "supplier"


# --- invitations ---------------------------------------------------------------------------


def invite(actor, organisation, email="new.person@example.org", role="editor"):
    return services.invite_member(actor=actor, organisation=organisation, email=email, role=role)


def test_invite_member_stores_only_the_token_hash(supplier_admin, supplier):
    invitation, token = invite(supplier_admin, supplier)

    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert len(token) >= 43


def test_invite_member_expires_after_the_configured_period(supplier_admin, supplier, settings):
    settings.INVITATION_VALID_FOR = timedelta(days=3)
    before = timezone.now()

    invitation, _token = invite(supplier_admin, supplier)

    assert before + timedelta(days=3) <= invitation.expires_at <= timezone.now() + timedelta(days=3)


def test_invitation_email_is_sent_on_commit_with_the_link(
    supplier_admin, supplier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _invitation, token = invite(supplier_admin, supplier)

    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert message.subject == f"You have been invited to join {supplier.name}"
    assert f"http://testserver/organisations/invitations/{token}/" in message.body


def test_invitation_email_not_sent_before_commit(
    supplier_admin, supplier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invite(supplier_admin, supplier)

    assert mail.outbox == []


def test_invite_member_refuses_role_of_another_kind(supplier_admin, supplier):
    with pytest.raises(DomainError):
        invite(supplier_admin, supplier, role="framework_manager")

    assert Invitation.objects.count() == 0


def test_invite_member_refuses_existing_member(supplier_admin, supplier, supplier_editor):
    with pytest.raises(DomainError) as error:
        invite(supplier_admin, supplier, email=supplier_editor.email.upper())

    assert str(error.value) == f"{supplier_editor.email} is already a member of {supplier}"


def test_invite_member_refuses_a_second_pending_invitation(supplier_admin, supplier):
    invite(supplier_admin, supplier)

    with pytest.raises(DomainError):
        invite(supplier_admin, supplier)

    assert Invitation.objects.count() == 1


def test_invite_member_refused_without_manage_members(supplier_editor, supplier):
    with pytest.raises(PolicyDenied):
        invite(supplier_editor, supplier)

    assert Invitation.objects.count() == 0


def test_invite_member_writes_an_audit_event(supplier_admin, supplier):
    invitation, _token = invite(supplier_admin, supplier)

    [event] = audit_events(AuditKind.MEMBER_INVITED)
    assert (event.organisation_id, event.target_object_id, event.data) == (
        supplier.pk,
        str(invitation.pk),
        {"email": "new.person@example.org", "role": "editor"},
    )


def test_accept_invitation_creates_the_membership(supplier_admin, supplier):
    _invitation, token = invite(supplier_admin, supplier)
    user = factories.UserFactory(email="new.person@example.org")

    membership = services.accept_invitation(token=token, user=user)

    assert (membership.user, membership.organisation, membership.role) == (user, supplier, "editor")


def test_accept_invitation_marks_it_used(supplier_admin, supplier):
    invitation, token = invite(supplier_admin, supplier)
    user = factories.UserFactory(email="new.person@example.org")

    services.accept_invitation(token=token, user=user)

    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None


def test_accept_invitation_writes_an_audit_event(supplier_admin, supplier):
    _invitation, token = invite(supplier_admin, supplier)
    user = factories.UserFactory(email="new.person@example.org")

    membership = services.accept_invitation(token=token, user=user)

    [event] = audit_events(AuditKind.INVITATION_ACCEPTED)
    assert (event.actor_id, event.organisation_id, event.target_object_id) == (
        user.pk,
        supplier.pk,
        str(membership.pk),
    )


def test_invitation_is_single_use(supplier_admin, supplier):
    _invitation, token = invite(supplier_admin, supplier)
    user = factories.UserFactory(email="new.person@example.org")
    services.accept_invitation(token=token, user=user)
    Membership.objects.filter(user=user).delete()

    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token=token, user=user)

    assert (error.value.code, str(error.value)) == ("used", "This invitation has already been used")
    assert Membership.objects.filter(user=user).count() == 0


def test_expired_invitation_is_refused(supplier_admin, supplier):
    invitation, token = invite(supplier_admin, supplier)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    user = factories.UserFactory(email="new.person@example.org")

    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token=token, user=user)

    assert (error.value.code, str(error.value)) == ("expired", "This invitation has expired")
    assert Membership.objects.filter(user=user).count() == 0


def test_revoked_invitation_is_refused(supplier_admin, supplier):
    invitation, token = invite(supplier_admin, supplier)
    services.revoke_invitation(actor=supplier_admin, invitation=invitation)
    user = factories.UserFactory(email="new.person@example.org")

    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token=token, user=user)

    assert error.value.code == "revoked"
    assert Membership.objects.filter(user=user).count() == 0


def test_unknown_token_is_refused(supplier_admin):
    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token="not-a-token", user=supplier_admin)

    assert (error.value.code, str(error.value)) == ("invalid", "This invitation link is not valid")


def test_invitation_for_another_address_is_refused(supplier_admin, supplier):
    _invitation, token = invite(supplier_admin, supplier)
    someone_else = factories.UserFactory(email="someone.else@example.org")

    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token=token, user=someone_else)

    assert error.value.code == "wrong_user"
    assert Membership.objects.filter(user=someone_else).count() == 0


def test_accept_with_new_account_creates_user_and_membership(supplier_admin, supplier):
    _invitation, token = invite(supplier_admin, supplier)

    user, membership = services.accept_invitation_with_new_account(
        token=token, first_name="Ada", last_name="Lovelace", password="a-long-Unusual-passphrase"
    )

    assert (user.email, user.get_full_name(), membership.organisation) == (
        "new.person@example.org",
        "Ada Lovelace",
        supplier,
    )
    assert user.check_password("a-long-Unusual-passphrase")
    assert [e.kind for e in AuditEvent.objects.filter(actor=user).order_by("pk")] == [
        AuditKind.ACCOUNT_CREATED,
        AuditKind.INVITATION_ACCEPTED,
    ]


def test_revoke_invitation_writes_an_audit_event(supplier_admin, supplier):
    invitation, _token = invite(supplier_admin, supplier)

    services.revoke_invitation(actor=supplier_admin, invitation=invitation)

    [event] = audit_events(AuditKind.INVITATION_REVOKED)
    assert (event.actor_id, event.target_object_id) == (supplier_admin.pk, str(invitation.pk))


def test_revoke_invitation_of_another_organisation_is_refused(supplier_admin, other_supplier):
    other_admin = factories.MembershipFactory(organisation=other_supplier).user
    invitation, _token = invite(other_admin, other_supplier)

    with pytest.raises(PolicyDenied):
        services.revoke_invitation(actor=supplier_admin, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- change_role and remove_member ---------------------------------------------------------


def test_change_role(supplier_admin, supplier):
    membership = factories.MembershipFactory(organisation=supplier, role="editor")

    services.change_role(actor=supplier_admin, membership=membership, role="finance")

    membership.refresh_from_db()
    assert membership.role == "finance"
    [event] = audit_events(AuditKind.MEMBERSHIP_ROLE_CHANGED)
    assert event.data == {"user": membership.user.email, "from": "editor", "to": "finance"}


def test_change_role_refuses_role_of_another_kind(supplier_admin, supplier):
    membership = factories.MembershipFactory(organisation=supplier, role="editor")

    with pytest.raises(DomainError):
        services.change_role(actor=supplier_admin, membership=membership, role="approver")

    membership.refresh_from_db()
    assert membership.role == "editor"


def test_last_administrator_cannot_demote_themselves(supplier_admin, supplier):
    membership = Membership.objects.get(user=supplier_admin)

    with pytest.raises(DomainError):
        services.change_role(actor=supplier_admin, membership=membership, role="editor")

    membership.refresh_from_db()
    assert membership.role == "supplier_admin"


def test_administrator_can_step_down_when_another_remains(supplier_admin, supplier):
    factories.MembershipFactory(organisation=supplier, role="supplier_admin")
    membership = Membership.objects.get(user=supplier_admin)

    services.change_role(actor=supplier_admin, membership=membership, role="editor")

    membership.refresh_from_db()
    assert membership.role == "editor"


def test_remove_member(supplier_admin, supplier, supplier_editor):
    membership = Membership.objects.get(user=supplier_editor)

    services.remove_member(actor=supplier_admin, membership=membership)

    assert Membership.objects.filter(user=supplier_editor).count() == 0
    [event] = audit_events(AuditKind.MEMBERSHIP_REMOVED)
    assert event.data == {"user": supplier_editor.email, "role": "editor"}


def test_last_administrator_cannot_be_removed(supplier_admin, supplier):
    membership = Membership.objects.get(user=supplier_admin)

    with pytest.raises(DomainError) as error:
        services.remove_member(actor=supplier_admin, membership=membership)

    assert str(error.value) == f"You cannot remove the last administrator of {supplier}"
    assert Membership.objects.filter(user=supplier_admin).count() == 1
    assert audit_events(AuditKind.MEMBERSHIP_REMOVED) == []


def test_remove_member_of_another_organisation_is_refused(supplier_admin, other_supplier):
    membership = factories.MembershipFactory(organisation=other_supplier, role="editor")

    with pytest.raises(PolicyDenied):
        services.remove_member(actor=supplier_admin, membership=membership)

    assert Membership.objects.filter(pk=membership.pk).exists()


def test_editor_cannot_remove_members(supplier_editor, supplier, supplier_finance):
    membership = Membership.objects.get(user=supplier_finance)

    with pytest.raises(PolicyDenied):
        services.remove_member(actor=supplier_editor, membership=membership)

    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_council_cannot_be_registered_as_another_buyer_by_name(db):
    user = factories.UserFactory(is_superuser=True)
    fields = {**SUPPLIER_FIELDS, "legal_name": "manchester city council"}

    with pytest.raises(DomainError, match="choosing it from the list of councils"):
        services.create_organisation(actor=user, kind="buyer", **fields)

    assert Organisation.objects.count() == 0
