"""A framework is published and unpublished only through frameworks.publishing: each Wagtail
path is audited or refused, and a framework that breaks the rules is refused on each."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from frameworks import publishing, services
from frameworks.models import FrameworkPage, Publication
from frameworks.rules import add_years
from marketplace import state
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied
from tests.frameworks.conftest import add_framework_url, create_framework, framework_form_data

D, P, U, S = (Publication.DRAFT, Publication.PUBLISHED, Publication.UNPUBLISHED,
              Publication.SUSPENDED)  # fmt: skip
ALLOWED = {(D, P), (P, P), (P, U), (P, S), (S, S), (S, P), (U, P)}
TOO_LONG = "A framework can last at most 4 years"


def _events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def _fresh(page) -> FrameworkPage:
    return FrameworkPage.objects.get(pk=page.pk)


@pytest.fixture
def draft(section):
    """A framework saved but never published (create_framework leaves the row live)."""
    page = create_framework(section, live=False)
    FrameworkPage.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
    return _fresh(page)


@pytest.fixture
def coming(section):
    """A published framework not yet awarded (the editor's form dates), so the editor may
    change anything on it."""
    today = timezone.localdate()
    days = {"applications_open_on": 10, "applications_close_on": 40, "award_on": 60}
    days |= {"starts_on": 80, "ends_on": 800}
    dates = {name: today + timedelta(days=n) for name, n in days.items()}
    return create_framework(section, lots=1, **dates)


def _edit_data(page):
    """The editor's form for `page` and its one lot, asking to publish."""
    lot = page.lots.get()
    rows = [{"id": str(lot.pk), "number": str(lot.number), "title": lot.title}]
    data = framework_form_data(slug=page.slug, reference=page.reference, lots=rows)
    # The lot row is the saved lot, as the editor sends it: an initial form, not a new one.
    return data | {"lots-INITIAL_FORMS": "1", "action-publish": "1"}


@pytest.fixture
def staff_publisher(reviewer):
    """A reviewer who also holds Wagtail's publish permission (a superuser), so Wagtail offers
    the editor's Publish, unpublish and bulk actions; the service still checks the role."""
    reviewer.is_superuser = True
    reviewer.save(update_fields=["is_superuser"])
    return reviewer


@pytest.fixture
def platform_admin(django_user_model):
    return django_user_model.objects.create_superuser(
        email="service-team@example.com", password="not-used-here-1"
    )


def _too_long_revision(framework):
    """A revision whose term runs a day past the 4-year limit (saved unchecked, as an editor's
    draft could be before the rules changed)."""
    framework.ends_on = add_years(framework.starts_on, 4) + timedelta(days=1)
    return framework.save_revision(clean=False)


# The table, pinned by hand


@pytest.mark.parametrize("current", list(Publication))
@pytest.mark.parametrize("new", list(Publication))
def test_each_publication_move_is_allowed_only_if_listed(current, new):
    assert state.can_move(FrameworkPage, current, new) is ((current, new) in ALLOWED)


def test_publication_is_read_from_wagtail_and_the_suspension(
    draft, framework, framework_manager, authority, reviewer
):
    assert (draft.publication, framework.publication) == (D, P)
    services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason="Fraud"
    )
    assert _fresh(framework).publication == S
    services.reinstate_framework(
        actor=framework_manager, organisation=authority, framework=framework
    )
    publishing.unpublish_framework(actor=reviewer, organisation=authority, framework=framework)
    assert _fresh(framework).publication == U


# The service


def test_publish_publishes_the_revision_and_audits_it(draft, reviewer, authority):
    revision = draft.save_revision()
    publishing.publish_framework(actor=reviewer, organisation=authority, revision=revision)
    [event] = _events("framework.published")
    assert (_fresh(draft).live, _fresh(draft).live_revision_id) == (True, revision.pk)
    assert (event.actor_id, event.organisation_id, event.target_object_id, event.data) == (
        reviewer.pk,
        authority.pk,
        str(draft.pk),
        {"from": "draft", "to": "published", "revision": revision.pk},
    )


def test_publishing_a_suspended_framework_keeps_it_suspended(
    framework, framework_manager, authority
):
    services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason="Fraud"
    )
    revision = _fresh(framework).save_revision()
    publishing.publish_framework(actor=framework_manager, organisation=authority, revision=revision)
    assert _events("framework.published")[0].data["to"] == "suspended"
    assert _fresh(framework).publication == S


def test_publish_by_another_authoritys_member_is_refused(draft, other_manager, other_authority):
    with pytest.raises(PolicyDenied):
        publishing.publish_framework(
            actor=other_manager, organisation=other_authority, revision=draft.save_revision()
        )
    assert (_fresh(draft).live, _events("framework.published")) == (False, [])


def test_publish_by_a_platform_admin_without_the_role_is_refused(draft, platform_admin, authority):
    with pytest.raises(PolicyDenied):
        publishing.publish_framework(
            actor=platform_admin, organisation=authority, revision=draft.save_revision()
        )
    assert _fresh(draft).live is False


