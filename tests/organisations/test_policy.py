import itertools

import pytest

from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import PERMISSIONS, Action, Role
from tests import factories

# What each role may do, written out by hand: a change to roles.PERMISSIONS must change this.
ALLOWED = {
    "framework_manager": {
        "organisation.view",
        "organisation.edit",
        "organisation.manage_members",
        "audit.view",
        "frameworks.edit",
        "frameworks.approve",
        "frameworks.appoint",
        "offerings.review",
    },
    "reviewer": {
        "organisation.view",
        "audit.view",
        "frameworks.approve",
        "offerings.review",
    },
    "procurement_officer": {
        "organisation.view",
        "offerings.search",
        "calloffs.create",
    },
    "approver": {
        "organisation.view",
        "organisation.edit",
        "organisation.manage_members",
        "offerings.search",
        "calloffs.create",
        "calloffs.approve",
    },
    "supplier_admin": {
        "organisation.view",
        "organisation.edit",
        "organisation.manage_members",
        "offerings.edit",
        "calloffs.answer",
        "levy.file_returns",
        "levy.pay",
    },
    "editor": {"organisation.view", "offerings.edit", "calloffs.answer"},
    "finance": {"organisation.view", "levy.file_returns", "levy.pay"},
}
KIND_OF_ROLE = {
    "framework_manager": "authority",
    "reviewer": "authority",
    "procurement_officer": "buyer",
    "approver": "buyer",
    "supplier_admin": "supplier",
    "editor": "supplier",
    "finance": "supplier",
}


def test_the_matrix_covers_every_role_and_action():
    assert set(ALLOWED) == {role.value for role in Role}
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize(
    ("role", "action"), list(itertools.product([r.value for r in Role], [a.value for a in Action]))
)
def test_role_may_do_exactly_the_allowed_actions(db, role, action):
    organisation = factories.OrganisationFactory(kind=KIND_OF_ROLE[role])
    user = factories.MembershipFactory(organisation=organisation, role=role).user

    assert policy.can(user, action, organisation) is (action in ALLOWED[role])


def test_member_of_one_organisation_cannot_act_on_another_organisations_object(
    supplier_admin, supplier, other_supplier
):
    other_membership = factories.MembershipFactory(organisation=other_supplier, role="editor")

    assert policy.can(supplier_admin, Action.MANAGE_MEMBERS, supplier) is True
    assert policy.can(supplier_admin, Action.MANAGE_MEMBERS, supplier, other_membership) is False


def test_member_of_one_organisation_cannot_act_for_another(supplier_admin, other_supplier):
    assert policy.can(supplier_admin, Action.VIEW_ORGANISATION, other_supplier) is False


def test_require_raises_policy_denied_with_a_readable_message(supplier_editor, supplier):
    with pytest.raises(policy.PolicyDenied) as refusal:
        policy.require(supplier_editor, Action.MANAGE_MEMBERS, supplier)

    assert str(refusal.value) == (
        f"You do not have permission to invite and remove members for {supplier}"
    )


def test_anonymous_user_may_do_nothing(supplier):
    from django.contrib.auth.models import AnonymousUser

    assert policy.can(AnonymousUser(), Action.VIEW_ORGANISATION, supplier) is False


def test_inactive_member_may_do_nothing(supplier_admin, supplier):
    supplier_admin.is_active = False

    assert policy.can(supplier_admin, Action.VIEW_ORGANISATION, supplier) is False


def test_superuser_may_manage_any_organisations_members_but_not_its_business(supplier):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)

    assert policy.can(superuser, Action.MANAGE_MEMBERS, supplier) is True
    assert policy.can(superuser, Action.EDIT_OFFERINGS, supplier) is False


def test_organisations_where_lists_only_organisations_whose_role_allows_the_action(
    supplier, other_supplier, buyer
):
    user = factories.MembershipFactory(organisation=supplier, role="supplier_admin").user
    factories.MembershipFactory(user=user, organisation=other_supplier, role="editor")
    factories.MembershipFactory(user=user, organisation=buyer, role="approver")

    assert set(policy.organisations_where(user, Action.EDIT_OFFERINGS)) == {
        supplier,
        other_supplier,
    }
    assert set(policy.organisations_where(user, Action.MANAGE_MEMBERS)) == {supplier, buyer}
    assert list(policy.organisations_where(user, Action.APPOINT_SUPPLIERS)) == []


def test_organisations_where_gives_superusers_every_organisation_for_member_management(
    supplier, buyer
):
    superuser = factories.UserFactory(is_superuser=True)

    assert set(policy.organisations_where(superuser, Action.MANAGE_MEMBERS)) == set(
        Organisation.objects.all()
    )


@pytest.mark.parametrize(
    ("is_superuser", "kinds"),
    [(False, ["supplier", "buyer"]), (True, ["supplier", "buyer", "authority"])],
)
def test_kinds_user_may_create(db, is_superuser, kinds):
    user = factories.UserFactory(is_superuser=is_superuser)

    assert policy.kinds_user_may_create(user) == kinds
