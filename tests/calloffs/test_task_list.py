"""The project's task list: each step's status is read from the stored project, shortlist,
offers, award and contract, and links to the page of the area that owns the step."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import pytest

from marketplace.calloffs.models import Award, BuyingProject, Contract, Shortlist
from marketplace.calloffs.selectors.projects import project_progress, task_list
from tests import factories

from .project_setup import fitting_lot

pytestmark = pytest.mark.django_db


def statuses(project) -> dict[str, str]:
    project = BuyingProject.objects.get(pk=project.pk)
    return {
        task.key: task.status
        for task in task_list(project, project_progress(project), today=timezone.localdate())
    }


def tasks(project) -> dict:
    project = BuyingProject.objects.get(pk=project.pk)
    return {
        task.key: task
        for task in task_list(project, project_progress(project), today=timezone.localdate())
    }


def award(project, supplier, actor, **fields) -> Award:
    today = timezone.localdate()
    return Award.objects.create(
        project=project,
        route="direct_award",
        direct_award_method=project.direct_award_method,
        supplier=supplier,
        selection_reason="Best value",
        rules_applied=fields.pop("rules_applied", "pa2023"),
        description="Mowing",
        value=Decimal("45000"),
        value_including_vat=Decimal("54000"),
        starts_on=today,
        ends_on=today + timedelta(days=365),
        awarded_by=actor,
        **fields,
    )


@pytest.fixture
def officer(procurement_officer):
    return procurement_officer


def single_supplier_lot():
    """A lot whose awards name no shortlist item (the database requires one for a shortlist)."""
    return fitting_lot(direct_award_method="single_supplier")


def test_a_new_project_waits_for_its_lot(buyer, officer):
    project = factories.buying_project(organisation=buyer, actor=officer)

    assert statuses(project) == {
        "details": "Completed",
        "lot": "Not yet started",
        "supplier": "Cannot start yet",
        "award": "Cannot start yet",
        "award_notice": "Cannot start yet",
        "contract": "Cannot start yet",
        "details_notice": "Cannot start yet",
    }


@pytest.mark.parametrize(
    ("method", "href"),
    [
        ("search_shortlist", "/buying/projects/{pk}/shortlist/"),
        ("ranked_rotation", "/buying/projects/{pk}/rotation/"),
        ("single_supplier", "/buying/projects/{pk}/single-supplier/"),
    ],
)
def test_finding_a_supplier_links_to_the_lots_mechanism(buyer, officer, method, href):
    project = factories.buying_project(
        organisation=buyer, actor=officer, lot=fitting_lot(direct_award_method=method)
    )

    step = tasks(project)["supplier"]

    assert (step.status, step.href) == ("Not yet started", href.format(pk=project.pk))


def test_further_competition_has_its_own_steps_starting_with_the_brief(buyer, officer):
    project = factories.buying_project(
        organisation=buyer, actor=officer, lot=fitting_lot(), route="further_competition"
    )

    steps = tasks(project)

    assert [(key, step.status) for key, step in steps.items() if key.startswith("comp")] == [
        ("competition_brief", "Not yet started"),
        ("competition_invite", "Cannot start yet"),
        ("competition_questions", "Cannot start yet"),
        ("competition_evaluate", "Cannot start yet"),
    ]
    assert "supplier" not in steps
    assert steps["competition_brief"].href == (f"/buying/projects/{project.pk}/competition/start/")


def test_a_shortlist_started_puts_the_supplier_step_in_progress(buyer, officer):
    project = factories.buying_project(organisation=buyer, actor=officer, lot=fitting_lot())
    Shortlist.objects.create(project=project, description="12 offerings")

    assert statuses(project)["supplier"] == "In progress"
    assert tasks(project)["lot"].href == f"/buying/projects/{project.pk}/lot/"


def test_a_selected_supplier_opens_the_award_and_closes_the_lot(buyer, officer, supplier):
    project = factories.buying_project(organisation=buyer, actor=officer, lot=fitting_lot())
    BuyingProject.objects.filter(pk=project.pk).update(selected_supplier=supplier)

    steps = tasks(project)

    assert (steps["supplier"].status, steps["award"].status) == ("Completed", "Not yet started")
    assert steps["award"].href == f"/buying/projects/{project.pk}/award/"
    assert (steps["lot"].status, steps["lot"].href) == ("Completed", "")


def test_an_award_awaiting_sign_off_shows_the_sign_off_step(buyer, officer, supplier):
    project = factories.buying_project(organisation=buyer, actor=officer, lot=single_supplier_lot())
    BuyingProject.objects.filter(pk=project.pk).update(selected_supplier=supplier)
    award(project, supplier, officer, needs_sign_off=True)

    steps = tasks(project)

    assert (steps["award"].status, steps["sign_off"].status) == ("Completed", "In progress")
    assert steps["sign_off"].href == f"/buying/projects/{project.pk}/award/sign-off/"
    assert steps["award_notice"].status == "Cannot start yet"


def test_an_award_under_the_act_needs_its_notice_before_the_contract(buyer, officer, supplier):
    project = factories.buying_project(organisation=buyer, actor=officer, lot=single_supplier_lot())
    BuyingProject.objects.filter(pk=project.pk).update(selected_supplier=supplier, status="awarded")
    made = award(project, supplier, officer, status="awarded")

    assert (statuses(project)["award_notice"], statuses(project)["contract"]) == (
        "Not yet started",
        "Cannot start yet",
    )

    Award.objects.filter(pk=made.pk).update(
        notice_identifier="UK6-123", notice_published_on=timezone.localdate()
    )
    steps = tasks(project)

    assert (steps["award_notice"].status, steps["contract"].status) == (
        "Completed",
        "Not yet started",
    )
    assert steps["contract"].href == f"/buying/projects/{project.pk}/contract/"


def test_no_award_notice_is_needed_under_pcr_2015(buyer, officer, supplier):
    project = factories.buying_project(organisation=buyer, actor=officer, lot=single_supplier_lot())
    BuyingProject.objects.filter(pk=project.pk).update(selected_supplier=supplier, status="awarded")
    award(project, supplier, officer, status="awarded", rules_applied="pcr2015")

    assert (statuses(project)["award_notice"], statuses(project)["contract"]) == (
        "Not needed",
        "Not yet started",
    )


def test_a_withdrawn_award_sends_the_project_back_to_the_award_step(buyer, officer, supplier):
    project = factories.buying_project(organisation=buyer, actor=officer, lot=single_supplier_lot())
    BuyingProject.objects.filter(pk=project.pk).update(selected_supplier=supplier)
    award(project, supplier, officer, status="withdrawn", withdrawal_reason="Wrong supplier")

    step = tasks(project)["award"]

    assert (step.status, step.hint) == ("Not yet started", "The last award was withdrawn.")


def test_a_contract_shows_its_details_notice_due_and_late(buyer, officer, supplier):
    lot = single_supplier_lot()
    project = factories.buying_project(organisation=buyer, actor=officer, lot=lot)
    BuyingProject.objects.filter(pk=project.pk).update(
        selected_supplier=supplier, status="contracted"
    )
    made = award(project, supplier, officer, status="contracted", notice_identifier="UK6-1")
    today = timezone.localdate()
    contract = Contract.objects.create(
        reference="CT-2026-000001",
        award=made,
        project=project,
        buyer=buyer,
        supplier=supplier,
        framework=lot.framework,
        lot=lot,
        route="direct_award",
        title="Grounds maintenance",
        description="Mowing",
        value=made.value,
        value_including_vat=made.value_including_vat,
        starts_on=today,
        ends_on=today + timedelta(days=365),
        entered_into_on=today - timedelta(days=31),
        entered_into_by=officer,
        details_notice_due_on=today - timedelta(days=1),
    )

    steps = tasks(project)

    assert (steps["contract"].status, steps["contract"].href) == (
        "Completed",
        "/buying/contracts/CT-2026-000001/",
    )
    assert steps["details_notice"].status == "Not yet started"
    assert steps["details_notice"].hint.startswith("Late: it was due by ")
    assert steps["details_notice"].href == "/buying/contracts/CT-2026-000001/details-notice/"

    Contract.objects.filter(pk=contract.pk).update(details_notice_identifier="UK7-9")
    assert statuses(project)["details_notice"] == "Completed"
