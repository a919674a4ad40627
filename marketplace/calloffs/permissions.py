"""Who may work on a buying project.

Every member of the buyer may read its projects. Changing one takes a member who may run
call-offs and who started the project or was named on its team; the organisation's approvers
may act on any of its projects (they sign off awards).
"""

from django.utils.translation import gettext as _

from marketplace.organisations import policy
from marketplace.organisations.roles import Action, Role

from .models import BuyingProject


def may_work_on(actor, project: BuyingProject) -> bool:
    if not policy.can(actor, Action.CREATE_CALLOFFS, project.organisation, project):
        return False
    membership = policy.membership_for(actor, project.organisation)
    return (
        membership.role == Role.APPROVER
        or project.created_by_id == actor.pk
        or project.team.filter(pk=actor.pk).exists()
    )


def require_project_worker(actor, project: BuyingProject) -> None:
    if not may_work_on(actor, project):
        raise policy.PolicyDenied(
            _("Only the project's team and %(organisation)s's approvers can change this project")
            % {"organisation": project.organisation}
        )
