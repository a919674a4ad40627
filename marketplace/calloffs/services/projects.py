"""State changes for buying projects and the buyer's call-off settings: one function per action,
each checked, audited, and refused with a message a person can read.

A procurement officer or approver of a buyer starts a project; its creator, its team and the
organisation's approvers change it (permissions.may_work_on). The lot must be one the buyer may
use today, under the terms that apply today, and must fit the project's value and term.
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.eligibility import eligibility
from frameworks.models import Lot, Route
from frameworks.selectors import usable_frameworks
from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.competitions.models import Competition
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action, OrganisationKind
from marketplace.state import change_state

from ..locks import lock_project
from ..models import BuyerSettings, BuyingProject
from ..permissions import require_project_worker
from ..references import create_with_reference
from ..selectors.projects import (
    allowed_routes,
    cancel_problem,
    lot_choice_problem,
    lot_fit_problems,
    lot_terms_on,
    project_progress,
    team_candidates,
)

PENCE = Decimal("0.01")
# The model's DecimalField holds 14 digits, 2 of them pence.
MAXIMUM_VALUE = Decimal("999999999999.99")
TITLE_MAX_LENGTH = BuyingProject._meta.get_field("title").max_length
NEED_MAX_LENGTH = BuyingProject._meta.get_field("need").max_length
TERM_MONTHS_MAX = 240
PROJECT_REFERENCE_PREFIX = "BP"


class ProjectError(DomainError):
    """A project that cannot be saved as asked; code names the field at fault."""


# Values ------------------------------------------------------------------------------------------


def clean_money(value, *, field: str, label: str, allow_zero: bool = False) -> Decimal:
    """`value` as pounds and pence, or a ProjectError saying what is wrong with it."""
    try:
        amount = Decimal(str(value).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        raise ProjectError(
            _("%(label)s must be an amount of money, like 12500.00") % {"label": label}, code=field
        ) from None
    if not amount.is_finite():
        raise ProjectError(
            _("%(label)s must be an amount of money, like 12500.00") % {"label": label}, code=field
        )
    if amount != amount.quantize(PENCE):
        raise ProjectError(
            _("%(label)s must be in pounds and pence, with no more than 2 decimal places")
            % {"label": label},
            code=field,
        )
    if amount <= 0 and not allow_zero:
        raise ProjectError(_("%(label)s must be more than £0") % {"label": label}, code=field)
    if amount < 0:
        raise ProjectError(_("%(label)s must be £0 or more") % {"label": label}, code=field)
    if amount > MAXIMUM_VALUE:
        raise ProjectError(
            _("%(label)s must be £999,999,999,999.99 or less") % {"label": label}, code=field
        )
    return amount.quantize(PENCE)


def _clean_term(value) -> int:
    try:
        months = int(str(value).strip())
    except (TypeError, ValueError):
        raise ProjectError(
            _("Estimated term must be a whole number of months, like 24"), code="term"
        ) from None
    if not 1 <= months <= TERM_MONTHS_MAX:
        raise ProjectError(
            _("Estimated term must be between 1 and %(max)d months") % {"max": TERM_MONTHS_MAX},
            code="term",
        )
    return months


def _clean_text(value: str, *, field: str, missing: str, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ProjectError(missing, code=field)
    if len(text) > limit:
        raise ProjectError(
            _("%(label)s must be %(limit)d characters or fewer (you entered %(count)d)")
            % {"label": label, "limit": limit, "count": len(text)},
            code=field,
        )
    return text


def _clean_details(*, title, need, estimated_value, estimated_term_months) -> dict:
    return {
        "title": " ".join(
            _clean_text(
                title,
                field="title",
                missing=_("Enter a title for the project"),
                label=_("Title"),
                limit=TITLE_MAX_LENGTH,
            ).split()
        ),
        "need": _clean_text(
            need,
            field="need",
            missing=_("Describe what your organisation needs"),
            label=_("The need"),
            limit=NEED_MAX_LENGTH,
        ),
        "estimated_value": clean_money(
            estimated_value, field="estimated_value", label=_("Estimated value")
        ),
        "estimated_term_months": _clean_term(estimated_term_months),
    }


def _clean_team(team: Iterable, *, organisation: Organisation, creator) -> list:
    """The colleagues named, each a member of the organisation who may run call-offs."""
    members = list(team)
    allowed = set(
        team_candidates(organisation=organisation)
        .filter(pk__in=[member.pk for member in members])
        .values_list("pk", flat=True)
    )
    outsiders = [member for member in members if member.pk not in allowed]
    if outsiders:
        raise ProjectError(
            _("Only members of %(organisation)s who may run call-offs can work on its projects")
            % {"organisation": organisation},
            code="team",
        )
    # The creator is always on the project; naming them again changes nothing.
    return sorted({member for member in members if member.pk != creator.pk}, key=lambda u: u.pk)


def _snapshot(details: dict, team_ids: list[int]) -> dict:
    return {**details, "estimated_value": str(details["estimated_value"]), "team": team_ids}


# Projects ----------------------------------------------------------------------------------------


def _require_preparing(project: BuyingProject) -> None:
    if project.status != BuyingProject.Status.PREPARING:
        raise ProjectError(
            _("This project is %(status)s: it can no longer be changed")
            % {"status": project.get_status_display().lower()},
            code="project",
        )


@transaction.atomic
def create_project(
    *,
    actor,
    organisation: Organisation,
    title: str,
    need: str,
    estimated_value,
    estimated_term_months,
    team: Iterable = (),
) -> BuyingProject:
    if organisation is None or organisation.kind != OrganisationKind.BUYER:
        raise ProjectError(_("Only buyer organisations run buying projects"), code="organisation")
    policy.require(actor, Action.CREATE_CALLOFFS, organisation)
    details = _clean_details(
        title=title,
        need=need,
        estimated_value=estimated_value,
        estimated_term_months=estimated_term_months,
    )
    colleagues = _clean_team(team, organisation=organisation, creator=actor)
    project = create_with_reference(
        BuyingProject,
        prefix=PROJECT_REFERENCE_PREFIX,
        year=timezone.localdate().year,
        organisation=organisation,
        created_by=actor,
        **details,
    )
    project.team.set(colleagues)
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.PROJECT_CREATED,
        target=project,
        data={
            "reference": project.reference,
            **_snapshot(details, [colleague.pk for colleague in colleagues]),
        },
    )
    return project


@transaction.atomic
def update_project(
    *,
    actor,
    project: BuyingProject,
    title: str,
    need: str,
    estimated_value,
    estimated_term_months,
    team: Iterable = (),
) -> BuyingProject:
    """Change the project's details and team while it is in progress. Once a lot is chosen the
    value and term must still fit it."""
    project = lock_project(project)
    require_project_worker(actor, project)
    _require_preparing(project)
    details = _clean_details(
        title=title,
        need=need,
        estimated_value=estimated_value,
        estimated_term_months=estimated_term_months,
    )
    colleagues = _clean_team(team, organisation=project.organisation, creator=project.created_by)
    if project.lot_id is not None:
        problems = lot_fit_problems(
            lot_terms_on(project.lot, timezone.localdate()),
            value=details["estimated_value"],
            term_months=details["estimated_term_months"],
        )
        if problems:
            field, message = problems[0]
            raise ProjectError(
                _("%(problem)s. Keep to the lot's value band and term, or choose another lot")
                % {"problem": message},
                code=field,
            )
    old = _snapshot(
        {name: getattr(project, name) for name in details},
        sorted(project.team.values_list("pk", flat=True)),
    )
    new = _snapshot(details, [colleague.pk for colleague in colleagues])
    changed = [name for name in new if old[name] != new[name]]
    if not changed:
        return project
    for name, value in details.items():
        setattr(project, name, value)
    project.save(update_fields=[*details, "updated_at"])
    project.team.set(colleagues)
    audit.record(
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.PROJECT_UPDATED,
        target=project,
        data={
            "old": {name: old[name] for name in changed},
            "new": {name: new[name] for name in changed},
        },
    )
    return project


def _lot_problem(
    *, project: BuyingProject, lot: Lot, terms: dict, route: str, today
) -> tuple[str, str] | None:
    """(field, message) for the first reason `lot`, under `terms`, and `route` do not suit
    the project."""
    framework = lot.framework
    organisation = project.organisation
    if (
        not usable_frameworks(organisation=organisation, today=today)
        .filter(pk=framework.pk)
        .exists()
    ):
        allowed = eligibility(framework, organisation)
        if not allowed:
            return "lot", _("%(organisation)s may not use %(framework)s. %(reason)s") % {
                "organisation": organisation,
                "framework": framework.title,
                "reason": allowed.reason,
            }
        return "lot", _("%(framework)s is not live: call-offs cannot be made from it today") % {
            "framework": framework.title
        }
    if terms.get("closed"):
        return "lot", _("%(lot)s of %(framework)s is closed") % {
            "lot": lot,
            "framework": framework.title,
        }
    problems = lot_fit_problems(
        terms, value=project.estimated_value, term_months=project.estimated_term_months
    )
    if problems:
        return "lot", problems[0][1]
    if route not in Route.values:
        return "route", _("Choose how you will buy: direct award or further competition")
    if route not in allowed_routes(terms):
        return "route", _("%(lot)s does not allow %(route)s") % {
            "lot": lot,
            "route": Route(route).label.lower(),
        }
    if route == Route.DIRECT_AWARD and not terms.get("direct_award_method"):
        return "route", _(
            "%(lot)s does not say how a direct award picks its supplier: ask the framework's "
            "contacts, or choose further competition"
        ) % {"lot": lot}
    return None


@transaction.atomic
def choose_lot(*, actor, project: BuyingProject, lot: Lot, route: str) -> BuyingProject:
    """Record the lot and route, and for direct award the lot's mechanism, checked against
    the terms that apply today."""
    project = lock_project(project)
    require_project_worker(actor, project)
    problem = lot_choice_problem(project, project_progress(project))
    if problem:
        raise ProjectError(problem, code="project")
    today = timezone.localdate()
    terms = lot_terms_on(lot, today)
    found = _lot_problem(project=project, lot=lot, terms=terms, route=route, today=today)
    if found:
        field, message = found
        raise ProjectError(message, code=field)
    old = {
        "lot": project.lot_id,
        "route": project.route,
        "direct_award_method": project.direct_award_method,
    }
    project.lot = lot
    project.route = route
    project.direct_award_method = (
        terms["direct_award_method"] if route == Route.DIRECT_AWARD else ""
    )
    project.save(update_fields=["lot", "route", "direct_award_method", "updated_at"])
    audit.record(
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.PROJECT_LOT_CHOSEN,
        target=project,
        data={
            "framework": lot.framework_id,
            "old": old,
            "new": {
                "lot": lot.pk,
                "route": route,
                "direct_award_method": project.direct_award_method,
            },
        },
    )
    return project


@transaction.atomic
def cancel_project(*, actor, project: BuyingProject, reason: str) -> BuyingProject:
    """Abandon the project before award, saying why. Nothing is deleted."""
    project = lock_project(project)
    require_project_worker(actor, project)
    problem = cancel_problem(project, project_progress(project))
    if problem:
        raise ProjectError(problem, code="project")
    reason = (reason or "").strip()
    if not reason:
        raise ProjectError(_("Give the reason for cancelling the project"), code="reason")
    change_state(
        project,
        to=BuyingProject.Status.CANCELLED,
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.PROJECT_CANCELLED,
        data={"reason": reason},
        update_fields=("updated_at",),
    )
    _cancel_competition(actor=actor, project=project, reason=reason)
    return project


def _cancel_competition(*, actor, project: BuyingProject, reason: str) -> None:
    """A cancelled project's further competition, if still running, is cancelled with it, so
    its invited suppliers stop bidding and see why."""
    competition = Competition.objects.select_for_update().filter(project=project).first()
    if competition is None or Competition.Status.CANCELLED not in Competition.TRANSITIONS.get(
        competition.status, ()
    ):
        return
    change_state(
        competition,
        to=Competition.Status.CANCELLED,
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.COMPETITION_CANCELLED,
        data={"project": project.pk, "reason": reason},
        update_fields=("updated_at",),
    )


# Buyer settings ----------------------------------------------------------------------------------


def approval_threshold_for(organisation: Organisation) -> Decimal | None:
    """Awards above this value (excluding VAT) need an approver's sign-off; None: none do."""
    return (
        BuyerSettings.objects.filter(organisation=organisation)
        .values_list("approval_threshold", flat=True)
        .first()
    )


