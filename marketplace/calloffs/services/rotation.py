"""Direct award by a ranked list with rotation, and to a lot's single supplier.

Ranked list: the buyer offers the award to the highest-placed supplier not yet offered on the
project (selectors.rotation.ranking_order); the supplier accepts or declines with a reason
within the lot's working days, or the offer lapses, and the buyer offers the next. An accepted
offer is confirmed by the buyer, who selects that supplier (services.selection). Single
supplier: the buyer selects the lot's one active appointed supplier.
"""

from datetime import date

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from frameworks.models import Appointment, DirectAwardMethod
from marketplace import state
from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.roles import Action
from marketplace.working_days import add_working_days

from ..locks import lock_project
from ..models import BuyingProject, RotationOffer
from ..permissions import require_project_worker
from ..selectors.rotation import ranking_order
from ..suppliers import call_off_problem
from .selection import SelectionError, select_supplier, selection_problem


class RotationError(DomainError):
    """An offer cannot be made or answered; code names the field at fault."""


def _long_date(day: date) -> str:
    return formats.date_format(day, "j F Y")


def _refuse_unless_method(project: BuyingProject, method: str) -> None:
    if project.direct_award_method != method:
        raise RotationError(
            _("This project's direct award does not follow “%(method)s”")
            % {"method": DirectAwardMethod(method).label.lower()},
            code="project",
        )


def _lapse(offers, *, on: date) -> list[RotationOffer]:
    """Lapse each offer in `offers` still open after its answer-by day, locking it first so a
    last-minute answer and the lapse cannot both land."""
    lapsed = []
    for offer in offers.filter(status=RotationOffer.Status.OFFERED, respond_by__lt=on).order_by(
        "pk"
    ):
        offer = RotationOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.status != RotationOffer.Status.OFFERED:
            continue
        state.change_state(
            offer,
            to=RotationOffer.Status.LAPSED,
            actor=None,
            organisation=offer.project.organisation,
            kind=AuditKind.ROTATION_OFFER_LAPSED,
            data={"supplier": offer.supplier_id, "respond_by": offer.respond_by, "on": on},
        )
        lapsed.append(offer)
    return lapsed


@transaction.atomic
def lapse_overdue_offers(*, on: date, project=None, supplier=None) -> list[RotationOffer]:
    """Lapse every offer whose answer-by day is before `on` (the system acts: no actor).
    Pages pass a project or a supplier to lapse only theirs as they load."""
    offers = RotationOffer.objects.select_related("project__organisation")
    if project is not None:
        offers = offers.filter(project=project)
    if supplier is not None:
        offers = offers.filter(supplier=supplier)
    return _lapse(offers, on=on)


def offer_problem(project: BuyingProject) -> str | None:
    """Why the buyer cannot offer the award to the next supplier now, or None. Overdue offers
    are taken as lapsed (the caller lapses them first)."""
    problem = selection_problem(project)
    if problem:
        return problem
    if project.selected_supplier_id is not None:
        return _("%(supplier)s is selected: there is no one else to offer the award to") % {
            "supplier": project.selected_supplier
        }
    offers = project.rotation_offers.select_related("supplier")
    open_offer = offers.filter(status=RotationOffer.Status.OFFERED).first()
    if open_offer is not None:
        return _("%(supplier)s has until %(day)s to answer the offer: wait for their answer") % {
            "supplier": open_offer.supplier,
            "day": _long_date(open_offer.respond_by),
        }
    accepted = offers.filter(status=RotationOffer.Status.ACCEPTED).first()
    if accepted is not None and not call_off_problem(
        supplier=accepted.supplier,
        lot=project.lot,
        buyer=project.organisation,
        on=timezone.localdate(),
    ):
        return _("%(supplier)s accepted the offer: select them to award the contract") % {
            "supplier": accepted.supplier
        }
    return None


@transaction.atomic
def offer_next(*, actor, project: BuyingProject) -> RotationOffer:
    """Offer the award to the highest-placed supplier in today's ranking that has not been
    offered it on this project and may be called off today."""
    project = lock_project(project)
    require_project_worker(actor, project)
    _refuse_unless_method(project, DirectAwardMethod.RANKED_ROTATION)
    today = timezone.localdate()
    _lapse(project.rotation_offers.all(), on=today)
    problem = offer_problem(project)
    if problem:
        raise RotationError(problem, code="project")
    offered = set(project.rotation_offers.values_list("supplier_id", flat=True))
    passed_over = []
    for place in ranking_order(lot=project.lot, on=today):
        if place.supplier.pk in offered:
            continue
        problem = call_off_problem(
            supplier=place.supplier, lot=project.lot, buyer=project.organisation, on=today
        )
        if problem:
            passed_over.append({"supplier": place.supplier.pk, "problem": problem})
            continue
        offer = RotationOffer.objects.create(
            project=project,
            supplier=place.supplier,
            rank=place.rank,
            offered_at=timezone.now(),
            respond_by=add_working_days(today, project.lot.offer_response_working_days),
        )
        audit.record(
            actor=actor,
            organisation=project.organisation,
            kind=AuditKind.ROTATION_OFFER_MADE,
            target=offer,
            data={
                "project": project.pk,
                "supplier": place.supplier.pk,
                "rank": place.rank,
                "rotated": place.is_rotated,
                "respond_by": offer.respond_by,
                "passed_over": passed_over,
            },
        )
        return offer
    raise RotationError(
        _(
            "Every supplier in the lot's ranking has been offered this award or cannot be "
            "called off today: no one is left to offer it to"
        ),
        code="exhausted",
    )


