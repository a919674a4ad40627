"""What happens when a publishing workflow is approved (WAGTAIL_FINISH_WORKFLOW_ACTION)."""


def publish_approved(workflow_state, user=None):
    """Publish the approved revision through the publishing service, as the approving user.

    Wagtail's default re-checks that the approver holds the "publish" page permission. Authority
    staff deliberately do not (they submit for approval instead); the workflow's tasks have
    already decided who may approve (SecondMemberApprovalTask: a second member of the same
    authority), and the service checks the approver may approve frameworks and that the
    revision keeps the rules, and audits the publication.
    """
    from frameworks.publishing import publish_framework

    framework = workflow_state.content_object.specific
    publish_framework(
        actor=user,
        organisation=framework.authority,
        revision=framework.get_latest_revision(),
    )
