"""Sign-off of awards above the organisation's threshold: by an approver of the same
organisation, never the person who made the award."""

import re
from decimal import Decimal
from html import unescape

from django.db import IntegrityError
from django.urls import reverse

import pytest

from frameworks.models import Appointment
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import Award, BuyingProject
from marketplace.calloffs.services import awards as services
from marketplace.organisations.policy import PolicyDenied
from tests import factories
from tests.helpers import queries_to_get

from .award_setup import make_award, project_to_award, set_threshold

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


@pytest.fixture
def project(buyer, procurement_officer):
    set_threshold(buyer, "50000.00")
    return project_to_award(buyer=buyer, officer=procurement_officer)


@pytest.fixture
def awaiting(project, procurement_officer):
    return make_award(actor=procurement_officer, project=project)


def test_an_award_above_the_threshold_waits_for_sign_off(awaiting, project):
    assert awaiting.status == Award.Status.AWAITING_SIGN_OFF
    assert awaiting.needs_sign_off is True
    assert awaiting.awarded_at is None
    project.refresh_from_db()
    assert project.status == BuyingProject.Status.PREPARING
    assert AuditEvent.objects.get(kind=AuditKind.AWARD_MADE).data["approval_threshold"] == (
        "50000.00"
    )


def test_an_award_at_the_threshold_needs_no_sign_off(project, procurement_officer):
    award = make_award(actor=procurement_officer, project=project, value=Decimal("50000.00"))

    assert award.status == Award.Status.AWARDED


def test_an_approver_signs_off_and_the_award_takes_effect(awaiting, project, approver):
    award = services.sign_off_award(actor=approver, award=awaiting)

    assert award.status == Award.Status.AWARDED
    assert award.signed_off_by == approver
    assert award.awarded_at == award.signed_off_at
    project.refresh_from_db()
    assert project.status == BuyingProject.Status.AWARDED
    signed = AuditEvent.objects.get(kind=AuditKind.AWARD_SIGNED_OFF)
    assert signed.actor_id == approver.pk
    assert signed.data == {
        "from": "awaiting_sign_off",
        "to": "awarded",
        "award": award.pk,
        "awarded_by": awaiting.awarded_by_id,
    }
    assert AuditEvent.objects.get(kind=AuditKind.PROJECT_STATUS_CHANGED).data == {
        "from": "preparing",
        "to": "awarded",
        "award": award.pk,
    }


def test_an_approver_cannot_sign_off_their_own_award(buyer, approver):
    set_threshold(buyer, "50000.00")
    project = project_to_award(buyer=buyer, officer=approver)
    award = make_award(actor=approver, project=project)

    with pytest.raises(services.AwardError) as caught:
        services.sign_off_award(actor=approver, award=award)

    assert str(caught.value) == "You made this award, so another approver must sign it off"
    award.refresh_from_db()
    assert award.status == Award.Status.AWAITING_SIGN_OFF
    assert not AuditEvent.objects.filter(kind=AuditKind.AWARD_SIGNED_OFF).exists()


def test_another_approver_signs_off_an_approvers_award(buyer, approver):
    set_threshold(buyer, "50000.00")
    project = project_to_award(buyer=buyer, officer=approver)
    award = make_award(actor=approver, project=project)
    second = factories.MembershipFactory(organisation=buyer, role="approver").user

    assert services.sign_off_award(actor=second, award=award).status == Award.Status.AWARDED


def test_the_database_refuses_a_sign_off_by_the_maker(awaiting, procurement_officer):
    with pytest.raises(IntegrityError):
        Award.objects.filter(pk=awaiting.pk).update(signed_off_by=procurement_officer)


def test_a_procurement_officer_cannot_sign_off(awaiting, colleague):
    with pytest.raises(PolicyDenied) as caught:
        services.sign_off_award(actor=colleague, award=awaiting)

    assert (
        str(caught.value)
        == f"Only an approver of {awaiting.project.organisation} can sign off awards"
    )


def test_an_approver_of_another_organisation_cannot_sign_off(awaiting, other_buyer):
    stranger = factories.MembershipFactory(organisation=other_buyer, role="approver").user

    with pytest.raises(PolicyDenied):
        services.sign_off_award(actor=stranger, award=awaiting)


def test_sign_off_checks_the_supplier_again(awaiting, approver):
    Appointment.objects.filter(supplier=awaiting.supplier).update(
        status=Appointment.Status.EXCLUDED, reason="Convicted of fraud"
    )

    with pytest.raises(services.AwardError) as caught:
        services.sign_off_award(actor=approver, award=awaiting)

    assert str(caught.value) == (
        "Greenway Grounds Ltd's appointment to this lot is excluded: Convicted of fraud. "
        "Refuse sign-off with that reason."
    )


