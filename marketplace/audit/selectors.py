"""Reading the audit log: only the events of organisations whose log the user may read."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from marketplace.organisations.models import Membership
from marketplace.organisations.roles import PERMISSIONS, Action

from .models import AuditCheckpoint, AuditEvent
from .storage import latest_checkpoint_file


def roles_that_view_audit() -> list[str]:
    return [role.value for role, actions in PERMISSIONS.items() if Action.VIEW_AUDIT in actions]


def auditable_organisation_ids(*, user) -> QuerySet:
    """Ids of the organisations whose audit log user may read (a subquery, not evaluated)."""
    return Membership.objects.filter(user=user, role__in=roles_that_view_audit()).values(
        "organisation_id"
    )


def may_view_audit(*, user) -> bool:
    """Whether user may read any audit log at all (remembered on the user for the request)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if "_may_view_audit" not in user.__dict__:
        user.__dict__["_may_view_audit"] = (
            user.is_superuser or auditable_organisation_ids(user=user).exists()
        )
    return user.__dict__["_may_view_audit"]


def events_for_user(*, user) -> QuerySet[AuditEvent]:
    """Every event a user may read: their auditable organisations' events; all for superusers.

    Events with no organisation (an anonymous lockout, say) are visible to superusers only.
    """
    events = AuditEvent.objects.select_related("organisation", "target_content_type")
    if not user.is_authenticated or not user.is_active:
        return events.none()
    if user.is_superuser:
        return events
    return events.filter(organisation_id__in=auditable_organisation_ids(user=user))


def get_event_for_user(*, user, pk) -> AuditEvent:
    return get_object_or_404(events_for_user(user=user), pk=pk)


def latest_checkpoint() -> AuditCheckpoint | None:
    """The furthest checkpoint of the chain's head, from the table or the write-once storage.

    Both are read: removing rows from one does not hide a checkpoint kept in the other.
    """
    found = [
        checkpoint
        for checkpoint in (AuditCheckpoint.objects.first(), latest_checkpoint_file())
        if checkpoint is not None
    ]
    return max(found, key=lambda checkpoint: checkpoint.sequence) if found else None


def published_checkpoints() -> QuerySet:
    """Every checkpoint, newest first, as the open-data feed publishes them."""
    return AuditCheckpoint.objects.order_by("-sequence").values_list(
        "sequence", "hash", "event_count", "taken_at"
    )
