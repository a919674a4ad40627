import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from marketplace.organisations import services
from marketplace.organisations.models import Membership
from marketplace.organisations.policy import PolicyDenied
from tests import factories


@pytest.fixture
def supplier_admin(db):
    return factories.MembershipFactory(role="supplier_admin").user


@pytest.fixture
def supplier(supplier_admin):
    return supplier_admin.memberships.get().organisation


def test_an_administrator_adds_an_account_at_once_and_it_is_audited(supplier_admin, supplier):
    user = factories.UserFactory(email="editor@widgets.example")

    membership = services.add_member(
        actor=supplier_admin, organisation=supplier, user=user, role="editor"
    )

    assert (membership.user, membership.organisation, membership.role) == (user, supplier, "editor")
    event = AuditEvent.objects.get(kind=AuditKind.MEMBER_ADDED)
    assert (event.actor, event.organisation, event.target_object_id, event.data) == (
        supplier_admin,
        supplier,
        str(membership.pk),
        {"user": "editor@widgets.example", "role": "editor"},
    )


def test_a_platform_administrator_may_add_a_member(supplier):
    user = factories.UserFactory()

    services.add_member(
        actor=factories.platform_admin(), organisation=supplier, user=user, role="finance"
    )

    assert Membership.objects.filter(user=user, organisation=supplier, role="finance").exists()


def test_a_member_who_may_not_manage_members_is_refused(supplier):
    editor = factories.MembershipFactory(organisation=supplier, role="editor").user

    with pytest.raises(PolicyDenied):
        services.add_member(
            actor=editor, organisation=supplier, user=factories.UserFactory(), role="editor"
        )

    assert not AuditEvent.objects.filter(kind=AuditKind.MEMBER_ADDED).exists()


def test_another_organisations_administrator_is_refused(supplier):
    stranger = factories.MembershipFactory(role="supplier_admin").user

    with pytest.raises(PolicyDenied):
        services.add_member(
            actor=stranger, organisation=supplier, user=factories.UserFactory(), role="editor"
        )


def test_a_role_of_another_kind_of_organisation_is_refused(supplier_admin, supplier):
    with pytest.raises(DomainError, match="Choose a role that exists"):
        services.add_member(
            actor=supplier_admin,
            organisation=supplier,
            user=factories.UserFactory(),
            role="framework_manager",
        )


def test_an_existing_member_is_refused(supplier_admin, supplier):
    with pytest.raises(DomainError, match="is already a member of"):
        services.add_member(
            actor=supplier_admin, organisation=supplier, user=supplier_admin, role="editor"
        )

    assert Membership.objects.filter(organisation=supplier).count() == 1