def test_refusing_sign_off_needs_a_note(awaiting, approver):
    with pytest.raises(services.AwardError) as caught:
        services.refuse_sign_off(actor=approver, award=awaiting, note=" ")

    assert str(caught.value) == "Say why you are refusing to sign off the award"
    awaiting.refresh_from_db()
    assert awaiting.status == Award.Status.AWAITING_SIGN_OFF


def test_a_refused_award_returns_the_project_to_the_award_step(
    awaiting, project, approver, procurement_officer
):
    refused = services.refuse_sign_off(actor=approver, award=awaiting, note="Value too high.")

    assert refused.status == Award.Status.SIGN_OFF_REFUSED
    assert refused.sign_off_note == "Value too high."
    project.refresh_from_db()
    assert project.status == BuyingProject.Status.PREPARING
    assert project.selected_supplier_id == awaiting.supplier_id
    assert AuditEvent.objects.get(kind=AuditKind.AWARD_SIGN_OFF_REFUSED).data == {
        "from": "awaiting_sign_off",
        "to": "sign_off_refused",
        "award": awaiting.pk,
        "awarded_by": procurement_officer.pk,
        "note": "Value too high.",
    }
    again = make_award(actor=procurement_officer, project=project, value=Decimal("40000.00"))
    assert again.status == Award.Status.AWARDED


def test_a_signed_off_award_cannot_be_signed_off_again(awaiting, approver):
    services.sign_off_award(actor=approver, award=awaiting)

    with pytest.raises(services.AwardError) as caught:
        services.sign_off_award(actor=approver, award=awaiting)

    assert str(caught.value) == "This award is awarded: it is not waiting for sign-off"


# --- Pages ---------------------------------------------------------------------------------


def test_an_approver_signs_off_on_the_page(client, awaiting, project, approver):
    client.force_login(approver)
    url = reverse("calloffs:award-sign-off", args=[project.pk])

    page = text(client.get(url))
    response = client.post(url, {"decision": "sign_off"})

    assert "Do you sign off this award?" in page
    assert reverse("calloffs:project", args=[project.pk]) in page
    assert response.status_code == 302
    assert response["Location"] == reverse("calloffs:award", args=[project.pk])
    awaiting.refresh_from_db()
    assert awaiting.status == Award.Status.AWARDED


def test_the_page_refuses_a_sign_off_by_the_maker(client, buyer, approver):
    set_threshold(buyer, "50000.00")
    project = project_to_award(buyer=buyer, officer=approver)
    make_award(actor=approver, project=project)
    client.force_login(approver)
    url = reverse("calloffs:award-sign-off", args=[project.pk])

    page = text(client.get(url))
    response = client.post(url, {"decision": "sign_off"})

    assert "You made this award, so another approver of" in page
    assert "Do you sign off this award?" not in page
    assert "You made this award, so another approver must sign it off" in text(response)
    assert Award.objects.get(project=project).status == Award.Status.AWAITING_SIGN_OFF


def test_refusing_on_the_page_needs_a_note(client, awaiting, project, approver):
    client.force_login(approver)

    response = client.post(
        reverse("calloffs:award-sign-off", args=[project.pk]), {"decision": "refuse", "note": ""}
    )

    assert response.status_code == 200
    assert 'href="#id_note">Say why you are refusing to sign off the award' in text(response)
    awaiting.refresh_from_db()
    assert awaiting.status == Award.Status.AWAITING_SIGN_OFF


def test_the_queue_lists_the_organisations_awards_waiting(client, awaiting, approver, other_buyer):
    elsewhere_officer = factories.MembershipFactory(
        organisation=other_buyer, role="procurement_officer"
    ).user
    set_threshold(other_buyer, "1.00")
    elsewhere = project_to_award(
        buyer=other_buyer,
        officer=elsewhere_officer,
        supplier=factories.OrganisationFactory(kind="supplier"),
        title="Someone else's project",
    )
    make_award(actor=elsewhere_officer, project=elsewhere)
    client.force_login(approver)

    page = text(client.get(reverse("calloffs:sign-off-queue")))

    assert "1 award waiting" in page
    assert f"{awaiting.project.reference}: Parks grounds maintenance" in page
    assert reverse("calloffs:award-sign-off", args=[awaiting.project_id]) in page
    assert "£100,000.00" in page
    assert "Someone else's project" not in page


def test_the_queue_queries_do_not_grow(client, buyer, procurement_officer, approver):
    set_threshold(buyer, "1.00")
    lot = project_to_award(buyer=buyer, officer=procurement_officer).lot
    for _ in range(4):
        project = project_to_award(
            buyer=buyer,
            officer=procurement_officer,
            lot=lot,
            supplier=factories.OrganisationFactory(kind="supplier"),
        )
        make_award(actor=procurement_officer, project=project)
    client.force_login(approver)

    assert queries_to_get(client, reverse("calloffs:sign-off-queue")) <= 13


def test_with_nothing_waiting_the_queue_says_so(client, approver):
    client.force_login(approver)

    assert "No awards are waiting for sign-off." in text(
        client.get(reverse("calloffs:sign-off-queue"))
    )