def test_publish_of_a_framework_that_breaks_the_rules_is_refused(draft, reviewer, authority):
    with pytest.raises(DomainError) as raised:
        publishing.publish_framework(
            actor=reviewer, organisation=authority, revision=_too_long_revision(draft)
        )
    assert (raised.value.code, TOO_LONG in str(raised.value)) == ("publication_refused", True)
    assert (_fresh(draft).live, _events("framework.published")) == (False, [])


def test_unpublish_audits_and_unpublishing_twice_is_refused(framework, reviewer, authority):
    publishing.unpublish_framework(actor=reviewer, organisation=authority, framework=framework)
    [event] = _events("framework.unpublished")
    assert (_fresh(framework).live, event.data) == (
        False,
        {"from": "published", "to": "unpublished"},
    )
    with pytest.raises(DomainError) as raised:
        publishing.unpublish_framework(actor=reviewer, organisation=authority, framework=framework)
    assert raised.value.code == "invalid_transition"


def test_a_suspended_framework_is_reinstated_before_it_is_unpublished(
    framework, framework_manager, authority
):
    services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason="Fraud"
    )
    with pytest.raises(DomainError) as raised:
        publishing.unpublish_framework(
            actor=framework_manager, organisation=authority, framework=framework
        )
    assert str(raised.value) == "This framework cannot go from “suspended” to “unpublished”"
    assert _fresh(framework).live is True


def test_unpublish_by_another_authoritys_member_is_refused(
    framework, other_manager, other_authority
):
    with pytest.raises(PolicyDenied):
        publishing.unpublish_framework(
            actor=other_manager, organisation=other_authority, framework=framework
        )
    assert _fresh(framework).live is True


# Suspension through the same table


def test_suspension_and_reinstatement_record_the_move(framework, framework_manager, authority):
    services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason=" Fraud "
    )
    services.reinstate_framework(
        actor=framework_manager, organisation=authority, framework=framework
    )
    assert [
        e.data
        for e in AuditEvent.objects.filter(
            kind__in=["framework.suspended", "framework.reinstated"]
        ).order_by("pk")
    ] == [
        {"from": "published", "to": "suspended", "reason": "Fraud"},
        {"from": "suspended", "to": "published", "reason": ""},
    ]


def test_an_unpublished_framework_cannot_be_suspended(draft, framework_manager, authority):
    with pytest.raises(DomainError) as raised:
        services.suspend_framework(
            actor=framework_manager, organisation=authority, framework=draft, reason="Fraud"
        )
    assert str(raised.value) == "This framework cannot go from “draft” to “suspended”"


def test_suspending_twice_and_reinstating_a_live_framework_are_refused(
    framework, framework_manager, authority
):
    with pytest.raises(DomainError) as not_suspended:
        services.reinstate_framework(
            actor=framework_manager, organisation=authority, framework=framework
        )
    services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason="Fraud"
    )
    with pytest.raises(DomainError) as twice:
        services.suspend_framework(
            actor=framework_manager, organisation=authority, framework=framework, reason="Again"
        )
    assert (str(not_suspended.value), str(twice.value)) == (
        "The framework is not suspended",
        "The framework is already suspended",
    )


# Wagtail paths


def _action_url(page, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))


def test_workflow_approval_publishes_through_the_service(submitted, reviewer, admin_client_for):
    page, task_state = submitted
    admin_client_for(reviewer).post(_action_url(page, "approve", task_state), {"comment": ""})
    [event] = _events("framework.published")
    assert (_fresh(page).live, event.actor_id, event.data["from"]) == (True, reviewer.pk, "draft")


