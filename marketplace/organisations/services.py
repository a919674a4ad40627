"""State changes for organisations, memberships and invitations: one function per action.

Every change to an authority's memberships re-syncs its Wagtail staff group inside the same
transaction, not on commit: admin access is a grant like the membership itself, so both commit
or roll back together, and a removed member can never keep admin access because a deferred
step failed after the removal had committed.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace import state
from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.exceptions import DomainError
from search.tasks import schedule_supplier

from . import identifiers, policy
from .admin_access import sync_staff_group
from .models import (
    Invitation,
    LocalAuthority,
    Membership,
    Organisation,
    OrganisationClaim,
    PublicBodyKind,
    hash_token,
    unique_slug,
)
from .roles import Action, OrganisationKind, administrator_role, roles_for_kind

# Fields a member may change with update_organisation; kind and slug are fixed at creation.
EDITABLE_FIELDS = (
    "legal_name",
    "trading_name",
    "company_number",
    "charity_number",
    "ppon",
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
def create_organisation(
    *, actor, kind: str, combined_authority: LocalAuthority | None = None, **fields
) -> Organisation:
    """Register an organisation; the actor becomes its administrator.

    Councils, NHS bodies and schools are not registered here but claimed (claim_council and
    its siblings), so nobody can make themselves a council by typing its name. An authority
    that is a combined authority is linked to its row in the list of councils.
    """
    policy.require_create_organisation(actor, kind)
    if unknown := _unknown_fields(fields):
        raise DomainError(_("Unknown organisation fields: %s") % ", ".join(sorted(unknown)))
    if combined_authority is not None:
        if kind != OrganisationKind.AUTHORITY or combined_authority.type_code != "COMB":
            raise DomainError(_("Only an authority can be a combined authority"))
        fields["local_authority"] = combined_authority
    if (
        kind == OrganisationKind.BUYER
        and LocalAuthority.objects.filter(official_name__iexact=fields.get("legal_name")).exists()
    ):
        raise DomainError(
            _("%(name)s is a council: register it by choosing it from the list of councils")
            % {"name": fields["legal_name"]}
        )
    return _create(actor=actor, administrator=actor, kind=kind, **fields)


def _create(*, actor, administrator, kind: str, **fields) -> Organisation:
    organisation = Organisation(kind=kind, **fields)
    organisation.slug = unique_slug(organisation.legal_name)
    organisation.full_clean()
    organisation.save()
    membership = Membership.objects.create(
        user=administrator, organisation=organisation, role=administrator_role(kind)
    )
    policy.forget_memberships(administrator)
    sync_staff_group(organisation)
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.ORGANISATION_CREATED,
        target=organisation,
        data={"kind": kind, "legal_name": organisation.legal_name, "role": membership.role},
    )
    return organisation


# --- Claims to act for a council, NHS body or school -------------------------------------


def already_registered_message(name: str) -> str:
    return _(
        "%(name)s is already registered on the service. Ask its administrator to invite you."
    ) % {"name": name}


def _domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def email_domain_matches(email: str, domains: list[str]) -> bool:
    """True if the address is at one of the domains or at a subdomain of one."""
    domain = _domain_of(email)
    return any(domain == d or domain.endswith("." + d) for d in domains)


def _council_code(local_authority: LocalAuthority) -> str:
    """The council's ISO 3166-2:GB code where it has one (most do: GB-MAN), else blank."""
    code = f"GB-{local_authority.code}"
    return code if identifiers.council_subdivision(code) else ""


def _registered_body(claim: OrganisationClaim) -> Organisation | None:
    if claim.local_authority_id:
        found = Organisation.objects.filter(local_authority=claim.local_authority_id)
        if code := _council_code(claim.local_authority):
            found = found | Organisation.objects.filter(council_code=code)
    elif claim.ods_code:
        found = Organisation.objects.filter(ods_code=claim.ods_code)
    else:
        found = Organisation.objects.filter(urn=claim.urn)
    return found.first()


