"""Buying projects: start one, its task list, details, team, lot and route, cancel; the
buyer's settings.

Every member of the buyer reads its projects; the project's team and the organisation's
approvers change them (permissions.may_work_on). Reads go through selectors (another
organisation's project is a 404), changes through services.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.pagination import paginate
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.roles import Action

from ..models import BuyingProject
from ..permissions import may_work_on
from ..project_forms import BuyerSettingsForm, CancelProjectForm, LotChoiceForm, ProjectForm
from ..selectors import projects as selectors
from ..services import projects as services
from .access import buyer_required, project_required

PROJECTS_PER_PAGE = 20
# The service's field names, where the form calls them something else.
FORM_FIELD = {"term": "estimated_term_months", "lot": "choice", "route": "choice"}


def _add_refusal(form, refusal: DomainError) -> None:
    name = FORM_FIELD.get(refusal.code, refusal.code)
    form.add_error(name if name in form.fields else None, str(refusal))


def _details(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "need": data["need"],
        "estimated_value": data["estimated_value"],
        "estimated_term_months": data["estimated_term_months"],
        "team": list(data["team"]),
    }


@buyer_required
def project_list(request, organisation):
    status = request.GET.get("status", "")
    if status not in BuyingProject.Status.values:
        status = ""
    projects = selectors.filtered_projects(organisation=organisation, status=status)
    page_obj = paginate(request, projects, per_page=PROJECTS_PER_PAGE)
    return render(
        request,
        "calloffs/projects/project_list.html",
        {
            "organisation": organisation,
            "page_obj": page_obj,
            "status": status,
            "statuses": BuyingProject.Status.choices,
            "status_label": BuyingProject.Status(status).label if status else "",
            "may_start": policy.can(request.user, Action.CREATE_CALLOFFS, organisation),
        },
    )


@buyer_required
@require_http_methods(["GET", "POST"])
def project_create(request, organisation):
    if not policy.can(request.user, Action.CREATE_CALLOFFS, organisation):
        return render(
            request,
            "calloffs/projects/not_allowed.html",
            {"organisation": organisation},
            status=403,
        )
    candidates = selectors.team_candidates(organisation=organisation).exclude(pk=request.user.pk)
    form = ProjectForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(
                actor=request.user, organisation=organisation, **_details(form)
            )
        except DomainError as refusal:
            _add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("Project %(reference)s is started. Now choose a lot and how to buy from it.")
                % {"reference": project.reference},
            )
            return redirect("calloffs:project-lot", project.pk)
    return render(
        request,
        "calloffs/projects/project_form.html",
        {"organisation": organisation, "form": form, "project": None},
    )


@project_required
def project_detail(request, organisation, project):
    progress = selectors.project_progress(project)
    may_work = (
        may_work_on(request.user, project) and project.status != BuyingProject.Status.CANCELLED
    )
    tasks = selectors.task_list(project, progress, today=timezone.localdate())
    if not policy.can(request.user, Action.APPROVE_CALLOFFS, organisation):
        # Only approvers sign off: the rest of the team sees the step without a link.
        for task in tasks:
            if task.key == "sign_off":
                task.url_name = ""
    return render(
        request,
        "calloffs/projects/project_detail.html",
        {
            "organisation": organisation,
            "project": project,
            "tasks": tasks,
            "team": list(project.team.order_by("first_name", "last_name", "email")),
            "may_work": may_work,
            "may_cancel": may_work and selectors.cancel_problem(project, progress) is None,
            "cancellation_reason": (
                selectors.cancellation_reason(project)
                if project.status == BuyingProject.Status.CANCELLED
                else ""
            ),
        },
    )


def _read_only(request, organisation, project, problem: str):
    return render(
        request,
        "calloffs/projects/read_only.html",
        {"organisation": organisation, "project": project, "problem": problem},
        status=403,
    )


def _not_a_worker_problem(project) -> str:
    return _(
        "Only the person who started %(reference)s, its team and %(organisation)s's approvers "
        "can change it."
    ) % {"reference": project.reference, "organisation": project.organisation}


@project_required
@require_http_methods(["GET", "POST"])
def project_edit(request, organisation, project):
    if not may_work_on(request.user, project):
        return _read_only(request, organisation, project, _not_a_worker_problem(project))
    if project.status != BuyingProject.Status.PREPARING:
        return _read_only(
            request,
            organisation,
            project,
            _("This project is %(status)s: its details can no longer be changed.")
            % {"status": project.get_status_display().lower()},
        )
    candidates = selectors.team_candidates(organisation=organisation).exclude(
        pk=project.created_by_id
    )
    initial = {
        "title": project.title,
        "need": project.need,
        "estimated_value": project.estimated_value,
        "estimated_term_months": project.estimated_term_months,
        "team": list(project.team.values_list("pk", flat=True)),
    }
    form = ProjectForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(actor=request.user, project=project, **_details(form))
        except DomainError as refusal:
            _add_refusal(form, refusal)
        else:
            messages.success(request, _("The project's details are saved."))
            return redirect("calloffs:project", project.pk)
    return render(
        request,
        "calloffs/projects/project_form.html",
        {"organisation": organisation, "form": form, "project": project},
    )


@project_required
@require_http_methods(["GET", "POST"])
def project_choose_lot(request, organisation, project):
    if not may_work_on(request.user, project):
        return _read_only(request, organisation, project, _not_a_worker_problem(project))
    problem = selectors.lot_choice_problem(project, selectors.project_progress(project))
    if problem:
        return _read_only(request, organisation, project, problem + ".")
    today = timezone.localdate()
    form = LotChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lot_pk, route = form.cleaned_data["choice"]
        lot = selectors.find_lot(pk=lot_pk)
        if lot is None:
            form.add_error("choice", _("Choose a lot and how you will buy from it"))
        else:
            try:
                project = services.choose_lot(
                    actor=request.user, project=project, lot=lot, route=route
                )
            except DomainError as refusal:
                _add_refusal(form, refusal)
            else:
                messages.success(
                    request,
                    _("%(lot)s of %(framework)s is chosen, by %(route)s.")
                    % {
                        "lot": lot,
                        "framework": lot.framework.title,
                        "route": project.get_route_display().lower(),
                    },
                )
                return redirect("calloffs:project", project.pk)
    options = selectors.lot_options(project=project, today=today)
    chosen = f"{project.lot_id}:{project.route}" if project.lot_id else ""
    return render(
        request,
        "calloffs/projects/project_lot.html",
        {
            "organisation": organisation,
            "project": project,
            "form": form,
            "fitting": [option for option in options if option.fits],
            "not_fitting": [option for option in options if not option.fits],
            "selected": form["choice"].value() or chosen,
        },
    )


@project_required
@require_http_methods(["GET", "POST"])
def project_cancel(request, organisation, project):
    if not may_work_on(request.user, project):
        return _read_only(request, organisation, project, _not_a_worker_problem(project))
    problem = selectors.cancel_problem(project, selectors.project_progress(project))
    if problem:
        return _read_only(request, organisation, project, problem + ".")
    form = CancelProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_project(
                actor=request.user, project=project, reason=form.cleaned_data["reason"]
            )
        except DomainError as refusal:
            _add_refusal(form, refusal)
        else:
            messages.success(
                request, _("Project %(reference)s is cancelled.") % {"reference": project.reference}
            )
            return redirect("calloffs:project", project.pk)
    return render(
        request,
        "calloffs/projects/project_cancel.html",
        {"organisation": organisation, "project": project, "form": form},
    )


@buyer_required
@require_http_methods(["GET", "POST"])
def buyer_settings(request, organisation):
    may_change = services.may_change_settings(request.user, organisation)
    threshold = services.approval_threshold_for(organisation)
    form = BuyerSettingsForm(
        request.POST if request.method == "POST" and may_change else None,
        initial={"approval_threshold": threshold if threshold is not None else ""},
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_buyer_settings(
                actor=request.user,
                organisation=organisation,
                approval_threshold=form.cleaned_data["approval_threshold"],
            )
        except DomainError as refusal:
            _add_refusal(form, refusal)
        else:
            messages.success(request, _("The sign-off threshold is saved."))
            return redirect("calloffs:buyer-settings")
    return render(
        request,
        "calloffs/projects/buyer_settings.html",
        {
            "organisation": organisation,
            "form": form,
            "threshold": threshold,
            "may_change": may_change,
        },
        status=403 if request.method == "POST" and not may_change else 200,
    )


urlpatterns = [
    path("projects/", project_list, name="project-list"),
    path("projects/new/", project_create, name="project-create"),
    path("projects/<int:pk>/", project_detail, name="project"),
    path("projects/<int:pk>/details/", project_edit, name="project-edit"),
    path("projects/<int:pk>/lot/", project_choose_lot, name="project-lot"),
    path("projects/<int:pk>/cancel/", project_cancel, name="project-cancel"),
    path("settings/", buyer_settings, name="buyer-settings"),
]
