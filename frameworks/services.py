"""Every change to frameworks, appointments and the debarment list goes through here."""

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

from . import lifecycle, selectors
from .models import Appointment, DebarmentEntry, FrameworkPage, Lot, LotClosure

REASON_NEEDED = frozenset({Appointment.Status.SUSPENDED, Appointment.Status.EXCLUDED})


def _lock_lot(lot: Lot) -> Lot:
    """Appointments to one lot are made one at a time, so checks and inserts cannot interleave."""
    return Lot.objects.select_for_update().select_related("framework").get(pk=lot.pk)


def refuse_unless_taking_appointments(lot: Lot, *, on: date) -> None:
    """Refuse appointments to a closed lot or a suspended or expired framework. The services
    call it with the lot locked (the lock covers the framework row too, so a suspension or a
    closure cannot slip in after this check); a preview may call it to refuse early."""
    if lot.is_closed:
        raise DomainError(
            _("Lot %(number)s is closed: no one can be appointed to it") % {"number": lot.number},
            code="lot_closed",
        )
    if lot.framework.is_suspended:
        raise DomainError(
            _("The framework is suspended: no one can be appointed to it until it is reinstated"),
            code="framework_suspended",
        )
    if lot.framework.status_on(on) == lifecycle.Lifecycle.EXPIRED:
        raise DomainError(
            _("The framework has expired: no one can be appointed to it"),
            code="framework_expired",
        )


def appointment_problem(
    *, lot: Lot, supplier: Organisation, authority: Organisation, on: date
) -> str | None:
    """Why this supplier cannot be appointed to this lot, or None. Shared with CSV imports."""
    if supplier.kind != OrganisationKind.SUPPLIER:
        return _("%(name)s is not a supplier") % {"name": supplier}
    if selectors.is_debarred(supplier=supplier, authority=authority, on=on):
        return _("%(name)s is on the debarment list") % {"name": supplier}
    if Appointment.objects.filter(lot=lot, supplier=supplier).exists():
        return _("%(name)s is already appointed to this lot") % {"name": supplier}
    return None


@transaction.atomic
def appoint_supplier(
    *,
    actor,
    organisation: Organisation,
    lot: Lot,
    supplier: Organisation,
    starts_on: date,
    ends_on: date | None = None,
) -> Appointment:
    policy.require(actor, Action.APPOINT_SUPPLIERS, organisation, lot)
    lot = _lock_lot(lot)
    refuse_unless_taking_appointments(lot, on=starts_on)
    problem = appointment_problem(lot=lot, supplier=supplier, authority=organisation, on=starts_on)
    if problem:
        raise DomainError(problem, code="cannot_appoint")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The appointment must end on or after the day it starts"))
    appointment = Appointment.objects.create(
        lot=lot, supplier=supplier, starts_on=starts_on, ends_on=ends_on
    )
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.SUPPLIER_APPOINTED,
        target=appointment,
        data={"lot": lot.pk, "supplier": supplier.pk, "starts_on": starts_on, "ends_on": ends_on},
    )
    return appointment


@transaction.atomic
def change_appointment_status(
    *, actor, organisation: Organisation, appointment: Appointment, status: str, reason: str = ""
) -> Appointment:
    policy.require(actor, Action.APPOINT_SUPPLIERS, organisation, appointment)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    new_status = Appointment.Status(status)
    if new_status not in Appointment.TRANSITIONS[appointment.status]:
        raise DomainError(
            _("An appointment cannot go from %(current)s to %(new)s")
            % {
                "current": appointment.get_status_display().lower(),
                "new": new_status.label.lower(),
            },
            code="invalid_transition",
        )
    if new_status in REASON_NEEDED and not reason.strip():
        raise DomainError(_("Give the reason for this decision"), code="reason_required")
    previous = appointment.status
    appointment.status = new_status
    appointment.reason = reason.strip()
    appointment.save(update_fields=["status", "reason", "updated_at"])
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.APPOINTMENT_STATUS_CHANGED,
        target=appointment,
        data={"from": previous, "to": new_status.value, "reason": appointment.reason},
    )
    return appointment


@transaction.atomic
def appoint_suppliers_from_import(
    *,
    actor,
    organisation: Organisation,
    lot: Lot,
    suppliers: list[Organisation],
    starts_on: date,
    file_name: str,
) -> list[Appointment]:
    """All or nothing: every supplier is appointed, or (on any problem) none is."""
    policy.require(actor, Action.APPOINT_SUPPLIERS, organisation, lot)
    lot = _lock_lot(lot)
    refuse_unless_taking_appointments(lot, on=starts_on)
    problems = [
        problem
        for supplier in suppliers
        if (
            problem := appointment_problem(
                lot=lot, supplier=supplier, authority=organisation, on=starts_on
            )
        )
    ]
    if problems:
        raise DomainError("; ".join(problems), code="cannot_appoint")
    appointments = [
        Appointment.objects.create(lot=lot, supplier=supplier, starts_on=starts_on)
        for supplier in suppliers
    ]
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.APPOINTMENTS_IMPORTED,
        target=lot,
        data={
            "file": file_name,
            "starts_on": starts_on,
            "suppliers": [supplier.pk for supplier in suppliers],
            "appointments": [appointment.pk for appointment in appointments],
        },
    )
    return appointments