def test_workflow_approval_of_a_framework_that_breaks_the_rules_is_refused_with_the_reason(
    submitted, reviewer, admin_client_for
):
    page, task_state = submitted
    _too_long_revision(_fresh(page))
    client = admin_client_for(reviewer)
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.post(
        _action_url(page, "approve", task_state), {"comment": ""}, HTTP_REFERER=edit_url,
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[0] == (edit_url, 302)
    assert TOO_LONG in response.content.decode()
    assert (_fresh(page).live, _events("framework.approved"), _events("framework.published")) == (
        False,
        [],
        [],
    )


def test_editor_publish_goes_through_the_service(coming, staff_publisher, admin_client_for):
    response = admin_client_for(staff_publisher).post(
        reverse("wagtailadmin_pages:edit", args=(coming.pk,)),
        _edit_data(coming),
    )
    [event] = _events("framework.published")
    assert (response.status_code, _fresh(coming).live, event.actor_id) == (
        302,
        True,
        staff_publisher.pk,
    )


def test_editor_publish_without_the_role_is_refused_with_a_message(
    coming, platform_admin, admin_client_for
):
    response = admin_client_for(platform_admin).post(
        reverse("wagtailadmin_pages:edit", args=(coming.pk,)),
        _edit_data(coming),
        follow=True,
    )
    assert "You do not have permission to approve and publish frameworks" in (
        response.content.decode()
    )
    assert (_fresh(coming).live_revision_id, _events("framework.published")) == (
        coming.live_revision_id,
        [],
    )


def test_editor_publish_of_a_framework_that_breaks_the_rules_is_refused_with_the_reason(
    coming, staff_publisher, admin_client_for, monkeypatch
):
    """The form checks the rules too; the service's own check is what refuses here."""
    monkeypatch.setattr(
        "frameworks.rules.publication_errors", lambda framework, *, as_of: [TOO_LONG]
    )
    response = admin_client_for(staff_publisher).post(
        reverse("wagtailadmin_pages:edit", args=(coming.pk,)),
        _edit_data(coming),
        follow=True,
    )
    assert TOO_LONG in response.content.decode()
    assert (_fresh(coming).live_revision_id, _events("framework.published")) == (
        coming.live_revision_id,
        [],
    )


def test_create_view_publish_goes_through_the_service(section, staff_publisher, admin_client_for):
    admin_client_for(staff_publisher).post(
        add_framework_url(section), framework_form_data() | {"action-publish": "1"}
    )
    page = FrameworkPage.objects.get(reference="REG-DIG-2026")
    assert (page.live, [e.target_object_id for e in _events("framework.published")]) == (
        True,
        [str(page.pk)],
    )


def test_revert_and_publish_goes_through_the_service(coming, staff_publisher, admin_client_for):
    first = coming.live_revision
    response = admin_client_for(staff_publisher).post(
        reverse("wagtailadmin_pages:revisions_revert", args=(coming.pk, first.pk)),
        _edit_data(coming),
    )
    [event] = _events("framework.published")
    assert (response.status_code, event.data["from"], event.data["to"]) == (
        302,
        "published",
        "published",
    )


def test_unpublish_view_goes_through_the_service(framework, staff_publisher, admin_client_for):
    response = admin_client_for(staff_publisher).post(
        reverse("wagtailadmin_pages:unpublish", args=(framework.pk,))
    )
    [event] = _events("framework.unpublished")
    assert (response.status_code, _fresh(framework).live, event.actor_id) == (
        302,
        False,
        staff_publisher.pk,
    )


def test_unpublish_view_without_the_role_is_refused_with_a_message(
    framework, platform_admin, admin_client_for
):
    response = admin_client_for(platform_admin).post(
        reverse("wagtailadmin_pages:unpublish", args=(framework.pk,)), follow=True
    )
    assert response.status_code == 200
    assert "You do not have permission to approve and publish frameworks" in (
        response.content.decode()
    )
    assert _fresh(framework).live is True


def test_unpublishing_a_section_with_its_frameworks_is_refused(
    framework, section, platform_admin, admin_client_for
):
    response = admin_client_for(platform_admin).post(
        reverse("wagtailadmin_pages:unpublish", args=(section.pk,)),
        {"include_descendants": "on"},
        follow=True,
    )
    assert "Frameworks are published and unpublished one at a time" in response.content.decode()
    assert (_fresh(framework).live, section.__class__.objects.get(pk=section.pk).live) == (
        True,
        True,
    )


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_bulk_publishing_a_framework_is_refused_with_a_message(
    action, framework, draft, staff_publisher, admin_client_for
):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
    response = admin_client_for(staff_publisher).post(
        f"{url}?id={framework.pk}&id={draft.pk}&next=/admin/", {}, follow=True
    )
    assert "Frameworks are published and unpublished one at a time" in response.content.decode()
    assert (_fresh(framework).live, _fresh(draft).live) == (True, False)
    assert not AuditEvent.objects.filter(kind__in=["framework.published", "framework.unpublished"])


def test_scheduled_publishing_is_switched_off_for_frameworks(draft, reviewer, authority):
    """A framework keeps no go-live or expiry time, so publish_scheduled never finds one; a
    publish asked for with a future go-live time publishes now, checked and audited."""
    draft.go_live_at = timezone.now() + timedelta(days=1)
    revision = draft.save_revision()
    publishing.publish_framework(actor=reviewer, organisation=authority, revision=revision)
    page = _fresh(draft)
    page.expire_at = timezone.now() - timedelta(days=1)
    page.save()
    call_command("publish_scheduled")
    page = _fresh(draft)
    assert (page.live, page.go_live_at, page.expire_at) == (True, None, None)
    assert len(_events("framework.published")) == 1
    assert _events("framework.unpublished") == []


def test_publishing_for_a_person_outside_the_service_is_refused(framework, reviewer):
    with pytest.raises(PermissionDenied):
        framework.save_revision().publish(user=reviewer, skip_permission_checks=True)
    with pytest.raises(PermissionDenied):
        framework.unpublish(user=reviewer)
    assert _fresh(framework).live is True
