"""The one place that answers "may this user do this action for this organisation?".

Roles grant actions (see roles.PERMISSIONS). A user may act only through a membership of the
organisation they act for, and only on objects that organisation owns. Views turn a refusal
on another organisation's object into a 404 by reading through selectors first.

The service team (superusers) may additionally look after any organisation's details and
members (SUPERUSER_ACTIONS) and create authorities; nothing else, so sealed bids stay sealed.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import Membership, Organisation
from .roles import PERMISSIONS, Action, OrganisationKind, role_allows

SUPERUSER_ACTIONS = frozenset({Action.EDIT_ORGANISATION, Action.MANAGE_MEMBERS})


class PolicyDenied(PermissionDenied):
    """Raised by require(); carries a message a person can read."""


def owner_organisation_id(obj: models.Model) -> int | None:
    """Which organisation owns obj: itself, or whatever its owner_organisation_id names."""
    if isinstance(obj, Organisation):
        return obj.pk
    owner = getattr(obj, "owner_organisation_id", None)
    if owner is None:
        owner = getattr(obj, "organisation_id", None)
    return owner


def membership_for(user, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated or organisation is None:
        return None
    cache = user.__dict__.setdefault("_membership_cache", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = Membership.objects.filter(
            user=user, organisation=organisation
        ).first()
    return cache[organisation.pk]


def forget_memberships(user) -> None:
    """Drop the per-user membership cache after a membership changes."""
    user.__dict__.pop("_membership_cache", None)


def _is_superuser(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_platform_admin(user) -> bool:
    """The service team (superusers) keep the platform's central lists, such as the copy of the
    debarment list; they belong to no organisation."""
    return _is_superuser(user)


def require_platform_admin(user) -> None:
    if not is_platform_admin(user):
        raise PolicyDenied(_("Only platform administrators can do this"))


def can(
    user, action: Action | str, organisation: Organisation, obj: models.Model | None = None
) -> bool:
    if organisation is None or not user.is_authenticated or not user.is_active:
        return False
    if obj is not None and owner_organisation_id(obj) != organisation.pk:
        return False
    if _is_superuser(user) and Action(action) in SUPERUSER_ACTIONS:
        return True
    membership = membership_for(user, organisation)
    return membership is not None and role_allows(membership.role, action)


def require(
    user, action: Action | str, organisation: Organisation, obj: models.Model | None = None
) -> None:
    if not can(user, action, organisation, obj):
        raise PolicyDenied(
            _("You do not have permission to %(action)s for %(organisation)s")
            % {"action": Action(action).label.lower(), "organisation": organisation}
        )


def kinds_user_may_create(user) -> list[str]:
    """Any signed-in person may register a supplier or a buyer; only superusers an authority."""
    if not user.is_authenticated or not user.is_active:
        return []
    kinds = [OrganisationKind.SUPPLIER, OrganisationKind.BUYER]
    if _is_superuser(user):
        kinds.append(OrganisationKind.AUTHORITY)
    return kinds


def can_create_organisation(user, kind: str) -> bool:
    return kind in kinds_user_may_create(user)


def require_create_organisation(user, kind: str) -> None:
    if not can_create_organisation(user, kind):
        raise PolicyDenied(_("You do not have permission to register this kind of organisation"))


def organisations_where(user, action: Action | str) -> QuerySet[Organisation]:
    """Every organisation for which user may do action (for scoping admin lists)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if _is_superuser(user) and Action(action) in SUPERUSER_ACTIONS:
        return Organisation.objects.all()
    roles = [role for role, actions in PERMISSIONS.items() if Action(action) in actions]
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=roles).values("organisation_id")
    )
