"""Checks every competition service makes first: who may act, on a row locked for the
rest of the transaction, in a status that allows the change."""

from django.http import Http404
from django.utils.translation import gettext as _

from marketplace.calloffs.models import BuyingProject
from marketplace.calloffs.permissions import require_project_worker
from marketplace.exceptions import DomainError
from marketplace.organisations import policy

from ..models import Competition


class CompetitionError(DomainError):
    """A competition that cannot be changed as asked; code names the field at fault."""


def require_buyer_worker(actor, project: BuyingProject) -> None:
    """Members of another organisation are told nothing exists (404); the buyer's own members
    need to be on the project's team or be an approver (calloffs.permissions)."""
    if policy.membership_for(actor, project.organisation) is None:
        raise Http404(_("No such competition"))
    require_project_worker(actor, project)


def lock_competition(competition: Competition) -> Competition:
    """The competition, read again under a row lock (on PostgreSQL) with its project."""
    return (
        Competition.objects.select_for_update(of=("self",))
        .select_related("project__organisation", "project__lot__framework")
        .get(pk=competition.pk)
    )


def require_status(competition: Competition, status: str, message: str) -> None:
    if competition.status != status:
        raise CompetitionError(
            message % {"status": competition.get_status_display().lower()}, code="status"
        )


def require_draft(competition: Competition) -> None:
    require_status(
        competition,
        Competition.Status.DRAFT,
        _("The competition is %(status)s: its brief can no longer be changed"),
    )
