"""The contract award notice (UK6): its data, recording the published notice, the voluntary
standstill it may state, and when the contract can be entered into."""

import json
import re
from datetime import date
from html import unescape

from django.urls import reverse

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import Award
from marketplace.calloffs.notices import contract_award_notice
from marketplace.calloffs.services import awards as services

from .award_setup import (
    PCR_2015_FRAMEWORK,
    award_lot,
    awarded_on,
    make_award,
    project_to_award,
    set_threshold,
)

pytestmark = pytest.mark.django_db

KPIS = [{"title": "Grass cut on schedule", "target": "95% of cuts on the planned day"}]
# St Andrew's Day, a bank holiday in Scotland alone, is Monday 30 November 2026.
PUBLISHED = date(2026, 11, 26)
EARLIEST_END = date(2026, 12, 8)


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


@pytest.fixture
def project(buyer, procurement_officer):
    buyer.ppon = "PMZV-7311-HQRT"
    buyer.save()
    return project_to_award(buyer=buyer, officer=procurement_officer)


@pytest.fixture
def award(project, procurement_officer):
    made = make_award(actor=procurement_officer, project=project, kpis=KPIS)
    return awarded_on(made, date(2026, 11, 20))


def record(award, actor, **fields):
    return services.record_award_notice(
        actor=actor,
        award=award,
        **{
            "identifier": "2026/S 000-123456",
            "published_on": PUBLISHED,
            "standstill_ends_on": None,
            **fields,
        },
    )


def test_the_uk6_data_says_what_the_notice_needs(award, project, buyer):
    framework = project.lot.framework

    assert contract_award_notice(award) == {
        "notice_type": "UK6",
        "procurement": {
            "framework": framework.title,
            "framework_reference": framework.reference,
            "procurement_identifier": f"{framework.reference}-CAN",
            "lot": {"number": 1, "title": "Grounds maintenance"},
        },
        "buyer": {
            "name": buyer.name,
            "ppon": "PMZV-7311-HQRT",
            "address": {"line_1": "", "line_2": "", "town": "Manchester", "postcode": "M1 1AA"},
            "email": buyer.contact_email,
        },
        "supplier": {
            "name": "Greenway Grounds Ltd",
            "ppon": "PDDW-2534-TWPT",
            "address": {
                "line_1": "1 Park Road",
                "line_2": "Unit 4",
                "town": "Bolton",
                "postcode": "BL1 1AA",
            },
            "email": "bids@greenway.example",
        },
        "award": {
            "project_reference": project.reference,
            "route": "Direct award",
            "competitive": False,
            "mechanism": "Single supplier",
            "selection_reason": "The lot's one supplier.",
            "rules_applied": "Procurement Act 2023",
            "awarded_on": "2026-11-20",
        },
        "contract": {
            "title": "Parks grounds maintenance",
            "description": "Mowing, hedges and litter picking at 12 parks.",
            "value_excluding_vat": "100000.00",
            "value_including_vat": "120000.00",
            "currency": "GBP",
            "starts_on": "2027-04-01",
            "ends_on": "2029-03-31",
            "light_touch": False,
            "kpis": KPIS,
            "kpi_none_reason": "",
        },
    }


