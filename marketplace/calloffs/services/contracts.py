"""Entering into a call-off contract and what the buyer owes after it (Procurement Act 2023):
the contract details notice (UK7, s.53), the contract document (s.53(3)) and yearly
performance assessments against the KPIs (s.71).

The notices are published on the central digital platform, which this service cannot reach:
the buyer records the identifier and publication date of each, and the service says when one
is due or late.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model

from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.exceptions import DomainError
from marketplace.state import change_state

from ..locks import lock_project
from ..models import (
    Award,
    BuyingProject,
    Contract,
    KpiRating,
    PerformanceAssessment,
    RulesApplied,
)
from ..permissions import require_project_worker
from ..references import create_with_reference
from ..suppliers import call_off_problem
from .awards import day_text, entry_problem

# The contract details notice is due this many days after entry (s.53(1)), or 120 for a
# light-touch contract (s.53(2)).
DETAILS_NOTICE_DAYS = 30
LIGHT_TOUCH_DETAILS_NOTICE_DAYS = 120
CONTRACT_REFERENCE_PREFIX = "CT"


class ContractError(DomainError):
    """A contract step was refused; code names the field at fault."""


def details_notice_due_on(award: Award, entered_into_on: date) -> date | None:
    """When the contract details notice is due, or None where the Act's notices do not apply."""
    if award.rules_applied != RulesApplied.PROCUREMENT_ACT_2023:
        return None
    days = LIGHT_TOUCH_DETAILS_NOTICE_DAYS if award.is_light_touch else DETAILS_NOTICE_DAYS
    return entered_into_on + timedelta(days=days)


def standing_award(project: BuyingProject) -> Award | None:
    return (
        project.awards.filter(status__in=Award.STANDING)
        .select_related("supplier", "project__lot__framework")
        .first()
    )


@transaction.atomic
def enter_into_contract(*, actor, project: BuyingProject, entered_into_on: date) -> Contract:
    """Enter into the contract the project's award leads to: it joins the contracts register."""
    project = lock_project(project)
    require_project_worker(actor, project)
    award = standing_award(project)
    if award is None or award.status != Award.Status.AWARDED:
        raise ContractError(
            _("This project has no award to enter into a contract for"), code="project"
        )
    if entered_into_on > timezone.localdate():
        raise ContractError(
            _("The date the contract was entered into must be today or in the past"),
            code="entered_into_on",
        )
    problem = entry_problem(award, on=entered_into_on) or call_off_problem(
        supplier=award.supplier, lot=project.lot, buyer=project.organisation, on=entered_into_on
    )
    if problem:
        raise ContractError(problem, code="entered_into_on")
    contract = create_with_reference(
        Contract,
        prefix=CONTRACT_REFERENCE_PREFIX,
        year=entered_into_on.year,
        award=award,
        project=project,
        buyer=project.organisation,
        supplier=award.supplier,
        framework=project.lot.framework,
        lot=project.lot,
        route=award.route,
        title=project.title,
        description=award.description,
        value=award.value,
        value_including_vat=award.value_including_vat,
        starts_on=award.starts_on,
        ends_on=award.ends_on,
        entered_into_on=entered_into_on,
        entered_into_by=actor,
        details_notice_due_on=details_notice_due_on(award, entered_into_on),
    )
    data = {"contract": contract.reference}
    change_state(
        award,
        to=Award.Status.CONTRACTED,
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.CONTRACT_ENTERED_INTO,
        data=data,
    )
    change_state(
        project,
        to=BuyingProject.Status.CONTRACTED,
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.CONTRACT_ENTERED_INTO,
        data=data,
        update_fields=("updated_at",),
    )
    audit.record(
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.CONTRACT_ENTERED_INTO,
        target=contract,
        data={
            "award": award.pk,
            "entered_into_on": entered_into_on,
            "details_notice_due_on": contract.details_notice_due_on,
            "rules_applied": award.rules_applied,
        },
    )
    return contract


def _lock_contract(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("award", "project", "buyer")
        .get(pk=contract.pk)
    )


