"""The buyer's further competition, from the project's task list: start it, write the brief,
invite the lot's suppliers, answer questions, and follow it on its summary page.

Every page belongs to one of the organisation's projects (another organisation's project, or a
project without a competition, is a 404). Members read; the project's team and approvers
change (calloffs.permissions.may_work_on). Changes go through the services, whose refusals
are shown against the fields they name. Bid content never reaches these pages: before the
deadline only the number of bids received is shown.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.calloffs.permissions import may_work_on
from marketplace.calloffs.views.access import project_required
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied

from ..forms import AnswerForm, BriefForm, InviteForm, add_refusal
from ..models import Bid, Competition
from ..selectors.competitions import (
    competitions_for_buyer,
    invitation_candidates,
    social_value_share,
    social_value_warning,
)
from ..services import brief as brief_services
from ..services.bids import close_if_due
from ..services.clarifications import answer_clarification
from ..services.invitations import invite_suppliers, may_narrow


def _competition(organisation, project) -> Competition:
    """The project's competition, closed to bids first if its deadline has passed."""
    return close_if_due(
        get_object_or_404(competitions_for_buyer(organisation=organisation), project=project)
    )


def _to_summary(project):
    return redirect("buyer_competition:summary", pk=project.pk)


def _read_only(request, organisation, project, problem: str):
    return render(
        request,
        "calloffs/projects/read_only.html",
        {"organisation": organisation, "project": project, "problem": problem},
        status=403,
    )


def _not_a_worker(request, organisation, project):
    return _read_only(
        request,
        organisation,
        project,
        _(
            "Only the person who started %(reference)s, its team and %(organisation)s's "
            "approvers can run its further competition."
        )
        % {"reference": project.reference, "organisation": organisation},
    )


def _refused(form, refusal, aliases) -> int:
    add_refusal(form, refusal, aliases=aliases)
    return 403 if isinstance(refusal, PolicyDenied) else 200


@project_required
@require_http_methods(["GET", "POST"])
def start(request, organisation, project):
    """What a further competition involves, and the button that starts it."""
    if competitions_for_buyer(organisation=organisation).filter(project=project).exists():
        return _to_summary(project)
    if not may_work_on(request.user, project):
        return _not_a_worker(request, organisation, project)
    problem = ""
    if request.method == "POST":
        try:
            brief_services.create_competition(actor=request.user, project=project)
        except DomainError as refusal:
            problem = str(refusal)
        else:
            messages.success(request, _("The further competition is started. Write its brief."))
            return redirect("buyer_competition:brief", pk=project.pk)
    return render(
        request,
        "competitions/buyer/start.html",
        {"organisation": organisation, "project": project, "problem": problem},
    )


@project_required
def summary(request, organisation, project):
    competition = _competition(organisation, project)
    invitations = list(
        competition.invitations.select_related("supplier").order_by("supplier__legal_name", "pk")
    )
    questions = competition.clarifications.aggregate(
        waiting=Count("pk", filter=Q(published_at__isnull=True)),
        published=Count("pk", filter=Q(published_at__isnull=False)),
    )
    return render(
        request,
        "competitions/buyer/summary.html",
        {
            "organisation": organisation,
            "project": project,
            "competition": competition,
            "criteria": list(competition.criteria.all()),
            "invited": [row for row in invitations if row.invited],
            "not_invited": [row for row in invitations if not row.invited],
            "questions": questions,
            # Only how many: a bid's content is sealed until the deadline.
            "bids_received": competition.bids.filter(status=Bid.Status.SUBMITTED).count(),
            "deadline_passed": competition.submission_deadline is not None
            and timezone.now() >= competition.submission_deadline,
            "may_work": may_work_on(request.user, project),
        },
    )


