"""Starting, changing, placing on a lot and cancelling buying projects: each audited, each
refused cleanly (nothing saved) on bad input or by the wrong person."""

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import pytest

from frameworks.models import LotClosure
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import Award, BuyingProject
from marketplace.calloffs.services import projects as services
from marketplace.calloffs.services.projects import ProjectError
from marketplace.organisations.policy import PolicyDenied
from tests import factories

from .project_setup import fitting_lot

pytestmark = pytest.mark.django_db

DETAILS = {
    "title": "  Grounds   maintenance ",
    "need": "Mowing and hedge cutting at 12 parks.",
    "estimated_value": "45000.5",
    "estimated_term_months": "18",
}


def start(actor, organisation, **overrides):
    return services.create_project(
        actor=actor, organisation=organisation, **{**DETAILS, **overrides}
    )


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


# Starting a project ------------------------------------------------------------------------------


def test_starting_a_project_saves_it_with_a_reference_and_records_an_audit_event(
    procurement_officer, buyer, colleague
):
    project = start(procurement_officer, buyer, team=[colleague])

    project.refresh_from_db()
    year = timezone.localdate().year
    assert re.fullmatch(rf"BP-{year}-\d{{6}}", project.reference)
    assert (project.organisation, project.created_by, project.status) == (
        buyer,
        procurement_officer,
        BuyingProject.Status.PREPARING,
    )
    assert (project.title, project.need) == (
        "Grounds maintenance",
        "Mowing and hedge cutting at 12 parks.",
    )
    assert project.estimated_value == Decimal("45000.50")
    assert project.estimated_term_months == 18
    assert list(project.team.all()) == [colleague]
    [event] = events(AuditKind.PROJECT_CREATED)
    assert (event.actor, event.organisation_id, event.target_object_id) == (
        procurement_officer,
        buyer.pk,
        str(project.pk),
    )
    assert event.data == {
        "reference": project.reference,
        "title": "Grounds maintenance",
        "need": "Mowing and hedge cutting at 12 parks.",
        "estimated_value": "45000.50",
        "estimated_term_months": 18,
        "team": [colleague.pk],
    }


def test_references_are_unique(procurement_officer, buyer):
    references = {start(procurement_officer, buyer).reference for _ in range(5)}

    assert len(references) == 5