@transaction.atomic
def record_details_notice(
    *, actor, contract: Contract, identifier: str, published_on: date
) -> Contract:
    """Record the contract details notice (UK7) the buyer published on the central platform."""
    contract = _lock_contract(contract)
    require_project_worker(actor, contract.project)
    if contract.details_notice_due_on is None:
        raise ContractError(
            _("This contract followed rules under which no contract details notice is due"),
            code="identifier",
        )
    identifier = (identifier or "").strip()
    if not identifier:
        raise ContractError(_("Enter the notice's identifier"), code="identifier")
    if published_on < contract.entered_into_on:
        raise ContractError(
            _("The notice cannot be published before the contract was entered into (%(on)s)")
            % {"on": day_text(contract.entered_into_on)},
            code="published_on",
        )
    if published_on > timezone.localdate():
        raise ContractError(
            _("The publication date must be today or in the past"), code="published_on"
        )
    previous = {
        "identifier": contract.details_notice_identifier,
        "published_on": contract.details_notice_published_on,
    }
    contract.details_notice_identifier = identifier
    contract.details_notice_published_on = published_on
    contract.save(update_fields=["details_notice_identifier", "details_notice_published_on"])
    audit.record(
        actor=actor,
        organisation=contract.buyer,
        kind=AuditKind.CONTRACT_DETAILS_NOTICE_RECORDED,
        target=contract,
        data={
            "identifier": identifier,
            "published_on": published_on,
            "due_on": contract.details_notice_due_on,
            "previous": previous,
        },
    )
    return contract


@transaction.atomic
def publish_contract_document(*, actor, contract: Contract, file) -> Contract:
    """Publish the contract document: it is public on the contract's register page.

    The file is checked by the caller's form (type, content and size, as for every upload).
    It goes into the root collection, which anyone may download from.
    """
    contract = _lock_contract(contract)
    require_project_worker(actor, contract.project)
    document = get_document_model()(
        title=_("Contract %(reference)s: %(title)s")
        % {"reference": contract.reference, "title": contract.title},
        file=file,
        uploaded_by_user=actor,
    )
    document.save()
    previous = contract.contract_document_id
    contract.contract_document = document
    contract.save(update_fields=["contract_document"])
    audit.record(
        actor=actor,
        organisation=contract.buyer,
        kind=AuditKind.CONTRACT_DOCUMENT_PUBLISHED,
        target=contract,
        data={"document": document.pk, "file": file.name, "replaces": previous},
    )
    return contract


@transaction.atomic
def assess_performance(
    *,
    actor,
    contract: Contract,
    period_start: date,
    period_end: date,
    summary: str,
    ratings: dict,
) -> PerformanceAssessment:
    """Assess the contract's performance against every KPI over a period (s.71); public.

    `ratings` maps each KPI's id to (rating, comment).
    """
    contract = _lock_contract(contract)
    require_project_worker(actor, contract.project)
    kpis = list(contract.award.kpis.all())
    if not kpis:
        raise ContractError(
            _("This contract has no key performance indicators to assess"), code="kpis"
        )
    if period_start > period_end:
        raise ContractError(
            _("The period must end on or after the day it starts"), code="period_end"
        )
    if period_start < contract.starts_on or period_end > contract.ends_on:
        raise ContractError(
            _("The period must fall within the contract, from %(start)s to %(end)s")
            % {
                "start": day_text(contract.starts_on),
                "end": day_text(contract.ends_on),
            },
            code="period_start",
        )
    if period_end > timezone.localdate():
        raise ContractError(_("The period assessed must have ended by today"), code="period_end")
    summary = (summary or "").strip()
    if not summary:
        raise ContractError(_("Summarise the supplier's performance"), code="summary")
    unknown = set(ratings) - {kpi.pk for kpi in kpis}
    if unknown:
        raise ContractError(
            _("Rate only this contract's key performance indicators"), code="ratings"
        )
    valid = set(PerformanceAssessment.Rating.values)
    for kpi in kpis:
        rating, _comment = ratings.get(kpi.pk, ("", ""))
        if rating not in valid:
            raise ContractError(_("Rate “%(kpi)s”") % {"kpi": kpi.title}, code=f"rating_{kpi.pk}")
    assessment = PerformanceAssessment.objects.create(
        contract=contract,
        period_start=period_start,
        period_end=period_end,
        summary=summary,
        assessed_by=actor,
    )
    KpiRating.objects.bulk_create(
        KpiRating(
            assessment=assessment,
            kpi=kpi,
            rating=ratings[kpi.pk][0],
            comment=(ratings[kpi.pk][1] or "").strip(),
        )
        for kpi in kpis
    )
    audit.record(
        actor=actor,
        organisation=contract.buyer,
        kind=AuditKind.PERFORMANCE_ASSESSED,
        target=contract,
        data={
            "assessment": assessment.pk,
            "period_start": period_start,
            "period_end": period_end,
            "ratings": {str(kpi.pk): ratings[kpi.pk][0] for kpi in kpis},
        },
    )
    return assessment
