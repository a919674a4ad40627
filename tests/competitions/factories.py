"""Further competitions built through the services: a lot whose framework sets award
criteria, a project on it by further competition, its competition, brief and invitations."""

from datetime import timedelta

from django.utils import timezone

from frameworks.models import AwardCriterion, Lot
from marketplace.competitions.models import Competition
from marketplace.competitions.services import brief, invitations
from tests import factories
from tests.calloffs.project_setup import LOT_TERMS

# Quality 60, local jobs 25 and net zero 15: social value carries 40% of the quality mark.
FRAMEWORK_CRITERIA = [
    {"title": "Quality of service", "weighting": 60, "social_value_theme": ""},
    {"title": "Local jobs", "weighting": 25, "social_value_theme": "local_jobs"},
    {"title": "Net zero", "weighting": 15, "social_value_theme": "net_zero"},
]


def competition_lot(*, criteria=FRAMEWORK_CRITERIA, narrowing: bool = True, **terms) -> Lot:
    """Lot 1 of a new live framework any buyer may use, allowing further competition, whose
    framework sets `criteria` as its award criteria. Its selection process lets a buyer narrow
    the invitation to the suppliers capable of the work unless `narrowing` is false (then every
    appointed supplier must be invited, as a lot does by default)."""
    page = factories.framework_page(
        lots=[{**LOT_TERMS, "allows_narrowed_invitations": narrowing, **terms}],
        # With their sort order: without it PostgreSQL may return them in any order.
        award_criteria=[
            AwardCriterion(
                description=f"How well the bid shows {row['title'].lower()}.",
                sort_order=position,
                **row,
            )
            for position, row in enumerate(criteria)
        ],
    )
    return page.lots.select_related("framework").get()


def competition(*, organisation, actor, lot=None) -> Competition:
    """A draft competition of a new further-competition project of `organisation`."""
    project = factories.buying_project(
        organisation=organisation,
        actor=actor,
        lot=lot or competition_lot(),
        route="further_competition",
    )
    return brief.create_competition(actor=actor, project=project)


def brief_values(**overrides) -> dict:
    """update_brief's arguments for a complete brief: 40:60, questions closing in 7 days,
    bids in 14."""
    now = timezone.now()
    return {
        "requirements": "Mow 12 parks fortnightly from April to October.",
        "price_weight": 40,
        "criteria": {},
        "clarification_deadline": now + timedelta(days=7),
        "submission_deadline": now + timedelta(days=14),
        "voluntary_standstill": False,
        **overrides,
    }


def written_brief(competition: Competition, *, actor, **overrides) -> Competition:
    return brief.update_brief(actor=actor, competition=competition, **brief_values(**overrides))


def appointed_supplier(lot: Lot, **appointment):
    return factories.AppointmentFactory(lot=lot, **appointment).supplier


def open_competition(*, organisation, actor, suppliers: int = 2) -> Competition:
    """A competition with a written brief and `suppliers` new suppliers invited."""
    lot = competition_lot()
    for _number in range(suppliers):
        appointed_supplier(lot)
    draft = written_brief(competition(organisation=organisation, actor=actor, lot=lot), actor=actor)
    invitations.invite_suppliers(actor=actor, competition=draft, left_out={})
    draft.refresh_from_db()
    return draft
