"""Reads of supplier profiles and offerings, scoped to who is asking.

Suppliers read through their own organisation; buyers and the public read only listable
offerings: live, on a published framework that is live today (not suspended or expired), by a
supplier holding a current active appointment on the lot and not on the central debarment
list on a mandatory ground, on a lot that is not closed. Suspending, excluding, a mandatory
debarment or closing the lot therefore hides offerings at once.
"""

from datetime import date

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404

from frameworks.lifecycle import Lifecycle
from frameworks.models import Appointment, DebarmentEntry, ExclusionType, Lot
from frameworks.selectors import published_frameworks
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import OrganisationKind

from .models import Offering, SupplierProfile


def current_appointments(*, on: date) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        status=Appointment.Status.ACTIVE,
        starts_on__lte=on,
    )


def is_appointed(*, supplier: Organisation, lot: Lot, on: date) -> bool:
    return current_appointments(on=on).filter(supplier=supplier, lot=lot).exists()


def _usable_frameworks(*, on: date):
    return published_frameworks(today=on).filter(lifecycle=Lifecycle.LIVE).values("pk")


def listable_offerings(*, on: date) -> QuerySet[Offering]:
    """Every offering a buyer or the public may see today."""
    appointed = current_appointments(on=on).filter(
        supplier=OuterRef("supplier"), lot=OuterRef("lot")
    )
    # A mandatory exclusion bars the supplier for everyone; a discretionary one stays listed
    # and is shown to each buyer, who decides (frameworks.selectors.debarment_notices).
    debarred = DebarmentEntry.objects.filter(
        DebarmentEntry.in_force_on(on),
        supplier=OuterRef("supplier"),
        exclusion_type=ExclusionType.MANDATORY,
    )
    return (
        Offering.objects.filter(
            status=Offering.Status.LIVE,
            live=True,
            lot__framework__in=_usable_frameworks(on=on),
            lot__closure__isnull=True,
        )
        .filter(Exists(appointed))
        .exclude(Exists(debarred))
        .select_related("supplier", "lot__framework")
    )


def get_listable_offering(*, pk: int, on: date) -> Offering:
    return get_object_or_404(listable_offerings(on=on).select_related("service_definition"), pk=pk)


def is_listed(*, offering: Offering, on: date) -> bool:
    return listable_offerings(on=on).filter(pk=offering.pk).exists()


def listable_offerings_of_supplier(*, supplier: Organisation, on: date) -> QuerySet[Offering]:
    """The supplier's listable offerings, by title, for its public page."""
    return listable_offerings(on=on).filter(supplier=supplier).order_by("title", "pk")


def listable_offerings_on_lot(*, lot: Lot, on: date) -> QuerySet[Offering]:
    """The lot's listable offerings, by title, for the lot's page."""
    return listable_offerings(on=on).filter(lot=lot).order_by("title", "pk")


def offerings_for_supplier(
    *, organisation: Organisation, lot: Lot | None = None
) -> QuerySet[Offering]:
    offerings = Offering.objects.filter(supplier=organisation)
    if lot is not None:
        offerings = offerings.filter(lot=lot)
    return offerings.select_related("lot__framework", "submitted_revision").order_by(
        "lot__framework__title", "lot__number", "title"
    )


def get_offering_for_supplier(*, organisation: Organisation, pk: int) -> Offering:
    return get_object_or_404(offerings_for_supplier(organisation=organisation), pk=pk)


def recent_offerings_by_lot(*, organisation: Organisation, per_lot: int) -> QuerySet[Offering]:
    """The supplier's `per_lot` most recently changed offerings on each lot, in one query."""
    return (
        offerings_for_supplier(organisation=organisation)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("lot_id"), order_by=F("updated_at").desc())
        )
        .filter(rank__lte=per_lot)
        .order_by("lot_id", "rank")
    )


def offering_counts_by_lot(*, organisation: Organisation) -> dict[int, int]:
    return dict(
        Offering.objects.filter(supplier=organisation)
        .order_by()
        .values("lot_id")
        .annotate(n=Count("pk"))
        .values_list("lot_id", "n")
    )


def appointments_for_supplier(*, organisation: Organisation) -> QuerySet[Appointment]:
    """Every appointment the supplier holds or has held, whatever its status, for its portal."""
    return (
        Appointment.objects.filter(supplier=organisation)
        .select_related("lot__framework")
        # The framework's id keeps each framework's lots together for grouping.
        .order_by("lot__framework__title", "lot__framework_id", "lot__number")
    )


def get_lot_of_supplier(*, organisation: Organisation, lot_id: str) -> Lot:
    """A lot the supplier is or was appointed to, by its id as a query gives it; else 404."""
    appointment = (
        appointments_for_supplier(organisation=organisation)
        .filter(lot_id=lot_id if lot_id.isdigit() else None)
        .first()
    )
    if appointment is None:
        raise Http404("Not a lot this supplier is appointed to")
    return appointment.lot


def public_appointments(*, supplier: Organisation, on: date) -> QuerySet[Appointment]:
    """The supplier's current active appointments on frameworks live today, as the public sees."""
    return (
        current_appointments(on=on)
        .filter(supplier=supplier, lot__framework__in=_usable_frameworks(on=on))
        .select_related("lot__framework")
        # The framework's id keeps each framework's lots together for grouping.
        .order_by("lot__framework__title", "lot__framework_id", "lot__number")
    )


def appointed_lots(*, supplier: Organisation, on: date) -> QuerySet[Lot]:
    """The lots a supplier may list offerings on today."""
    return (
        Lot.objects.filter(
            pk__in=current_appointments(on=on).filter(supplier=supplier).values("lot_id"),
            framework__live=True,
            closure__isnull=True,
        )
        .select_related("framework", "closure")
        .order_by("framework__title", "number")
    )


def offerings_for_review(*, authority: Organisation) -> QuerySet[Offering]:
    """Offerings on the authority's frameworks that have something awaiting review first."""
    return (
        Offering.objects.filter(lot__framework__authority=authority)
        .select_related("supplier", "lot__framework", "submitted_revision__user")
        .order_by(
            Case(When(submitted_revision__isnull=False, then=Value(0)), default=Value(1)),
            "submitted_at",
            "title",
            "pk",
        )
    )


def get_offering_for_review(*, authority: Organisation, pk: int) -> Offering:
    return get_object_or_404(offerings_for_review(authority=authority), pk=pk)


def public_supplier(*, slug: str) -> Organisation:
    return get_object_or_404(
        Organisation.objects.filter(kind=OrganisationKind.SUPPLIER).select_related(
            "supplier_profile"
        ),
        slug=slug,
    )


def profile_for(*, organisation: Organisation) -> SupplierProfile | None:
    return SupplierProfile.objects.filter(organisation=organisation).first()
