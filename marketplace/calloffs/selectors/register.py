"""Reads for the contracts register: public (every contract, nothing private), a supplier's
own contracts, and the call-offs under an authority's own frameworks."""

from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404

from frameworks.models import FrameworkPage
from marketplace.organisations.models import Organisation

from ..models import (
    Award,
    BuyingProject,
    Contract,
    KeyPerformanceIndicator,
    KpiRating,
    PerformanceAssessment,
)

PENNY = Decimal("0.01")


def register_contracts() -> QuerySet[Contract]:
    """Every contract in the register, newest first, with what a listing row shows."""
    return Contract.objects.select_related("buyer", "supplier", "framework", "lot", "award")


def _published(assessments: QuerySet[PerformanceAssessment]) -> QuerySet[Contract]:
    return (
        register_contracts()
        .select_related("project", "contract_document")
        .prefetch_related(Prefetch("assessments", queryset=assessments))
    )


def contracts_for_open_data() -> QuerySet[Contract]:
    """Every contract with all its OCDS release reads (call-offs' open data)."""
    return _published(PerformanceAssessment.objects.order_by("period_end", "pk"))


def get_public_contract(*, reference: str) -> Contract:
    """One contract with its KPIs and published assessments; an unknown reference is a 404."""
    ratings = KpiRating.objects.select_related("kpi").order_by("kpi__position", "kpi__pk")
    assessments = PerformanceAssessment.objects.order_by("-period_end", "-pk").prefetch_related(
        Prefetch("ratings", queryset=ratings)
    )
    queryset = _published(assessments).prefetch_related(
        Prefetch("award__kpis", queryset=KeyPerformanceIndicator.objects.order_by("position", "pk"))
    )
    return get_object_or_404(queryset, reference=reference)


def contracts_for_supplier(*, organisation: Organisation) -> QuerySet[Contract]:
    return register_contracts().filter(supplier=organisation)


def authority_frameworks(*, authority: Organisation) -> QuerySet[FrameworkPage]:
    return FrameworkPage.objects.filter(authority=authority).order_by("title")


def calloffs_for_authority(
    *, authority: Organisation, framework: FrameworkPage | None = None
) -> QuerySet[BuyingProject]:
    """Every buying project on a lot of the authority's own frameworks (one, if given), with
    its contract and standing award when it has them."""
    projects = BuyingProject.objects.filter(lot__framework__authority=authority)
    if framework is not None:
        projects = projects.filter(lot__framework=framework)
    standing = Award.objects.filter(status__in=Award.STANDING)
    return projects.select_related("organisation", "lot__framework", "contract").prefetch_related(
        Prefetch("awards", queryset=standing, to_attr="standing_awards")
    )


def _pence(total) -> Decimal:
    # SQLite sums decimals as floats: bring every total back to pence.
    return Decimal(str(total or 0)).quantize(PENNY)


def contracts_for_authority(
    *, authority: Organisation, framework: FrameworkPage | None = None
) -> QuerySet[Contract]:
    """The contracts on the authority's own frameworks (one, if given)."""
    contracts = Contract.objects.filter(framework__authority=authority)
    return contracts if framework is None else contracts.filter(framework=framework)


def contracted_value_by(contracts: QuerySet[Contract], *fields: str) -> list[dict]:
    """Contracts grouped by `fields`, each group with its count and total value (excluding
    and including VAT), largest first."""
    groups = (
        contracts.values(*fields)
        .annotate(
            count=Count("pk"), total=Sum("value"), total_including_vat=Sum("value_including_vat")
        )
        .order_by("-total", *fields)
    )
    return [
        {
            **group,
            "total": _pence(group["total"]),
            "total_including_vat": _pence(group["total_including_vat"]),
        }
        for group in groups
    ]


def contracted_total(contracts: QuerySet[Contract]) -> Decimal:
    return _pence(contracts.aggregate(total=Sum("value"))["total"])
