"""The buying-project pages: start, list, task list, details, lot and route, cancel. Another
organisation's project is a 404 on every page; bad input shows an error summary and saves
nothing; the journey from the buyer home works by following links, without JavaScript."""

import re
from decimal import Decimal
from html import unescape

import pytest

from marketplace.calloffs.models import BuyingProject
from tests import factories

from .project_setup import fitting_lot

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Grounds maintenance",
    "need": "Mowing and hedge cutting at 12 parks.",
    "estimated_value": "45,000",
    "estimated_term_months": "18",
}


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


@pytest.fixture
def project(buyer, procurement_officer):
    return factories.buying_project(organisation=buyer, actor=procurement_officer)


# Another organisation ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "details/", "lot/", "cancel/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisations_project_is_not_found_on_every_page(
    client, outsider, project, page, method
):
    client.force_login(outsider)

    response = getattr(client, method)(f"/buying/projects/{project.pk}/{page}")

    assert response.status_code == 404
    project.refresh_from_db()
    assert (project.status, project.title, project.lot) == (
        "preparing",
        "Grounds maintenance",
        None,
    )


def test_a_supplier_is_told_the_pages_are_for_buyers(client, supplier_admin):
    client.force_login(supplier_admin)

    response = client.get("/buying/projects/")

    assert response.status_code == 403
    assert "This page is for buyers" in response.content.decode()


# Starting a project ------------------------------------------------------------------------------


def test_starting_a_project_goes_on_to_choosing_its_lot(client, procurement_officer, buyer):
    client.force_login(procurement_officer)

    response = client.post("/buying/projects/new/", FORM)

    project = BuyingProject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/buying/projects/{project.pk}/lot/"
    assert (project.title, project.estimated_value, project.estimated_term_months) == (
        "Grounds maintenance",
        Decimal("45000.00"),
        18,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Enter a title for the project"),
        ("need", "", "Describe what your organisation needs"),
        ("estimated_value", "", "Enter the estimated value"),
        ("estimated_value", "0", "Estimated value must be more than £0"),
        ("estimated_value", "a lot", "Estimated value must be an amount of money, like 12500.00"),
        ("estimated_term_months", "0", "Estimated term must be between 1 and 240 months"),
        ("estimated_term_months", "2y", "Estimated term must be a whole number of months, like 24"),
    ],
)
def test_bad_details_show_the_error_and_save_nothing(
    client, procurement_officer, field, value, message
):
    client.force_login(procurement_officer)

    response = client.post("/buying/projects/new/", {**FORM, field: value})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert f'<a href="#id_{field}">{message}</a>' in html
    assert not BuyingProject.objects.exists()


def test_the_team_offers_only_colleagues_who_run_call_offs(
    client, procurement_officer, buyer, colleague, approver, outsider
):
    client.force_login(procurement_officer)

    html = client.get("/buying/projects/new/").content.decode()
    offered = set(re.findall(r'name="team" type="checkbox" value="(\d+)"', html))

    assert offered == {str(colleague.pk), str(approver.pk)}


def test_a_posted_outsider_is_refused_as_a_team_member(client, procurement_officer, outsider):
    client.force_login(procurement_officer)

    html = client.post("/buying/projects/new/", {**FORM, "team": [outsider.pk]}).content.decode()

    assert "Choose colleagues from your organisation only" in html
    assert not BuyingProject.objects.exists()


# The list ----------------------------------------------------------------------------------------


def test_the_list_shows_only_the_organisations_projects_filtered_by_status(
    client, procurement_officer, buyer, other_buyer, project
):
    factories.buying_project(organisation=other_buyer, title="Their project")
    cancelled = factories.buying_project(
        organisation=buyer, actor=procurement_officer, title="Old idea"
    )
    BuyingProject.objects.filter(pk=cancelled.pk).update(status="cancelled")
    client.force_login(procurement_officer)

    everything = client.get("/buying/projects/").content.decode()
    only_cancelled = client.get("/buying/projects/?status=cancelled").content.decode()

    assert "2 projects" in everything
    assert "Their project" not in everything
    assert f'href="/buying/projects/{project.pk}/">Grounds maintenance</a>' in everything
    assert "1 project<" in only_cancelled
    assert "Old idea" in only_cancelled
    assert "Grounds maintenance" not in only_cancelled


def test_the_empty_list_offers_to_start_a_project(client, procurement_officer, buyer):
    client.force_login(procurement_officer)

    html = client.get("/buying/projects/").content.decode()

    assert f"{buyer.name} has no buying projects yet." in html
    assert "/buying/projects/new/" in links(html)


