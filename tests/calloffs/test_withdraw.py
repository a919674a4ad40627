"""Withdrawing an award before the contract is entered into: the project returns to the
award step with its selection kept, and the withdrawal is recorded."""

import re
from decimal import Decimal
from html import unescape

from django.urls import reverse

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import Award, BuyingProject
from marketplace.calloffs.services import awards as services
from marketplace.organisations.policy import PolicyDenied

from .award_setup import make_award, project_to_award, set_threshold

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


@pytest.fixture
def project(buyer, procurement_officer):
    return project_to_award(buyer=buyer, officer=procurement_officer)


@pytest.fixture
def award(project, procurement_officer):
    return make_award(actor=procurement_officer, project=project)


def test_a_withdrawn_award_returns_the_project_to_the_award_step(
    award, project, procurement_officer
):
    withdrawn = services.withdraw_award(
        actor=procurement_officer, award=award, reason="The supplier's price was misread."
    )

    assert withdrawn.status == Award.Status.WITHDRAWN
    assert withdrawn.withdrawn_by == procurement_officer
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawal_reason == "The supplier's price was misread."
    project.refresh_from_db()
    assert project.status == BuyingProject.Status.PREPARING
    assert project.selected_supplier_id == award.supplier_id
    assert AuditEvent.objects.get(kind=AuditKind.AWARD_WITHDRAWN).data == {
        "from": "awarded",
        "to": "withdrawn",
        "award": award.pk,
        "reason": "The supplier's price was misread.",
    }
    assert list(
        AuditEvent.objects.filter(kind=AuditKind.PROJECT_STATUS_CHANGED)
        .order_by("pk")
        .values_list("data", flat=True)
    ) == [
        {"from": "preparing", "to": "awarded", "award": award.pk},
        {"from": "awarded", "to": "preparing", "award": award.pk},
    ]


def test_the_project_can_be_awarded_again_after_a_withdrawal(award, project, procurement_officer):
    services.withdraw_award(actor=procurement_officer, award=award, reason="Wrong value.")
    project.refresh_from_db()

    again = make_award(actor=procurement_officer, project=project, value=Decimal("90000.00"))

    assert again.status == Award.Status.AWARDED
    assert Award.objects.filter(project=project).count() == 2


def test_an_award_waiting_for_sign_off_can_be_withdrawn(buyer, procurement_officer):
    set_threshold(buyer, "1.00")
    project = project_to_award(buyer=buyer, officer=procurement_officer)
    waiting = make_award(actor=procurement_officer, project=project)

    withdrawn = services.withdraw_award(actor=procurement_officer, award=waiting, reason="Late.")

    assert withdrawn.status == Award.Status.WITHDRAWN
    project.refresh_from_db()
    assert project.status == BuyingProject.Status.PREPARING
    assert not AuditEvent.objects.filter(kind=AuditKind.PROJECT_STATUS_CHANGED).exists()


def test_a_withdrawal_needs_a_reason(award, procurement_officer):
    with pytest.raises(services.AwardError) as caught:
        services.withdraw_award(actor=procurement_officer, award=award, reason="  ")

    assert str(caught.value) == "Say why the award is withdrawn"
    award.refresh_from_db()
    assert award.status == Award.Status.AWARDED


def test_an_award_whose_contract_is_entered_into_cannot_be_withdrawn(award, procurement_officer):
    Award.objects.filter(pk=award.pk).update(status=Award.Status.CONTRACTED)

    with pytest.raises(services.AwardError) as caught:
        services.withdraw_award(actor=procurement_officer, award=award, reason="Too late.")

    assert str(caught.value) == (
        "The contract is entered into: the award can no longer be withdrawn"
    )


def test_a_colleague_off_the_team_cannot_withdraw(award, colleague):
    with pytest.raises(PolicyDenied):
        services.withdraw_award(actor=colleague, award=award, reason="Not mine.")


def test_withdrawing_on_the_page(client, award, project, procurement_officer):
    client.force_login(procurement_officer)
    url = reverse("calloffs:award-withdraw", args=[project.pk])

    page = text(client.get(url))
    missing = client.post(url, {"reason": ""})
    response = client.post(url, {"reason": "Wrong value."})

    assert reverse("calloffs:project", args=[project.pk]) in page
    assert 'href="#id_reason">Say why the award is withdrawn' in text(missing)
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.WITHDRAWN
    form_page = text(client.get(reverse("calloffs:award", args=[project.pk])))
    assert "was withdrawn on" in form_page
    assert "Wrong value." in form_page
    assert "Award the contract" in form_page
