"""Starting a further competition and writing its brief.

The quality criteria are the framework's award criteria under the terms in force, one row
each: a call-off competition may refine them (their descriptions and weightings), never add
new ones. The brief can be changed only while the competition is a draft.
"""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.models import AwardCriterion, Route
from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.calloffs.locks import lock_project
from marketplace.calloffs.models import BuyingProject
from marketplace.calloffs.selectors.projects import lot_terms_on

from ..models import Competition, CompetitionCriterion
from ..models.competition import CRITERION_DESCRIPTION_MAX_LENGTH, REQUIREMENTS_MAX_LENGTH
from ..selectors.competitions import framework_criteria_in_force
from .checks import CompetitionError, lock_competition, require_buyer_worker, require_draft


def _start_problem(project: BuyingProject, *, today) -> str | None:
    if project.status != BuyingProject.Status.PREPARING:
        return _("This project is %(status)s: it cannot start a further competition") % {
            "status": project.get_status_display().lower()
        }
    if project.lot_id is None or project.route != Route.FURTHER_COMPETITION:
        return _("Choose a lot and further competition as the route first")
    if Competition.objects.filter(project=project).exists():
        return _("This project already has a further competition")
    terms = lot_terms_on(project.lot, today)
    if terms.get("closed"):
        return _("%(lot)s is closed") % {"lot": project.lot}
    if not terms.get("allows_further_competition"):
        return _("%(lot)s does not allow further competition") % {"lot": project.lot}
    return None


def _framework_rows(lot, criteria: list[dict]) -> list[AwardCriterion | None]:
    """The framework's stored criterion row for each criterion in force, matched by title
    (a future-dated variation may already have replaced the rows)."""
    rows = {row.title: row for row in AwardCriterion.objects.filter(framework_id=lot.framework_id)}
    return [rows.get(criterion["title"]) for criterion in criteria]


@transaction.atomic
def create_competition(*, actor, project: BuyingProject) -> Competition:
    """Start the project's further competition: a draft brief whose requirements start from
    the project's need and whose criteria are the framework's, as its terms stand today."""
    project = lock_project(project)
    require_buyer_worker(actor, project)
    today = timezone.localdate()
    if problem := _start_problem(project, today=today):
        raise CompetitionError(problem, code="project")
    criteria = framework_criteria_in_force(project.lot, today)
    if not criteria:
        raise CompetitionError(
            _(
                "%(framework)s sets no award criteria, so there is nothing for a further "
                "competition to refine: ask the framework's contacts"
            )
            % {"framework": project.lot.framework.title},
            code="criteria",
        )
    competition = Competition.objects.create(
        project=project, requirements=project.need, created_by=actor
    )
    CompetitionCriterion.objects.bulk_create(
        CompetitionCriterion(
            competition=competition,
            framework_criterion=row,
            position=position,
            title=criterion["title"],
            description=criterion.get("description") or "",
            weighting=criterion["weighting"],
            framework_weighting=criterion["weighting"],
            social_value_theme=criterion.get("social_value_theme") or "",
        )
        for position, (criterion, row) in enumerate(
            zip(criteria, _framework_rows(project.lot, criteria), strict=True)
        )
    )
    audit.record(
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.COMPETITION_CREATED,
        target=competition,
        data={
            "project": project.pk,
            "lot": project.lot_id,
            "criteria": [[c["title"], c["weighting"]] for c in criteria],
        },
    )
    return competition


# The brief ---------------------------------------------------------------------------------------


def _clean_requirements(value: str) -> str:
    text = (value or "").strip()
    if not text:
        raise CompetitionError(_("Enter the requirements"), code="requirements")
    if len(text) > REQUIREMENTS_MAX_LENGTH:
        raise CompetitionError(
            _("The requirements must be %(limit)d characters or fewer (you entered %(count)d)")
            % {"limit": REQUIREMENTS_MAX_LENGTH, "count": len(text)},
            code="requirements",
        )
    return text


