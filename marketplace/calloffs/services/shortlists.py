"""Search and shortlist, a lot's direct-award mechanism (s.45(4)): end a saved search on the
project's lot and freeze its results, keep or reject each, and choose the winner among those
kept. The choice is recorded by services.selection.select_supplier, like every mechanism's."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frameworks.models import DirectAwardMethod
from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.exceptions import DomainError

from ..locks import lock_project
from ..models import BuyingProject, SavedSearch, Shortlist, ShortlistItem
from ..permissions import require_project_worker
from ..selectors import shortlists as selectors
from .selection import select_supplier, selection_problem

REASON_MAX_LENGTH = 5_000


class ShortlistError(DomainError):
    """The shortlist cannot change as asked; code names the field at fault."""


def shortlist_problem(project: BuyingProject) -> str | None:
    """Why the project's shortlist cannot be frozen or decided on now, or None."""
    problem = selection_problem(project)
    if problem:
        return problem
    if project.direct_award_method != DirectAwardMethod.SEARCH_AND_SHORTLIST:
        return _("This project's lot does not use search and shortlist for a direct award")
    return None


def decision_problem(project: BuyingProject) -> str | None:
    """Why the shortlist's items cannot be kept or rejected now, or None."""
    problem = shortlist_problem(project)
    if problem is None and project.selected_supplier_id is not None:
        return _("A supplier has been chosen: the shortlist's decisions can no longer change")
    return problem


def _refuse_if(problem: str | None, code: str = "project") -> None:
    if problem:
        raise ShortlistError(problem, code=code)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ShortlistError(
            _("The reason must be %(limit)s characters or fewer (you entered %(count)s)")
            % {"limit": f"{REASON_MAX_LENGTH:,}", "count": f"{len(reason):,}"},
            code="reason",
        )
    return reason


@transaction.atomic
def freeze_shortlist(*, actor, project: BuyingProject, saved_search: SavedSearch) -> Shortlist:
    """End `saved_search` and freeze its results, as the buyer sees them now, as the project's
    shortlist: each offering with its revision, supplier and prices at this moment."""
    project = lock_project(project)
    require_project_worker(actor, project)
    _refuse_if(shortlist_problem(project))
    if Shortlist.objects.filter(project=project).exists():
        raise ShortlistError(_("This project's shortlist is already frozen"), code="project")
    if saved_search.organisation_id != project.organisation_id:
        raise ShortlistError(_("Choose one of your organisation's saved searches"), code="search")
    lot = project.lot
    today = timezone.localdate()
    limit = selectors.lot_terms(lot, today).shortlist_limit
    search = selectors.run_search(
        saved_search.query_string, organisation=project.organisation, today=today, up_to=limit
    )
    if search.lot_ids != (str(lot.pk),):
        raise ShortlistError(
            _("This search is not limited to %(lot)s: search that lot only and save it again")
            % {"lot": lot},
            code="search",
        )
    if search.total == 0:
        raise ShortlistError(
            _("This search has no results. Change the search and save it again"), code="search"
        )
    if search.result.total_capped or search.total > limit:
        raise ShortlistError(
            _(
                "This search has %(count)s results; the lot's shortlist limit is %(limit)s. "
                "Refine the search and save it again"
            )
            % {"count": search.result.total_display, "limit": f"{limit:,}"},
            code="search",
        )
    problems = selectors.call_off_problems(
        suppliers={offering.supplier for offering in search.offerings},
        lot=lot,
        buyer=project.organisation,
        on=today,
    )
    if problems:
        raise ShortlistError(
            ngettext(
                "A result's supplier cannot be called off today: %(problems)s.",
                "Some results' suppliers cannot be called off today: %(problems)s.",
                len(problems),
            )
            % {"problems": "; ".join(problems.values())},
            code="search",
        )
    shortlist = Shortlist.objects.create(
        project=project,
        saved_search=saved_search,
        query_string=saved_search.query_string,
        description=search.result.summary,
        frozen_at=timezone.now(),
        frozen_by=actor,
    )
    ShortlistItem.objects.bulk_create(
        ShortlistItem(
            shortlist=shortlist,
            position=position,
            offering=offering,
            revision_id=offering.live_revision_id or offering.latest_revision_id,
            supplier=offering.supplier,
            supplier_name=offering.supplier.name[:200],
            offering_reference=offering.reference,
            title=offering.title,
            price=offering.price,
            price_unit=offering.price_unit,
            vat_treatment=offering.vat_treatment,
            comparable_price=offering.comparable_price,
        )
        for position, offering in enumerate(search.offerings, start=1)
    )
    audit.record(
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.SHORTLIST_FROZEN,
        target=project,
        data={
            "items": len(search.offerings),
            "limit": limit,
            "saved_search": saved_search.pk,
            "query_string": shortlist.query_string,
            "description": shortlist.description,
        },
    )
    return shortlist


@transaction.atomic
def decide_item(*, actor, item: ShortlistItem, decision: str, reason: str) -> ShortlistItem:
    """Keep or reject one frozen result; a rejection always says why."""
    project = lock_project(item.shortlist.project)
    require_project_worker(actor, project)
    _refuse_if(decision_problem(project))
    if decision not in (ShortlistItem.Decision.KEPT, ShortlistItem.Decision.REJECTED):
        raise ShortlistError(_("Choose whether to keep or reject this item"), code="decision")
    reason = _clean_reason(reason)
    if decision == ShortlistItem.Decision.REJECTED and not reason:
        raise ShortlistError(_("Give a reason for rejecting this item"), code="reason")
    item = ShortlistItem.objects.select_for_update().get(pk=item.pk)
    old = {"decision": item.decision, "reason": item.reason}
    item.decision = decision
    item.reason = reason
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.SHORTLIST_ITEM_DECIDED,
        target=item,
        data={
            "project": project.pk,
            "position": item.position,
            "offering_reference": item.offering_reference,
            "old": old,
            "new": {"decision": decision, "reason": reason},
        },
    )
    return item


@transaction.atomic
def choose_shortlisted(
    *, actor, project: BuyingProject, item: ShortlistItem, reason: str
) -> BuyingProject:
    """Choose a kept item's supplier as the one the project awards to, with the reason under
    the framework's selection mechanism (s.45(4))."""
    project = lock_project(project)
    require_project_worker(actor, project)
    _refuse_if(shortlist_problem(project))
    item = ShortlistItem.objects.select_related("supplier", "offering", "shortlist").get(pk=item.pk)
    if item.shortlist.project_id != project.pk:
        raise ShortlistError(_("Choose an item on this project's shortlist"), code="item")
    if item.decision != ShortlistItem.Decision.KEPT:
        raise ShortlistError(
            _("Only a kept item can be chosen: “%(title)s” is %(decision)s")
            % {"title": item.title, "decision": item.get_decision_display().lower()},
            code="item",
        )
    return select_supplier(
        actor=actor,
        project=project,
        supplier=item.supplier,
        offering=item.offering,
        shortlist_item=item,
        reason=_clean_reason(reason),
    )
