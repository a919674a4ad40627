"""Changes to the central debarment list (Procurement Act 2023 s.62) and to the decisions
buyers and authorities record on its discretionary entries.

Platform administrators copy the Minister's list here; the list belongs to no organisation, so
its audit events carry none. A decision belongs to the buyer or authority that made it.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action, OrganisationKind
from search.tasks import schedule_supplier

from .models import DebarmentDecision, DebarmentEntry, ExclusionType

# Who may decide for an organisation: buyers through the roles that buy, authorities through
# the roles that appoint suppliers.
DECISION_ACTIONS = {
    OrganisationKind.BUYER: Action.CREATE_CALLOFFS,
    OrganisationKind.AUTHORITY: Action.APPOINT_SUPPLIERS,
}


def may_record_decision(user, organisation: Organisation | None) -> bool:
    action = DECISION_ACTIONS.get(organisation.kind) if organisation else None
    return action is not None and policy.can(user, action, organisation)


@transaction.atomic
def add_debarment_entry(
    *,
    actor,
    supplier: Organisation,
    ground: str,
    exclusion_type: str,
    starts_on: date,
    expected_end_on: date | None = None,
) -> DebarmentEntry:
    policy.require_platform_admin(actor)
    if supplier.kind != OrganisationKind.SUPPLIER:
        raise DomainError(_("Only suppliers can be added to the debarment list"))
    if not ground.strip():
        raise DomainError(_("Give the exclusion ground as the list states it"), code="ground")
    if exclusion_type not in ExclusionType.values:
        raise DomainError(_("Choose whether the exclusion is mandatory or discretionary"))
    if expected_end_on is not None and expected_end_on < starts_on:
        raise DomainError(_("The expected end must be on or after the day the entry starts"))
    entry = DebarmentEntry.objects.create(
        supplier=supplier,
        ground=ground.strip(),
        exclusion_type=exclusion_type,
        starts_on=starts_on,
        expected_end_on=expected_end_on,
        recorded_by=actor,
    )
    record(
        actor=actor,
        organisation=None,
        kind=AuditKind.SUPPLIER_DEBARRED,
        target=entry,
        data={
            "supplier": supplier.pk,
            "ground": entry.ground,
            "exclusion_type": exclusion_type,
            "starts_on": starts_on,
            "expected_end_on": expected_end_on,
        },
    )
    schedule_supplier(supplier.pk)
    return entry


@transaction.atomic
def remove_debarment_entry(
    *, actor, entry: DebarmentEntry, removed_on: date | None = None
) -> DebarmentEntry:
    """Take the entry off the list from `removed_on` (today if not given)."""
    policy.require_platform_admin(actor)
    entry = DebarmentEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.removed_on is not None:
        raise DomainError(_("This entry has already been removed from the list"))
    removed_on = removed_on or timezone.localdate()
    if removed_on < entry.starts_on:
        raise DomainError(_("The entry cannot be removed before the day it started"))
    entry.removed_on = removed_on
    entry.save(update_fields=["removed_on"])
    record(
        actor=actor,
        organisation=None,
        kind=AuditKind.DEBARMENT_ENDED,
        target=entry,
        data={"removed_on": removed_on},
    )
    schedule_supplier(entry.supplier_id)
    return entry


@transaction.atomic
def record_debarment_decision(
    *, actor, organisation: Organisation, entry: DebarmentEntry, decision: str, reason: str
) -> DebarmentDecision:
    """Record, or change, the organisation's decision on a discretionary entry."""
    if not may_record_decision(actor, organisation):
        raise policy.PolicyDenied(
            _("You do not have permission to decide on debarments for %(organisation)s")
            % {"organisation": organisation}
        )
    if entry.exclusion_type != ExclusionType.DISCRETIONARY:
        raise DomainError(_("A mandatory exclusion bars the supplier: there is nothing to decide"))
    if decision not in DebarmentDecision.Decision.values:
        raise DomainError(_("Choose whether to proceed with the supplier or exclude it"))
    if not reason.strip():
        raise DomainError(_("Give the reason for your decision"), code="reason_required")
    previous = (
        DebarmentDecision.objects.select_for_update()
        .filter(entry=entry, organisation=organisation)
        .first()
    )
    outcome, _created = DebarmentDecision.objects.update_or_create(
        entry=entry,
        organisation=organisation,
        defaults={
            "decision": decision,
            "reason": reason.strip(),
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.DEBARMENT_DECISION_RECORDED,
        target=outcome,
        data={
            "entry": entry.pk,
            "supplier": entry.supplier_id,
            "decision": decision,
            "reason": outcome.reason,
            "previous": previous.decision if previous else None,
        },
    )
    return outcome
