"""Organisation kinds, the roles each kind can hold, and what each role may do."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    AUTHORITY = "authority", _("Regional authority")
    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier")


class Role(models.TextChoices):
    FRAMEWORK_MANAGER = "framework_manager", _("Framework manager")
    REVIEWER = "reviewer", _("Reviewer")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    APPROVER = "approver", _("Approver")
    SUPPLIER_ADMIN = "supplier_admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    FINANCE = "finance", _("Finance")


ROLES_BY_KIND: dict[str, tuple[Role, ...]] = {
    OrganisationKind.AUTHORITY: (Role.FRAMEWORK_MANAGER, Role.REVIEWER),
    OrganisationKind.BUYER: (Role.PROCUREMENT_OFFICER, Role.APPROVER),
    OrganisationKind.SUPPLIER: (Role.SUPPLIER_ADMIN, Role.EDITOR, Role.FINANCE),
}


class Action(models.TextChoices):
    """Everything the policy can be asked about. Later issues add their actions here."""

    VIEW_ORGANISATION = "organisation.view", _("See the organisation's pages")
    EDIT_ORGANISATION = "organisation.edit", _("Edit the organisation's details")
    MANAGE_MEMBERS = "organisation.manage_members", _("Invite and remove members")
    VIEW_AUDIT = "audit.view", _("Read the organisation's audit log")
    EDIT_FRAMEWORKS = "frameworks.edit", _("Create and edit frameworks and lots")
    APPROVE_FRAMEWORKS = "frameworks.approve", _("Approve and publish frameworks")
    APPOINT_SUPPLIERS = "frameworks.appoint", _("Appoint, suspend and exclude suppliers")
    REVIEW_OFFERINGS = "offerings.review", _("Approve or reject supplier offerings")
    EDIT_OFFERINGS = "offerings.edit", _("Create, edit and submit offerings")
    SEARCH_OFFERINGS = "offerings.search", _("Search offerings and save searches")
    CREATE_CALLOFFS = "calloffs.create", _("Run call-offs")
    APPROVE_CALLOFFS = "calloffs.approve", _("Approve call-off awards")
    ANSWER_CALLOFFS = "calloffs.answer", _("Accept or decline direct-award offers")
    FILE_RETURNS = "levy.file_returns", _("File management information returns")
    PAY_LEVY = "levy.pay", _("Pay levy invoices")


_EVERY_MEMBER = {Action.VIEW_ORGANISATION}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.FRAMEWORK_MANAGER: frozenset(
        _EVERY_MEMBER
        | {
            Action.EDIT_ORGANISATION,
            Action.MANAGE_MEMBERS,
            Action.VIEW_AUDIT,
            Action.EDIT_FRAMEWORKS,
            Action.APPROVE_FRAMEWORKS,
            Action.APPOINT_SUPPLIERS,
            Action.REVIEW_OFFERINGS,
        }
    ),
    Role.REVIEWER: frozenset(
        _EVERY_MEMBER | {Action.VIEW_AUDIT, Action.APPROVE_FRAMEWORKS, Action.REVIEW_OFFERINGS}
    ),
    Role.PROCUREMENT_OFFICER: frozenset(
        _EVERY_MEMBER | {Action.SEARCH_OFFERINGS, Action.CREATE_CALLOFFS}
    ),
    Role.APPROVER: frozenset(
        _EVERY_MEMBER
        | {
            Action.EDIT_ORGANISATION,
            Action.MANAGE_MEMBERS,
            Action.SEARCH_OFFERINGS,
            Action.CREATE_CALLOFFS,
            Action.APPROVE_CALLOFFS,
        }
    ),
    Role.SUPPLIER_ADMIN: frozenset(
        _EVERY_MEMBER
        | {
            Action.EDIT_ORGANISATION,
            Action.MANAGE_MEMBERS,
            Action.EDIT_OFFERINGS,
            Action.ANSWER_CALLOFFS,
            Action.FILE_RETURNS,
            Action.PAY_LEVY,
        }
    ),
    Role.EDITOR: frozenset(_EVERY_MEMBER | {Action.EDIT_OFFERINGS, Action.ANSWER_CALLOFFS}),
    Role.FINANCE: frozenset(_EVERY_MEMBER | {Action.FILE_RETURNS, Action.PAY_LEVY}),
}


def roles_for_kind(kind: str) -> tuple[Role, ...]:
    return ROLES_BY_KIND[OrganisationKind(kind)]


def role_allows(role: str, action: str) -> bool:
    return Action(action) in PERMISSIONS[Role(role)]


# The role that manages an organisation: its creator gets it, and one must always remain.
ADMINISTRATOR_ROLE_BY_KIND: dict[str, Role] = {
    OrganisationKind.AUTHORITY: Role.FRAMEWORK_MANAGER,
    OrganisationKind.BUYER: Role.APPROVER,
    OrganisationKind.SUPPLIER: Role.SUPPLIER_ADMIN,
}


def administrator_role(kind: str) -> Role:
    return ADMINISTRATOR_ROLE_BY_KIND[OrganisationKind(kind)]
