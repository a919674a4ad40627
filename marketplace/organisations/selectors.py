from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import (
    Invitation,
    LocalAuthority,
    Membership,
    Organisation,
    OrganisationClaim,
    hash_token,
)

ACTING_ORGANISATION_SESSION_KEY = "acting_organisation_id"


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__legal_name")
    )


def acting_membership(request) -> Membership | None:
    """The membership the signed-in user is acting under, or None if they have not chosen."""
    if not request.user.is_authenticated:
        return None
    memberships = list(memberships_for_user(user=request.user))
    chosen = request.session.get(ACTING_ORGANISATION_SESSION_KEY)
    for membership in memberships:
        if membership.organisation_id == chosen:
            return membership
    return memberships[0] if len(memberships) == 1 else None


def organisations_for_user(*, user) -> QuerySet[Organisation]:
    """The organisations user belongs to."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("legal_name")


def get_organisation_for_member(*, user, slug: str) -> Organisation:
    """The organisation with this slug if user is one of its members; 404 otherwise."""
    return get_object_or_404(
        organisations_for_user(user=user).select_related(
            "local_authority__county", "local_authority__combined_authority"
        ),
        slug=slug,
    )


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def get_membership(*, organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(members_of(organisation=organisation), pk=pk)


def pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by", "organisation")
        .order_by("-created_at")
    )


def get_pending_invitation(*, organisation: Organisation, pk: int) -> Invitation:
    return get_object_or_404(pending_invitations(organisation=organisation), pk=pk)


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link's token names, whatever its state; 404 for an unknown token."""
    invitation = (
        Invitation.objects.filter(token_hash=hash_token(token))
        .select_related("organisation")
        .first()
    )
    if invitation is None:
        raise Http404("Unknown invitation")
    return invitation


def current_councils() -> QuerySet[LocalAuthority]:
    """Councils that exist today, by official name: the list a council picks itself from."""
    return LocalAuthority.objects.current().order_by("official_name")


def claims_by(*, user) -> QuerySet[OrganisationClaim]:
    """The claims user has made, newest first."""
    return (
        OrganisationClaim.objects.filter(claimant=user)
        .select_related("local_authority", "organisation")
        .order_by("-created_at", "-pk")
    )


def claims_for_review() -> QuerySet[OrganisationClaim]:
    """Every claim, for platform administrators; pending ones first, then newest."""
    return OrganisationClaim.objects.select_related(
        "claimant", "local_authority", "organisation", "decided_by"
    ).order_by("-created_at", "-pk")


def get_claim_for_review(*, pk: int) -> OrganisationClaim:
    return get_object_or_404(claims_for_review(), pk=pk)


def councils_for_admin() -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.select_related("county", "combined_authority").order_by(
        "official_name"
    )
