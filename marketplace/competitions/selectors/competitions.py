"""Reads of further competitions, always from the organisation asking: a buyer sees its own
projects' competitions; a supplier only those it was invited to. Anything else is not found."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from frameworks.models import Appointment, Lot
from frameworks.terms import CRITERIA, terms_on
from marketplace.calloffs.suppliers import call_off_problem
from marketplace.organisations.models import Organisation

from ..models import Clarification, Competition

# Below this share of the total mark, the brief warns that social value carries little weight.
SOCIAL_VALUE_WARNING_BELOW = Decimal(10)


def competitions_for_buyer(*, organisation: Organisation) -> QuerySet[Competition]:
    return Competition.objects.filter(project__organisation=organisation).select_related(
        "project__organisation", "project__lot__framework"
    )


def get_competition_for_buyer(*, organisation: Organisation, pk: int) -> Competition:
    return get_object_or_404(competitions_for_buyer(organisation=organisation), pk=pk)


def competitions_for_supplier(*, organisation: Organisation) -> QuerySet[Competition]:
    """The competitions `organisation` was invited to, once they are open."""
    return (
        Competition.objects.filter(invitations__supplier=organisation, invitations__invited=True)
        .exclude(status=Competition.Status.DRAFT)
        .select_related("project__organisation", "project__lot__framework")
    )


def get_competition_for_supplier(*, organisation: Organisation, pk: int) -> Competition:
    return get_object_or_404(competitions_for_supplier(organisation=organisation), pk=pk)


def is_invited(competition: Competition, supplier: Organisation) -> bool:
    return competition.invitations.filter(supplier=supplier, invited=True).exists()


def framework_criteria_in_force(lot: Lot, day: date) -> list[dict]:
    """The award criteria of the lot's framework under the terms that applied on `day`."""
    return terms_on(lot.framework, day)[CRITERIA]


def social_value_share(competition: Competition) -> Decimal:
    """The percentage of the total mark the social value criteria carry: the quality share
    times their weightings' share of the quality mark."""
    social = sum(
        criterion.weighting for criterion in competition.criteria.all() if criterion.is_social_value
    )
    return Decimal(competition.quality_weight * social) / 100


def social_value_warning(competition: Competition) -> str | None:
    """A warning for the brief when social value carries less than 10% of the total mark."""
    share = social_value_share(competition)
    if share >= SOCIAL_VALUE_WARNING_BELOW:
        return None
    return _(
        "Social value carries %(share)s%% of the total mark, less than %(minimum)s%%. "
        "Give the social value criteria more weight, or quality a larger share, unless you "
        "have a reason not to."
    ) % {"share": f"{share.normalize():f}", "minimum": SOCIAL_VALUE_WARNING_BELOW}


@dataclass(frozen=True)
class Candidate:
    """A supplier on the competition's lot, and why it cannot be invited (None if it can)."""

    supplier: Organisation
    problem: str | None


def invitation_candidates(competition: Competition, *, on: date) -> list[Candidate]:
    """Every supplier appointed to the lot (in any status), by name, with what bars it."""
    project = competition.project
    suppliers = Organisation.objects.filter(
        pk__in=Appointment.objects.filter(lot=project.lot).values("supplier_id")
    ).order_by("legal_name", "pk")
    return [
        Candidate(
            supplier=supplier,
            problem=call_off_problem(
                supplier=supplier, lot=project.lot, buyer=project.organisation, on=on
            ),
        )
        for supplier in suppliers
    ]


def published_clarifications(competition: Competition) -> QuerySet[Clarification]:
    """The answered questions every invited supplier reads; who asked is not selected."""
    return (
        competition.clarifications.filter(published_at__isnull=False)
        .only("pk", "question", "published_question", "answer", "published_at", "competition_id")
        .order_by("published_at", "pk")
    )


def own_clarifications(
    competition: Competition, *, supplier: Organisation
) -> QuerySet[Clarification]:
    """The questions `supplier` asked, answered or not."""
    return competition.clarifications.filter(asked_by=supplier).order_by("asked_at", "pk")
