"""Entering into a call-off contract (services.contracts.enter_into_contract)."""

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import Award, BuyingProject, Contract
from marketplace.calloffs.services import contracts as services
from marketplace.calloffs.services.contracts import ContractError
from marketplace.organisations.policy import PolicyDenied
from tests import factories

pytestmark = pytest.mark.django_db


def enter(award, actor, on=None):
    return services.enter_into_contract(
        actor=actor, project=award.project, entered_into_on=on or timezone.localdate()
    )


def nothing_entered(award) -> bool:
    award.refresh_from_db()
    award.project.refresh_from_db()
    return (
        not Contract.objects.exists()
        and award.status == Award.Status.AWARDED
        and award.project.status == BuyingProject.Status.AWARDED
    )


def test_entering_into_the_contract_puts_it_in_the_register(buyer, procurement_officer):
    award = factories.standing_award(
        buyer=buyer, officer=procurement_officer, value="250000.00", title="Parks upkeep"
    )
    today = timezone.localdate()

    contract = enter(award, procurement_officer, on=today - timedelta(days=1))

    assert re.fullmatch(rf"CT-{contract.entered_into_on.year}-\d{{6}}", contract.reference)
    assert (contract.buyer, contract.supplier) == (buyer, award.supplier)
    assert (contract.framework, contract.lot) == (award.project.lot.framework, award.project.lot)
    assert contract.route == "direct_award"
    assert contract.title == "Parks upkeep"
    assert contract.description == award.description
    assert (contract.value, contract.value_including_vat) == (
        Decimal("250000.00"),
        Decimal("300000.00"),
    )
    assert (contract.starts_on, contract.ends_on) == (award.starts_on, award.ends_on)
    assert contract.entered_into_on == today - timedelta(days=1)
    assert contract.entered_into_by == procurement_officer
    award.refresh_from_db()
    award.project.refresh_from_db()
    assert award.status == Award.Status.CONTRACTED
    assert award.project.status == BuyingProject.Status.CONTRACTED


def test_the_contract_details_notice_is_due_30_days_after_entry(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    entered = timezone.localdate() - timedelta(days=2)

    contract = enter(award, procurement_officer, on=entered)

    assert contract.details_notice_due_on == entered + timedelta(days=30)


def test_a_light_touch_contract_has_120_days_for_its_details_notice(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer, is_light_touch=True)
    entered = timezone.localdate()

    contract = enter(award, procurement_officer, on=entered)

    assert contract.details_notice_due_on == entered + timedelta(days=120)


@pytest.mark.parametrize("rules", ["pcr2015", "devolved_scottish"])
def test_no_details_notice_is_due_where_the_act_did_not_apply(buyer, procurement_officer, rules):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer, rules_applied=rules)

    contract = enter(award, procurement_officer)

    assert contract.details_notice_due_on is None


def test_entry_is_refused_until_the_stated_standstill_has_ended(buyer, procurement_officer):
    today = timezone.localdate()
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        notice_published_on=today - timedelta(days=14),
        standstill_ends_on=today,
    )

    with pytest.raises(ContractError) as refusal:
        enter(award, procurement_officer, on=today)

    assert refusal.value.code == "entered_into_on"
    assert str(refusal.value).startswith("The voluntary standstill ends on ")
    assert nothing_entered(award)


def test_entry_is_allowed_the_day_after_the_standstill_ends(buyer, procurement_officer):
    today = timezone.localdate()
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        notice_published_on=today - timedelta(days=14),
        standstill_ends_on=today - timedelta(days=1),
    )

    contract = enter(award, procurement_officer, on=today)

    assert contract.entered_into_on == today


def test_entry_is_refused_before_the_award_notice_under_the_act(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    Award.objects.filter(pk=award.pk).update(notice_identifier="", notice_published_on=None)

    with pytest.raises(ContractError) as refusal:
        enter(award, procurement_officer)

    assert str(refusal.value).startswith("Record the contract award notice first")
    assert nothing_entered(award)


def test_entry_date_in_the_future_is_refused(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)

    with pytest.raises(ContractError) as refusal:
        enter(award, procurement_officer, on=timezone.localdate() + timedelta(days=1))

    assert str(refusal.value) == (
        "The date the contract was entered into must be today or in the past"
    )
    assert nothing_entered(award)


def test_a_withdrawn_award_cannot_be_entered_into(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    Award.objects.filter(pk=award.pk).update(
        status=Award.Status.WITHDRAWN, withdrawal_reason="Budget cut."
    )

    with pytest.raises(ContractError) as refusal:
        enter(award, procurement_officer)

    assert str(refusal.value) == "This project has no award to enter into a contract for"
    assert not Contract.objects.exists()


def test_a_supplier_debarred_since_the_award_is_refused(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    factories.debarment_entry(supplier=award.supplier)

    with pytest.raises(ContractError):
        enter(award, procurement_officer)

    assert nothing_entered(award)


def test_a_contract_is_entered_into_once(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    enter(award, procurement_officer)

    with pytest.raises(ContractError):
        enter(award, procurement_officer)

    assert Contract.objects.count() == 1


def test_a_colleague_off_the_team_cannot_enter_into_the_contract(
    buyer, procurement_officer, colleague
):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)

    with pytest.raises(PolicyDenied):
        enter(award, colleague)

    assert nothing_entered(award)


def test_another_organisations_officer_cannot_enter_into_the_contract(
    buyer, procurement_officer, outsider
):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)

    with pytest.raises(PolicyDenied):
        enter(award, outsider)

    assert nothing_entered(award)


def test_an_approver_of_the_buyer_may_enter_into_the_contract(buyer, procurement_officer, approver):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)

    assert enter(award, approver).entered_into_by == approver


def test_entering_into_the_contract_is_audited(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)

    contract = enter(award, procurement_officer)

    events = AuditEvent.objects.filter(kind=AuditKind.CONTRACT_ENTERED_INTO).order_by("pk")
    assert [event.target_repr for event in events] == [
        str(award),
        str(award.project),
        str(contract),
    ]
    assert [event.data.get("to") for event in events] == ["contracted", "contracted", None]
    assert events[2].data["details_notice_due_on"] == contract.details_notice_due_on.isoformat()
    assert {event.organisation_id for event in events} == {buyer.pk}