def _submit(claim: OrganisationClaim, *, actor) -> OrganisationClaim:
    """Validate, refuse a claim on a body already registered or already claimed by the same
    person, save and audit. The caller holds the transaction."""
    if not actor.is_authenticated or not actor.is_active:
        raise policy.PolicyDenied(_("Sign in to register an organisation"))
    claim.full_clean()
    if _registered_body(claim) is not None:
        raise DomainError(already_registered_message(claim.legal_name), code="registered")
    mine = OrganisationClaim.objects.filter(
        claimant=actor,
        status=OrganisationClaim.Status.PENDING,
        body_kind=claim.body_kind,
        local_authority=claim.local_authority_id,
        ods_code=claim.ods_code,
        urn=claim.urn,
    )
    if mine.exists():
        raise DomainError(
            _("You have already claimed %(name)s. A platform administrator will decide soon.")
            % {"name": claim.legal_name},
            code="duplicate",
        )
    claim.save()
    audit.record(
        actor=actor,
        organisation=None,
        kind=AuditKind.CLAIM_SUBMITTED,
        target=claim,
        data={
            "body_kind": claim.body_kind,
            "body": claim.body_identifier,
            "legal_name": claim.legal_name,
        },
    )
    return claim


@transaction.atomic
def claim_council(
    *, actor, local_authority: LocalAuthority, contact_email: str
) -> OrganisationClaim:
    """Claim a current council from the list. Granted at once when the actor's e-mail address
    is at one of the council's recorded domains; otherwise pending a platform administrator."""
    # Lock the council so two simultaneous claims cannot both create its organisation.
    local_authority = LocalAuthority.objects.select_for_update().get(pk=local_authority.pk)
    if not local_authority.is_current:
        raise DomainError(
            _("%(name)s no longer exists: choose the council that replaced it")
            % {"name": local_authority},
            code="former",
        )
    claim = _submit(
        OrganisationClaim(
            claimant=actor,
            body_kind=PublicBodyKind.COUNCIL,
            local_authority=local_authority,
            legal_name=local_authority.official_name,
            region=local_authority.region,
            contact_email=contact_email.strip().lower(),
        ),
        actor=actor,
    )
    if email_domain_matches(actor.email, local_authority.email_domains):
        _approve(claim, actor=actor, grant=OrganisationClaim.Grant.EMAIL_DOMAIN)
    return claim


# NHS bodies and schools are never granted by e-mail domain: every NHS body shares nhs.net,
# and many schools use their council's or trust's domain, so an address proves nothing.


_VALIDATORS = {"ods_code": identifiers.validate_ods_code, "urn": identifiers.validate_urn}


def _checked(field: str, value: str) -> str:
    """The identifier, or one clear message against its field (not also "too long")."""
    try:
        _VALIDATORS[field](value)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from None
    return value


@transaction.atomic
def claim_nhs_body(
    *, actor, ods_code: str, legal_name: str, region: str, contact_email: str
) -> OrganisationClaim:
    """Claim an NHS body by its ODS code, pending a platform administrator's decision."""
    return _submit(
        OrganisationClaim(
            claimant=actor,
            body_kind=PublicBodyKind.NHS,
            ods_code=_checked("ods_code", identifiers.normalise_ods_code(ods_code)),
            legal_name=legal_name.strip(),
            region=region,
            contact_email=contact_email.strip().lower(),
        ),
        actor=actor,
    )


@transaction.atomic
def claim_school(
    *, actor, urn: str, legal_name: str, region: str, contact_email: str
) -> OrganisationClaim:
    """Claim a school by its URN, pending a platform administrator's decision."""
    return _submit(
        OrganisationClaim(
            claimant=actor,
            body_kind=PublicBodyKind.SCHOOL,
            urn=_checked("urn", identifiers.normalise_urn(urn)),
            legal_name=legal_name.strip(),
            region=region,
            contact_email=contact_email.strip().lower(),
        ),
        actor=actor,
    )


def _lock(claim: OrganisationClaim) -> OrganisationClaim:
    return OrganisationClaim.objects.select_for_update().get(pk=claim.pk)