def test_the_uk6_data_downloads_as_json(client, award, project, procurement_officer):
    client.force_login(procurement_officer)

    response = client.get(reverse("calloffs:award-notice-json", args=[project.pk]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="{project.reference}-contract-award-notice.json"'
    )
    assert json.loads(response.content) == contract_award_notice(award)


def test_the_notice_page_shows_the_data_and_links_back(client, award, project, procurement_officer):
    client.force_login(procurement_officer)

    page = text(client.get(reverse("calloffs:award-notice", args=[project.pk])))

    assert "Contract award notice (UK6)" in page
    assert "PDDW-2534-TWPT" in page
    assert "1 Park Road<br>Unit 4<br>Bolton<br>BL1 1AA" in page
    assert "bids@greenway.example" in page
    assert "£100,000.00 excluding VAT<br>£120,000.00 including VAT" in page
    assert reverse("calloffs:project", args=[project.pk]) in page
    assert reverse("calloffs:award-notice-json", args=[project.pk]) in page


def test_recording_the_notice_without_a_standstill(award, procurement_officer):
    recorded = record(award, procurement_officer)

    assert (recorded.notice_identifier, recorded.notice_published_on) == (
        "2026/S 000-123456",
        PUBLISHED,
    )
    assert recorded.standstill_stated is False
    assert AuditEvent.objects.get(kind=AuditKind.AWARD_NOTICE_RECORDED).data == {
        "award": award.pk,
        "identifier": "2026/S 000-123456",
        "published_on": "2026-11-26",
        "standstill_stated": False,
        "standstill_ends_on": None,
    }
    assert services.entry_problem(recorded, on=PUBLISHED) is None


def test_the_standstill_counts_a_scottish_only_bank_holiday(award, procurement_officer):
    assert services.earliest_standstill_end(PUBLISHED) == EARLIEST_END

    with pytest.raises(services.AwardError) as caught:
        record(award, procurement_officer, standstill_ends_on=date(2026, 12, 7))

    assert str(caught.value) == (
        "The standstill must last at least 8 working days from publication: it ends on "
        "8 December 2026 or later"
    )
    award.refresh_from_db()
    assert award.notice_identifier == ""
    assert not AuditEvent.objects.filter(kind=AuditKind.AWARD_NOTICE_RECORDED).exists()


def test_no_contract_before_the_standstill_ends(award, procurement_officer):
    recorded = record(award, procurement_officer, standstill_ends_on=EARLIEST_END)

    assert recorded.standstill_stated is True
    assert services.entry_problem(recorded, on=EARLIEST_END) == (
        "The voluntary standstill ends on 8 December 2026: the contract can be entered into "
        "from 9 December 2026"
    )
    assert services.entry_problem(recorded, on=date(2026, 12, 9)) is None


def test_under_the_act_no_contract_before_the_notice(award):
    assert services.entry_problem(award, on=date(2026, 12, 9)) == (
        "Record the contract award notice first: under the Procurement Act 2023 it is "
        "published before the contract is entered into (s.50)"
    )


def test_no_contract_before_the_notice_is_published(award, procurement_officer):
    recorded = record(award, procurement_officer)

    assert services.entry_problem(recorded, on=date(2026, 11, 25)) == (
        "The contract award notice is published on 26 November 2026: enter into the contract "
        "after it"
    )


def test_no_contract_while_the_award_waits_for_sign_off(buyer, procurement_officer):
    set_threshold(buyer, "1.00")
    project = project_to_award(buyer=buyer, officer=procurement_officer)
    waiting = make_award(actor=procurement_officer, project=project)

    assert services.entry_problem(waiting, on=date(2027, 1, 4)) == (
        "The award is awaiting sign-off: a contract can be entered into only once it is awarded"
    )


def test_a_notice_dated_before_the_award_is_refused(award, procurement_officer):
    with pytest.raises(services.AwardError) as caught:
        record(award, procurement_officer, published_on=date(2026, 11, 19))

    assert str(caught.value) == (
        "The notice cannot be published before the award took effect on 20 November 2026"
    )


def test_the_notice_is_recorded_once(award, procurement_officer):
    record(award, procurement_officer)

    with pytest.raises(services.AwardError) as caught:
        record(award, procurement_officer, identifier="another")

    assert str(caught.value) == "The contract award notice is already recorded"


def test_recording_on_the_page_refuses_a_short_standstill(
    client, award, project, procurement_officer
):
    client.force_login(procurement_officer)
    url = reverse("calloffs:award-notice", args=[project.pk])

    response = client.post(
        url,
        {
            "identifier": "2026/S 000-123456",
            "published_on_day": "26",
            "published_on_month": "11",
            "published_on_year": "2026",
            "standstill": "yes",
            "standstill_ends_on_day": "7",
            "standstill_ends_on_month": "12",
            "standstill_ends_on_year": "2026",
        },
    )

    assert response.status_code == 200
    assert 'href="#id_standstill_ends_on">The standstill must last at least 8 working days' in text(
        response
    )
    award.refresh_from_db()
    assert award.notice_identifier == ""


def test_recording_on_the_page(client, award, project, procurement_officer):
    client.force_login(procurement_officer)
    url = reverse("calloffs:award-notice", args=[project.pk])

    response = client.post(
        url,
        {
            "identifier": "2026/S 000-123456",
            "published_on_day": "26",
            "published_on_month": "11",
            "published_on_year": "2026",
            "standstill": "yes",
            "standstill_ends_on_day": "8",
            "standstill_ends_on_month": "12",
            "standstill_ends_on_year": "2026",
        },
    )

    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.standstill_stated, award.standstill_ends_on) == (True, EARLIEST_END)
    assert "Ends on 8 December 2026" in text(client.get(url))


def test_under_pcr_2015_the_page_says_the_acts_notices_do_not_apply(
    client, buyer, procurement_officer
):
    lot = award_lot(framework_fields=PCR_2015_FRAMEWORK)
    project = project_to_award(buyer=buyer, officer=procurement_officer, lot=lot)
    award = make_award(actor=procurement_officer, project=project)
    client.force_login(procurement_officer)

    page = text(client.get(reverse("calloffs:award-notice", args=[project.pk])))

    assert (
        "This call-off followed the Public Contracts Regulations 2015 (the framework's regime). "
        "The Procurement Act 2023's contract award and contract details notices do not apply"
    ) in page
    assert "Record the notice" not in page
    assert services.entry_problem(award, on=date(2027, 1, 4)) is None
    with pytest.raises(services.AwardError) as caught:
        record(award, procurement_officer)
    assert str(caught.value) == (
        "The call-off followed Public Contracts Regulations 2015 (the framework's regime): "
        "the Act's notices do not apply"
    )
    assert Award.objects.get(pk=award.pk).notice_identifier == ""
