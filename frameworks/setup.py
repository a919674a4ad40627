"""Give an authority its own part of the Wagtail admin: a page section, documents and approval.

ensure_authority_section() is idempotent: run it as often as you like (the management command
`setup_authority_sections` runs it for every authority). It makes sure that

* the frameworks index page ("Frameworks", /frameworks/) exists under the site's home page;
* the authority has its AuthorityPage under that index;
* the authority's staff group may add, edit, lock and unlock pages in that section only, and
  not publish: publishing goes through the "Framework approval" workflow;
* the group may add, edit and choose documents in the authority's own collection only;
* every page under the index needs a second member of the same authority to approve it.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record
from marketplace.organisations.admin_access import staff_group, sync_staff_group
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import OrganisationKind

from .models import AuthorityPage, FrameworkIndexPage, SecondMemberApprovalTask

WORKFLOW_NAME = "Framework approval"
TASK_NAME = "Second member approval"
INDEX_TITLE = "Frameworks"
INDEX_SLUG = "frameworks"
# Publishing is deliberately absent: staff submit to the approval workflow instead.
PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")


def _default_home_page() -> Page:
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    return site.root_page


def ensure_framework_index(*, home_page: Page | None = None) -> FrameworkIndexPage:
    index = FrameworkIndexPage.objects.first()
    if index is not None:
        return index
    home_page = home_page or _default_home_page()
    index = FrameworkIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def ensure_approval_workflow(index: FrameworkIndexPage) -> Workflow:
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = SecondMemberApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = SecondMemberApprovalTask.objects.create(name=TASK_NAME)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow


def _permissions(app_label: str, codenames: tuple[str, ...]) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def _grant_page_permissions(group: Group, page: Page) -> None:
    for permission in _permissions("wagtailcore", PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def authority_collection(authority: Organisation, group: Group) -> Collection:
    """The authority's document collection: the one its staff group holds permissions on."""
    held = (
        GroupCollectionPermission.objects.filter(group=group).select_related("collection").first()
    )
    if held is not None:
        return held.collection
    return Collection.get_first_root_node().add_child(name=authority.name)


def _grant_document_permissions(group: Group, collection: Collection) -> None:
    for permission in _permissions("wagtaildocs", DOCUMENT_PERMISSIONS):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


@transaction.atomic
def ensure_authority_section(
    *, authority: Organisation, home_page: Page | None = None, actor=None
) -> AuthorityPage:
    if authority.kind != OrganisationKind.AUTHORITY:
        raise ValueError(_("Only a regional authority has a frameworks section"))
    index = ensure_framework_index(home_page=home_page)
    ensure_approval_workflow(index)
    section = AuthorityPage.objects.filter(authority=authority).first()
    created = section is None
    if created:
        section = AuthorityPage(title=authority.name, slug=authority.slug, authority=authority)
        index.add_child(instance=section)
        section.save_revision().publish()
    group = staff_group(authority)
    _grant_page_permissions(group, section)
    collection = authority_collection(authority, group)
    _grant_document_permissions(group, collection)
    sync_staff_group(authority)
    if created:
        record(
            actor=actor,
            organisation=authority,
            kind=AuditKind.AUTHORITY_SECTION_CREATED,
            target=section,
            data={"page": section.pk, "collection": collection.pk, "group": group.pk},
        )
    return section
