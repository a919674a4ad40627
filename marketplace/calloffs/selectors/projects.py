"""Reads of buying projects, always from the organisation asking: another organisation's
project is simply not found (404). Also the lots a project may use, read from the terms that
apply today, and the project's task list, derived from what is stored."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frameworks.models import DirectAwardMethod, Lot, Route
from frameworks.selectors import usable_frameworks
from frameworks.terms import terms_on
from marketplace.accounts.models import User
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.competitions.models import Competition
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import PERMISSIONS, Action, role_allows

from ..models import Award, BuyingProject, Contract, RotationOffer, RulesApplied, Shortlist


def projects_for(*, organisation: Organisation) -> QuerySet[BuyingProject]:
    return BuyingProject.objects.filter(organisation=organisation).select_related(
        "organisation", "created_by", "lot__framework", "selected_supplier"
    )


def get_project(*, organisation: Organisation, pk: int) -> BuyingProject:
    return get_object_or_404(projects_for(organisation=organisation), pk=pk)


def filtered_projects(*, organisation: Organisation, status: str = "") -> QuerySet[BuyingProject]:
    """The organisation's projects, newest first, with one status if `status` names one."""
    projects = projects_for(organisation=organisation)
    if status in BuyingProject.Status.values:
        projects = projects.filter(status=status)
    return projects