def _approve(claim: OrganisationClaim, *, actor, grant: str) -> OrganisationClaim:
    state.check_move(OrganisationClaim, claim.status, OrganisationClaim.Status.APPROVED)
    if claim.local_authority_id:
        LocalAuthority.objects.select_for_update().get(pk=claim.local_authority_id)
    if _registered_body(claim) is not None:
        raise DomainError(already_registered_message(claim.legal_name), code="registered")
    fields = {"legal_name": claim.legal_name, "region": claim.region}
    if claim.local_authority_id:
        fields |= {
            "local_authority": claim.local_authority,
            "council_code": _council_code(claim.local_authority),
        }
    organisation = _create(
        actor=actor,
        administrator=claim.claimant,
        kind=OrganisationKind.BUYER,
        contact_email=claim.contact_email,
        ods_code=claim.ods_code,
        urn=claim.urn,
        **fields,
    )
    claim.organisation = organisation
    claim.granted_by = grant
    claim.decided_at = timezone.now()
    if grant == OrganisationClaim.Grant.ADMINISTRATOR:
        claim.decided_by = actor
    state.change_state(
        claim,
        to=OrganisationClaim.Status.APPROVED,
        actor=actor,
        organisation=organisation,
        kind=AuditKind.CLAIM_APPROVED,
        data={"grant": grant, "claimant": claim.claimant.email, "body": claim.body_identifier},
        update_fields=("organisation", "granted_by", "decided_by", "decided_at"),
    )
    return claim


@transaction.atomic
def approve_claim(*, actor, claim: OrganisationClaim) -> OrganisationClaim:
    """A platform administrator approves a claim: the organisation is created and the
    claimant becomes its administrator."""
    policy.require_platform_admin(actor)
    return _approve(_lock(claim), actor=actor, grant=OrganisationClaim.Grant.ADMINISTRATOR)


@transaction.atomic
def refuse_claim(*, actor, claim: OrganisationClaim, reason: str) -> OrganisationClaim:
    """A platform administrator refuses a claim, saying why; the claimant is told the reason."""
    policy.require_platform_admin(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Enter the reason for refusing the claim"), code="no_reason")
    claim = _lock(claim)
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.reason = reason
    state.change_state(
        claim,
        to=OrganisationClaim.Status.REFUSED,
        actor=actor,
        organisation=None,
        kind=AuditKind.CLAIM_REFUSED,
        data={"reason": reason, "claimant": claim.claimant.email, "body": claim.body_identifier},
        update_fields=("decided_by", "decided_at", "reason"),
    )
    return claim


def normalise_domains(domains) -> list[str]:
    """Lower-case, drop "@", blanks and duplicates, keep the order given."""
    cleaned = (d.strip().lower().lstrip("@") for d in domains)
    return list(dict.fromkeys(d for d in cleaned if d))


@transaction.atomic
def set_council_email_domains(
    *, actor, local_authority: LocalAuthority, domains: list[str]
) -> LocalAuthority:
    """A platform administrator records the e-mail domains of a council's staff."""
    policy.require_platform_admin(actor)
    domains = normalise_domains(domains)
    for domain in domains:
        identifiers.validate_email_domain(domain)
    local_authority = LocalAuthority.objects.select_for_update().get(pk=local_authority.pk)
    before = list(local_authority.email_domains)
    if before == domains:
        return local_authority
    local_authority.email_domains = domains
    local_authority.save(update_fields=["email_domains"])
    audit.record(
        actor=actor,
        organisation=getattr(local_authority, "organisation", None),
        kind=AuditKind.COUNCIL_EMAIL_DOMAINS_CHANGED,
        target=local_authority,
        data={"council": local_authority.code, "from": before, "to": domains},
    )
    return local_authority


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
        schedule_supplier(organisation.pk)
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


def _refuse_unless_newcomer(organisation: Organisation, *, email: str, role: str) -> None:
    if role not in roles_for_kind(organisation.kind):
        raise DomainError(_("Choose a role that exists for this kind of organisation"))
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise DomainError(
            _("%(email)s is already a member of %(organisation)s")
            % {"email": email, "organisation": organisation}
        )


@transaction.atomic
def add_member(*, actor, organisation: Organisation, user, role: str) -> Membership:
    """Make an existing account a member at once, without an invitation: for the service
    team setting up an organisation, and for data loads such as the demo."""
    policy.require(actor, Action.MANAGE_MEMBERS, organisation)
    _refuse_unless_newcomer(organisation, email=user.email, role=role)
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    policy.forget_memberships(user)
    sync_staff_group(organisation)
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.MEMBER_ADDED,
        target=membership,
        data={"user": user.email, "role": role},
    )
    return membership


@transaction.atomic
def invite_member(
    *, actor, organisation: Organisation, email: str, role: str
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link after commit. Returns it and the raw token,
    which is never stored (only its SHA-256)."""
    policy.require(actor, Action.MANAGE_MEMBERS, organisation)
    email = email.strip().lower()
    _refuse_unless_newcomer(organisation, email=email, role=role)
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
