"""Publishing a framework needs a second member of the same authority (Wagtail workflow)."""

from django.urls import reverse

from marketplace.audit.models import AuditEvent


def _action_url(page, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))


def test_submitted_framework_is_not_live(submitted):
    page, _task_state = submitted
    assert (page.live, page.workflow_in_progress) == (False, True)


def test_submitted_framework_belongs_to_the_section_authority(submitted, authority):
    page, _task_state = submitted
    assert page.authority == authority


def test_submission_is_audited(submitted, framework_manager, authority):
    page, _task_state = submitted
    event = AuditEvent.objects.get(kind="framework.submitted")
    assert (event.actor_id, event.organisation_id, event.target_object_id) == (
        framework_manager.pk,
        authority.pk,
        str(page.pk),
    )


def test_submitter_is_offered_no_approve_action(submitted, framework_manager):
    page, task_state = submitted
    assert task_state.task.specific.get_actions(page, framework_manager) == []


def test_submitters_edit_page_shows_no_approve_button(
    submitted, framework_manager, admin_client_for
):
    page, task_state = submitted
    response = admin_client_for(framework_manager).get(
        reverse("wagtailadmin_pages:edit", args=(page.pk,))
    )
    assert response.status_code == 200
    assert _action_url(page, "approve", task_state) not in response.content.decode()


def test_submitters_forged_approval_is_refused(submitted, framework_manager, admin_client_for):
    page, task_state = submitted
    response = admin_client_for(framework_manager).post(
        _action_url(page, "approve", task_state), {"comment": ""}
    )
    page.refresh_from_db()
    assert (response.status_code, page.live) == (302, False)
    assert not AuditEvent.objects.filter(kind="framework.approved").exists()


def test_reviewer_of_the_same_authority_approves_and_publishes(
    submitted, reviewer, admin_client_for
):
    page, task_state = submitted
    response = admin_client_for(reviewer).post(
        _action_url(page, "approve", task_state), {"comment": "Checked the dates."}
    )
    page.refresh_from_db()
    assert (response.status_code, page.live, page.workflow_in_progress) == (302, True, False)


def test_another_framework_manager_of_the_same_authority_may_approve(
    submitted, second_manager, admin_client_for
):
    page, task_state = submitted
    admin_client_for(second_manager).post(_action_url(page, "approve", task_state), {})
    page.refresh_from_db()
    assert page.live is True


def test_approval_is_audited(submitted, reviewer, authority, admin_client_for):
    page, task_state = submitted
    admin_client_for(reviewer).post(
        _action_url(page, "approve", task_state), {"comment": "Checked the dates."}
    )
    event = AuditEvent.objects.get(kind="framework.approved")
    assert (event.actor_id, event.organisation_id, event.data["comment"]) == (
        reviewer.pk,
        authority.pk,
        "Checked the dates.",
    )


def test_member_of_another_authority_cannot_approve(
    submitted, other_section, other_manager, admin_client_for
):
    page, task_state = submitted
    response = admin_client_for(other_manager).post(
        _action_url(page, "approve", task_state), {"comment": ""}
    )
    page.refresh_from_db()
    assert (response.status_code, page.live) == (302, False)
    assert not AuditEvent.objects.filter(kind="framework.approved").exists()


def test_member_of_another_authority_cannot_open_the_editor(
    submitted, other_section, other_manager, admin_client_for
):
    page, _task_state = submitted
    response = admin_client_for(other_manager).get(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), follow=True
    )
    assert response.redirect_chain[0] == (reverse("wagtailadmin_home"), 302)
    assert "Sorry, you do not have permission to access this area." in response.content.decode()
    assert "Digital services for councils in the region." not in response.content.decode()


def test_reviewer_can_request_changes(submitted, reviewer, admin_client_for):
    page, task_state = submitted
    admin_client_for(reviewer).post(
        _action_url(page, "reject", task_state), {"comment": "Lot 1 needs a value band."}
    )
    page.refresh_from_db()
    event = AuditEvent.objects.get(kind="framework.changes_requested")
    assert (page.live, page.workflow_in_progress, event.actor_id) == (False, False, reviewer.pk)
