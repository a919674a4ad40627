"""Ranked list with rotation, and the single supplier on a lot: the buyer's side.

The rotation page shows the lot's ranking as it applies today, the offers made on the project
and their answers, a button to offer the next supplier and, once one accepts, the form that
selects it. Overdue offers lapse as the page loads.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frameworks.models import DirectAwardMethod
from marketplace.exceptions import DomainError

from ..permissions import may_work_on
from ..rotation_forms import SelectionReasonForm
from ..selectors import rotation as selectors
from ..services import rotation as services
from .access import project_required


def _wrong_mechanism(request, project, method):
    messages.error(
        request,
        _("This project's direct award does not follow “%(method)s”")
        % {"method": DirectAwardMethod(method).label.lower()},
    )
    return redirect("calloffs:project", project.pk)


def _add_refusal(form, refusal: DomainError) -> None:
    form.add_error("reason" if refusal.code == "reason" else None, str(refusal))


@project_required
@require_http_methods(["GET", "POST"])
def rotation(request, organisation, project):
    if project.direct_award_method != DirectAwardMethod.RANKED_ROTATION:
        return _wrong_mechanism(request, project, DirectAwardMethod.RANKED_ROTATION)
    today = timezone.localdate()
    services.lapse_overdue_offers(on=today, project=project)
    may_work = may_work_on(request.user, project)
    accepted = services.accepted_offer(project)
    form = None
    if accepted is not None and project.selected_supplier_id is None:
        form = SelectionReasonForm(
            initial={"reason": services.mechanism_reason(project, accepted.supplier)}
        )
    refusal = None
    if request.method == "POST":
        if not may_work:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "select":
                form = SelectionReasonForm(request.POST)
                if form.is_valid():
                    services.select_offered_supplier(
                        actor=request.user, project=project, reason=form.cleaned_data["reason"]
                    )
                    messages.success(
                        request,
                        _("%(supplier)s is selected: make the award next")
                        % {"supplier": accepted.supplier},
                    )
                    return redirect("calloffs:project", project.pk)
            else:
                offer = services.offer_next(actor=request.user, project=project)
                messages.success(
                    request,
                    _("The award is offered to %(supplier)s, who has until %(day)s to answer")
                    % {
                        "supplier": offer.supplier,
                        "day": formats.date_format(offer.respond_by, "j F Y"),
                    },
                )
                return redirect("calloffs:rotation", project.pk)
        except DomainError as error:
            if form is not None and form.is_bound:
                _add_refusal(form, error)
            else:
                refusal = str(error)
        project.refresh_from_db()
    return render(
        request,
        "calloffs/rotation/rotation.html",
        {
            "organisation": organisation,
            "project": project,
            "places": selectors.ranking_order(lot=project.lot, on=today) if project.lot else [],
            "offers": selectors.offers_for_project(project),
            "offer_problem": refusal or services.offer_problem(project),
            "accepted": accepted,
            "form": form,
            "may_work": may_work,
        },
        status=400 if refusal or (form is not None and form.errors) else 200,
    )


@project_required
@require_http_methods(["GET", "POST"])
def single_supplier(request, organisation, project):
    if project.direct_award_method != DirectAwardMethod.SINGLE_SUPPLIER:
        return _wrong_mechanism(request, project, DirectAwardMethod.SINGLE_SUPPLIER)
    may_work = may_work_on(request.user, project)
    try:
        appointment = services.single_supplier_appointment(project, on=timezone.localdate())
    except DomainError as error:
        appointment, problem = None, str(error)
    else:
        problem = None
    form = None
    if appointment is not None and project.selected_supplier_id is None:
        form = SelectionReasonForm(
            request.POST if request.method == "POST" else None,
            initial={"reason": services.mechanism_reason(project, appointment.supplier)},
        )
        if request.method == "POST" and not may_work:
            raise PermissionDenied
        if request.method == "POST" and form.is_valid():
            try:
                services.select_single_supplier(
                    actor=request.user, project=project, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                _add_refusal(form, error)
            else:
                messages.success(
                    request,
                    _("%(supplier)s is selected: make the award next")
                    % {"supplier": appointment.supplier},
                )
                return redirect("calloffs:project", project.pk)
    return render(
        request,
        "calloffs/rotation/single_supplier.html",
        {
            "organisation": organisation,
            "project": project,
            "appointment": appointment,
            "problem": problem,
            "form": form,
            "may_work": may_work,
        },
        status=400 if form is not None and form.errors else 200,
    )


urlpatterns = [
    path("projects/<int:pk>/rotation/", rotation, name="rotation"),
    path("projects/<int:pk>/single-supplier/", single_supplier, name="single-supplier"),
]
