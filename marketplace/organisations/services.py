"""State changes for organisations, memberships and invitations: one function per action.

Every change to an authority's memberships re-syncs its Wagtail staff group inside the same
transaction, not on commit: admin access is a grant like the membership itself, so both commit
or roll back together, and a removed member can never keep admin access because a deferred
step failed after the removal had committed.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.exceptions import DomainError

from . import policy
from .admin_access import sync_staff_group
from .models import Invitation, Membership, Organisation, hash_token, unique_slug
from .roles import Action, administrator_role, roles_for_kind

# Fields a member may change with update_organisation; kind and slug are fixed at creation.
EDITABLE_FIELDS = (
    "legal_name",
    "trading_name",
    "company_number",
    "council_code",
    "charity_number",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "region",
    "is_sme",
    "is_vcse",
    "contact_email",
)


class InvitationError(DomainError):
    """An invitation link that cannot be used; code is "invalid", "expired", "used" or
    "revoked" so a view can show the matching page."""


INVITATION_MESSAGES = {
    "invalid": gettext_lazy("This invitation link is not valid"),
    "expired": gettext_lazy("This invitation has expired"),
    "used": gettext_lazy("This invitation has already been used"),
    "revoked": gettext_lazy("This invitation has been withdrawn"),
}


def _unknown_fields(fields: dict) -> set[str]:
    return set(fields) - set(EDITABLE_FIELDS)


@transaction.atomic
def create_organisation(*, actor, kind: str, **fields) -> Organisation:
    """Register an organisation; the actor becomes its administrator."""
    policy.require_create_organisation(actor, kind)
    if unknown := _unknown_fields(fields):
        raise DomainError(_("Unknown organisation fields: %s") % ", ".join(sorted(unknown)))
    organisation = Organisation(kind=kind, **fields)
    organisation.slug = unique_slug(organisation.legal_name)
    organisation.full_clean()
    organisation.save()
    membership = Membership.objects.create(
        user=actor, organisation=organisation, role=administrator_role(kind)
    )
    policy.forget_memberships(actor)
    sync_staff_group(organisation)
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.ORGANISATION_CREATED,
        target=organisation,
        data={"kind": kind, "legal_name": organisation.legal_name, "role": membership.role},
    )
    return organisation


@transaction.atomic
def update_organisation(*, actor, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's details; records each changed field's old and new value."""
    policy.require(actor, Action.EDIT_ORGANISATION, organisation)
    if unknown := _unknown_fields(fields):
        raise DomainError(_("These details cannot be changed: %s") % ", ".join(sorted(unknown)))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {name: getattr(organisation, name) for name in EDITABLE_FIELDS}
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    changes = {
        name: [before[name], getattr(organisation, name)]
        for name in EDITABLE_FIELDS
        if before[name] != getattr(organisation, name)
    }
    if changes:
        organisation.save()
        audit.record(
            actor=actor,
            organisation=organisation,
            kind=AuditKind.ORGANISATION_UPDATED,
            target=organisation,
            data={"changes": changes},
        )
    return organisation


