"""The award: contract details, sign-off, the contract award notice (UK6), standstill and
withdrawal. Every page belongs to one of the organisation's projects (another organisation's
is a 404) and leads back to its task list."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cms.pagination import paginate
from marketplace.competitions.selectors.evaluation import kpi_suggestions
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied

from ..award_forms import (
    KPI_ALIASES,
    KPI_ROWS,
    AwardForm,
    AwardNoticeForm,
    SignOffForm,
    WithdrawAwardForm,
    add_refusal,
    kpi_rows_initial,
)
from ..models import Award, RulesApplied
from ..notices import contract_award_notice
from ..permissions import may_work_on
from ..selectors.awards import (
    awards_awaiting_sign_off,
    ended_awards,
    get_standing_award,
    standing_award,
)
from ..services import awards as services
from .access import buyer_required, project_required

SIGN_OFFS_PER_PAGE = 20


def _to_award_page(project):
    return redirect("calloffs:award", pk=project.pk)


def _refused(form, refusal) -> int:
    """Show the refusal on the form; the response status: 403 when the policy refused."""
    add_refusal(form, refusal, aliases=KPI_ALIASES)
    return 403 if isinstance(refusal, PolicyDenied) else 200


@project_required
@require_http_methods(["GET", "POST"])
def award(request, organisation, project):
    """The award step: the standing award and what is next for it, or the form to make one."""
    today = timezone.localdate()
    current = standing_award(project)
    context = {
        "organisation": organisation,
        "project": project,
        "ended_awards": ended_awards(project)[:3],
        "may_work": may_work_on(request.user, project),
    }
    if current is not None:
        current.project = project
        return render(
            request,
            "calloffs/award/award_detail.html",
            {
                **context,
                "award": current,
                "may_sign_off": services.may_sign_off(request.user, current),
                "may_withdraw": current.status in services.WITHDRAWABLE,
                "under_the_act": current.rules_applied == RulesApplied.PROCUREMENT_ACT_2023,
                "entry_problem": services.entry_problem(current, on=today),
            },
        )
    problem = services.award_problem(project)
    status = 200
    # A further competition's winner's social value commitments start the KPI rows.
    form = AwardForm(
        request.POST if request.method == "POST" else None,
        project=project,
        today=today,
        initial=kpi_rows_initial(kpi_suggestions(project)) if request.method == "GET" else None,
    )
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            made = services.make_award(
                actor=request.user,
                project=project,
                description=form.cleaned_data["description"],
                value=form.cleaned_data["value"],
                value_including_vat=form.cleaned_data["value_including_vat"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                kpis=form.kpis(),
                kpi_none_reason=form.cleaned_data["kpi_none_reason"],
            )
        except (DomainError, PolicyDenied) as refusal:
            status = _refused(form, refusal)
        else:
            if made.status == Award.Status.AWAITING_SIGN_OFF:
                messages.success(
                    request,
                    _(
                        "The award is made. It waits for an approver of %(organisation)s "
                        "to sign it off."
                    )
                    % {"organisation": organisation},
                )
            else:
                messages.success(
                    request,
                    _("The contract is awarded to %(supplier)s") % {"supplier": made.supplier},
                )
            return _to_award_page(project)
    return render(
        request,
        "calloffs/award/award_form.html",
        {
            **context,
            "form": form,
            "problem": problem,
            "kpi_rows": KPI_ROWS,
            "light_touch": project.lot_id is not None and services.is_light_touch(project),
        },
        status=status,
    )


@project_required
@require_http_methods(["GET", "POST"])
def award_sign_off(request, organisation, project):
    current = standing_award(project)
    if current is None or current.status != Award.Status.AWAITING_SIGN_OFF:
        return _to_award_page(project)
    current.project = project
    status = 200
    form = SignOffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == SignOffForm.SIGN_OFF:
                services.sign_off_award(actor=request.user, award=current)
                messages.success(request, _("The award is signed off and takes effect"))
            else:
                services.refuse_sign_off(
                    actor=request.user, award=current, note=form.cleaned_data["note"]
                )
                messages.success(
                    request, _("Sign-off is refused: the project returns to the award step")
                )
        except (DomainError, PolicyDenied) as refusal:
            status = _refused(form, refusal)
        else:
            return _to_award_page(project)
    return render(
        request,
        "calloffs/award/sign_off.html",
        {
            "organisation": organisation,
            "project": project,
            "award": current,
            "form": form,
            "may_sign_off": services.may_sign_off(request.user, current),
            "made_it": current.awarded_by_id == request.user.pk,
        },
        status=status,
    )


@project_required
@require_http_methods(["GET", "POST"])
def award_notice(request, organisation, project):
    current = standing_award(project)
    if current is None or current.status == Award.Status.AWAITING_SIGN_OFF:
        return _to_award_page(project)
    current.project = project
    today = timezone.localdate()
    under_the_act = current.rules_applied == RulesApplied.PROCUREMENT_ACT_2023
    may_record = (
        under_the_act
        and services.notice_problem(current) is None
        and may_work_on(request.user, project)
    )
    status = 200
    if request.method == "POST" and may_record:
        form = AwardNoticeForm(request.POST)
        if form.is_valid():
            try:
                services.record_award_notice(
                    actor=request.user,
                    award=current,
                    identifier=form.cleaned_data["identifier"],
                    published_on=form.cleaned_data["published_on"],
                    standstill_ends_on=form.stated_standstill_end(),
                )
            except (DomainError, PolicyDenied) as refusal:
                status = _refused(form, refusal)
            else:
                messages.success(request, _("The contract award notice is recorded"))
                return redirect("calloffs:award-notice", pk=project.pk)
    else:
        form = AwardNoticeForm(
            initial={
                "published_on": today,
                "standstill_ends_on": services.earliest_standstill_end(today),
            }
        )
    return render(
        request,
        "calloffs/award/notice.html",
        {
            "organisation": organisation,
            "project": project,
            "award": current,
            "under_the_act": under_the_act,
            "notice": contract_award_notice(current) if under_the_act else None,
            "form": form,
            "may_record": may_record,
            "earliest_standstill_end_today": services.earliest_standstill_end(today),
            "entry_problem": services.entry_problem(current, on=today),
        },
        status=status,
    )


@project_required
@require_GET
def award_notice_json(request, organisation, project):
    """The UK6 data as a JSON file, to copy to the central platform."""
    current = get_standing_award(project, statuses=(Award.Status.AWARDED, Award.Status.CONTRACTED))
    if current.rules_applied != RulesApplied.PROCUREMENT_ACT_2023:
        return _to_award_page(project)
    response = JsonResponse(contract_award_notice(current), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="{project.reference}-contract-award-notice.json"'
    )
    return response


@project_required
@require_http_methods(["GET", "POST"])
def award_withdraw(request, organisation, project):
    current = standing_award(project)
    if current is None or current.status not in services.WITHDRAWABLE:
        return _to_award_page(project)
    current.project = project
    status = 200
    form = WithdrawAwardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_award(
                actor=request.user, award=current, reason=form.cleaned_data["reason"]
            )
        except (DomainError, PolicyDenied) as refusal:
            status = _refused(form, refusal)
        else:
            messages.success(
                request, _("The award is withdrawn: the project is back at the award step")
            )
            return _to_award_page(project)
    return render(
        request,
        "calloffs/award/withdraw.html",
        {
            "organisation": organisation,
            "project": project,
            "award": current,
            "form": form,
            "may_work": may_work_on(request.user, project),
        },
        status=status,
    )


@buyer_required
@require_GET
def sign_off_queue(request, organisation):
    page_obj = paginate(
        request, awards_awaiting_sign_off(organisation=organisation), per_page=SIGN_OFFS_PER_PAGE
    )
    return render(
        request,
        "calloffs/award/sign_off_queue.html",
        {"organisation": organisation, "page_obj": page_obj},
    )


urlpatterns = [
    path("projects/<int:pk>/award/", award, name="award"),
    path("projects/<int:pk>/award/sign-off/", award_sign_off, name="award-sign-off"),
    path("projects/<int:pk>/award/notice/", award_notice, name="award-notice"),
    path("projects/<int:pk>/award/notice.json", award_notice_json, name="award-notice-json"),
    path("projects/<int:pk>/award/withdraw/", award_withdraw, name="award-withdraw"),
    path("sign-offs/", sign_off_queue, name="sign-off-queue"),
]