def test_the_list_is_paginated_and_its_queries_do_not_grow(
    client, procurement_officer, buyer, django_assert_max_num_queries
):
    lot = fitting_lot()
    for number in range(25):
        factories.buying_project(
            organisation=buyer, actor=procurement_officer, lot=lot, title=f"Project {number}"
        )
    client.force_login(procurement_officer)
    client.get("/buying/projects/")

    with django_assert_max_num_queries(15):
        html = client.get("/buying/projects/").content.decode()

    assert html.count('<tr class="govuk-table__row">') == 21
    assert 'href="?page=2"' in html


# The task list -----------------------------------------------------------------------------------


def test_the_task_list_shows_the_summary_and_next_step(client, procurement_officer, project):
    client.force_login(procurement_officer)

    html = client.get(f"/buying/projects/{project.pk}/").content.decode()

    assert project.reference in html
    assert "£50,000.00, excluding VAT" in html
    assert f'href="/buying/projects/{project.pk}/lot/"' in html
    assert f'href="/buying/projects/{project.pk}/details/"' in html
    assert f'href="/buying/projects/{project.pk}/cancel/"' in html


def test_a_colleague_off_the_team_reads_the_project_without_change_links(
    client, colleague, project
):
    client.force_login(colleague)

    response = client.get(f"/buying/projects/{project.pk}/")
    edit = client.get(f"/buying/projects/{project.pk}/details/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="read-only"' in html
    assert f"/buying/projects/{project.pk}/lot/" not in links(html)
    assert f"/buying/projects/{project.pk}/details/" not in links(html)
    assert edit.status_code == 403


def test_the_task_lists_queries_are_bounded(
    client, procurement_officer, buyer, colleague, approver, django_assert_max_num_queries
):
    project = factories.buying_project(
        organisation=buyer, actor=procurement_officer, lot=fitting_lot(), team=[colleague, approver]
    )
    client.force_login(procurement_officer)
    client.get(f"/buying/projects/{project.pk}/")

    with django_assert_max_num_queries(20):
        client.get(f"/buying/projects/{project.pk}/")


# Editing, choosing the lot, cancelling ----------------------------------------------------------


def test_changing_the_details_returns_to_the_task_list(client, procurement_officer, project):
    client.force_login(procurement_officer)

    response = client.post(
        f"/buying/projects/{project.pk}/details/", {**FORM, "title": "Parks upkeep"}
    )

    assert response["Location"] == f"/buying/projects/{project.pk}/"
    project.refresh_from_db()
    assert project.title == "Parks upkeep"


def test_the_lot_page_offers_fitting_lots_and_says_why_others_do_not_fit(
    client, procurement_officer, project, other_buyer
):
    fits = fitting_lot()
    too_small = fitting_lot(maximum_value="20000.00", title="Small jobs")
    fitting_lot({"eligible_organisations": [other_buyer]}, title="Not for you")
    client.force_login(procurement_officer)

    html = unescape(client.get(f"/buying/projects/{project.pk}/lot/").content.decode())

    assert f'value="{fits.pk}:direct_award"' in html
    assert f'value="{fits.pk}:further_competition"' in html
    assert f'value="{too_small.pk}:' not in html
    assert (
        "<strong>Lot 1: Small jobs</strong>, "
        f"{too_small.framework.title}: The estimated value, £50,000.00, is above the lot's "
        "maximum of £20,000.00."
    ) in html
    assert "Not for you" not in html


def test_choosing_a_lot_returns_to_the_task_list(client, procurement_officer, project):
    lot = fitting_lot()
    client.force_login(procurement_officer)

    response = client.post(
        f"/buying/projects/{project.pk}/lot/", {"choice": f"{lot.pk}:direct_award"}, follow=True
    )

    assert response.redirect_chain == [(f"/buying/projects/{project.pk}/", 302)]
    project.refresh_from_db()
    assert (project.lot, project.route) == (lot, "direct_award")


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("", "Choose a lot and how you will buy from it"),
        ("rubbish", "Choose a lot and how you will buy from it"),
        ("999999:direct_award", "Choose a lot and how you will buy from it"),
    ],
)
def test_a_bad_lot_choice_shows_the_error(client, procurement_officer, project, choice, message):
    fitting_lot()
    client.force_login(procurement_officer)

    html = client.post(f"/buying/projects/{project.pk}/lot/", {"choice": choice}).content.decode()

    assert "govuk-error-summary" in html
    assert message in html
    project.refresh_from_db()
    assert project.lot is None


def test_a_tampered_route_is_refused_by_the_service(client, procurement_officer, project):
    lot = fitting_lot(allows_further_competition=False)
    client.force_login(procurement_officer)

    html = client.post(
        f"/buying/projects/{project.pk}/lot/", {"choice": f"{lot.pk}:further_competition"}
    ).content.decode()

    assert "Lot 1: Parks and open spaces does not allow further competition" in unescape(html)
    project.refresh_from_db()
    assert project.lot is None


