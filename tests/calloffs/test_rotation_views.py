"""The buyer's ranked-list and single-supplier pages, and the supplier's offer pages: what
each shows, the journey through them, 404s for other organisations, and bad input."""

import re
from datetime import timedelta
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from frameworks.models import DirectAwardMethod
from marketplace.calloffs.models import RotationOffer
from marketplace.calloffs.services import rotation
from tests import factories
from tests.calloffs.rotation_setup import award_on, project_on, ranked_suppliers, rotation_lot

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


@pytest.fixture
def lot(db):
    return rotation_lot(period_days=30, answer_days=5)


@pytest.fixture
def ranked(lot):
    return ranked_suppliers(lot, ["Alpha Ltd", "Bravo Ltd", "Charlie Ltd"])


@pytest.fixture
def project(lot, ranked, buyer, procurement_officer):
    return project_on(lot, buyer=buyer, officer=procurement_officer)


@pytest.fixture
def officer_client(client, procurement_officer):
    client.force_login(procurement_officer)
    return client


def editor_of(supplier):
    return factories.MembershipFactory(organisation=supplier, role="editor").user


def test_the_buyer_offers_down_the_ranking_and_selects_the_supplier_that_accepts(
    client, officer_client, project, ranked, procurement_officer
):
    url = reverse("calloffs:rotation", args=[project.pk])
    page = text(officer_client.get(url))
    assert "No offers made yet." in page
    assert "Offer to the first supplier" in page

    response = officer_client.post(url, {"action": "offer"}, follow=True)
    offer = RotationOffer.objects.get(project=project)
    day = f"{offer.respond_by.day} {offer.respond_by:%B %Y}"
    assert f"The award is offered to Alpha Ltd, who has until {day} to answer" in text(response)
    assert f"Alpha Ltd has until {day} to answer the offer: wait for their answer" in text(response)

    # The supplier finds the offer from its dashboard and declines it.
    client.force_login(editor_of(ranked[0]))
    dashboard = text(client.get(reverse("suppliers:dashboard")))
    assert "Direct-award offers</a>: <strong>1 waiting for your answer</strong>" in dashboard
    offers = text(client.get(reverse("supplier_calloffs:offer-list")))
    assert "Boiler replacement" in offers
    offer_url = reverse("supplier_calloffs:offer", args=[offer.pk])
    detail = text(client.get(offer_url))
    assert "Replace the boilers in 40 homes." in detail
    assert "£80,000.00, excluding VAT" in detail
    assert f"{day}, the end of the day" in detail
    client.post(offer_url, {"action": "decline", "reason": "No gas engineers free"})

    officer_client.force_login(procurement_officer)
    officer_client.post(url, {"action": "offer"})
    second = RotationOffer.objects.get(project=project, supplier=ranked[1])
    client.force_login(editor_of(ranked[1]))
    response = client.post(
        reverse("supplier_calloffs:offer", args=[second.pk]), {"action": "accept"}, follow=True
    )
    assert "You accepted the offer." in text(response)

    officer_client.force_login(procurement_officer)
    page = text(officer_client.get(url))
    assert "Reason: No gas engineers free" in page
    assert "Award to Bravo Ltd" in page
    response = officer_client.post(
        url, {"action": "select", "reason": "Bravo Ltd accepted, next in the ranking"}
    )
    assert response["Location"] == reverse("calloffs:project", args=[project.pk])
    project.refresh_from_db()
    assert (project.selected_supplier, project.selected_rotation_offer) == (ranked[1], second)
    assert project.selection_reason == "Bravo Ltd accepted, next in the ranking"


def test_the_ranking_shows_who_waits_at_the_bottom_and_until_when(
    officer_client, lot, project, ranked, buyer, procurement_officer
):
    awarded_on = timezone.localdate() - timedelta(days=10)
    award_on(
        lot, supplier=ranked[0], awarded_on=awarded_on, buyer=buyer, officer=procurement_officer
    )

    page = text(officer_client.get(reverse("calloffs:rotation", args=[project.pk])))

    returns = awarded_on + timedelta(days=30)
    assert re.findall(r"<th scope=\"row\" class=\"govuk-table__header\">(\w+ Ltd)</th>", page) == [
        "Bravo Ltd",
        "Charlie Ltd",
        "Alpha Ltd",
    ]
    assert (
        f"At the bottom after an award on {awarded_on.day} {awarded_on:%B %Y}, "
        f"until {returns.day} {returns:%B %Y}"
    ) in page


def test_offering_while_an_offer_is_open_shows_why(officer_client, project, procurement_officer):
    rotation.offer_next(actor=procurement_officer, project=project)

    response = officer_client.post(
        reverse("calloffs:rotation", args=[project.pk]), {"action": "offer"}
    )

    assert response.status_code == 400
    assert "Alpha Ltd has until" in text(response)
    assert RotationOffer.objects.filter(project=project).count() == 1


def test_a_buyer_of_another_organisation_gets_404(client, project, outsider):
    client.force_login(outsider)

    for name in ("calloffs:rotation", "calloffs:single-supplier"):
        assert client.get(reverse(name, args=[project.pk])).status_code == 404
    assert client.post(reverse("calloffs:rotation", args=[project.pk])).status_code == 404
    assert not RotationOffer.objects.exists()


