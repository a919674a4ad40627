"""Wagtail admin access for authority staff, kept in step with their memberships.

Each authority has one Django group. Its members are exactly the users with an authority role
in that organisation; the frameworks app grants the group page permissions on the authority's
own section of the page tree, and nothing else.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Membership, Organisation
from .roles import ROLES_BY_KIND, OrganisationKind


def staff_group_name(authority: Organisation) -> str:
    # Keyed by id, not name: renaming an authority must not orphan its permissions.
    return f"Authority staff #{authority.pk}"


def staff_group(authority: Organisation) -> Group:
    group, created = Group.objects.get_or_create(name=staff_group_name(authority))
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


@transaction.atomic
def sync_staff_group(authority: Organisation) -> Group | None:
    """Make the authority's group hold exactly its current staff. Call after any change."""
    if authority.kind != OrganisationKind.AUTHORITY:
        return None
    # Lock the group before reading the staff: two concurrent syncs of one authority then run
    # one after the other, and the second sees the first's membership change, so it cannot
    # drop a member the first has just added.
    group = Group.objects.select_for_update().get(pk=staff_group(authority).pk)
    staff = Membership.objects.filter(
        organisation=authority, role__in=ROLES_BY_KIND[OrganisationKind.AUTHORITY]
    ).values_list("user_id", flat=True)
    group.user_set.set(staff)
    return group
