"""A supplier reports its progress against its contract's KPIs, social value commitments
included. The buyer reads the reports when it assesses the contract (s.71); they are not
published: only the buyer's assessment is.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.organisations import policy
from marketplace.organisations.roles import Action

from ..models import Contract, KeyPerformanceIndicator, KpiProgressReport
from ..models.progress import ACHIEVED_MAX_LENGTH, UPDATE_MAX_LENGTH
from .awards import day_text
from .contracts import ContractError


def may_report_progress(actor, contract: Contract) -> bool:
    """Members of the contract's supplier who may answer call-offs report its progress."""
    return policy.can(actor, Action.ANSWER_CALLOFFS, contract.supplier)


@transaction.atomic
def report_kpi_progress(
    *,
    actor,
    kpi: KeyPerformanceIndicator,
    period_start: date,
    period_end: date,
    update: str,
    achieved: str = "",
) -> KpiProgressReport:
    """Record the supplier's progress against one KPI of a contract entered into, over a
    period within the contract that has ended by today."""
    # Lock the contract, so a report and the buyer's assessment are written one at a time.
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("supplier")
        .filter(award_id=kpi.award_id)
        .first()
    )
    if contract is None:
        raise ContractError(
            _("Progress can be reported once the contract has been entered into"), code="kpi"
        )
    policy.require(actor, Action.ANSWER_CALLOFFS, contract.supplier)
    today = timezone.localdate()
    if contract.starts_on > today:
        raise ContractError(
            _("The contract starts on %(start)s: report progress once it has started")
            % {"start": day_text(contract.starts_on)},
            code="period_start",
        )
    if period_start > period_end:
        raise ContractError(
            _("The period must end on or after the day it starts"), code="period_end"
        )
    if period_end > today:
        raise ContractError(
            _("The end of the period must be today or in the past"), code="period_end"
        )
    if period_start < contract.starts_on or period_end > contract.ends_on:
        raise ContractError(
            _("The period must fall within the contract, from %(start)s to %(end)s")
            % {"start": day_text(contract.starts_on), "end": day_text(contract.ends_on)},
            code="period_start",
        )
    update = (update or "").strip()
    if not update:
        raise ContractError(_("Enter what you did towards the target"), code="update")
    if len(update) > UPDATE_MAX_LENGTH:
        raise ContractError(
            _("The update must be %(max)s characters or fewer") % {"max": UPDATE_MAX_LENGTH},
            code="update",
        )
    achieved = (achieved or "").strip()
    if len(achieved) > ACHIEVED_MAX_LENGTH:
        raise ContractError(
            _("What you achieved must be %(max)s characters or fewer")
            % {"max": ACHIEVED_MAX_LENGTH},
            code="achieved",
        )
    report = KpiProgressReport.objects.create(
        contract=contract,
        kpi=kpi,
        period_start=period_start,
        period_end=period_end,
        update=update,
        achieved=achieved,
        reported_by=actor,
    )
    audit.record(
        actor=actor,
        organisation=contract.supplier,
        kind=AuditKind.KPI_PROGRESS_REPORTED,
        target=report,
        data={
            "contract": contract.reference,
            "kpi": kpi.pk,
            "social_value": kpi.is_social_value,
            "period_start": period_start,
            "period_end": period_end,
            "achieved": achieved,
        },
    )
    return report
