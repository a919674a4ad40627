"""The contract details notice (UK7, s.53): its data, recording it, and flagging it late."""

from datetime import timedelta

from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.details_notice import contract_details_notice
from marketplace.calloffs.selectors.contracts import late_details_notices
from marketplace.calloffs.services import contracts as services
from marketplace.calloffs.services.contracts import ContractError
from marketplace.organisations.policy import PolicyDenied
from tests import factories

pytestmark = pytest.mark.django_db

KPIS = [
    ("Response time", "95% of call-outs within 4 hours"),
    ("Satisfaction", "At least 4 out of 5"),
    ("Local jobs", "2 apprentices a year"),
]


def entered(award, actor, on=None):
    return services.enter_into_contract(
        actor=actor, project=award.project, entered_into_on=on or timezone.localdate()
    )


def test_a_details_notice_not_recorded_by_its_due_date_is_late(buyer, procurement_officer):
    entry = timezone.localdate()
    award = factories.standing_award(
        buyer=buyer, officer=procurement_officer, notice_published_on=entry - timedelta(days=1)
    )
    contract = entered(award, procurement_officer, on=entry)
    due = entry + timedelta(days=30)

    on_the_day = late_details_notices(organisation=buyer, today=due)
    the_day_after = late_details_notices(organisation=buyer, today=due + timedelta(days=1))

    assert list(on_the_day) == []
    assert list(the_day_after) == [contract]


def test_a_recorded_details_notice_is_not_late(buyer):
    today = timezone.localdate()
    factories.contract(
        buyer=buyer,
        details_notice_due_on=today - timedelta(days=5),
        details_notice_identifier="UK7-1",
        details_notice_published_on=today - timedelta(days=6),
    )

    assert list(late_details_notices(organisation=buyer, today=today)) == []


def test_late_notices_are_the_organisations_own(buyer, other_buyer):
    today = timezone.localdate()
    factories.contract(buyer=other_buyer, details_notice_due_on=today - timedelta(days=5))

    assert list(late_details_notices(organisation=buyer, today=today)) == []


def test_a_light_touch_notice_is_late_only_after_120_days(buyer, procurement_officer):
    entry = timezone.localdate()
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        is_light_touch=True,
        notice_published_on=entry - timedelta(days=1),
    )
    contract = entered(award, procurement_officer, on=entry)

    assert list(late_details_notices(organisation=buyer, today=entry + timedelta(days=120))) == []
    assert list(late_details_notices(organisation=buyer, today=entry + timedelta(days=121))) == [
        contract
    ]


def test_no_notice_is_ever_late_under_pcr_2015(buyer, procurement_officer):
    award = factories.standing_award(
        buyer=buyer, officer=procurement_officer, rules_applied="pcr2015"
    )
    contract = entered(award, procurement_officer)

    assert contract.details_notice_due_on is None
    assert (
        list(
            late_details_notices(
                organisation=buyer, today=timezone.localdate() + timedelta(days=999)
            )
        )
        == []
    )


def test_recording_the_notice_under_pcr_2015_is_refused(buyer, procurement_officer):
    award = factories.standing_award(
        buyer=buyer, officer=procurement_officer, rules_applied="pcr2015"
    )
    contract = entered(award, procurement_officer)

    with pytest.raises(ContractError) as refusal:
        services.record_details_notice(
            actor=procurement_officer,
            contract=contract,
            identifier="UK7-1",
            published_on=timezone.localdate(),
        )

    assert str(refusal.value) == (
        "This contract followed rules under which no contract details notice is due"
    )


