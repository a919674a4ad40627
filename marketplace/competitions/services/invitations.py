"""Inviting the lot's suppliers to bid, which opens the competition.

By default every supplier with an active appointment on the lot that may be called off today
is invited. Where the framework's selection process allows it (the lot's
`allows_narrowed_invitations` term, as it stands today) the buyer may narrow the invitation to
the suppliers capable of the work, leaving one out only with a recorded reason; otherwise
every invitable supplier is invited. Suppliers a rule bars (an appointment not active or not in
force, the debarment list) are recorded as not invitable, with the rule's reason.
"""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit.kinds import AuditKind
from marketplace.calloffs.selectors.projects import lot_terms_on
from marketplace.state import change_state

from ..models import Competition, Invitation
from ..selectors.competitions import invitation_candidates
from .checks import CompetitionError, lock_competition, require_buyer_worker, require_draft

REASON_MAX_LENGTH = Invitation._meta.get_field("reason_left_out").max_length


def _require_ready_brief(competition: Competition) -> None:
    """The deadlines update_brief checked may have passed since."""
    if competition.clarification_deadline is None or competition.submission_deadline is None:
        raise CompetitionError(
            _("Write the brief, with its deadlines, before inviting suppliers"), code="brief"
        )
    if competition.clarification_deadline <= timezone.now():
        raise CompetitionError(
            _("The deadline for questions has passed: set new deadlines before inviting suppliers"),
            code="brief",
        )


def may_narrow(competition: Competition, *, on) -> bool:
    """Whether the lot's terms on `on` let the buyer leave out suppliers, each with a reason."""
    return bool(lot_terms_on(competition.project.lot, on).get("allows_narrowed_invitations"))


def _require_narrowing_allowed(competition: Competition, left_out: Mapping, *, on) -> None:
    if left_out and not may_narrow(competition, on=on):
        raise CompetitionError(
            _(
                "This lot's terms require every appointed supplier to be invited: "
                "no supplier can be left out"
            ),
            code="left_out",
        )


def _clean_reasons(left_out: Mapping, names: Mapping[int, str]) -> dict[int, str]:
    reasons = {}
    for key, reason in left_out.items():
        try:
            supplier_id = int(key)
        except (TypeError, ValueError):
            supplier_id = None
        if supplier_id not in names:
            raise CompetitionError(
                _("Only suppliers that could be invited can be left out"), code="left_out"
            )
        reason = (reason or "").strip()
        if not reason:
            raise CompetitionError(
                _("Give the reason for leaving out %(name)s") % {"name": names[supplier_id]},
                code=f"left_out-{supplier_id}",
            )
        if len(reason) > REASON_MAX_LENGTH:
            raise CompetitionError(
                _("The reason for leaving out %(name)s must be %(limit)d characters or fewer")
                % {"name": names[supplier_id], "limit": REASON_MAX_LENGTH},
                code=f"left_out-{supplier_id}",
            )
        reasons[supplier_id] = reason
    return reasons


@transaction.atomic
def invite_suppliers(
    *, actor, competition: Competition, left_out: Mapping[int, str]
) -> list[Invitation]:
    """Invite every invitable supplier on the lot except those in `left_out` (supplier id to
    the reason for leaving it out), record every supplier's outcome, and open the competition.
    `left_out` must be empty unless the lot's terms allow narrowing the invitation."""
    competition = lock_competition(competition)
    require_buyer_worker(actor, competition.project)
    require_draft(competition)
    _require_ready_brief(competition)
    today = timezone.localdate()
    _require_narrowing_allowed(competition, left_out, on=today)
    candidates = invitation_candidates(competition, on=today)
    invitable = {c.supplier.pk: str(c.supplier) for c in candidates if c.problem is None}
    reasons = _clean_reasons(left_out, invitable)
    if not set(invitable) - set(reasons):
        raise CompetitionError(
            _("Invite at least one supplier: none of the lot's suppliers would be invited"),
            code="left_out",
        )
    rows = Invitation.objects.bulk_create(
        Invitation(
            competition=competition,
            supplier=candidate.supplier,
            invited=candidate.problem is None and candidate.supplier.pk not in reasons,
            barred=candidate.problem is not None,
            reason_left_out=candidate.problem or reasons.get(candidate.supplier.pk, ""),
        )
        for candidate in candidates
    )
    change_state(
        competition,
        to=Competition.Status.OPEN,
        actor=actor,
        organisation=competition.project.organisation,
        kind=AuditKind.COMPETITION_SUPPLIERS_INVITED,
        data={
            "invited": [row.supplier_id for row in rows if row.invited],
            "left_out": {str(pk): reason for pk, reason in reasons.items()},
            "not_invitable": {
                str(row.supplier_id): row.reason_left_out for row in rows if row.barred
            },
        },
        update_fields=("updated_at",),
    )
    return rows
