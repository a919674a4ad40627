"""Whether a supplier may be called off from a lot today (DESIGN §6): an active, current
appointment on the lot, and nothing on the debarment list barring the buyer from it."""

from datetime import date

from django.utils.translation import gettext as _

from frameworks.models import Appointment, Lot
from frameworks.selectors import debarment_problem
from marketplace.organisations.models import Organisation


def call_off_problem(
    *, supplier: Organisation, lot: Lot, buyer: Organisation, on: date
) -> str | None:
    """Why `buyer` may not call off from `supplier` on `lot` on `on`, or None."""
    appointment = Appointment.objects.filter(lot=lot, supplier=supplier).first()
    if appointment is None:
        return _("%(name)s is not appointed to this lot") % {"name": supplier}
    if appointment.status != Appointment.Status.ACTIVE:
        reason = f": {appointment.reason}" if appointment.reason else ""
        return _("%(name)s's appointment to this lot is %(status)s%(reason)s") % {
            "name": supplier,
            "status": appointment.get_status_display().lower(),
            "reason": reason,
        }
    if not appointment.is_current(on):
        return _("%(name)s's appointment to this lot is not in force today") % {"name": supplier}
    return debarment_problem(supplier=supplier, organisation=buyer, on=on)
