"""Reads of a buyer's contracts, always from the organisation asking (another organisation's
contract is a 404), and what each contract still owes: a late contract details notice (s.53),
a missing contract document (s.53(3)), a yearly performance assessment (s.71)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from marketplace.organisations.models import Organisation

from ..models import Contract, KpiRating, PerformanceAssessment, RulesApplied

# Above this value including VAT the contract document is published (s.53(3)).
DOCUMENT_THRESHOLD = Decimal("5000000.00")


def contracts_for(*, organisation: Organisation) -> QuerySet[Contract]:
    """The buyer's contracts, newest first, each annotated with what assessment_due reads."""
    return (
        Contract.objects.filter(buyer=organisation)
        .select_related("award", "supplier", "framework", "lot", "contract_document")
        .annotate(
            kpi_count=Count("award__kpis", distinct=True),
            last_assessed_at=Max("assessments__assessed_at"),
        )
        .order_by("-entered_into_on", "-pk")
    )


def get_contract(*, organisation: Organisation, reference: str) -> Contract:
    return get_object_or_404(contracts_for(organisation=organisation), reference=reference)


def late_details_notices(*, organisation: Organisation, today: date) -> QuerySet[Contract]:
    """The buyer's contracts whose contract details notice is overdue and not yet recorded."""
    return contracts_for(organisation=organisation).filter(
        details_notice_due_on__lt=today, details_notice_published_on__isnull=True
    )


def details_notice_late(contract: Contract, today: date) -> bool:
    return (
        contract.details_notice_due_on is not None
        and contract.details_notice_published_on is None
        and contract.details_notice_due_on < today
    )


def document_required(contract: Contract) -> bool:
    """Whether the Act asks for the contract document to be published (s.53(3)): over £5
    million including VAT, unless light-touch or under rules where the Act does not apply."""
    award = contract.award
    return (
        award.rules_applied == RulesApplied.PROCUREMENT_ACT_2023
        and not award.is_light_touch
        and contract.value_including_vat > DOCUMENT_THRESHOLD
    )


def document_missing(contract: Contract) -> bool:
    return document_required(contract) and contract.contract_document_id is None


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def assessment_due(contract: Contract, today: date) -> bool:
    """Whether a running contract with KPIs has gone a year without an assessment (s.71):
    a year since it started, or since the last assessment."""
    if not contract.starts_on <= today <= contract.ends_on:
        return False
    kpi_count = getattr(contract, "kpi_count", None)
    if kpi_count is None:
        kpi_count = contract.award.kpis.count()
    if not kpi_count:
        return False
    last = getattr(contract, "last_assessed_at", None)
    if last is None and not hasattr(contract, "last_assessed_at"):
        last = contract.assessments.aggregate(last=Max("assessed_at"))["last"]
    since = max(contract.starts_on, last.date()) if last else contract.starts_on
    return since <= _a_year_before(today)


def public_assessments(contract: Contract) -> QuerySet[PerformanceAssessment]:
    """The contract's performance assessments, latest period first, each with its ratings in
    the KPIs' order: they are published on the contract's register page (s.71)."""
    return (
        PerformanceAssessment.objects.filter(contract=contract)
        .order_by("-period_end", "-pk")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=KpiRating.objects.select_related("kpi").order_by(
                    "kpi__position", "kpi__pk"
                ),
            )
        )
    )
