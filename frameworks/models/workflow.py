from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wagtail.models import Task, TaskState

from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record
from marketplace.organisations.models import Membership
from marketplace.organisations.roles import PERMISSIONS, Action


def _approver_roles() -> list[str]:
    return [role for role, actions in PERMISSIONS.items() if Action.APPROVE_FRAMEWORKS in actions]


class SecondMemberApprovalTask(Task):
    """Approval by another member of the framework's own authority: never by the submitter.

    Four eyes on every publication: the person who submitted the framework, or wrote the
    revision under review, cannot approve it, and members of other authorities cannot either.
    """

    admin_form_fields = Task.admin_form_fields

    # (action, asks for a comment) -> label. This is the workflow's only task, so approving
    # publishes, and the labels say so (the editor's menu keeps them: wagtail_hooks).
    ACTION_LABELS = {
        ("reject", True): _("Request changes"),
        ("approve", False): _("Approve and publish"),
        ("approve", True): _("Approve with comment and publish"),
    }

    class Meta:
        verbose_name = _("second member approval task")
        verbose_name_plural = _("second member approval tasks")

    @classmethod
    def get_description(cls):
        return _("Another framework manager or reviewer of the same authority approves")

    def _authority_id(self, obj) -> int | None:
        return getattr(obj.specific, "authority_id", None)

    def _authors(self, obj) -> set[int]:
        state = obj.current_workflow_state
        authors = set()
        if state is not None:
            authors.add(state.requested_by_id)
            task_state = state.current_task_state
            if task_state is not None and task_state.revision is not None:
                authors.add(task_state.revision.user_id)
        return authors

    def user_may_approve(self, obj, user) -> bool:
        authority_id = self._authority_id(obj)
        if not user.is_authenticated or authority_id is None or user.pk in self._authors(obj):
            return False
        return Membership.objects.filter(
            user=user, organisation_id=authority_id, role__in=_approver_roles()
        ).exists()

    def user_can_access_editor(self, obj, user):
        return self.user_may_approve(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_may_approve(obj, user)

    def get_actions(self, obj, user):
        if not self.user_may_approve(obj, user):
            return []
        return [(name, label, comment) for (name, comment), label in self.ACTION_LABELS.items()]

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        framework = workflow_state.content_object.specific
        record(
            actor=user,
            organisation=framework.authority,
            kind=AuditKind.FRAMEWORK_SUBMITTED,
            target=framework,
            data={"revision": task_state.revision_id},
        )
        return task_state

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        framework = task_state.workflow_state.content_object.specific
        if not self.user_may_approve(framework, user):
            raise PermissionDenied(_("You cannot approve or reject this framework"))
        kind = {
            "approve": AuditKind.FRAMEWORK_APPROVED,
            "reject": AuditKind.FRAMEWORK_CHANGES_REQUESTED,
        }.get(action_name)
        if kind is not None:
            record(
                actor=user,
                organisation=framework.authority,
                kind=kind,
                target=framework,
                data={"revision": task_state.revision_id, "comment": kwargs.get("comment", "")},
            )
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        authority_ids = Membership.objects.filter(
            user=user, role__in=_approver_roles()
        ).values_list("organisation_id", flat=True)
        from .pages import FrameworkPage

        page_ids = FrameworkPage.objects.filter(authority_id__in=authority_ids).values_list(
            "pk", flat=True
        )
        return (
            self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
            .filter(workflow_state__object_id__in=[str(pk) for pk in page_ids])
            .exclude(workflow_state__requested_by=user)
        )