def test_a_lot_the_buyer_may_not_use_is_refused_with_the_reason(
    client, procurement_officer, project, other_buyer
):
    lot = fitting_lot({"eligible_organisations": [other_buyer]})
    client.force_login(procurement_officer)

    html = client.post(
        f"/buying/projects/{project.pk}/lot/", {"choice": f"{lot.pk}:direct_award"}
    ).content.decode()

    assert f"may not use {lot.framework.title}." in unescape(html)
    project.refresh_from_db()
    assert project.lot is None


def test_cancelling_needs_a_reason_then_shows_it_on_the_task_list(
    client, procurement_officer, project
):
    client.force_login(procurement_officer)
    url = f"/buying/projects/{project.pk}/cancel/"

    refused = client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "Budget cut"}, follow=True)

    assert "Give the reason for cancelling the project" in refused
    html = response.content.decode()
    assert "This project is cancelled. The reason given: Budget cut" in html
    assert f"/buying/projects/{project.pk}/lot/" not in links(html)
    assert client.get(url).status_code == 403


# The journey -------------------------------------------------------------------------------------


def test_a_buyer_walks_from_the_buyer_home_to_the_task_list(client, procurement_officer, buyer):
    lot = fitting_lot()
    client.force_login(procurement_officer)

    home = client.get("/buy/").content.decode()
    assert "/buying/projects/new/" in links(home)
    assert "/buying/projects/" in links(home)
    assert "/buying/settings/" in links(home)
    assert "/buying/contracts/" in links(home)

    start = client.get("/buying/projects/new/")
    assert start.status_code == 200
    lot_page = client.post("/buying/projects/new/", FORM, follow=True)
    project = BuyingProject.objects.get()
    assert lot_page.redirect_chain == [(f"/buying/projects/{project.pk}/lot/", 302)]
    assert f'value="{lot.pk}:direct_award"' in lot_page.content.decode()

    tasks = client.post(
        f"/buying/projects/{project.pk}/lot/", {"choice": f"{lot.pk}:direct_award"}, follow=True
    ).content.decode()
    assert f"/buying/projects/{project.pk}/shortlist/" in links(tasks)
    assert "Search and shortlist" in tasks


def test_the_navigation_links_buying_projects(client, procurement_officer):
    client.force_login(procurement_officer)

    html = client.get("/buying/projects/").content.decode()

    assert 'href="/buying/projects/" aria-current="page"' in html


def test_the_buyer_home_counts_sign_offs_waiting_for_approvers_only(
    client, approver, procurement_officer
):
    client.force_login(approver)
    approver_home = client.get("/buy/").content.decode()
    client.force_login(procurement_officer)
    officer_home = client.get("/buy/").content.decode()

    assert (
        '<li id="panel-sign-offs"><a class="govuk-link" href="/buying/sign-offs/">'
        "Awards waiting for your sign-off</a> (0)</li>"
    ) in approver_home
    assert 'id="panel-sign-offs"' not in officer_home
    assert 'id="panel-start-project"' in officer_home


def test_the_task_list_starts_a_further_competition(client, procurement_officer, buyer):
    project = factories.buying_project(
        organisation=buyer,
        actor=procurement_officer,
        lot=fitting_lot(),
        route="further_competition",
    )
    client.force_login(procurement_officer)

    html = client.get(f"/buying/projects/{project.pk}/").content.decode()

    assert f'href="/buying/projects/{project.pk}/competition/start/"' in html
    assert "Find a supplier" not in html


def test_only_approvers_get_the_sign_off_link(
    client, procurement_officer, approver, buyer, supplier
):
    lot = fitting_lot(direct_award_method="single_supplier")
    project = factories.buying_project(organisation=buyer, actor=procurement_officer, lot=lot)
    BuyingProject.objects.filter(pk=project.pk).update(selected_supplier=supplier)
    project.awards.create(
        route="direct_award",
        direct_award_method="single_supplier",
        supplier=supplier,
        selection_reason="The lot's one supplier",
        rules_applied="pa2023",
        description="Mowing",
        value=Decimal("50000"),
        value_including_vat=Decimal("60000"),
        starts_on=project.created_at.date(),
        ends_on=project.created_at.date().replace(year=project.created_at.year + 1),
        awarded_by=procurement_officer,
        needs_sign_off=True,
    )
    sign_off = f"/buying/projects/{project.pk}/award/sign-off/"

    client.force_login(procurement_officer)
    officer_links = links(client.get(f"/buying/projects/{project.pk}/").content.decode())
    client.force_login(approver)
    approver_links = links(client.get(f"/buying/projects/{project.pk}/").content.decode())

    assert sign_off not in officer_links
    assert sign_off in approver_links