def may_change_settings(actor, organisation: Organisation) -> bool:
    return policy.can(actor, Action.APPROVE_CALLOFFS, organisation)


@transaction.atomic
def update_buyer_settings(
    *, actor, organisation: Organisation, approval_threshold
) -> BuyerSettings:
    """Set (or, with None or blank, remove) the organisation's sign-off threshold."""
    if organisation is None or organisation.kind != OrganisationKind.BUYER:
        raise ProjectError(
            _("Only buyer organisations have call-off settings"), code="organisation"
        )
    policy.require(actor, Action.APPROVE_CALLOFFS, organisation)
    threshold = (
        None
        if approval_threshold is None or str(approval_threshold).strip() == ""
        else clean_money(
            approval_threshold,
            field="approval_threshold",
            label=_("Sign-off threshold"),
            allow_zero=True,
        )
    )
    settings, _created = BuyerSettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    old = settings.approval_threshold
    if old == threshold:
        return settings
    settings.approval_threshold = threshold
    settings.save(update_fields=["approval_threshold", "updated_at"])
    audit.record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.BUYER_SETTINGS_CHANGED,
        target=settings,
        data={
            "old": {"approval_threshold": None if old is None else str(old)},
            "new": {"approval_threshold": None if threshold is None else str(threshold)},
        },
    )
    return settings
