"""Choosing the winner of an evaluated further competition. The top-ranked bid's supplier
becomes the project's selected supplier (calloffs' select_supplier), so the buyer goes on
through the same award, notice and contract steps as a direct award; the award form starts
from the winner's social value commitments as KPIs (selectors.evaluation.kpi_suggestions)."""

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.audit.kinds import AuditKind
from marketplace.calloffs.models import BuyingProject
from marketplace.calloffs.services.selection import select_supplier
from marketplace.state import change_state

from ..models import Bid, Competition
from ..selectors.evaluation import ranking
from .checks import lock_competition, require_buyer_worker, require_status


@transaction.atomic
def award_to_winner(*, actor, competition: Competition, reason: str = "") -> BuyingProject:
    """Select the highest-scoring bid's supplier on the project, with the score as the
    reason (and the buyer's note, if any), and mark the competition awarded."""
    competition = lock_competition(competition)
    require_buyer_worker(actor, competition.project)
    require_status(
        competition,
        Competition.Status.EVALUATED,
        _("The competition is %(status)s: the winner is chosen once every bid is evaluated"),
    )
    winner = ranking(competition)[0]
    bid = Bid.objects.select_related("supplier").get(pk=winner.key)
    note = (reason or "").strip()
    selection_reason = _("Highest-scoring bid: %(total)s of 100") % {"total": winner.total}
    if note:
        selection_reason = f"{selection_reason}. {note}"
    project = select_supplier(
        actor=actor,
        project=competition.project,
        supplier=bid.supplier,
        reason=selection_reason,
        by_competition=True,
    )
    change_state(
        competition,
        to=Competition.Status.AWARDED,
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.COMPETITION_AWARDED,
        data={
            "bid": bid.pk,
            "supplier": bid.supplier_id,
            "total": winner.total,
            "reason": selection_reason,
        },
        update_fields=("updated_at",),
    )
    return project