def test_a_colleague_off_the_team_reads_but_cannot_offer(client, project, colleague):
    client.force_login(colleague)
    url = reverse("calloffs:rotation", args=[project.pk])

    assert "Only the project's team" in text(client.get(url))
    assert client.post(url, {"action": "offer"}).status_code == 403
    assert not RotationOffer.objects.exists()


def test_another_supplier_gets_404_for_the_offer(client, project, ranked, procurement_officer):
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    client.force_login(editor_of(ranked[1]))
    url = reverse("supplier_calloffs:offer", args=[offer.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "accept"}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == RotationOffer.Status.OFFERED
    assert "You have no direct-award offers." in text(
        client.get(reverse("supplier_calloffs:offer-list"))
    )


def test_declining_without_a_reason_shows_the_error_and_keeps_the_offer(
    client, project, ranked, procurement_officer
):
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    client.force_login(editor_of(ranked[0]))

    response = client.post(
        reverse("supplier_calloffs:offer", args=[offer.pk]), {"action": "decline", "reason": ""}
    )

    assert response.status_code == 400
    assert text(response).count("Give the reason for declining the offer") == 2
    offer.refresh_from_db()
    assert offer.status == RotationOffer.Status.OFFERED


def test_answering_an_overdue_offer_says_it_lapsed(client, project, ranked, procurement_officer):
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    RotationOffer.objects.filter(pk=offer.pk).update(
        respond_by=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(editor_of(ranked[0]))
    url = reverse("supplier_calloffs:offer", args=[offer.pk])

    page = text(client.get(url))

    assert "Lapsed" in page
    assert "Accept the offer" not in page
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 400
    assert "This offer has already been lapsed: it cannot be answered again" in text(response)


def test_a_finance_member_sees_the_offer_but_cannot_answer(
    client, project, ranked, procurement_officer
):
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    client.force_login(factories.MembershipFactory(organisation=ranked[0], role="finance").user)
    url = reverse("supplier_calloffs:offer", args=[offer.pk])

    assert "Only Alpha Ltd's administrators and editors can answer offers." in text(client.get(url))
    assert client.post(url, {"action": "accept"}).status_code == 403


def test_the_offer_list_query_count_does_not_grow(
    client, django_assert_max_num_queries, lot, ranked, buyer, procurement_officer
):
    client.force_login(editor_of(ranked[0]))
    url = reverse("supplier_calloffs:offer-list")

    def offer_new_project(index):
        rotation.offer_next(
            actor=procurement_officer,
            project=project_on(lot, buyer=buyer, officer=procurement_officer, title=f"Job {index}"),
        )

    offer_new_project(0)
    with CaptureQueriesContext(connection) as one_offer:
        client.get(url)
    for index in range(1, 6):
        offer_new_project(index)

    with django_assert_max_num_queries(len(one_offer)):
        response = client.get(url)
    assert text(response).count("Waiting for an answer") == 6


def test_the_rotation_page_query_count_does_not_grow_with_offers(
    officer_client, django_assert_max_num_queries, lot, buyer, procurement_officer
):
    suppliers = ranked_suppliers(lot, [f"Supplier {n} Ltd" for n in range(8)])
    project = project_on(lot, buyer=buyer, officer=procurement_officer)
    url = reverse("calloffs:rotation", args=[project.pk])

    def offer_and_decline(supplier):
        offer = rotation.offer_next(actor=procurement_officer, project=project)
        rotation.decline_offer(actor=editor_of(supplier), offer=offer, reason="Busy")

    offer_and_decline(suppliers[0])
    with CaptureQueriesContext(connection) as one_offer:
        officer_client.get(url)
    for supplier in suppliers[1:6]:
        offer_and_decline(supplier)

    with django_assert_max_num_queries(len(one_offer)):
        response = officer_client.get(url)
    assert text(response).count("Reason: Busy") == 6


def test_another_mechanisms_project_is_sent_back_to_its_task_list(officer_client, project):
    response = officer_client.get(reverse("calloffs:single-supplier", args=[project.pk]))

    assert response["Location"] == reverse("calloffs:project", args=[project.pk])


def test_the_single_supplier_page_selects_the_lots_one_supplier(
    officer_client, buyer, procurement_officer
):
    lot = rotation_lot(method=DirectAwardMethod.SINGLE_SUPPLIER)
    (only,) = ranked_suppliers(lot, ["Only Ltd"])
    project = project_on(lot, buyer=buyer, officer=procurement_officer)
    url = reverse("calloffs:single-supplier", args=[project.pk])

    page = text(officer_client.get(url))
    assert "Only Ltd is the only supplier appointed to Lot 1: Housing repairs" in page

    response = officer_client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Give the reason for choosing this supplier" in text(response)

    response = officer_client.post(url, {"reason": "The lot's only supplier"})
    assert response["Location"] == reverse("calloffs:project", args=[project.pk])
    project.refresh_from_db()
    assert project.selected_supplier == only


def test_the_single_supplier_page_says_when_the_lot_has_several(
    officer_client, buyer, procurement_officer
):
    lot = rotation_lot(method=DirectAwardMethod.SINGLE_SUPPLIER)
    ranked_suppliers(lot, ["One Ltd", "Two Ltd"])
    project = project_on(lot, buyer=buyer, officer=procurement_officer)

    page = text(officer_client.get(reverse("calloffs:single-supplier", args=[project.pk])))

    assert "must have exactly one active appointed supplier" in page
    assert "Select" not in page