def _answer(*, actor, offer: RotationOffer, to: str, kind: AuditKind, reason: str = ""):
    offer.answered_by = actor
    offer.answered_at = timezone.now()
    offer.reason = reason
    state.change_state(
        offer,
        to=to,
        actor=actor,
        organisation=offer.supplier,
        kind=kind,
        data={"project": offer.project_id, "reason": reason},
        update_fields=("answered_by", "answered_at", "reason"),
    )
    return offer


def _answer_open_offer(*, actor, offer: RotationOffer, answer) -> RotationOffer:
    """Lock the offer and answer it for its supplier, once. An offer past its answer-by day
    is lapsed instead (that is kept) and the answer refused."""
    with transaction.atomic():
        offer = (
            # Only the offer's row: the project's lot is nullable, so not joined rows.
            RotationOffer.objects.select_for_update(of=("self",))
            .select_related("project__organisation", "project__lot", "supplier")
            .get(pk=offer.pk)
        )
        policy.require(actor, Action.ANSWER_CALLOFFS, offer.supplier)
        if offer.status != RotationOffer.Status.OFFERED:
            raise RotationError(
                _("This offer has already been %(status)s: it cannot be answered again")
                % {"status": offer.get_status_display().lower()},
                code="offer",
            )
        today = timezone.localdate()
        if offer.respond_by >= today:
            return answer(offer)
        _lapse(RotationOffer.objects.filter(pk=offer.pk), on=today)
    raise RotationError(
        _("This offer lapsed: the answer was due by %(day)s")
        % {"day": _long_date(offer.respond_by)},
        code="offer",
    )


def accept_offer(*, actor, offer: RotationOffer) -> RotationOffer:
    """The supplier accepts; the buyer then selects it (select_offered_supplier)."""

    def accept(offer):
        problem = call_off_problem(
            supplier=offer.supplier,
            lot=offer.project.lot,
            buyer=offer.project.organisation,
            on=timezone.localdate(),
        )
        if problem:
            raise RotationError(problem, code="supplier")
        return _answer(
            actor=actor,
            offer=offer,
            to=RotationOffer.Status.ACCEPTED,
            kind=AuditKind.ROTATION_OFFER_ACCEPTED,
        )

    return _answer_open_offer(actor=actor, offer=offer, answer=accept)


def decline_offer(*, actor, offer: RotationOffer, reason: str) -> RotationOffer:
    """The supplier declines, saying why; the buyer may then offer the next supplier."""
    reason = (reason or "").strip()

    def decline(offer):
        if not reason:
            raise RotationError(_("Give the reason for declining the offer"), code="reason")
        return _answer(
            actor=actor,
            offer=offer,
            to=RotationOffer.Status.DECLINED,
            kind=AuditKind.ROTATION_OFFER_DECLINED,
            reason=reason,
        )

    return _answer_open_offer(actor=actor, offer=offer, answer=decline)


def accepted_offer(project: BuyingProject) -> RotationOffer | None:
    return (
        project.rotation_offers.filter(status=RotationOffer.Status.ACCEPTED)
        .select_related("supplier")
        .first()
    )


def mechanism_reason(project: BuyingProject, supplier) -> str:
    """The reason a selection under the lot's mechanism gives, for the buyer to confirm."""
    if project.direct_award_method == DirectAwardMethod.SINGLE_SUPPLIER:
        return _("%(supplier)s is the only supplier appointed to %(lot)s") % {
            "supplier": supplier,
            "lot": project.lot,
        }
    return _(
        "%(supplier)s was the highest-placed supplier in the ranking of %(lot)s, after "
        "rotation, to accept the offer"
    ) % {"supplier": supplier, "lot": project.lot}


@transaction.atomic
def select_offered_supplier(*, actor, project: BuyingProject, reason: str) -> BuyingProject:
    """The buyer confirms the supplier that accepted the offer as the one to award to."""
    _refuse_unless_method(project, DirectAwardMethod.RANKED_ROTATION)
    offer = accepted_offer(project)
    if offer is None:
        raise SelectionError(_("No supplier has accepted an offer on this project"), code="project")
    return select_supplier(
        actor=actor, project=project, supplier=offer.supplier, reason=reason, rotation_offer=offer
    )


def single_supplier_appointment(project: BuyingProject, *, on: date) -> Appointment:
    """The lot's one active, current appointment; an error when it has none or several."""
    appointments = [
        appointment
        for appointment in project.lot.appointments.filter(
            status=Appointment.Status.ACTIVE
        ).select_related("supplier")
        if appointment.is_current(on)
    ]
    if len(appointments) != 1:
        raise SelectionError(
            _(
                "%(lot)s must have exactly one active appointed supplier for a single-supplier "
                "direct award; it has %(count)s. Ask the framework's authority"
            )
            % {"lot": project.lot, "count": len(appointments)},
            code="supplier",
        )
    return appointments[0]


@transaction.atomic
def select_single_supplier(*, actor, project: BuyingProject, reason: str) -> BuyingProject:
    """Select the lot's one appointed supplier (single-supplier direct award)."""
    _refuse_unless_method(project, DirectAwardMethod.SINGLE_SUPPLIER)
    appointment = single_supplier_appointment(project, on=timezone.localdate())
    return select_supplier(
        actor=actor, project=project, supplier=appointment.supplier, reason=reason
    )
