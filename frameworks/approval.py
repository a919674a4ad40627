"""What happens when a publishing workflow is approved (WAGTAIL_FINISH_WORKFLOW_ACTION)."""


def publish_approved(workflow_state, user=None):
    """Publish the approved revision as the approving user.

    Wagtail's default re-checks that the approver holds the "publish" page permission. Authority
    staff deliberately do not (they submit for approval instead); the workflow's tasks have
    already decided who may approve (SecondMemberApprovalTask: a second member of the same
    authority), so that decision is the permission here.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