def test_an_approver_may_start_a_project(approver, buyer):
    assert start(approver, buyer).created_by == approver


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({"title": "   "}, "title", "Enter a title for the project"),
        ({"need": ""}, "need", "Describe what your organisation needs"),
        ({"estimated_value": "0"}, "estimated_value", "Estimated value must be more than £0"),
        ({"estimated_value": "-5"}, "estimated_value", "Estimated value must be more than £0"),
        (
            {"estimated_value": "lots"},
            "estimated_value",
            "Estimated value must be an amount of money, like 12500.00",
        ),
        (
            {"estimated_value": "10.005"},
            "estimated_value",
            "Estimated value must be in pounds and pence, with no more than 2 decimal places",
        ),
        (
            {"estimated_value": "Infinity"},
            "estimated_value",
            "Estimated value must be an amount of money, like 12500.00",
        ),
        ({"estimated_term_months": 0}, "term", "Estimated term must be between 1 and 240 months"),
        (
            {"estimated_term_months": "two years"},
            "term",
            "Estimated term must be a whole number of months, like 24",
        ),
        ({"estimated_term_months": 241}, "term", "Estimated term must be between 1 and 240 months"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_saved(
    procurement_officer, buyer, overrides, code, message
):
    with pytest.raises(ProjectError) as refusal:
        start(procurement_officer, buyer, **overrides)

    assert (refusal.value.code, str(refusal.value)) == (code, message)
    assert not BuyingProject.objects.exists()
    assert events(AuditKind.PROJECT_CREATED) == []


def test_a_colleague_of_another_organisation_cannot_be_on_the_team(
    procurement_officer, buyer, outsider
):
    with pytest.raises(ProjectError) as refusal:
        start(procurement_officer, buyer, team=[outsider])

    assert refusal.value.code == "team"
    assert str(refusal.value) == (
        f"Only members of {buyer} who may run call-offs can work on its projects"
    )
    assert not BuyingProject.objects.exists()


def test_a_member_of_another_organisation_cannot_start_a_project_for_this_one(outsider, buyer):
    with pytest.raises(PolicyDenied):
        start(outsider, buyer)

    assert not BuyingProject.objects.exists()


def test_a_supplier_cannot_start_a_project(supplier_admin, supplier):
    with pytest.raises(ProjectError) as refusal:
        start(supplier_admin, supplier)

    assert str(refusal.value) == "Only buyer organisations run buying projects"


# Changing it -------------------------------------------------------------------------------------


def test_changing_the_details_and_team_records_old_and_new(procurement_officer, buyer, colleague):
    project = start(procurement_officer, buyer)

    services.update_project(
        actor=procurement_officer,
        project=project,
        title="Grounds maintenance",
        need=DETAILS["need"],
        estimated_value="60000",
        estimated_term_months=24,
        team=[colleague],
    )

    project.refresh_from_db()
    assert (project.estimated_value, project.estimated_term_months) == (Decimal("60000.00"), 24)
    assert list(project.team.all()) == [colleague]
    [event] = events(AuditKind.PROJECT_UPDATED)
    assert event.data == {
        "old": {"estimated_value": "45000.50", "estimated_term_months": 18, "team": []},
        "new": {"estimated_value": "60000.00", "estimated_term_months": 24, "team": [colleague.pk]},
    }


def test_saving_unchanged_details_records_nothing(procurement_officer, buyer):
    project = start(procurement_officer, buyer)

    services.update_project(actor=procurement_officer, project=project, **DETAILS)

    assert events(AuditKind.PROJECT_UPDATED) == []


def test_a_team_member_may_change_the_project(procurement_officer, buyer, colleague):
    project = start(procurement_officer, buyer, team=[colleague])

    services.update_project(actor=colleague, project=project, **{**DETAILS, "title": "Parks"})

    project.refresh_from_db()
    assert project.title == "Parks"


def test_a_colleague_off_the_team_cannot_change_the_project(procurement_officer, buyer, colleague):
    project = start(procurement_officer, buyer)

    with pytest.raises(PolicyDenied):
        services.update_project(actor=colleague, project=project, **{**DETAILS, "title": "Parks"})

    project.refresh_from_db()
    assert project.title == "Grounds maintenance"


def test_the_value_cannot_leave_the_chosen_lots_band(procurement_officer, buyer):
    project = start(procurement_officer, buyer)
    services.choose_lot(
        actor=procurement_officer, project=project, lot=fitting_lot(), route="direct_award"
    )

    with pytest.raises(ProjectError) as refusal:
        services.update_project(
            actor=procurement_officer,
            project=project,
            **{**DETAILS, "estimated_value": "250000"},
        )

    assert refusal.value.code == "estimated_value"
    assert str(refusal.value) == (
        "The estimated value, £250,000.00, is above the lot's maximum of £100,000.00. Keep to "
        "the lot's value band and term, or choose another lot"
    )
    project.refresh_from_db()
    assert project.estimated_value == Decimal("45000.50")


# Choosing the lot and route ----------------------------------------------------------------------


def test_choosing_a_lot_for_direct_award_records_the_lots_mechanism(procurement_officer, buyer):
    project = start(procurement_officer, buyer)
    lot = fitting_lot()

    services.choose_lot(actor=procurement_officer, project=project, lot=lot, route="direct_award")

    project.refresh_from_db()
    assert (project.lot, project.route, project.direct_award_method) == (
        lot,
        "direct_award",
        "search_shortlist",
    )
    [event] = events(AuditKind.PROJECT_LOT_CHOSEN)
    assert event.data == {
        "framework": lot.framework_id,
        "old": {"lot": None, "route": "", "direct_award_method": ""},
        "new": {"lot": lot.pk, "route": "direct_award", "direct_award_method": "search_shortlist"},
    }


def test_choosing_further_competition_records_no_mechanism(procurement_officer, buyer):
    project = start(procurement_officer, buyer)
    first, second = fitting_lot(), fitting_lot(direct_award_method="single_supplier")
    services.choose_lot(actor=procurement_officer, project=project, lot=first, route="direct_award")

    services.choose_lot(
        actor=procurement_officer, project=project, lot=second, route="further_competition"
    )

    project.refresh_from_db()
    assert (project.lot, project.route, project.direct_award_method) == (
        second,
        "further_competition",
        "",
    )
    assert events(AuditKind.PROJECT_LOT_CHOSEN)[-1].data == {
        "framework": second.framework_id,
        "old": {
            "lot": first.pk,
            "route": "direct_award",
            "direct_award_method": "search_shortlist",
        },
        "new": {"lot": second.pk, "route": "further_competition", "direct_award_method": ""},
    }


def refused_lot(project, actor, lot, route="direct_award"):
    with pytest.raises(ProjectError) as refusal:
        services.choose_lot(actor=actor, project=project, lot=lot, route=route)
    project.refresh_from_db()
    assert (project.lot, project.route) == (None, "")
    assert events(AuditKind.PROJECT_LOT_CHOSEN) == []
    return refusal.value


def test_a_lot_of_a_framework_the_buyer_may_not_use_is_refused(
    procurement_officer, buyer, other_buyer
):
    project = start(procurement_officer, buyer)
    lot = fitting_lot({"eligible_organisations": [other_buyer]})

    refusal = refused_lot(project, procurement_officer, lot)

    assert refusal.code == "lot"
    assert str(refusal).startswith(f"{buyer} may not use {lot.framework.title}. ")


def test_a_lot_of_a_framework_that_is_not_live_is_refused(procurement_officer, buyer):
    project = start(procurement_officer, buyer)
    today = timezone.localdate()
    lot = fitting_lot({"ends_on": today - timedelta(days=1)})

    refusal = refused_lot(project, procurement_officer, lot)

    assert str(refusal) == (
        f"{lot.framework.title} is not live: call-offs cannot be made from it today"
    )


def test_a_closed_lot_is_refused(procurement_officer, buyer, framework_manager):
    project = start(procurement_officer, buyer)
    lot = fitting_lot()
    LotClosure.objects.create(lot=lot, closed_by=framework_manager, reason="Merged into lot 2")

    refusal = refused_lot(project, procurement_officer, lot)

    assert str(refusal) == f"Lot 1: Parks and open spaces of {lot.framework.title} is closed"


def test_a_value_below_the_band_is_refused(procurement_officer, buyer):
    project = start(procurement_officer, buyer, estimated_value="9999.99")

    refusal = refused_lot(project, procurement_officer, fitting_lot())

    assert str(refusal) == (
        "The estimated value, £9,999.99, is below the lot's minimum of £10,000.00"
    )


def test_a_value_above_the_band_is_refused(procurement_officer, buyer):
    project = start(procurement_officer, buyer, estimated_value="100000.01")

    refusal = refused_lot(project, procurement_officer, fitting_lot())

    assert str(refusal) == (
        "The estimated value, £100,000.01, is above the lot's maximum of £100,000.00"
    )


def test_a_term_over_the_maximum_is_refused(procurement_officer, buyer):
    project = start(procurement_officer, buyer, estimated_term_months=25)

    refusal = refused_lot(project, procurement_officer, fitting_lot())

    assert str(refusal) == (
        "The estimated term, 25 months, is longer than the lot's maximum of 24 months"
    )


def test_a_route_the_lot_does_not_allow_is_refused(procurement_officer, buyer):
    project = start(procurement_officer, buyer)

    refusal = refused_lot(
        project, procurement_officer, fitting_lot(allows_direct_award=False), "direct_award"
    )

    assert (refusal.code, str(refusal)) == (
        "route",
        "Lot 1: Parks and open spaces does not allow direct award",
    )


def test_an_unknown_route_is_refused(procurement_officer, buyer):
    project = start(procurement_officer, buyer)

    refusal = refused_lot(project, procurement_officer, fitting_lot(), "handshake")

    assert str(refusal) == "Choose how you will buy: direct award or further competition"


def test_the_terms_that_apply_today_decide_not_a_later_variation(procurement_officer, buyer):
    """A variation taking effect tomorrow lowers the maximum; today the old maximum applies."""
    project = start(procurement_officer, buyer, estimated_value="90000")
    lot = fitting_lot()
    lot.framework.variations.create(
        ground="provided_for",
        explanation="Lower band",
        old_values={"lots": {"1": {"maximum_value": "100000.00"}}},
        new_values={"lots": {"1": {"maximum_value": "50000.00"}}},
        effective_on=timezone.localdate() + timedelta(days=1),
        made_by=procurement_officer,
    )
    type(lot).objects.filter(pk=lot.pk).update(maximum_value=Decimal("50000.00"))

    services.choose_lot(actor=procurement_officer, project=project, lot=lot, route="direct_award")

    project.refresh_from_db()
    assert project.lot == lot


def test_the_lot_cannot_change_once_a_supplier_is_selected(procurement_officer, buyer, supplier):
    project = start(procurement_officer, buyer)
    lot = fitting_lot()
    services.choose_lot(actor=procurement_officer, project=project, lot=lot, route="direct_award")
    BuyingProject.objects.filter(pk=project.pk).update(selected_supplier=supplier)

    with pytest.raises(ProjectError) as refusal:
        services.choose_lot(
            actor=procurement_officer, project=project, lot=fitting_lot(), route="direct_award"
        )

    assert str(refusal.value) == (
        "A supplier is selected for this project: its lot can no longer be changed"
    )
    project.refresh_from_db()
    assert project.lot == lot


def test_someone_off_the_team_cannot_choose_the_lot(procurement_officer, buyer, colleague):
    project = start(procurement_officer, buyer)

    with pytest.raises(PolicyDenied):
        services.choose_lot(
            actor=colleague, project=project, lot=fitting_lot(), route="direct_award"
        )


# Cancelling --------------------------------------------------------------------------------------


def test_cancelling_moves_the_project_to_cancelled_with_the_reason(procurement_officer, buyer):
    project = start(procurement_officer, buyer)

    services.cancel_project(actor=procurement_officer, project=project, reason=" Budget cut ")

    project.refresh_from_db()
    assert project.status == BuyingProject.Status.CANCELLED
    [event] = events(AuditKind.PROJECT_CANCELLED)
    assert (event.actor, event.target_object_id) == (procurement_officer, str(project.pk))
    assert event.data == {"from": "preparing", "to": "cancelled", "reason": "Budget cut"}


def test_cancelling_needs_a_reason(procurement_officer, buyer):
    project = start(procurement_officer, buyer)

    with pytest.raises(ProjectError) as refusal:
        services.cancel_project(actor=procurement_officer, project=project, reason="  ")

    assert str(refusal.value) == "Give the reason for cancelling the project"
    project.refresh_from_db()
    assert project.status == BuyingProject.Status.PREPARING
    assert events(AuditKind.PROJECT_CANCELLED) == []


def test_a_cancelled_project_cannot_be_changed_or_cancelled_again(procurement_officer, buyer):
    project = start(procurement_officer, buyer)
    services.cancel_project(actor=procurement_officer, project=project, reason="Budget cut")

    with pytest.raises(ProjectError) as again:
        services.cancel_project(actor=procurement_officer, project=project, reason="Again")
    with pytest.raises(ProjectError) as edit:
        services.update_project(actor=procurement_officer, project=project, **DETAILS)

    assert str(again.value) == "This project is cancelled: it can no longer be cancelled"
    assert str(edit.value) == "This project is cancelled: it can no longer be changed"


def test_a_project_with_an_award_cannot_be_cancelled(procurement_officer, buyer, supplier):
    project = start(procurement_officer, buyer)
    Award.objects.create(
        project=project,
        route="direct_award",
        supplier=supplier,
        selection_reason="Cheapest",
        rules_applied="pa2023",
        description="Mowing",
        value=Decimal("45000"),
        value_including_vat=Decimal("54000"),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=365),
        awarded_by=procurement_officer,
    )

    with pytest.raises(ProjectError) as refusal:
        services.cancel_project(actor=procurement_officer, project=project, reason="Budget cut")

    assert str(refusal.value) == (
        "This project has an award: withdraw it before cancelling the project"
    )


def test_the_factory_starts_a_project_on_a_lot(buyer):
    lot = fitting_lot()

    project = factories.buying_project(organisation=buyer, lot=lot)

    assert (project.lot, project.direct_award_method) == (lot, "search_shortlist")
