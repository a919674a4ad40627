"""The regional lead's view in the Wagtail admin: every call-off under the authority's own
frameworks, with the contracted value by lot and by buyer."""

import re
from html import unescape

from django.test import Client
from django.utils import timezone

import pytest

from marketplace.calloffs.models import Award, BuyingProject
from marketplace.organisations.admin_access import sync_staff_group
from tests import factories
from tests.helpers import queries_to_get, sign_in_with_second_factor

pytestmark = pytest.mark.django_db

URL = "/admin/calloffs/"


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def admin_client(user) -> Client:
    for membership in user.memberships.select_related("organisation"):
        sync_staff_group(membership.organisation)
    client = Client()
    sign_in_with_second_factor(client, user)
    return client


def framework_of(section, title, lots=1):
    return factories.framework_page(
        section,
        title=title,
        lots=[{"number": n, "title": f"{title} lot {n}"} for n in range(1, lots + 1)],
    )


def project_in_progress(*, lot, buyer, title="Tree surgery", estimated_value="8000.00"):
    officer = factories.MembershipFactory(organisation=buyer, role="procurement_officer").user
    return BuyingProject.objects.create(
        reference=f"BP-2026-{BuyingProject.objects.count() + 800_000:06d}",
        organisation=buyer,
        title=title,
        need="Trees.",
        estimated_value=estimated_value,
        estimated_term_months=6,
        created_by=officer,
        lot=lot,
        route="direct_award",
        direct_award_method="single_supplier",
    )


@pytest.fixture
def frameworks(authority):
    section = factories.authority_page(authority)
    return framework_of(section, "Grounds", lots=2), framework_of(section, "Catering")


@pytest.fixture
def other_framework(db):
    return framework_of(factories.authority_page(), "Elsewhere")


@pytest.fixture
def lead_client(framework_manager):
    return admin_client(framework_manager)


def test_authority_members_find_the_view_in_the_admin_menu(reviewer):
    client = admin_client(reviewer)

    assert URL in client.get("/admin/").content.decode()
    assert client.get(URL).status_code == 200


def test_someone_with_no_authority_cannot_open_it(client, procurement_officer):
    client.force_login(procurement_officer)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/account/sign-in/?next={URL}"


def test_lists_every_call_off_on_the_authoritys_frameworks_and_no_others(
    lead_client, frameworks, other_framework, buyer, other_buyer
):
    grounds, catering = frameworks
    contracted = factories.contract(
        lot=grounds.lots.get(number=2), buyer=buyer, title="Park mowing", value="1500.00"
    )
    preparing = project_in_progress(lot=catering.lots.get(), buyer=other_buyer)
    hidden = factories.contract(lot=other_framework.lots.get(), buyer=buyer, title="Not ours")

    response = lead_client.get(URL)

    assert [project for project, *_ in response.context["rows"]] == [
        preparing,
        contracted.project,
    ]
    page = text(response)
    assert "2 call-offs" in page
    assert "Park mowing" in page
    assert "£1,500.00 (contract)" in page
    assert "Tree surgery" in page
    assert "£8,000.00 (estimate)" in page
    assert "Not ours" not in page
    assert hidden.project.reference not in page
    assert "Elsewhere" not in page


def test_a_standing_awards_value_is_shown_before_the_contract(lead_client, frameworks, buyer):
    project = project_in_progress(lot=frameworks[1].lots.get(), buyer=buyer)
    Award.objects.create(
        project=project,
        status=Award.Status.AWARDED,
        route="direct_award",
        direct_award_method="single_supplier",
        supplier=factories.OrganisationFactory(kind="supplier"),
        selection_reason="The one supplier.",
        rules_applied="pa2023",
        description="Trees.",
        value="7000.00",
        value_including_vat="8400.00",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        awarded_by=project.created_by,
    )

    assert "£7,000.00 (award)" in text(lead_client.get(URL))


def test_totals_by_lot_and_by_buyer(lead_client, frameworks, other_framework, buyer, other_buyer):
    grounds = frameworks[0]
    lot_1, lot_2 = grounds.lots.get(number=1), grounds.lots.get(number=2)
    factories.contract(lot=lot_1, buyer=buyer, value="1000.00", value_including_vat="1200.00")
    factories.contract(lot=lot_1, buyer=other_buyer, value="500.50", value_including_vat="600.60")
    factories.contract(lot=lot_2, buyer=buyer, value="2000.00", value_including_vat="2400.00")
    factories.contract(lot=other_framework.lots.get(), buyer=buyer, value="99999.00")

    response = lead_client.get(URL)

    assert [
        (row["lot__number"], row["count"], str(row["total"]), str(row["total_including_vat"]))
        for row in response.context["by_lot"]
    ] == [(2, 1, "2000.00", "2400.00"), (1, 2, "1500.50", "1800.60")]
    assert [
        (row["buyer"], row["count"], str(row["total"])) for row in response.context["by_buyer"]
    ] == [
        (buyer.pk, 2, "3000.00"),
        (other_buyer.pk, 1, "500.50"),
    ]
    page = text(response)
    assert "£3,500.50 excluding VAT in total." in page
    assert "Grounds Lot 1: Grounds lot 1 2 £1,500.50 £1,800.60" in page
    assert f"{buyer.name} 2 £3,000.00 £3,600.00" in page


def test_filtered_by_one_of_its_frameworks(lead_client, frameworks, buyer):
    grounds, catering = frameworks
    factories.contract(lot=grounds.lots.get(number=1), buyer=buyer, value="1000.00")
    kept = factories.contract(lot=catering.lots.get(), buyer=buyer, value="250.00")

    response = lead_client.get(URL, {"framework": catering.pk})

    assert [project for project, *_ in response.context["rows"]] == [kept.project]
    assert "£250.00 excluding VAT in total." in text(response)


def test_another_authoritys_framework_cannot_be_chosen(
    lead_client, frameworks, other_framework, buyer
):
    own = factories.contract(lot=frameworks[0].lots.get(number=1), buyer=buyer)
    factories.contract(lot=other_framework.lots.get(), buyer=buyer)

    response = lead_client.get(URL, {"framework": other_framework.pk})

    assert [project for project, *_ in response.context["rows"]] == [own.project]
    page = text(response)
    assert "That framework is not one of yours: showing all your frameworks." in page
    assert "Elsewhere" not in page


def test_as_many_queries_for_30_call_offs_as_for_3(lead_client, frameworks, buyer):
    lot = frameworks[0].lots.get(number=1)
    for _ in range(3):
        factories.contract(lot=lot, buyer=factories.OrganisationFactory(kind="buyer"))
    lead_client.get(URL)
    few = queries_to_get(lead_client, URL)
    for _ in range(27):
        factories.contract(lot=lot, buyer=factories.OrganisationFactory(kind="buyer"))

    assert queries_to_get(lead_client, URL) == few
