"""Call-offs as OCDS: each contract's release package validates offline and links its
framework's process; every call-off in one package on the open-data page."""

import json
from datetime import date, datetime
from io import StringIO
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

import pytest

from frameworks import ocds as framework_ocds
from marketplace.calloffs import ocds
from marketplace.calloffs.selectors.register import contracts_for_open_data
from marketplace.competitions.models import Bid, Competition, Invitation
from tests import factories
from tests.ocds_schema import check_ocds_extras, validate_release_package

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PUBLISHED_AT = datetime(2026, 6, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture
def lot(db):
    return factories.framework_page(
        title="Grounds and parks", lots=[{"number": 2, "title": "Parks"}]
    ).lots.get()


@pytest.fixture
def contract(lot):
    supplier = factories.OrganisationFactory(
        kind="supplier", legal_name="Mow Ltd", ppon="PDDW-2534-TWPT"
    )
    return factories.contract(
        lot=lot,
        supplier=supplier,
        title="Park mowing",
        value="6000000.00",
        value_including_vat="7200000.00",
        starts_on=date(2026, 4, 1),
        ends_on=date(2028, 3, 31),
        entered_into_on=date(2026, 3, 20),
        details_notice_identifier="UK7-0001",
        details_notice_published_on=date(2026, 4, 2),
        kpis=[("Grass cut on schedule", "95%")],
    )


def package_for(*contracts) -> dict:
    loaded = contracts_for_open_data().filter(pk__in=[contract.pk for contract in contracts])
    return ocds.build_release_package(
        loaded, published_at=PUBLISHED_AT, uri="http://testserver/contracts/releases.json"
    )


def assert_valid(package: dict) -> None:
    assert validate_release_package(package) == []
    assert check_ocds_extras(package) == []


def test_a_direct_award_call_off_is_a_valid_release_of_its_own(contract, lot):
    package = package_for(contract)

    assert_valid(package)
    release = package["releases"][0]
    assert release["ocid"] == f"{settings.OCDS_OCID_PREFIX}-calloff-{contract.project.reference}"
    assert release["ocid"] != framework_ocds.ocid(lot.framework)
    assert release["tag"] == ["award", "contract"]
    assert release["buyer"] == {
        "id": framework_ocds.party_id(contract.buyer),
        "name": contract.buyer.name,
    }
    assert release["tender"] == {
        "id": contract.project.reference,
        "title": "Park mowing",
        "status": "complete",
        "procuringEntity": release["buyer"],
        "procurementMethod": "limited",
        "procurementMethodDetails": (
            "Procurement Act 2023: call-off under a framework agreement, direct award "
            "(Single supplier)"
        ),
        "competitive": False,
        "techniques": {
            "hasFrameworkAgreement": True,
            "frameworkAgreement": {"method": "withoutReopeningCompetition"},
        },
    }


def test_the_release_points_at_the_frameworks_process_and_lot(contract, lot):
    related = package_for(contract)["releases"][0]["relatedProcesses"]

    assert related == [
        {
            "id": "framework",
            "relationship": ["framework"],
            "title": "Grounds and parks, lot 2: Parks",
            "scheme": "ocid",
            "identifier": framework_ocds.ocid(lot.framework),
            "uri": f"http://testserver{reverse('frameworks:ocds', args=(lot.framework.slug,))}",
        }
    ]


def test_the_framework_link_resolves_to_the_frameworks_release(client, contract, lot):
    package = json.loads(client.get(reverse("contracts:ocds", args=(contract.reference,))).content)
    related = package["releases"][0]["relatedProcesses"][0]

    framework_package = json.loads(client.get(urlparse(related["uri"]).path).content)

    assert framework_package["releases"][0]["ocid"] == related["identifier"]
    lot_ids = [lot["id"] for lot in framework_package["releases"][0]["tender"]["lots"]]
    assert "lot-2" in lot_ids


def test_parties_award_and_contract(contract):
    release = package_for(contract)["releases"][0]

    buyer_party, supplier_party = release["parties"]
    assert buyer_party["roles"] == ["buyer", "procuringEntity"]
    assert supplier_party["roles"] == ["supplier"]
    assert supplier_party["name"] == "Mow Ltd"
    assert supplier_party["additionalIdentifiers"] == [
        {"scheme": "GB-PPON", "id": "PDDW-2534-TWPT", "legalName": "Mow Ltd"}
    ]
    supplier_reference = {"id": supplier_party["id"], "name": "Mow Ltd"}
    period = {"startDate": "2026-04-01T00:00:00+01:00", "endDate": "2028-03-31T23:59:59+01:00"}
    award = release["awards"][0]
    assert award["id"] == f"award-{contract.award.pk}"
    assert award["suppliers"] == [supplier_reference]
    assert award["value"] == {"amount": 6000000, "currency": "GBP"}
    assert award["contractPeriod"] == period
    assert award["status"] == "active"
    assert award["description"].startswith(
        f"Contract award notice {contract.award.notice_identifier}"
    )
    signed = release["contracts"][0]
    assert signed["id"] == contract.reference
    assert signed["awardID"] == award["id"]
    assert signed["value"] == {"amount": 6000000, "currency": "GBP"}
    assert signed["period"] == period
    assert signed["dateSigned"] == "2026-03-20T00:00:00+00:00"
    assert signed["status"] == "active"
    assert "Contract details notice UK7-0001 published 2026-04-02." in signed["description"]
    assert signed["documents"][0]["url"] == (
        f"http://testserver{reverse('contracts:detail', args=(contract.reference,))}"
    )


def test_the_contract_status_follows_its_dates(contract):
    assert ocds.contract_status(contract, today=date(2026, 3, 31)) == "pending"
    assert ocds.contract_status(contract, today=date(2028, 3, 31)) == "active"
    assert ocds.contract_status(contract, today=date(2028, 4, 1)) == "terminated"


def test_further_competition_is_selective_and_competitive(lot):
    contract = factories.contract(lot=lot, route="further_competition", rules_applied="pcr2015")

    package = package_for(contract)

    assert_valid(package)
    tender = package["releases"][0]["tender"]
    assert tender["procurementMethod"] == "selective"
    assert tender["competitive"] is True
    assert tender["techniques"]["frameworkAgreement"] == {"method": "withReopeningCompetition"}
    assert tender["procurementMethodDetails"] == (
        "Public Contracts Regulations 2015 (the framework's regime): call-off under a framework "
        "agreement, further competition"
    )
    assert "description" not in package["releases"][0]["awards"][0]


def test_a_further_competitions_tenderers_are_the_suppliers_who_bid(lot):
    winner, runner_up, drafted, invited = (
        factories.OrganisationFactory(kind="supplier", legal_name=name)
        for name in ("B Grounds Ltd", "A Grounds Ltd", "C Draft Ltd", "D Invited Ltd")
    )
    contract = factories.contract(lot=lot, supplier=winner, route="further_competition")
    competition = Competition.objects.create(
        project=contract.project,
        created_by=contract.project.created_by,
        status=Competition.Status.AWARDED,
    )
    for supplier in (winner, runner_up, drafted, invited):
        Invitation.objects.create(competition=competition, supplier=supplier, invited=True)
    for supplier, status in ((winner, "submitted"), (runner_up, "submitted"), (drafted, "draft")):
        Bid.objects.create(competition=competition, supplier=supplier, status=status)
    direct = factories.contract(lot=lot)

    package = package_for(contract, direct)

    assert_valid(package)
    release, direct_release = sorted(
        package["releases"], key=lambda r: r["ocid"] != ocds.ocid(contract)
    )
    assert release["tender"]["competitive"] is True
    assert release["tender"]["tenderers"] == [
        {"id": framework_ocds.party_id(runner_up), "name": runner_up.name},
        {"id": framework_ocds.party_id(winner), "name": winner.name},
    ]
    assert release["tender"]["numberOfTenderers"] == 2
    assert [(party["name"], party["roles"]) for party in release["parties"]] == [
        (contract.buyer.name, ["buyer", "procuringEntity"]),
        (winner.name, ["supplier", "tenderer"]),
        (runner_up.name, ["tenderer"]),
    ]
    assert "tenderers" not in direct_release["tender"]


def test_published_assessments_are_implementation_documents(contract):
    kpi = contract.award.kpis.get()
    assessment = factories.performance_assessment(
        contract=contract,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        summary="Good first half.",
        ratings=[(kpi, "good", "")],
    )

    package = package_for(contract)

    assert_valid(package)
    documents = package["releases"][0]["contracts"][0]["implementation"]["documents"]
    assert [
        (document["id"], document["title"], document["description"]) for document in documents
    ] == [
        (
            f"assessment-{assessment.pk}",
            "Performance assessment, 2026-04-01 to 2026-09-30",
            "Good first half.",
        )
    ]


def test_the_contracts_ocds_download_is_its_release_package(client, contract):
    url = reverse("contracts:ocds", args=(contract.reference,))

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    package = json.loads(response.content)
    assert_valid(package)
    assert package["uri"] == f"http://testserver{url}"
    assert [release["ocid"] for release in package["releases"]] == [ocds.ocid(contract)]


def test_every_call_off_is_one_package_linked_from_open_data(client, contract, lot):
    other = factories.contract(lot=lot, route="further_competition")
    open_data = client.get(reverse("opendata:index")).content.decode()
    url = reverse("contracts:ocds-all")
    assert f'href="{url}"' in open_data

    package = json.loads(client.get(url).content)

    assert_valid(package)
    assert {release["ocid"] for release in package["releases"]} == {
        ocds.ocid(contract),
        ocds.ocid(other),
    }


def test_the_all_call_offs_package_makes_as_many_queries_for_30_as_for_3(
    client, lot, django_assert_max_num_queries
):
    for _ in range(3):
        factories.contract(lot=lot)
    url = reverse("contracts:ocds-all")
    client.get(url)
    with django_assert_max_num_queries(3):
        client.get(url)
    for _ in range(27):
        factories.contract(lot=lot)
    with django_assert_max_num_queries(3):
        assert len(json.loads(client.get(url).content)["releases"]) == 30


def test_the_open_data_export_writes_every_call_off(contract, tmp_path):
    call_command("export_open_data", "--output", str(tmp_path), stdout=StringIO())

    package = json.loads((tmp_path / "calloffs.json").read_text())
    assert_valid(package)
    assert package["uri"] == f"http://testserver{reverse('contracts:ocds-all')}"
    assert [release["ocid"] for release in package["releases"]] == [ocds.ocid(contract)]
