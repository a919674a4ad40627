"""Reads for KPI progress reports: a supplier's own contracts and KPIs (another's is a 404),
and each KPI of a contract with the supplier's reports, for the supplier's and the buyer's
contract pages. The public contract page never reads these."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from marketplace.organisations.models import Organisation

from ..models import Contract, KeyPerformanceIndicator, KpiProgressReport


def get_supplier_contract(*, organisation: Organisation, reference: str) -> Contract:
    """One of the supplier's own contracts, with what its page shows."""
    return get_object_or_404(
        Contract.objects.filter(supplier=organisation).select_related(
            "award", "buyer", "supplier", "framework", "lot"
        ),
        reference=reference,
    )


def kpis_with_progress(contract: Contract) -> list[KeyPerformanceIndicator]:
    """The contract's KPIs in order, each with its progress reports, latest period first."""
    reports = KpiProgressReport.objects.order_by("-period_end", "-pk")
    return list(
        KeyPerformanceIndicator.objects.filter(award_id=contract.award_id)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("progress_reports", queryset=reports))
    )


def get_contract_kpi(*, contract: Contract, pk: int) -> KeyPerformanceIndicator:
    """One of the contract's KPIs; another contract's is a 404."""
    return get_object_or_404(KeyPerformanceIndicator, award_id=contract.award_id, pk=pk)
