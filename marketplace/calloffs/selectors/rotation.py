"""Reads for the ranked list with rotation: the lot's ranking as it applies on a day, and the
offers made down it, each read from the organisation asking (another's offer is a 404)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from frameworks.models import Appointment, DirectAwardMethod, Lot
from marketplace.organisations.models import Organisation

from ..models import Award, BuyingProject, RotationOffer

# The awards that move a supplier to the bottom: made under the ranking and standing.
ROTATING_AWARD_STATUSES = (Award.Status.AWARDED, Award.Status.CONTRACTED)


@dataclass(frozen=True)
class RankedSupplier:
    """One place in the ranking as it applies on a day."""

    appointment: Appointment
    rank: int
    # While the supplier waits at the bottom after an award: when that award took effect,
    # and the day it returns to its ranked place. None otherwise.
    last_awarded_on: date | None = None
    returns_on: date | None = None

    @property
    def supplier(self) -> Organisation:
        return self.appointment.supplier

    @property
    def is_rotated(self) -> bool:
        return self.returns_on is not None


def last_rotating_awards(*, lot: Lot) -> dict[int, date]:
    """Each supplier's latest award on `lot` under the ranking that still stands, as the local
    day it took effect."""
    latest = (
        Award.objects.filter(
            project__lot=lot,
            status__in=ROTATING_AWARD_STATUSES,
            direct_award_method=DirectAwardMethod.RANKED_ROTATION,
            awarded_at__isnull=False,
        )
        .values("supplier_id")
        .annotate(last=Max("awarded_at"))
    )
    return {row["supplier_id"]: timezone.localdate(row["last"]) for row in latest}


def ranking_order(*, lot: Lot, on: date) -> list[RankedSupplier]:
    """The lot's ranked, active and current appointments in the order offers go down them on
    `on`: by rank, except that a supplier awarded under the ranking fewer than the lot's
    rotation period days ago waits at the bottom (the longest-waiting first) until the period
    has passed. An offer alone moves no one: two projects may offer the same supplier."""
    appointments = (
        Appointment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on),
            lot=lot,
            status=Appointment.Status.ACTIVE,
            rank__isnull=False,
            starts_on__lte=on,
        )
        .select_related("supplier")
        .order_by("rank")
    )
    period = timedelta(days=lot.rotation_period_days)
    awarded = last_rotating_awards(lot=lot)
    in_place: list[RankedSupplier] = []
    rotated: list[RankedSupplier] = []
    for appointment in appointments:
        awarded_on = awarded.get(appointment.supplier_id)
        if awarded_on is not None and awarded_on + period > on:
            rotated.append(
                RankedSupplier(
                    appointment=appointment,
                    rank=appointment.rank,
                    last_awarded_on=awarded_on,
                    returns_on=awarded_on + period,
                )
            )
        else:
            in_place.append(RankedSupplier(appointment=appointment, rank=appointment.rank))
    rotated.sort(key=lambda place: (place.last_awarded_on, place.rank))
    return in_place + rotated


def offers_for_project(project: BuyingProject) -> QuerySet[RotationOffer]:
    return project.rotation_offers.select_related("supplier", "answered_by").order_by(
        "offered_at", "pk"
    )


def offers_for_supplier(*, organisation: Organisation) -> QuerySet[RotationOffer]:
    """The supplier's offers, the latest first."""
    return (
        RotationOffer.objects.filter(supplier=organisation)
        .select_related("project__organisation", "project__lot__framework")
        .order_by("-offered_at", "-pk")
    )


def get_offer_for_supplier(*, organisation: Organisation, pk: int) -> RotationOffer:
    return get_object_or_404(offers_for_supplier(organisation=organisation), pk=pk)


def open_offer_count(*, organisation: Organisation, on: date) -> int:
    """Offers the supplier can still answer on `on` (an overdue one is lapsing, not open)."""
    return RotationOffer.objects.filter(
        supplier=organisation, status=RotationOffer.Status.OFFERED, respond_by__gte=on
    ).count()