def test_recording_the_notice_is_audited(buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    contract = entered(award, procurement_officer)
    today = timezone.localdate()

    services.record_details_notice(
        actor=procurement_officer, contract=contract, identifier=" UK7-42 ", published_on=today
    )

    contract.refresh_from_db()
    assert (contract.details_notice_identifier, contract.details_notice_published_on) == (
        "UK7-42",
        today,
    )
    event = AuditEvent.objects.get(kind=AuditKind.CONTRACT_DETAILS_NOTICE_RECORDED)
    assert event.target_repr == str(contract)
    assert event.data["identifier"] == "UK7-42"
    assert event.data["published_on"] == today.isoformat()
    assert event.actor_id == procurement_officer.pk


@pytest.mark.parametrize(
    ("identifier", "days_after_entry", "message"),
    [
        ("", 0, "Enter the notice's identifier"),
        ("UK7-1", -1, "The notice cannot be published before the contract was entered into"),
        ("UK7-1", 1, "The publication date must be today or in the past"),
    ],
)
def test_a_bad_notice_record_is_refused_and_nothing_saved(
    buyer, procurement_officer, identifier, days_after_entry, message
):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    contract = entered(award, procurement_officer)

    with pytest.raises(ContractError) as refusal:
        services.record_details_notice(
            actor=procurement_officer,
            contract=contract,
            identifier=identifier,
            published_on=contract.entered_into_on + timedelta(days=days_after_entry),
        )

    assert str(refusal.value).startswith(message)
    contract.refresh_from_db()
    assert contract.details_notice_identifier == ""
    assert not AuditEvent.objects.filter(kind=AuditKind.CONTRACT_DETAILS_NOTICE_RECORDED).exists()


def test_another_organisation_cannot_record_the_notice(buyer, procurement_officer, outsider):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    contract = entered(award, procurement_officer)

    with pytest.raises(PolicyDenied):
        services.record_details_notice(
            actor=outsider,
            contract=contract,
            identifier="UK7-1",
            published_on=timezone.localdate(),
        )


def test_the_notice_says_a_direct_award_was_not_competitive_and_why(buyer, procurement_officer):
    award = factories.standing_award(
        buyer=buyer, officer=procurement_officer, direct_award_method="ranked_rotation"
    )
    contract = entered(award, procurement_officer)

    notice = contract_details_notice(contract)

    assert notice["competitive_selection"] is False
    assert notice["direct_award"] == {
        "mechanism": "Ranked list with rotation",
        "explanation": (
            "Awarded without competition under the framework: offered to the highest-ranked "
            "supplier on the lot's ranked list, with rotation, who accepted."
        ),
        "framework_mechanism": contract.lot.direct_award_mechanism,
        "selection_reason": "The lot's one supplier.",
    }


def test_the_notice_of_a_further_competition_is_competitive(buyer):
    contract = factories.contract(buyer=buyer, route="further_competition")

    notice = contract_details_notice(contract)

    assert notice["competitive_selection"] is True
    assert notice["direct_award"] is None


def test_the_notice_gives_the_kpis_of_a_contract_over_five_million(buyer, procurement_officer):
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        value="5000000.00",
        value_including_vat="6000000.00",
        kpis=KPIS,
    )
    contract = entered(award, procurement_officer)

    notice = contract_details_notice(contract)

    assert notice["kpis_required"] is True
    assert notice["kpis"] == [
        {"title": title, "target": target, "social_value": False} for title, target in KPIS
    ]
    assert notice["kpi_none_reason"] == ""


def test_the_notice_gives_the_reason_for_setting_no_kpis(buyer, procurement_officer):
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        value="5000000.00",
        value_including_vat="6000000.00",
        kpi_none_reason="Delivery is a one-off licence purchase.",
    )
    contract = entered(award, procurement_officer)

    notice = contract_details_notice(contract)

    assert notice["kpis_required"] is True
    assert notice["kpis"] == []
    assert notice["kpi_none_reason"] == "Delivery is a one-off licence purchase."


def test_kpis_are_not_required_for_a_light_touch_contract(buyer, procurement_officer):
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        value="5000000.00",
        value_including_vat="6000000.00",
        is_light_touch=True,
    )

    assert contract_details_notice(entered(award, procurement_officer))["kpis_required"] is False


def test_the_notice_gives_the_contract_its_parties_and_dates(buyer, procurement_officer):
    award = factories.standing_award(
        buyer=buyer, officer=procurement_officer, value="1000.00", value_including_vat="1200.00"
    )
    contract = entered(award, procurement_officer)

    notice = contract_details_notice(contract)

    assert notice["notice"] == "UK7"
    assert notice["contract"]["value"] == "1000.00"
    assert notice["contract"]["value_including_vat"] == "1200.00"
    assert notice["contract"]["entered_into_on"] == contract.entered_into_on.isoformat()
    assert notice["due_on"] == (contract.entered_into_on + timedelta(days=30)).isoformat()
    assert notice["buyer"]["name"] == buyer.name
    assert notice["supplier"]["name"] == award.supplier.name
    assert notice["contract_award_notice"]["identifier"] == award.notice_identifier
    assert notice["rules_applied"] == "Procurement Act 2023"
    assert notice["contract_document"] is None
