from io import StringIO

from django.core.management import call_command

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    WorkflowPage,
)

from frameworks.models import AuthorityPage, FrameworkIndexPage
from frameworks.setup import ensure_authority_section
from marketplace.audit.models import AuditEvent
from marketplace.organisations.admin_access import staff_group
from tests import factories


def test_setup_creates_the_index_under_the_home_page(section):
    index = FrameworkIndexPage.objects.get()
    assert (index.title, index.slug, index.get_parent().specific_class.__name__) == (
        "Frameworks",
        "frameworks",
        "HomePage",
    )


def test_setup_creates_one_authority_page_below_the_index(authority, section):
    assert section.authority == authority
    assert section.get_parent().specific == FrameworkIndexPage.objects.get()


def test_setup_grants_edit_but_not_publish_on_the_section_only(authority, section):
    codenames = set(
        GroupPagePermission.objects.filter(group=staff_group(authority)).values_list(
            "page_id", "permission__codename"
        )
    )
    assert codenames == {
        (section.pk, "add_page"),
        (section.pk, "change_page"),
        (section.pk, "lock_page"),
        (section.pk, "unlock_page"),
    }


def test_setup_grants_document_permissions_on_the_authoritys_collection(authority, section):
    rows = GroupCollectionPermission.objects.filter(group=staff_group(authority))
    assert {row.permission.codename for row in rows} == {
        "add_document",
        "change_document",
        "choose_document",
    }
    assert {row.collection.name for row in rows} == {authority.name}


def test_setup_assigns_the_approval_workflow_to_the_index(section):
    assignment = WorkflowPage.objects.get(page=FrameworkIndexPage.objects.get())
    tasks = [task.specific.__class__.__name__ for task in assignment.workflow.tasks]
    assert (assignment.workflow.name, tasks) == (
        "Framework approval",
        ["SecondMemberApprovalTask"],
    )


def test_setup_puts_the_authoritys_staff_in_its_group(authority, framework_manager, reviewer):
    ensure_authority_section(authority=authority)
    assert set(staff_group(authority).user_set.all()) == {framework_manager, reviewer}


def test_setup_records_the_section_once(authority, section):
    ensure_authority_section(authority=authority)
    events = AuditEvent.objects.filter(kind="framework.authority_section_created")
    assert [(event.organisation_id, event.target_object_id) for event in events] == [
        (authority.pk, str(section.pk))
    ]


def test_setup_run_twice_changes_nothing(authority, section):
    counts = (
        Page.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    )
    ensure_authority_section(authority=authority)
    assert (
        Page.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    ) == counts


def test_command_sets_up_every_authority(db):
    authorities = factories.OrganisationFactory.create_batch(2, kind="authority")
    factories.OrganisationFactory(kind="supplier")
    call_command("setup_authority_sections", stdout=StringIO())
    assert set(AuthorityPage.objects.values_list("authority_id", flat=True)) == {
        authority.pk for authority in authorities
    }