def _clean_percentage(value, *, field: str, label: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise CompetitionError(
            _("%(label)s must be a whole number from 0 to 100") % {"label": label}, code=field
        ) from None
    if not 0 <= number <= 100:
        raise CompetitionError(_("%(label)s must be from 0 to 100") % {"label": label}, code=field)
    return number


def _clean_criteria(
    competition: Competition, refinements: Mapping
) -> list[tuple[CompetitionCriterion, str, int]]:
    """(criterion, description, weighting) for every criterion, refinements applied."""
    criteria = {criterion.pk: criterion for criterion in competition.criteria.all()}
    refinements = {str(key): refinement for key, refinement in refinements.items()}
    if set(refinements) - {str(pk) for pk in criteria}:
        raise CompetitionError(
            _(
                "Only the framework's award criteria can be refined: a call-off competition "
                "may not add new ones"
            ),
            code="criteria",
        )
    cleaned = []
    for pk, criterion in criteria.items():
        refinement = refinements.get(str(pk), {})
        description = (refinement.get("description", criterion.description) or "").strip()
        if len(description) > CRITERION_DESCRIPTION_MAX_LENGTH:
            raise CompetitionError(
                _("The description of %(title)s must be %(limit)d characters or fewer")
                % {"title": criterion.title, "limit": CRITERION_DESCRIPTION_MAX_LENGTH},
                code=f"criterion-{pk}",
            )
        weighting = _clean_percentage(
            refinement.get("weighting", criterion.weighting),
            field=f"criterion-{pk}",
            label=_("The weighting of %(title)s") % {"title": criterion.title},
        )
        cleaned.append((criterion, description, weighting))
    total = sum(weighting for _criterion, _description, weighting in cleaned)
    if total != 100:
        raise CompetitionError(
            _("The quality criteria's weightings must add up to 100%%, not %(total)d%%")
            % {"total": total},
            code="criteria",
        )
    return cleaned


def _clean_deadlines(questions, bids) -> tuple[datetime, datetime]:
    """Both deadlines, aware (a naive time is London time), in the future and in order."""
    now = timezone.now()
    cleaned = []
    for value, field, label in (
        (questions, "clarification_deadline", _("The deadline for questions")),
        (bids, "submission_deadline", _("The deadline for bids")),
    ):
        if not isinstance(value, datetime):
            raise CompetitionError(_("Enter %(label)s") % {"label": label.lower()}, code=field)
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        if value <= now:
            raise CompetitionError(
                _("%(label)s must be in the future") % {"label": label}, code=field
            )
        cleaned.append(value)
    if cleaned[0] >= cleaned[1]:
        raise CompetitionError(
            _("The deadline for questions must be before the deadline for bids"),
            code="clarification_deadline",
        )
    return cleaned[0], cleaned[1]


def _brief_snapshot(competition: Competition) -> dict:
    return {
        "requirements": competition.requirements,
        "price_weight": competition.price_weight,
        "clarification_deadline": competition.clarification_deadline,
        "submission_deadline": competition.submission_deadline,
        "voluntary_standstill": competition.voluntary_standstill,
    }


@transaction.atomic
def update_brief(
    *,
    actor,
    competition: Competition,
    requirements: str,
    price_weight,
    criteria: Mapping[int, Mapping],
    clarification_deadline: datetime | None,
    submission_deadline: datetime | None,
    voluntary_standstill: bool,
) -> Competition:
    """Write the brief. `criteria` maps criterion ids to the refinements made to them
    ({"description": ..., "weighting": ...}); criteria left out keep theirs. Every value is
    checked before anything is saved."""
    competition = lock_competition(competition)
    require_buyer_worker(actor, competition.project)
    require_draft(competition)
    new = {
        "requirements": _clean_requirements(requirements),
        "price_weight": _clean_percentage(
            price_weight, field="price_weight", label=_("The price weight")
        ),
        "voluntary_standstill": bool(voluntary_standstill),
    }
    refined = _clean_criteria(competition, criteria)
    new["clarification_deadline"], new["submission_deadline"] = _clean_deadlines(
        clarification_deadline, submission_deadline
    )
    old = _brief_snapshot(competition)
    changed = [name for name in new if old[name] != new[name]]
    changed_criteria = [
        (criterion, description, weighting)
        for criterion, description, weighting in refined
        if (criterion.description, criterion.weighting) != (description, weighting)
    ]
    if not changed and not changed_criteria:
        return competition
    criteria_changes = {
        criterion.title: {
            "old": {"description": criterion.description, "weighting": criterion.weighting},
            "new": {"description": description, "weighting": weighting},
        }
        for criterion, description, weighting in changed_criteria
    }
    for name in changed:
        setattr(competition, name, new[name])
    competition.save(update_fields=[*changed, "updated_at"])
    for criterion, description, weighting in changed_criteria:
        criterion.description, criterion.weighting = description, weighting
    CompetitionCriterion.objects.bulk_update(
        [criterion for criterion, _d, _w in changed_criteria], ["description", "weighting"]
    )
    audit.record(
        actor=actor,
        organisation=competition.project.organisation,
        kind=AuditKind.COMPETITION_BRIEF_UPDATED,
        target=competition,
        data={
            "old": {name: old[name] for name in changed},
            "new": {name: new[name] for name in changed},
            "criteria": criteria_changes,
        },
    )
    return competition
