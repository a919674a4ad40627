"""Entering into the contract and what follows for the buyer: the contract details notice
(UK7), the contract document, KPIs and yearly performance assessments.

Every member of the buyer may read these pages; the project's team and the organisation's
approvers may act on them (the services check). Another organisation's contract is a 404.
"""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.pagination import paginate
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied

from ..contract_forms import (
    AssessmentForm,
    ContractDocumentForm,
    DetailsNoticeForm,
    EnterIntoContractForm,
)
from ..details_notice import contract_details_notice as details_notice_data
from ..details_notice import kpis_required
from ..models import Award, Contract
from ..permissions import may_work_on
from ..selectors import contracts as selectors
from ..selectors import progress as progress_selectors
from ..services import contracts as services
from ..services.awards import entry_problem
from .access import buyer_required, project_required

CONTRACTS_PER_PAGE = 20


def _refused(form, refusal: DomainError | PolicyDenied) -> None:
    """Put a service's refusal on the field it names, or above the form."""
    code = getattr(refusal, "code", None)
    form.add_error(code if code in form.fields else None, str(refusal))


def _with_flags(contract: Contract, today) -> Contract:
    """What the contract still owes, for the list and the contract page."""
    contract.notice_late = selectors.details_notice_late(contract, today)
    contract.document_missing = selectors.document_missing(contract)
    contract.assessment_due = selectors.assessment_due(contract, today)
    return contract


def _contract_page(organisation, reference: str) -> Contract:
    return _with_flags(
        selectors.get_contract(organisation=organisation, reference=reference),
        timezone.localdate(),
    )


@project_required
@require_http_methods(["GET", "POST"])
def enter_into_contract(request, organisation, project):
    existing = Contract.objects.filter(project=project).values_list("reference", flat=True).first()
    if existing:
        return redirect("calloffs:contract-manage", reference=existing)
    award = services.standing_award(project)
    today = timezone.localdate()
    if award is None:
        problem = _("This project has no award yet: make the award first")
    else:
        problem = entry_problem(award, on=today)
    may_act = may_work_on(request.user, project)
    form = EnterIntoContractForm(
        request.POST if request.method == "POST" else None, initial={"entered_into_on": today}
    )
    if request.method == "POST" and may_act and problem is None and form.is_valid():
        try:
            contract = services.enter_into_contract(
                actor=request.user,
                project=project,
                entered_into_on=form.cleaned_data["entered_into_on"],
            )
        except (DomainError, PolicyDenied) as refusal:
            _refused(form, refusal)
        else:
            messages.success(
                request,
                _("Contract %(reference)s is entered into and in the contracts register.")
                % {"reference": contract.reference},
            )
            return redirect("calloffs:contract-manage", reference=contract.reference)
    return render(
        request,
        "calloffs/contracts/enter.html",
        {
            "organisation": organisation,
            "project": project,
            "award": award if award and award.status == Award.Status.AWARDED else None,
            "problem": problem,
            "may_act": may_act,
            "form": form,
        },
    )


@buyer_required
def contract_list(request, organisation):
    today = timezone.localdate()
    page_obj = paginate(
        request, selectors.contracts_for(organisation=organisation), per_page=CONTRACTS_PER_PAGE
    )
    contracts = [_with_flags(contract, today) for contract in page_obj.object_list]
    return render(
        request,
        "calloffs/contracts/list.html",
        {"organisation": organisation, "page_obj": page_obj, "contracts": contracts},
    )


@buyer_required
def contract_manage(request, organisation, reference):
    contract = _contract_page(organisation, reference)
    return render(
        request,
        "calloffs/contracts/manage.html",
        {
            "organisation": organisation,
            "contract": contract,
            "award": contract.award,
            "kpis": progress_selectors.kpis_with_progress(contract),
            "kpis_required": kpis_required(contract),
            "document_required": selectors.document_required(contract),
            "assessments": selectors.public_assessments(contract),
            "may_act": may_work_on(request.user, contract.project),
        },
    )


@buyer_required
@require_http_methods(["GET", "POST"])
def contract_details_notice(request, organisation, reference):
    contract = _contract_page(organisation, reference)
    notice = details_notice_data(contract)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(notice, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{contract.reference}-contract-details-notice.json"'
        )
        return response
    may_act = may_work_on(request.user, contract.project)
    form = DetailsNoticeForm(
        request.POST if request.method == "POST" else None,
        initial={
            "identifier": contract.details_notice_identifier,
            "published_on": contract.details_notice_published_on,
        },
    )
    applies = contract.details_notice_due_on is not None
    if request.method == "POST" and may_act and applies and form.is_valid():
        try:
            services.record_details_notice(
                actor=request.user,
                contract=contract,
                identifier=form.cleaned_data["identifier"],
                published_on=form.cleaned_data["published_on"],
            )
        except (DomainError, PolicyDenied) as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("The contract details notice is recorded."))
            return redirect("calloffs:contract-manage", reference=contract.reference)
    return render(
        request,
        "calloffs/contracts/details_notice.html",
        {
            "organisation": organisation,
            "contract": contract,
            "notice": notice,
            "applies": applies,
            "may_act": may_act,
            "form": form,
        },
    )


@buyer_required
@require_http_methods(["GET", "POST"])
def contract_document(request, organisation, reference):
    contract = _contract_page(organisation, reference)
    may_act = may_work_on(request.user, contract.project)
    form = ContractDocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and may_act and form.is_valid():
        try:
            services.publish_contract_document(
                actor=request.user, contract=contract, file=form.cleaned_data["document"]
            )
        except (DomainError, PolicyDenied) as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("The contract document is published."))
            return redirect("calloffs:contract-manage", reference=contract.reference)
    return render(
        request,
        "calloffs/contracts/document.html",
        {
            "organisation": organisation,
            "contract": contract,
            "document_required": selectors.document_required(contract),
            "may_act": may_act,
            "form": form,
        },
    )


@buyer_required
@require_http_methods(["GET", "POST"])
def contract_assess(request, organisation, reference):
    contract = _contract_page(organisation, reference)
    kpis = list(contract.award.kpis.all())
    may_act = may_work_on(request.user, contract.project)
    form = AssessmentForm(request.POST if request.method == "POST" else None, kpis=kpis)
    if request.method == "POST" and may_act and kpis and form.is_valid():
        try:
            services.assess_performance(
                actor=request.user,
                contract=contract,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                summary=form.cleaned_data["summary"],
                ratings=form.ratings(),
            )
        except (DomainError, PolicyDenied) as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("The performance assessment is published."))
            return redirect("calloffs:contract-manage", reference=contract.reference)
    return render(
        request,
        "calloffs/contracts/assess.html",
        {
            "organisation": organisation,
            "contract": contract,
            "kpis": kpis,
            "may_act": may_act,
            "form": form,
        },
    )


urlpatterns = [
    path("projects/<int:pk>/contract/", enter_into_contract, name="enter-into-contract"),
    path("contracts/", contract_list, name="contract-list"),
    path("contracts/<str:reference>/", contract_manage, name="contract-manage"),
    path(
        "contracts/<str:reference>/details-notice/",
        contract_details_notice,
        name="contract-details-notice",
    ),
    path("contracts/<str:reference>/document/", contract_document, name="contract-document"),
    path("contracts/<str:reference>/assess/", contract_assess, name="contract-assess"),
]