@project_required
@require_http_methods(["GET", "POST"])
def brief(request, organisation, project):
    competition = _competition(organisation, project)
    if not may_work_on(request.user, project):
        return _not_a_worker(request, organisation, project)
    if competition.status != Competition.Status.DRAFT:
        return _read_only(
            request,
            organisation,
            project,
            _("The competition is %(status)s: its brief can no longer be changed.")
            % {"status": competition.get_status_display().lower()},
        )
    criteria = list(competition.criteria.all())
    form = BriefForm(
        request.POST if request.method == "POST" else None,
        initial=BriefForm.initial_for(competition, criteria),
        competition=competition,
        criteria=criteria,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            brief_services.update_brief(actor=request.user, competition=competition, **form.brief())
        except (DomainError, PolicyDenied) as refusal:
            status = _refused(form, refusal, form.aliases())
        else:
            messages.success(request, _("The brief is saved."))
            return redirect("calloffs:project", project.pk)
    return render(
        request,
        "competitions/buyer/brief.html",
        {
            "organisation": organisation,
            "project": project,
            "competition": competition,
            "form": form,
            "social_value_share": social_value_share(competition),
            "social_value_warning": social_value_warning(competition),
        },
        status=status,
    )


@project_required
@require_http_methods(["GET", "POST"])
def invite(request, organisation, project):
    competition = _competition(organisation, project)
    context = {"organisation": organisation, "project": project, "competition": competition}
    if competition.status != Competition.Status.DRAFT:
        # Invited already: the page records who was, and why the others were not.
        return render(
            request,
            "competitions/buyer/invitations.html",
            {
                **context,
                "invitations": list(
                    competition.invitations.select_related("supplier").order_by(
                        "-invited", "supplier__legal_name", "pk"
                    )
                ),
            },
        )
    if not may_work_on(request.user, project):
        return _not_a_worker(request, organisation, project)
    today = timezone.localdate()
    candidates = invitation_candidates(competition, on=today)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        invitable=[c.supplier for c in candidates if c.problem is None],
        may_narrow=may_narrow(competition, on=today),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            rows = invite_suppliers(
                actor=request.user, competition=competition, left_out=form.left_out()
            )
        except (DomainError, PolicyDenied) as refusal:
            status = _refused(form, refusal, form.aliases())
        else:
            invited = sum(1 for row in rows if row.invited)
            messages.success(
                request,
                _("%(count)d suppliers are invited. The competition is open for bids.")
                % {"count": invited}
                if invited != 1
                else _("1 supplier is invited. The competition is open for bids."),
            )
            return _to_summary(project)
    return render(
        request,
        "competitions/buyer/invite.html",
        {
            **context,
            "form": form,
            "not_invitable": [c for c in candidates if c.problem is not None],
            "brief_written": competition.submission_deadline is not None,
        },
        status=status,
    )


@project_required
def questions(request, organisation, project):
    competition = _competition(organisation, project)
    received = list(
        competition.clarifications.select_related("asked_by").order_by("asked_at", "pk")
    )
    return render(
        request,
        "competitions/buyer/questions.html",
        {
            "organisation": organisation,
            "project": project,
            "competition": competition,
            "waiting": [row for row in received if row.published_at is None],
            "published": [row for row in received if row.published_at is not None],
            "may_answer": may_work_on(request.user, project) and _answers_open(competition),
        },
    )


def _answers_open(competition: Competition) -> bool:
    return competition.status == Competition.Status.OPEN and (
        timezone.now() < competition.submission_deadline
    )


@project_required
@require_http_methods(["GET", "POST"])
def answer(request, organisation, project, clarification_pk):
    competition = _competition(organisation, project)
    clarification = get_object_or_404(
        competition.clarifications.select_related("asked_by"), pk=clarification_pk
    )
    if not may_work_on(request.user, project):
        return _not_a_worker(request, organisation, project)
    if clarification.published_at is not None:
        return redirect("buyer_competition:questions", pk=project.pk)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            answer_clarification(
                actor=request.user,
                clarification=clarification,
                answer=form.cleaned_data["answer"],
                published_question=form.cleaned_data["published_question"],
            )
        except (DomainError, PolicyDenied) as refusal:
            status = _refused(form, refusal, {})
        else:
            messages.success(
                request, _("The answer is published to every invited supplier, without the asker.")
            )
            return redirect("buyer_competition:questions", pk=project.pk)
    return render(
        request,
        "competitions/buyer/answer.html",
        {
            "organisation": organisation,
            "project": project,
            "competition": competition,
            "clarification": clarification,
            "form": form,
        },
        status=status,
    )


urlpatterns = [
    path("", summary, name="summary"),
    path("start/", start, name="start"),
    path("brief/", brief, name="brief"),
    path("invite/", invite, name="invite"),
    path("questions/", questions, name="questions"),
    path("questions/<int:clarification_pk>/answer/", answer, name="answer"),
]
