"""Starting a further competition and writing its brief: criteria refined from the
framework's, weightings, split, deadlines; each change audited, each bad input refused with
nothing saved, and the brief closed to other organisations (404) and once suppliers are
invited."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone

import pytest

from frameworks.models import AwardCriterion, Lot
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.services import projects
from marketplace.calloffs.services.projects import ProjectError
from marketplace.competitions.models import Competition
from marketplace.competitions.selectors.competitions import social_value_warning
from marketplace.competitions.services import brief
from marketplace.competitions.services.checks import CompetitionError
from marketplace.organisations.policy import PolicyDenied
from tests import factories
from tests.competitions import factories as competition_factories
from tests.competitions.factories import brief_values, written_brief

pytestmark = pytest.mark.django_db


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def criteria_rows(competition):
    return [
        (c.title, c.description, c.weighting, c.framework_weighting, c.social_value_theme)
        for c in competition.criteria.order_by("position")
    ]


def further_competition_project(buyer, actor, lot, route="further_competition"):
    return factories.buying_project(organisation=buyer, actor=actor, lot=lot, route=route)


# Starting ----------------------------------------------------------------------------------------


def test_starting_a_competition_copies_the_frameworks_criteria_and_is_audited(
    buyer, procurement_officer, lot
):
    project = further_competition_project(buyer, procurement_officer, lot)

    competition = brief.create_competition(actor=procurement_officer, project=project)

    competition.refresh_from_db()
    assert (competition.status, competition.requirements, competition.price_weight) == (
        Competition.Status.DRAFT,
        "Mowing and hedge cutting at 12 parks.",
        40,
    )
    assert len(competition.sealing_salt) == 32
    int(competition.sealing_salt, 16)
    assert criteria_rows(competition) == [
        ("Quality of service", "How well the bid shows quality of service.", 60, 60, ""),
        ("Local jobs", "How well the bid shows local jobs.", 25, 25, "local_jobs"),
        ("Net zero", "How well the bid shows net zero.", 15, 15, "net_zero"),
    ]
    framework_rows = list(
        AwardCriterion.objects.filter(framework_id=lot.framework_id).order_by("sort_order")
    )
    assert [c.framework_criterion for c in competition.criteria.order_by("position")] == (
        framework_rows
    )
    [event] = events(AuditKind.COMPETITION_CREATED)
    assert (event.actor_id, event.organisation_id, event.target_object_id) == (
        procurement_officer.pk,
        buyer.pk,
        str(competition.pk),
    )
    assert event.data == {
        "project": project.pk,
        "lot": lot.pk,
        "criteria": [["Quality of service", 60], ["Local jobs", 25], ["Net zero", 15]],
    }


def test_a_direct_award_project_cannot_start_a_competition(buyer, procurement_officer, lot):
    project = further_competition_project(buyer, procurement_officer, lot, route="direct_award")

    with pytest.raises(
        CompetitionError, match=r"^Choose a lot and further competition as the route"
    ):
        brief.create_competition(actor=procurement_officer, project=project)
    assert not Competition.objects.exists()


def test_a_lot_that_no_longer_allows_further_competition_cannot_start_one(
    buyer, procurement_officer, lot
):
    project = further_competition_project(buyer, procurement_officer, lot)
    Lot.objects.filter(pk=lot.pk).update(allows_further_competition=False)

    with pytest.raises(CompetitionError) as error:
        brief.create_competition(actor=procurement_officer, project=project)
    assert str(error.value) == f"{lot} does not allow further competition"
    assert not Competition.objects.exists()


def test_a_framework_without_award_criteria_cannot_start_a_competition(buyer, procurement_officer):
    lot = competition_factories.competition_lot(criteria=[])
    project = further_competition_project(buyer, procurement_officer, lot)

    with pytest.raises(CompetitionError, match="sets no award criteria"):
        brief.create_competition(actor=procurement_officer, project=project)
    assert not Competition.objects.exists()


def test_a_project_has_one_competition(buyer, procurement_officer, competition):
    with pytest.raises(CompetitionError, match=r"^This project already has a further competition$"):
        brief.create_competition(actor=procurement_officer, project=competition.project)
    assert Competition.objects.count() == 1


def test_once_a_competition_is_started_its_projects_lot_and_route_cannot_change(
    procurement_officer, competition
):
    project = competition.project
    lot = project.lot

    for route in ("further_competition", "direct_award"):
        with pytest.raises(ProjectError) as refusal:
            projects.choose_lot(actor=procurement_officer, project=project, lot=lot, route=route)
        assert str(refusal.value) == (
            "A further competition has started on this project's lot: the lot can no longer "
            "be changed"
        )
    project.refresh_from_db()
    assert (project.lot, project.route) == (lot, "further_competition")


def test_a_cancelled_competition_no_longer_holds_the_projects_lot(procurement_officer, competition):
    Competition.objects.filter(pk=competition.pk).update(status=Competition.Status.CANCELLED)
    project = competition.project

    projects.choose_lot(
        actor=procurement_officer, project=project, lot=project.lot, route="direct_award"
    )

    project.refresh_from_db()
    assert project.route == "direct_award"


def test_another_organisation_cannot_find_the_project_to_start_a_competition(
    buyer, procurement_officer, outsider, lot
):
    project = further_competition_project(buyer, procurement_officer, lot)

    with pytest.raises(Http404):
        brief.create_competition(actor=outsider, project=project)
    assert not Competition.objects.exists()
    assert events(AuditKind.COMPETITION_CREATED) == []


def test_a_colleague_off_the_projects_team_cannot_start_its_competition(
    buyer, procurement_officer, colleague, lot
):
    project = further_competition_project(buyer, procurement_officer, lot)

    with pytest.raises(PolicyDenied):
        brief.create_competition(actor=colleague, project=project)
    assert not Competition.objects.exists()


# Writing the brief -------------------------------------------------------------------------------


def test_writing_the_brief_refines_the_criteria_and_audits_old_and_new(
    procurement_officer, competition
):
    quality, jobs, _net_zero = competition.criteria.order_by("position")
    values = brief_values(
        price_weight="30",
        voluntary_standstill=True,
        criteria={
            quality.pk: {"description": "Mowing to the parks' standard.", "weighting": 50},
            str(jobs.pk): {"weighting": "35"},
        },
    )

    brief.update_brief(actor=procurement_officer, competition=competition, **values)

    competition.refresh_from_db()
    assert (
        competition.requirements,
        competition.price_weight,
        competition.quality_weight,
        competition.clarification_deadline,
        competition.submission_deadline,
        competition.voluntary_standstill,
    ) == (
        "Mow 12 parks fortnightly from April to October.",
        30,
        70,
        values["clarification_deadline"],
        values["submission_deadline"],
        True,
    )
    assert [(c.title, c.description, c.weighting) for c in competition.criteria.all()] == [
        ("Quality of service", "Mowing to the parks' standard.", 50),
        ("Local jobs", "How well the bid shows local jobs.", 35),
        ("Net zero", "How well the bid shows net zero.", 15),
    ]
    [event] = events(AuditKind.COMPETITION_BRIEF_UPDATED)
    assert (event.actor_id, event.target_object_id) == (procurement_officer.pk, str(competition.pk))
    assert event.data["old"] == {
        "requirements": "Mowing and hedge cutting at 12 parks.",
        "price_weight": 40,
        "clarification_deadline": None,
        "submission_deadline": None,
        "voluntary_standstill": False,
    }
    assert event.data["new"]["price_weight"] == 30
    assert event.data["criteria"] == {
        "Quality of service": {
            "old": {"description": "How well the bid shows quality of service.", "weighting": 60},
            "new": {"description": "Mowing to the parks' standard.", "weighting": 50},
        },
        "Local jobs": {
            "old": {"description": "How well the bid shows local jobs.", "weighting": 25},
            "new": {"description": "How well the bid shows local jobs.", "weighting": 35},
        },
    }


def test_writing_the_same_brief_again_records_nothing(procurement_officer, competition):
    values = brief_values()
    brief.update_brief(actor=procurement_officer, competition=competition, **values)
    brief.update_brief(actor=procurement_officer, competition=competition, **values)

    assert len(events(AuditKind.COMPETITION_BRIEF_UPDATED)) == 1


def test_a_naive_deadline_is_london_time(procurement_officer, competition):
    in_a_week = timezone.localtime() + timedelta(days=7)
    written_brief(
        competition,
        actor=procurement_officer,
        clarification_deadline=in_a_week.replace(tzinfo=None),
    )

    competition.refresh_from_db()
    assert competition.clarification_deadline == in_a_week


def assert_refused(actor, competition, message, **overrides):
    """update_brief refuses `overrides` with exactly `message` and saves nothing."""
    before = (
        Competition.objects.filter(pk=competition.pk).values().get(),
        criteria_rows(competition),
    )
    with pytest.raises(CompetitionError) as error:
        written_brief(competition, actor=actor, **overrides)
    assert str(error.value) == message
    after = (
        Competition.objects.filter(pk=competition.pk).values().get(),
        criteria_rows(competition),
    )
    assert after == before
    assert events(AuditKind.COMPETITION_BRIEF_UPDATED) == []


def test_weightings_not_adding_up_to_100_are_refused(procurement_officer, competition):
    quality = competition.criteria.get(position=0)

    assert_refused(
        procurement_officer,
        competition,
        "The quality criteria's weightings must add up to 100%, not 90%",
        criteria={quality.pk: {"description": "Changed.", "weighting": 50}},
    )


@pytest.mark.parametrize(
    ("weighting", "message"),
    [
        (101, "The weighting of Quality of service must be from 0 to 100"),
        (-1, "The weighting of Quality of service must be from 0 to 100"),
        ("lots", "The weighting of Quality of service must be a whole number from 0 to 100"),
    ],
)
def test_a_weighting_out_of_range_is_refused(procurement_officer, competition, weighting, message):
    quality = competition.criteria.get(position=0)

    assert_refused(
        procurement_officer, competition, message, criteria={quality.pk: {"weighting": weighting}}
    )


def test_a_criterion_the_framework_does_not_set_is_refused(buyer, procurement_officer, competition):
    elsewhere = competition_factories.competition(
        organisation=buyer, actor=procurement_officer
    ).criteria.get(position=0)

    assert_refused(
        procurement_officer,
        competition,
        "Only the framework's award criteria can be refined: a call-off competition may not add "
        "new ones",
        criteria={elsewhere.pk: {"weighting": 60}},
    )


@pytest.mark.parametrize(
    ("price_weight", "message"),
    [
        (101, "The price weight must be from 0 to 100"),
        (-5, "The price weight must be from 0 to 100"),
        ("40%", "The price weight must be a whole number from 0 to 100"),
    ],
)
def test_a_price_weight_out_of_range_is_refused(
    procurement_officer, competition, price_weight, message
):
    assert_refused(procurement_officer, competition, message, price_weight=price_weight)


def test_empty_requirements_are_refused(procurement_officer, competition):
    assert_refused(procurement_officer, competition, "Enter the requirements", requirements="  ")


@pytest.mark.parametrize(
    ("questions", "bids", "message"),
    [
        (-1, 14, "The deadline for questions must be in the future"),
        (7, -1, "The deadline for bids must be in the future"),
        (14, 7, "The deadline for questions must be before the deadline for bids"),
        (7, 7, "The deadline for questions must be before the deadline for bids"),
        (None, 14, "Enter the deadline for questions"),
        (7, None, "Enter the deadline for bids"),
    ],
)
def test_deadlines_in_the_past_missing_or_in_the_wrong_order_are_refused(
    procurement_officer, competition, questions, bids, message
):
    now = timezone.now()

    def deadline(days):
        return None if days is None else now + timedelta(days=days)

    assert_refused(
        procurement_officer,
        competition,
        message,
        clarification_deadline=deadline(questions),
        submission_deadline=deadline(bids),
    )


def test_another_organisation_cannot_find_the_brief(outsider, competition):
    with pytest.raises(Http404):
        written_brief(competition, actor=outsider)
    assert events(AuditKind.COMPETITION_BRIEF_UPDATED) == []


def test_the_brief_cannot_change_once_suppliers_are_invited(buyer, procurement_officer):
    competition = competition_factories.open_competition(
        organisation=buyer, actor=procurement_officer
    )

    with pytest.raises(CompetitionError) as error:
        written_brief(competition, actor=procurement_officer, price_weight=50)
    assert (
        str(error.value) == "The competition is open for bids: its brief can no longer be changed"
    )
    competition.refresh_from_db()
    assert competition.price_weight == 40


# The social value warning ------------------------------------------------------------------------


def test_no_warning_when_social_value_carries_10_percent_or_more(procurement_officer, competition):
    # Social value is 40% of quality; quality 25% of the total: exactly 10%.
    written_brief(competition, actor=procurement_officer, price_weight=75)

    competition.refresh_from_db()
    assert social_value_warning(competition) is None


@pytest.mark.parametrize(("price_weight", "share"), [(40, "9"), (45, "8.25"), (100, "0")])
def test_a_warning_when_social_value_carries_less_than_10_percent(
    procurement_officer, competition, price_weight, share
):
    quality, jobs, net_zero = competition.criteria.order_by("position")
    written_brief(
        competition,
        actor=procurement_officer,
        price_weight=price_weight,
        criteria={
            quality.pk: {"weighting": 85},
            jobs.pk: {"weighting": 10},
            net_zero.pk: {"weighting": 5},
        },
    )

    competition.refresh_from_db()
    assert social_value_warning(competition) == (
        f"Social value carries {share}% of the total mark, less than 10%. Give the social value "
        "criteria more weight, or quality a larger share, unless you have a reason not to."
    )