def accept_url(token: str) -> str:
    base = getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + reverse("organisations:invitation", args=[token])


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "role": invitation.get_role_display(),
        "url": accept_url(token),
        "expires_at": invitation.expires_at,
    }
    send_mail(
        subject=render_to_string("organisations/email/invitation_subject.txt", context).strip(),
        message=render_to_string("organisations/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invite_member(
    *, actor, organisation: Organisation, email: str, role: str
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link after commit. Returns it and the raw token,
    which is never stored (only its SHA-256)."""
    policy.require(actor, Action.MANAGE_MEMBERS, organisation)
    email = email.strip().lower()
    if role not in roles_for_kind(organisation.kind):
        raise DomainError(_("Choose a role that exists for this kind of organisation"))
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise DomainError(
            _("%(email)s is already a member of %(organisation)s")
            % {"email": email, "organisation": organisation}
        )
    pending = Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise DomainError(
            _("An invitation to %(email)s is already waiting. Withdraw it to send a new one.")
            % {"email": email}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
    )
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.MEMBER_INVITED,
        target=invitation,
        data={"email": email, "role": role},
    )
    transaction.on_commit(lambda: _send_invitation_email(invitation, token))
    return invitation, token


@transaction.atomic
def revoke_invitation(*, actor, invitation: Invitation) -> Invitation:
    organisation = invitation.organisation
    policy.require(actor, Action.MANAGE_MEMBERS, organisation, invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been accepted"))
    if invitation.revoked_at is not None:
        raise DomainError(_("This invitation has already been withdrawn"))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.INVITATION_REVOKED,
        target=invitation,
        data={"email": invitation.email, "role": invitation.role},
    )
    return invitation


def _lock_usable_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationError(INVITATION_MESSAGES["invalid"], code="invalid")
    if problem := invitation.problem:
        raise InvitationError(INVITATION_MESSAGES[problem], code=problem)
    return invitation


def _accept(invitation: Invitation, user) -> Membership:
    if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise DomainError(
            _("You are already a member of %(organisation)s")
            % {"organisation": invitation.organisation}
        )
    membership = Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    policy.forget_memberships(user)
    sync_staff_group(invitation.organisation)
    audit.record(
        actor=user,
        organisation=invitation.organisation,
        kind=AuditKind.INVITATION_ACCEPTED,
        target=membership,
        data={"invitation": invitation.pk, "email": invitation.email, "role": membership.role},
    )
    return membership


@transaction.atomic
def accept_invitation(*, token: str, user) -> Membership:
    """Join the organisation an invitation names, once, as the e-mail address it was sent to."""
    invitation = _lock_usable_invitation(token)
    if user.email.lower() != invitation.email.lower():
        raise InvitationError(
            _("This invitation was sent to a different e-mail address"), code="wrong_user"
        )
    return _accept(invitation, user)


@transaction.atomic
def accept_invitation_with_new_account(
    *, token: str, first_name: str, last_name: str, password: str
):
    """Create an account for the invited address and join, in one transaction.

    Returns the new user and their membership. The caller validates the password first.
    """
    invitation = _lock_usable_invitation(token)
    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=invitation.email).exists():
        raise DomainError(_("An account already exists for this e-mail address. Sign in first."))
    user = user_model.objects.create_user(
        email=invitation.email, password=password, first_name=first_name, last_name=last_name
    )
    audit.record(
        actor=user,
        organisation=invitation.organisation,
        kind=AuditKind.ACCOUNT_CREATED,
        target=user,
        data={"email": user.email, "invitation": invitation.pk},
    )
    return user, _accept(invitation, user)


def _is_administrator(membership: Membership) -> bool:
    return membership.role == administrator_role(membership.organisation.kind)


def _refuse_if_last_administrator(membership: Membership, message: str) -> None:
    role = administrator_role(membership.organisation.kind)
    # Lock every administrator row so two removals cannot both see "another one is left".
    administrators = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=role)
        .values_list("pk", flat=True)
    )
    if administrators == [membership.pk]:
        raise DomainError(message)


@transaction.atomic
def change_role(*, actor, membership: Membership, role: str) -> Membership:
    organisation = membership.organisation
    policy.require(actor, Action.MANAGE_MEMBERS, organisation, membership)
    if role not in roles_for_kind(organisation.kind):
        raise DomainError(_("Choose a role that exists for this kind of organisation"))
    membership = Membership.objects.select_related("organisation", "user").get(pk=membership.pk)
    old_role = membership.role
    if old_role == role:
        return membership
    if _is_administrator(membership):
        _refuse_if_last_administrator(
            membership,
            _("%(organisation)s must keep at least one administrator. Give someone else the "
              "role first.") % {"organisation": organisation},
        )  # fmt: skip
    membership.role = role
    membership.save(update_fields=["role"])
    policy.forget_memberships(membership.user)
    sync_staff_group(organisation)
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.MEMBERSHIP_ROLE_CHANGED,
        target=membership,
        data={"user": membership.user.email, "from": old_role, "to": role},
    )
    return membership


@transaction.atomic
def remove_member(*, actor, membership: Membership) -> None:
    organisation = membership.organisation
    policy.require(actor, Action.MANAGE_MEMBERS, organisation, membership)
    membership = Membership.objects.select_related("organisation", "user").get(pk=membership.pk)
    if _is_administrator(membership):
        _refuse_if_last_administrator(
            membership,
            _("You cannot remove the last administrator of %(organisation)s")
            % {"organisation": organisation},
        )
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.MEMBERSHIP_REMOVED,
        target=membership,
        data={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()
    policy.forget_memberships(membership.user)
    sync_staff_group(organisation)
