"""Recording the supplier a direct award will go to, whichever mechanism chose it.

Each mechanism (a kept shortlist item, an accepted rotation offer, the lot's single supplier)
ends here, so the checks that every call-off needs are made once: the project is at the
supplier step, and the supplier may be called off from the lot today.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.models import Route
from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.exceptions import DomainError

from ..locks import lock_project
from ..models import Award, BuyingProject
from ..permissions import require_project_worker
from ..suppliers import call_off_problem


class SelectionError(DomainError):
    """The supplier cannot be selected; code names the field at fault."""


def selection_problem(project: BuyingProject, *, by_competition: bool = False) -> str | None:
    """Why the project cannot take a supplier selection now, or None. Only the further
    competition's award (competitions.services.award) selects with `by_competition`, for a
    project on that route."""
    if project.status != BuyingProject.Status.PREPARING:
        return _("This project is %(status)s: its supplier can no longer be changed") % {
            "status": project.get_status_display().lower()
        }
    if by_competition:
        if project.lot_id is None or project.route != Route.FURTHER_COMPETITION:
            return _("Choose a lot and the further competition route first")
    elif project.lot_id is None or project.route != Route.DIRECT_AWARD:
        return _("Choose a lot and the direct award route first")
    if project.awards.filter(status__in=Award.STANDING).exists():
        return _("This project has an award: withdraw it before choosing another supplier")
    return None


@transaction.atomic
def select_supplier(
    *,
    actor,
    project: BuyingProject,
    supplier,
    reason: str,
    offering=None,
    shortlist_item=None,
    rotation_offer=None,
    by_competition: bool = False,
) -> BuyingProject:
    """Record `supplier` as the one the project will award to, and why (s.45(4))."""
    project = lock_project(project)
    require_project_worker(actor, project)
    problem = selection_problem(project, by_competition=by_competition)
    if problem:
        raise SelectionError(problem, code="project")
    reason = (reason or "").strip()
    if not reason:
        raise SelectionError(
            _("Give the reason for choosing this supplier under the framework's mechanism"),
            code="reason",
        )
    problem = call_off_problem(
        supplier=supplier, lot=project.lot, buyer=project.organisation, on=timezone.localdate()
    )
    if problem:
        raise SelectionError(problem, code="supplier")
    project.selected_supplier = supplier
    project.selected_offering = offering
    project.selected_shortlist_item = shortlist_item
    project.selected_rotation_offer = rotation_offer
    project.selection_reason = reason
    project.selected_at = timezone.now()
    project.save(
        update_fields=[
            "selected_supplier",
            "selected_offering",
            "selected_shortlist_item",
            "selected_rotation_offer",
            "selection_reason",
            "selected_at",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.SUPPLIER_SELECTED,
        target=project,
        data={
            "method": project.direct_award_method,
            "supplier": supplier.pk,
            "offering": offering.pk if offering else None,
            "shortlist_item": shortlist_item.pk if shortlist_item else None,
            "rotation_offer": rotation_offer.pk if rotation_offer else None,
            "reason": reason,
        },
    )
    return project