@transaction.atomic
def debar_supplier(
    *,
    actor,
    organisation: Organisation,
    supplier: Organisation,
    reason: str,
    starts_on: date,
    ends_on: date | None = None,
) -> DebarmentEntry:
    policy.require(actor, Action.APPOINT_SUPPLIERS, organisation)
    if supplier.kind != OrganisationKind.SUPPLIER:
        raise DomainError(_("Only suppliers can be added to the debarment list"))
    if not reason.strip():
        raise DomainError(_("Give the grounds for debarment"), code="reason_required")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The debarment must end on or after the day it starts"))
    entry = DebarmentEntry.objects.create(
        authority=organisation,
        supplier=supplier,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.SUPPLIER_DEBARRED,
        target=entry,
        data={"supplier": supplier.pk, "starts_on": starts_on, "ends_on": ends_on},
    )
    return entry


@transaction.atomic
def end_debarment(
    *, actor, organisation: Organisation, entry: DebarmentEntry, ends_on: date | None = None
) -> DebarmentEntry:
    policy.require(actor, Action.APPOINT_SUPPLIERS, organisation, entry)
    ends_on = ends_on or timezone.localdate()
    if ends_on < entry.starts_on:
        raise DomainError(_("The debarment must end on or after the day it started"))
    entry.ends_on = ends_on
    entry.save(update_fields=["ends_on"])
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.DEBARMENT_ENDED,
        target=entry,
        data={"ends_on": ends_on},
    )
    return entry


def _set_suspension(
    *, actor, organisation, framework: FrameworkPage, suspended: bool, reason: str, kind
) -> FrameworkPage:
    policy.require(actor, Action.APPROVE_FRAMEWORKS, organisation, framework)
    framework = FrameworkPage.objects.select_for_update().get(pk=framework.pk)
    today = timezone.localdate()
    current = framework.status_on(today)
    framework.is_suspended = suspended
    lifecycle.check_move(current, framework.status_on(today))
    framework.suspension_reason = reason.strip() if suspended else ""
    # Only these columns change: a plain update keeps Wagtail's draft revisions untouched.
    FrameworkPage.objects.filter(pk=framework.pk).update(
        is_suspended=framework.is_suspended, suspension_reason=framework.suspension_reason
    )
    record(
        actor=actor,
        organisation=organisation,
        kind=kind,
        target=framework,
        data={"from": current, "reason": framework.suspension_reason},
    )
    return framework


@transaction.atomic
def suspend_framework(
    *, actor, organisation: Organisation, framework: FrameworkPage, reason: str
) -> FrameworkPage:
    if not reason.strip():
        raise DomainError(_("Give the reason for suspending the framework"), code="reason_required")
    return _set_suspension(
        actor=actor,
        organisation=organisation,
        framework=framework,
        suspended=True,
        reason=reason,
        kind=AuditKind.FRAMEWORK_SUSPENDED,
    )


@transaction.atomic
def reinstate_framework(
    *, actor, organisation: Organisation, framework: FrameworkPage
) -> FrameworkPage:
    return _set_suspension(
        actor=actor,
        organisation=organisation,
        framework=framework,
        suspended=False,
        reason="",
        kind=AuditKind.FRAMEWORK_REINSTATED,
    )


@transaction.atomic
def close_lot(*, actor, organisation: Organisation, lot: Lot, reason: str) -> LotClosure:
    """Close a lot for good: no new appointments or offerings, and buyers no longer see its
    offerings. The lot and its records stay; this is how a lot with appointments is removed.

    Closing a lot after award changes the framework's terms: the Procurement Act issue turns
    this into a Variation of the framework, with its notice.
    """
    policy.require(actor, Action.EDIT_FRAMEWORKS, organisation, lot)
    if not reason.strip():
        raise DomainError(_("Give the reason for closing the lot"), code="reason_required")
    lot = _lock_lot(lot)
    if lot.is_closed:
        raise DomainError(_("%(lot)s is already closed") % {"lot": lot}, code="lot_closed")
    closure = LotClosure.objects.create(lot=lot, closed_by=actor, reason=reason.strip())
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.LOT_CLOSED,
        target=lot,
        data={"framework": lot.framework_id, "closure": closure.pk, "reason": closure.reason},
    )
    return closure