def team_candidates(*, organisation: Organisation) -> QuerySet[User]:
    """The organisation's members who may run call-offs: those who may work on its projects."""
    roles = [role for role, actions in PERMISSIONS.items() if Action.CREATE_CALLOFFS in actions]
    return (
        User.objects.filter(
            memberships__organisation=organisation, memberships__role__in=roles, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def cancellation_reason(project: BuyingProject) -> str:
    """Why a cancelled project was cancelled, as its audit event records it."""
    event = (
        AuditEvent.objects.filter(
            kind=AuditKind.PROJECT_CANCELLED,
            organisation=project.organisation,
            target_object_id=str(project.pk),
        )
        .order_by("-pk")
        .first()
    )
    return event.data.get("reason", "") if event else ""


# Lots a project may use --------------------------------------------------------------------------


def pounds(amount) -> str:
    return f"£{Decimal(amount):,.2f}"


def lot_terms_on(lot: Lot, day: date) -> dict:
    """The lot's terms that applied on `day` (frameworks.terms: later variations undone)."""
    return terms_on(lot.framework, day)["lots"].get(str(lot.number), {})


def find_lot(*, pk: int) -> Lot | None:
    """The lot a buyer names; whether the buyer may use it is choose_lot's question."""
    return Lot.objects.select_related("framework").filter(pk=pk).first()


def lot_fit_problems(terms: dict, *, value: Decimal, term_months: int) -> list[tuple[str, str]]:
    """(field, message) for each way a project of `value` and `term_months` falls outside the
    lot's band and maximum term."""
    problems = []
    minimum, maximum = terms.get("minimum_value"), terms.get("maximum_value")
    if minimum is not None and value < Decimal(minimum):
        problems.append(
            (
                "estimated_value",
                _("The estimated value, %(value)s, is below the lot's minimum of %(minimum)s")
                % {"value": pounds(value), "minimum": pounds(minimum)},
            )
        )
    if maximum is not None and value > Decimal(maximum):
        problems.append(
            (
                "estimated_value",
                _("The estimated value, %(value)s, is above the lot's maximum of %(maximum)s")
                % {"value": pounds(value), "maximum": pounds(maximum)},
            )
        )
    longest = terms.get("maximum_term_months")
    if longest is not None and term_months > longest:
        problems.append(
            (
                "term",
                _(
                    "The estimated term, %(term)d months, is longer than the lot's maximum "
                    "of %(longest)d months"
                )
                % {"term": term_months, "longest": longest},
            )
        )
    return problems


def allowed_routes(terms: dict) -> list[Route]:
    return [
        route
        for route, term in (
            (Route.DIRECT_AWARD, "allows_direct_award"),
            (Route.FURTHER_COMPETITION, "allows_further_competition"),
        )
        if terms.get(term)
    ]


@dataclass
class LotOption:
    lot: Lot
    terms: dict
    routes: list[Route]
    problems: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not self.problems

    @property
    def direct_award_method_label(self) -> str:
        method = self.terms.get("direct_award_method")
        return DirectAwardMethod(method).label if method else ""


def lot_options(*, project: BuyingProject, today: date) -> list[LotOption]:
    """Every open lot of every live framework the project's organisation may use, each with
    the routes its terms allow today and why it does not fit the project, if it does not."""
    options = []
    frameworks = usable_frameworks(organisation=project.organisation, today=today)
    for framework in frameworks.prefetch_related("lots"):
        terms = terms_on(framework, today)["lots"]
        for lot in sorted(framework.lots.all(), key=lambda lot: lot.number):
            lot_terms = terms.get(str(lot.number), {})
            if lot_terms.get("closed"):
                continue
            lot.framework = framework
            routes = allowed_routes(lot_terms)
            problems = [
                message
                for _field, message in lot_fit_problems(
                    lot_terms,
                    value=project.estimated_value,
                    term_months=project.estimated_term_months,
                )
            ]
            if Route.DIRECT_AWARD in routes and not lot_terms.get("direct_award_method"):
                routes.remove(Route.DIRECT_AWARD)
            if not routes:
                problems.append(_("The lot allows no route this service can follow"))
            options.append(LotOption(lot=lot, terms=lot_terms, routes=routes, problems=problems))
    return options


# The task list -----------------------------------------------------------------------------------


class TaskStatus:
    COMPLETED = "Completed"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not yet started"
    CANNOT_START = "Cannot start yet"
    NOT_NEEDED = "Not needed"


@dataclass
class Task:
    key: str
    name: str
    status: str
    url_name: str = ""
    url_args: tuple = ()
    hint: str = ""

    @property
    def may_start(self) -> bool:
        return self.status != TaskStatus.CANNOT_START and bool(self.url_name)

    @property
    def href(self) -> str:
        return reverse(self.url_name, args=self.url_args) if self.url_name else ""


# How a direct award finds its supplier: the page each mechanism starts on.
SUPPLIER_STEP = {
    "search_shortlist": "calloffs:shortlist",
    "ranked_rotation": "calloffs:rotation",
    "single_supplier": "calloffs:single-supplier",
}


@dataclass
class ProjectProgress:
    """What is stored about the project's way to a contract, read once for its pages."""

    shortlist: Shortlist | None
    has_offers: bool
    open_offer: RotationOffer | None
    award: Award | None  # the standing award, or the latest one
    contract: Contract | None
    competition_status: str | None  # the further competition's, if one was started

    @property
    def standing_award(self) -> Award | None:
        return self.award if self.award and self.award.status in Award.STANDING else None

    @property
    def shortlist_frozen(self) -> bool:
        return self.shortlist is not None and self.shortlist.frozen_at is not None


def project_progress(project: BuyingProject) -> ProjectProgress:
    offers = list(project.rotation_offers.order_by("-offered_at", "-pk"))
    awards = list(project.awards.order_by("-pk"))
    standing = [award for award in awards if award.status in Award.STANDING]
    return ProjectProgress(
        shortlist=Shortlist.objects.filter(project=project).first(),
        has_offers=bool(offers),
        open_offer=next(
            (offer for offer in offers if offer.status == RotationOffer.Status.OFFERED), None
        ),
        award=(standing or awards or [None])[0],
        contract=Contract.objects.filter(project=project).first(),
        competition_status=Competition.objects.filter(project=project)
        .values_list("status", flat=True)
        .first(),
    )


def lot_choice_problem(project: BuyingProject, progress: ProjectProgress) -> str | None:
    """Why the project's lot and route can no longer be chosen, or None."""
    if project.status != BuyingProject.Status.PREPARING:
        return _("This project is %(status)s: its lot can no longer be changed") % {
            "status": project.get_status_display().lower()
        }
    if project.selected_supplier_id is not None:
        return _("A supplier is selected for this project: its lot can no longer be changed")
    if progress.standing_award is not None:
        return _("This project has an award: its lot can no longer be changed")
    if progress.shortlist_frozen:
        return _("This project's shortlist is frozen on its lot: the lot can no longer be changed")
    if progress.has_offers:
        return _(
            "Suppliers on this project's lot have had offers: the lot can no longer be changed"
        )
    # The brief refines this lot's framework's criteria, and suppliers of this lot are invited.
    if progress.competition_status not in (None, Competition.Status.CANCELLED):
        return _(
            "A further competition has started on this project's lot: the lot can no longer "
            "be changed"
        )
    return None


def cancel_problem(project: BuyingProject, progress: ProjectProgress) -> str | None:
    """Why the project cannot be cancelled now, or None."""
    if project.status != BuyingProject.Status.PREPARING:
        return _("This project is %(status)s: it can no longer be cancelled") % {
            "status": project.get_status_display().lower()
        }
    if progress.standing_award is not None:
        return _("This project has an award: withdraw it before cancelling the project")
    return None


def _details_task(project: BuyingProject) -> Task:
    changeable = project.status == BuyingProject.Status.PREPARING
    return Task(
        "details",
        _("Project details and team"),
        TaskStatus.COMPLETED,
        "calloffs:project-edit" if changeable else "",
    )


def _lot_task(project: BuyingProject, progress: ProjectProgress) -> Task:
    url_name = "" if lot_choice_problem(project, progress) else "calloffs:project-lot"
    if project.lot_id:
        return Task(
            "lot",
            _("Lot and route"),
            TaskStatus.COMPLETED,
            url_name,
            hint=f"{project.lot.framework.title}, {project.lot}: {project.get_route_display()}",
        )
    return Task("lot", _("Lot and route"), TaskStatus.NOT_STARTED, url_name)


def _supplier_task(project: BuyingProject, progress: ProjectProgress) -> Task:
    name = _("Find a supplier")
    if not project.lot_id:
        return Task("supplier", name, TaskStatus.CANNOT_START, hint=_("Choose a lot first."))
    url_name = SUPPLIER_STEP.get(project.direct_award_method, "")
    method = project.get_direct_award_method_display()
    if project.selected_supplier_id:
        return Task(
            "supplier",
            name,
            TaskStatus.COMPLETED,
            url_name,
            hint=_("%(method)s: %(supplier)s selected.")
            % {"method": method, "supplier": project.selected_supplier},
        )
    started = (progress.shortlist is not None) or progress.has_offers
    hint = method
    if progress.open_offer:
        hint = _("%(method)s: offered to %(supplier)s, answer by %(date)s.") % {
            "method": method,
            "supplier": progress.open_offer.supplier,
            "date": progress.open_offer.respond_by.strftime("%-d %B %Y"),
        }
    return Task(
        "supplier",
        name,
        TaskStatus.IN_PROGRESS if started else TaskStatus.NOT_STARTED,
        url_name,
        hint=hint,
    )


def _london(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


def _competition_tasks(project: BuyingProject) -> list[Task]:
    """A further competition's steps, read from its stored brief, invitations and questions."""
    competition = (
        Competition.objects.filter(project=project)
        .annotate(
            invited=Count("invitations", filter=Q(invitations__invited=True), distinct=True),
            declarations=Count("conflict_declarations", distinct=True),
            waiting=Count(
                "clarifications",
                filter=Q(clarifications__published_at__isnull=True),
                distinct=True,
            ),
        )
        .first()
    )
    brief = _("Write the brief")
    invite = _("Invite suppliers")
    questions = _("Answer suppliers' questions")
    evaluate = Task(
        "competition_evaluate",
        _("Evaluate bids"),
        TaskStatus.CANNOT_START,
        hint=_("Invite suppliers first."),
    )
    if competition is None:
        return [
            Task(
                "competition_brief",
                brief,
                TaskStatus.NOT_STARTED,
                "buyer_competition:start",
                hint=_("Start the further competition: requirements, criteria and deadlines."),
            ),
            Task(
                "competition_invite",
                invite,
                TaskStatus.CANNOT_START,
                hint=_("Write the brief first."),
            ),
            Task(
                "competition_questions",
                questions,
                TaskStatus.CANNOT_START,
                hint=_("Invite suppliers first."),
            ),
            evaluate,
        ]
    deadline = competition.submission_deadline
    if competition.status == Competition.Status.DRAFT:
        written = deadline is not None
        return [
            Task(
                "competition_brief",
                brief,
                TaskStatus.COMPLETED if written else TaskStatus.IN_PROGRESS,
                "buyer_competition:brief",
                hint=_("Deadline for bids: %(deadline)s (London time).")
                % {"deadline": _london(deadline)}
                if written
                else "",
            ),
            Task(
                "competition_invite",
                invite,
                TaskStatus.NOT_STARTED if written else TaskStatus.CANNOT_START,
                "buyer_competition:invite" if written else "",
                hint="" if written else _("Write the brief first."),
            ),
            Task(
                "competition_questions",
                questions,
                TaskStatus.CANNOT_START,
                hint=_("Invite suppliers first."),
            ),
            evaluate,
        ]
    bids_open = competition.status == Competition.Status.OPEN and timezone.now() < deadline
    waiting = ngettext(
        "%(count)d question waiting for an answer.",
        "%(count)d questions waiting for an answer.",
        competition.waiting,
    ) % {"count": competition.waiting}
    if bids_open:
        evaluate.hint = _("Bids stay sealed until %(deadline)s (London time).") % {
            "deadline": _london(deadline)
        }
    else:
        evaluate = _evaluate_task(competition)
    return [
        Task(
            "competition_brief",
            brief,
            TaskStatus.COMPLETED,
            "buyer_competition:summary",
            hint=_("Price %(price)d%%, quality %(quality)d%%.")
            % {"price": competition.price_weight, "quality": competition.quality_weight},
        ),
        Task(
            "competition_invite",
            invite,
            TaskStatus.COMPLETED,
            "buyer_competition:invite",
            hint=ngettext(
                "%(count)d supplier invited.", "%(count)d suppliers invited.", competition.invited
            )
            % {"count": competition.invited},
        ),
        Task(
            "competition_questions",
            questions,
            TaskStatus.IN_PROGRESS if bids_open else TaskStatus.COMPLETED,
            "buyer_competition:questions",
            hint=waiting
            if competition.waiting or not bids_open
            else _("No questions waiting. Suppliers may ask until %(deadline)s (London time).")
            % {"deadline": _london(competition.clarification_deadline)},
        ),
        evaluate,
    ]


def _evaluate_task(competition: Competition) -> Task:
    """Evaluating a competition whose deadline has opened the bids: started once anyone has
    declared for it, then the ranking once evaluated."""
    name = _("Evaluate bids")
    status = competition.status
    # An open competition past its deadline is closed by the first page that reads it.
    if status in (Competition.Status.OPEN, Competition.Status.CLOSED):
        return Task(
            "competition_evaluate",
            name,
            TaskStatus.IN_PROGRESS if competition.declarations else TaskStatus.NOT_STARTED,
            "buyer_competition:evaluate",
            hint=_("Declare any conflict of interest, then score each bid."),
        )
    if status == Competition.Status.EVALUATED:
        return Task(
            "competition_evaluate",
            name,
            TaskStatus.IN_PROGRESS,
            "buyer_competition:ranking",
            hint=_("Every bid is evaluated: see the ranking and award to the highest-scoring bid."),
        )
    if status == Competition.Status.AWARDED:
        return Task(
            "competition_evaluate",
            name,
            TaskStatus.COMPLETED,
            "buyer_competition:ranking",
            hint=_("Awarded to the highest-scoring bid."),
        )
    return Task(
        "competition_evaluate",
        name,
        TaskStatus.CANNOT_START,
        hint=_("The competition is %(status)s.")
        % {"status": competition.get_status_display().lower()},
    )


def _award_tasks(project: BuyingProject, progress: ProjectProgress) -> list[Task]:
    award = progress.standing_award
    name = _("Award the contract")
    if award is None:
        if not project.selected_supplier_id:
            return [
                Task("award", name, TaskStatus.CANNOT_START, hint=_("Select a supplier first."))
            ]
        hint = ""
        if progress.award is not None:
            hint = _("The last award was %(status)s.") % {
                "status": progress.award.get_status_display().lower()
            }
        return [Task("award", name, TaskStatus.NOT_STARTED, "calloffs:award", hint=hint)]
    tasks = [
        Task(
            "award",
            name,
            TaskStatus.COMPLETED,
            "calloffs:award",
            hint=_("%(value)s to %(supplier)s.")
            % {"value": pounds(award.value), "supplier": award.supplier},
        )
    ]
    if award.needs_sign_off:
        awaiting = award.status == Award.Status.AWAITING_SIGN_OFF
        tasks.append(
            Task(
                "sign_off",
                _("Sign-off by an approver"),
                TaskStatus.IN_PROGRESS if awaiting else TaskStatus.COMPLETED,
                "calloffs:award-sign-off" if awaiting else "",
                hint=_("Waiting for an approver other than the person who made the award.")
                if awaiting
                else _("Signed off by %(approver)s.") % {"approver": award.signed_off_by},
            )
        )
    return tasks


def _notice_task(progress: ProjectProgress) -> Task:
    award = progress.standing_award
    name = _("Contract award notice")
    if award is None or award.status == Award.Status.AWAITING_SIGN_OFF:
        return Task("award_notice", name, TaskStatus.CANNOT_START, hint=_("Award first."))
    if award.rules_applied != RulesApplied.PROCUREMENT_ACT_2023:
        return Task(
            "award_notice",
            name,
            TaskStatus.NOT_NEEDED,
            "calloffs:award-notice",
            hint=_("Not required: %(rules)s apply.") % {"rules": award.get_rules_applied_display()},
        )
    if award.notice_identifier:
        hint = _("Notice %(identifier)s.") % {"identifier": award.notice_identifier}
        if award.standstill_ends_on:
            hint += " " + _("Standstill ends %(date)s.") % {
                "date": award.standstill_ends_on.strftime("%-d %B %Y")
            }
        return Task("award_notice", name, TaskStatus.COMPLETED, "calloffs:award-notice", hint=hint)
    return Task(
        "award_notice",
        name,
        TaskStatus.NOT_STARTED,
        "calloffs:award-notice",
        hint=_("Publish the UK6 notice on the central platform, then record it here."),
    )


def _entry_task(progress: ProjectProgress) -> Task:
    award = progress.standing_award
    name = _("Enter into the contract")
    if progress.contract is not None:
        return Task(
            "contract",
            name,
            TaskStatus.COMPLETED,
            "calloffs:contract-manage",
            (progress.contract.reference,),
            hint=_("%(reference)s, entered into %(date)s.")
            % {
                "reference": progress.contract.reference,
                "date": progress.contract.entered_into_on.strftime("%-d %B %Y"),
            },
        )
    notice_missing = (
        award is not None
        and award.rules_applied == RulesApplied.PROCUREMENT_ACT_2023
        and not award.notice_identifier
    )
    if award is None or award.status != Award.Status.AWARDED or notice_missing:
        return Task(
            "contract",
            name,
            TaskStatus.CANNOT_START,
            hint=_("Award, and record the contract award notice where one is required, first."),
        )
    return Task("contract", name, TaskStatus.NOT_STARTED, "calloffs:enter-into-contract")


def _details_notice_task(progress: ProjectProgress, today: date) -> Task:
    contract = progress.contract
    name = _("Contract details notice")
    if contract is None:
        return Task(
            "details_notice",
            name,
            TaskStatus.CANNOT_START,
            hint=_("Enter into the contract first."),
        )
    url = ("calloffs:contract-details-notice", (contract.reference,))
    if contract.details_notice_identifier:
        return Task(
            "details_notice",
            name,
            TaskStatus.COMPLETED,
            *url,
            hint=_("Notice %(identifier)s.") % {"identifier": contract.details_notice_identifier},
        )
    if contract.details_notice_due_on is None:
        return Task("details_notice", name, TaskStatus.NOT_NEEDED, *url, hint=_("Not required."))
    due = contract.details_notice_due_on.strftime("%-d %B %Y")
    late = today > contract.details_notice_due_on
    return Task(
        "details_notice",
        name,
        TaskStatus.NOT_STARTED,
        *url,
        hint=(_("Late: it was due by %(date)s.") if late else _("Due by %(date)s."))
        % {"date": due},
    )


def task_list(project: BuyingProject, progress: ProjectProgress, *, today: date) -> list[Task]:
    """The steps from need to contract, each with a status read from the stored data only."""
    tasks = [_details_task(project), _lot_task(project, progress)]
    if project.lot_id and project.route == Route.FURTHER_COMPETITION:
        tasks += _competition_tasks(project)
    else:
        tasks.append(_supplier_task(project, progress))
    tasks += _award_tasks(project, progress)
    tasks += [_notice_task(progress), _entry_task(progress), _details_notice_task(progress, today)]
    for task in tasks:
        if task.url_name and not task.url_args:
            task.url_args = (project.pk,)
    return tasks


# The buyer's home -------------------------------------------------------------------------------


def sign_offs_waiting(*, organisation: Organisation) -> int:
    return Award.objects.filter(
        project__organisation=organisation, status=Award.Status.AWAITING_SIGN_OFF
    ).count()


def buyer_home_panel(*, membership) -> dict:
    """What the buyer home's call-offs panel shows the member acting through `membership`."""
    may_approve = role_allows(membership.role, Action.APPROVE_CALLOFFS)
    return {
        "may_start": role_allows(membership.role, Action.CREATE_CALLOFFS),
        "may_approve": may_approve,
        "sign_offs_waiting": (
            sign_offs_waiting(organisation=membership.organisation) if may_approve else 0
        ),
    }
