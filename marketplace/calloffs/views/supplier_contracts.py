"""A supplier's own contracts: the list, each contract's page with its KPIs, and reporting
progress against a KPI.

Every member of the supplier may read these pages. Reporting progress takes a member who may
answer call-offs; anyone else finds no form (404), as does another supplier for a contract
that is not its own. Progress reports go to the buyer, for its yearly assessment (s.71): they
are not published on the contract's public page.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cms.pagination import paginate
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied

from ..award_forms import add_refusal
from ..progress_forms import KpiProgressForm
from ..selectors import progress as selectors
from ..selectors.register import contracts_for_supplier
from ..services import progress as services
from .access import supplier_required

CONTRACTS_PER_PAGE = 25


@require_GET
@supplier_required
def supplier_contract_list(request, organisation):
    page_obj = paginate(
        request, contracts_for_supplier(organisation=organisation), per_page=CONTRACTS_PER_PAGE
    )
    return render(
        request,
        "calloffs/register/supplier_list.html",
        {"organisation": organisation, "page_obj": page_obj},
    )


@require_GET
@supplier_required
def supplier_contract_detail(request, organisation, reference):
    contract = selectors.get_supplier_contract(organisation=organisation, reference=reference)
    started = contract.starts_on <= timezone.localdate()
    may_report = services.may_report_progress(request.user, contract)
    return render(
        request,
        "calloffs/contracts/supplier_detail.html",
        {
            "organisation": organisation,
            "contract": contract,
            "award": contract.award,
            "kpis": selectors.kpis_with_progress(contract),
            "started": started,
            "may_report": may_report,
            "report_links": started and may_report,
        },
    )


@supplier_required
@require_http_methods(["GET", "POST"])
def report_kpi_progress(request, organisation, reference, kpi_pk):
    contract = selectors.get_supplier_contract(organisation=organisation, reference=reference)
    if not services.may_report_progress(request.user, contract):
        raise Http404(_("No such contract"))
    kpi = selectors.get_contract_kpi(contract=contract, pk=kpi_pk)
    started = contract.starts_on <= timezone.localdate()
    form = KpiProgressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and started and form.is_valid():
        try:
            services.report_kpi_progress(
                actor=request.user,
                kpi=kpi,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                update=form.cleaned_data["update"],
                achieved=form.cleaned_data["achieved"],
            )
        except (DomainError, PolicyDenied) as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("Your progress on “%(kpi)s” is sent to %(buyer)s.")
                % {"kpi": kpi.title, "buyer": contract.buyer},
            )
            return redirect("supplier_calloffs:contract", reference=contract.reference)
    return render(
        request,
        "calloffs/contracts/report_progress.html",
        {
            "organisation": organisation,
            "contract": contract,
            "kpi": kpi,
            "started": started,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("contracts/", supplier_contract_list, name="contract-list"),
    path("contracts/<str:reference>/", supplier_contract_detail, name="contract"),
    path(
        "contracts/<str:reference>/kpis/<int:kpi_pk>/progress/",
        report_kpi_progress,
        name="kpi-progress",
    ),
]
