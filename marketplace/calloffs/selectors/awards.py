"""Reads of awards, always through a project the acting organisation owns (selectors.projects)
or from the organisation itself: another organisation's award is never found."""

from django.db.models import QuerySet
from django.http import Http404

from marketplace.organisations.models import Organisation

from ..models import Award, BuyingProject

_RELATED = ("supplier", "awarded_by", "signed_off_by", "withdrawn_by")


def standing_award(project: BuyingProject) -> Award | None:
    """The project's award that stands (awaiting sign-off, awarded or contracted), if any."""
    return (
        project.awards.filter(status__in=Award.STANDING)
        .select_related(*_RELATED)
        .prefetch_related("kpis")
        .first()
    )


def get_standing_award(project: BuyingProject, *, statuses=Award.STANDING) -> Award:
    """The project's standing award in one of `statuses`, or 404."""
    award = standing_award(project)
    if award is None or award.status not in statuses:
        raise Http404("No such award")
    award.project = project
    return award


def ended_awards(project: BuyingProject) -> QuerySet[Award]:
    """The project's refused and withdrawn awards, newest first: why the award step is open
    again."""
    return project.awards.exclude(status__in=Award.STANDING).select_related(*_RELATED)


def awards_awaiting_sign_off(*, organisation: Organisation) -> QuerySet[Award]:
    return (
        Award.objects.filter(
            project__organisation=organisation, status=Award.Status.AWAITING_SIGN_OFF
        )
        .select_related("project", "supplier", "awarded_by")
        .order_by("created_at", "pk")
    )
