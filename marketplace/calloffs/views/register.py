"""The public contracts register: list with filters, CSV, each contract's page and OCDS."""

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cms.pagination import paginate
from frameworks.ocds_views import _json_response

from .. import ocds
from ..filters import RegisterFilterSet
from ..selectors import register as selectors

CONTRACTS_PER_PAGE = 25
CSV_COLUMNS = [
    "Reference",
    "Title",
    "Buyer",
    "Supplier",
    "Supplier PPON",
    "Framework",
    "Lot",
    "Route",
    "Value excluding VAT (GBP)",
    "Value including VAT (GBP)",
    "Start date",
    "End date",
    "Entered into",
    "Contract award notice",
    "Contract details notice",
]


def _filtered(request: HttpRequest) -> RegisterFilterSet:
    return RegisterFilterSet(request.GET or None, queryset=selectors.register_contracts())


@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page_obj = paginate(request, filterset.qs, per_page=CONTRACTS_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "calloffs/register/list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page_obj,
            "filtered": any(value for key, value in query.items()),
            "csv_query": query.urlencode(),
        },
    )


def csv_row(contract) -> list[str]:
    return [
        contract.reference,
        contract.title,
        contract.buyer.name,
        contract.supplier.name,
        contract.supplier.ppon,
        contract.framework.title,
        f"Lot {contract.lot.number}: {contract.lot.title}",
        contract.get_route_display(),
        f"{contract.value:.2f}",
        f"{contract.value_including_vat:.2f}",
        contract.starts_on.isoformat(),
        contract.ends_on.isoformat(),
        contract.entered_into_on.isoformat(),
        contract.award.notice_identifier,
        contract.details_notice_identifier,
    ]


@require_GET
def contract_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contracts-register.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for contract in _filtered(request).qs.iterator(chunk_size=500):
        writer.writerow(csv_row(contract))
    return response


@require_GET
def contract_detail(request: HttpRequest, reference: str) -> HttpResponse:
    contract = selectors.get_public_contract(reference=reference)
    framework = contract.framework
    return render(
        request,
        "calloffs/register/detail.html",
        {
            "contract": contract,
            "award": contract.award,
            "kpis": contract.award.kpis.all(),
            "assessments": contract.assessments.all(),
            "framework_url": framework.get_url(request) if framework.live else "",
            "award_notice": ocds.award_notice_description(contract),
            "details_notice": ocds.details_notice_description(contract),
        },
    )


@require_GET
def contract_ocds(request: HttpRequest, reference: str) -> HttpResponse:
    contract = selectors.get_public_contract(reference=reference)
    package = ocds.build_release_package(
        [contract], published_at=timezone.now(), uri=ocds.release_package_url(contract)
    )
    return _json_response(package, filename=f"{ocds.ocid(contract)}.json")


@require_GET
def all_contracts_ocds(request: HttpRequest) -> HttpResponse:
    package = ocds.build_release_package(
        selectors.contracts_for_open_data(),
        published_at=timezone.now(),
        uri=ocds.absolute(reverse("contracts:ocds-all")),
    )
    return _json_response(package, filename="calloffs.json")


urlpatterns = [
    path("", contract_list, name="list"),
    path("contracts.csv", contract_csv, name="csv"),
    path("releases.json", all_contracts_ocds, name="ocds-all"),
    path("<str:reference>/", contract_detail, name="detail"),
    path("<str:reference>/ocds.json", contract_ocds, name="ocds"),
]
