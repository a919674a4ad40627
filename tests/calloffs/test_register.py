"""The public contracts register at /contracts/: the list, its filters and CSV, each
contract's page."""

import csv
import io
import re
from datetime import date
from html import unescape

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents.models import Document

import pytest

from marketplace.calloffs.views.register import CSV_COLUMNS
from tests import factories
from tests.helpers import queries_to_get

pytestmark = pytest.mark.django_db

LIST = "/contracts/"
CSV = "/contracts/contracts.csv"


def text(response) -> str:
    """The page's words, without markup."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def references(response) -> list[str]:
    return [contract.reference for contract in response.context["page_obj"]]


@pytest.fixture
def lot(db):
    return factories.framework_page(title="Grounds and parks").lots.get()


def test_the_register_lists_every_contract_newest_first(client, lot):
    older = factories.contract(lot=lot, entered_into_on=date(2026, 3, 1))
    newer = factories.contract(lot=lot, entered_into_on=date(2026, 5, 1))

    response = client.get(LIST)

    assert response.status_code == 200
    assert references(response) == [newer.reference, older.reference]
    assert "2 contracts" in text(response)


def test_an_empty_register_says_so(client):
    response = client.get(LIST)

    assert "No contract has been entered into yet." in text(response)


def test_the_footer_links_the_register(client):
    response = client.get(reverse("opendata:index"))

    assert f'href="{LIST}"' in response.content.decode()


def test_filters_narrow_the_list_by_each_field(client, lot):
    buyer = factories.OrganisationFactory(kind="buyer", legal_name="Leeds City Council")
    supplier = factories.OrganisationFactory(kind="supplier", legal_name="Mow Ltd")
    other_lot = factories.framework_page().lots.get()
    match = factories.contract(
        lot=lot,
        buyer=buyer,
        supplier=supplier,
        value="50000.00",
        entered_into_on=date(2026, 4, 10),
    )
    factories.contract(lot=lot, buyer=buyer, value="50000.00", entered_into_on=date(2026, 2, 1))
    factories.contract(lot=other_lot, supplier=supplier, value="900.00")
    factories.contract(
        lot=lot, route="further_competition", value="50000.00", entered_into_on=date(2026, 4, 10)
    )

    for filters in [
        {"buyer": buyer.pk, "supplier": supplier.pk},
        {"framework": lot.framework_id, "route": "direct_award", "entered_from": "1/4/2026"},
        {
            "lot": lot.pk,
            "value_min": "10000",
            "value_max": "60000",
            "entered_to": "2026-04-30",
            "entered_from": "2026-04-01",
            "route": "direct_award",
        },
    ]:
        response = client.get(LIST, filters)

        assert references(response) == [match.reference], filters


def test_a_filter_that_matches_nothing_says_so_and_offers_to_clear(client, lot):
    factories.contract(lot=lot, value="500.00")

    response = client.get(LIST, {"value_min": "1000"})

    assert references(response) == []
    assert "No contract matches your filters." in text(response)
    assert f'<a class="govuk-link" href="{LIST}">Clear the filters</a>' in response.content.decode()


def test_a_bad_filter_value_is_reported_and_ignored(client, lot):
    contract = factories.contract(lot=lot)

    response = client.get(LIST, {"entered_from": "last year", "value_min": "lots"})

    assert references(response) == [contract.reference]
    page = text(response)
    assert "There is a problem" in page
    assert "Enter a valid date." in page
    assert "Enter a number." in page
    assert "<title>Error: Contracts register" in response.content.decode()


def test_the_list_pages_and_keeps_its_filters(client, lot):
    for _ in range(27):
        factories.contract(lot=lot)

    response = client.get(LIST, {"route": "direct_award", "page": 2})

    assert len(references(response)) == 2
    assert "?route=direct_award&amp;page=1" in response.content.decode()


def test_the_list_makes_as_many_queries_for_30_contracts_as_for_3(client, lot):
    for _ in range(3):
        factories.contract(lot=lot)
    client.get(LIST)  # the first request after a page is published also caches the navigation
    few = queries_to_get(client, LIST)
    few_filtered = queries_to_get(client, LIST, {"lot": lot.pk, "buyer": ""})
    for _ in range(27):
        factories.contract(lot=lot)

    assert queries_to_get(client, LIST) == few
    assert queries_to_get(client, LIST, {"lot": lot.pk, "buyer": ""}) == few_filtered


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_holds_the_filtered_contracts_with_a_stable_header(client, lot):
    supplier = factories.OrganisationFactory(
        kind="supplier", legal_name="Mow Ltd", ppon="PDDW-2534-TWPT"
    )
    contract = factories.contract(
        lot=lot,
        supplier=supplier,
        value="1234.5",
        value_including_vat="1481.40",
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        entered_into_on=date(2026, 3, 20),
        title="Park mowing",
        details_notice_identifier="UK7-0001",
    )
    factories.contract(lot=lot, route="further_competition")

    response = client.get(CSV, {"route": "direct_award"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="contracts-register.csv"'
    assert csv_rows(response) == [
        CSV_COLUMNS,
        [
            contract.reference,
            "Park mowing",
            contract.buyer.name,
            "Mow Ltd",
            "PDDW-2534-TWPT",
            "Grounds and parks",
            f"Lot 1: {lot.title}",
            "Direct award",
            "1234.50",
            "1481.40",
            "2026-04-01",
            "2027-03-31",
            "2026-03-20",
            contract.award.notice_identifier,
            "UK7-0001",
        ],
    ]


def test_the_list_links_the_csv_with_its_filters(client, lot):
    factories.contract(lot=lot)

    response = client.get(LIST, {"route": "direct_award", "page": "1"})

    assert f'href="{CSV}?route=direct_award"' in response.content.decode()


def test_a_contracts_page_shows_what_the_register_publishes(client, lot):
    supplier = factories.OrganisationFactory(
        kind="supplier", legal_name="Mow Ltd", ppon="PDDW-2534-TWPT"
    )
    contract = factories.contract(
        lot=lot,
        supplier=supplier,
        value="6000000.00",
        value_including_vat="7200000.00",
        starts_on=date(2026, 4, 1),
        ends_on=date(2028, 3, 31),
        entered_into_on=date(2026, 3, 20),
        title="Park mowing",
        kpis=[("Grass cut on schedule", "95% of cuts on time"), ("Complaints", "Under 5 a month")],
    )
    response = client.get(reverse("contracts:detail", args=(contract.reference,)))

    page, html = text(response), response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Park mowing</h1>' in html
    for expected in [
        f"Buyer {contract.buyer.name}",
        "Supplier Mow Ltd PPON PDDW-2534-TWPT",
        f"Lot Lot 1: {lot.title}",
        "Route Direct award (single supplier)",
        "Value £6,000,000.00 excluding VAT £7,200,000.00 including VAT",
        "Contract period 1 April 2026 to 31 March 2028",
        "Entered into 20 March 2026",
        "Rules applied Procurement Act 2023",
        f"Contract award notice {contract.award.notice_identifier} published",
        "Grass cut on schedule 95% of cuts on time",
        "No performance assessment has been published yet.",
    ]:
        assert expected in page, expected
    assert f'<a class="govuk-link" href="{lot.framework.url}">Grounds and parks</a>' in html
    assert f'href="{reverse("contracts:ocds", args=(contract.reference,))}"' in html
    # Nothing private: the reason for the selection and the people are not shown.
    assert contract.award.selection_reason not in page
    assert contract.entered_into_by.email not in page


def test_a_pcr_call_off_says_the_acts_notices_do_not_apply(client, lot):
    contract = factories.contract(lot=lot, rules_applied="pcr2015")

    page = text(client.get(reverse("contracts:detail", args=(contract.reference,))))

    assert "Public Contracts Regulations 2015 (the framework's regime)" in page
    assert "The Procurement Act 2023's notices do not apply to this call-off." in page


def test_a_contracts_page_shows_the_reason_for_no_kpis(client, lot):
    contract = factories.contract(lot=lot)
    contract.award.kpi_none_reason = "A one-off delivery."
    contract.award.save()

    page = text(client.get(reverse("contracts:detail", args=(contract.reference,))))

    assert "No key performance indicators were set: A one-off delivery." in page


def test_a_contracts_page_shows_published_assessments_and_the_document(client, lot):
    contract = factories.contract(lot=lot, kpis=[("Grass cut on schedule", "95%")])
    kpi = contract.award.kpis.get()
    factories.performance_assessment(
        contract=contract,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        summary="Good first half.",
        ratings=[(kpi, "approaching_target", "93% on time")],
    )
    document = Document(title="Signed contract")
    document.file.save("contract.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    contract.contract_document = document
    contract.save()

    response = client.get(reverse("contracts:detail", args=(contract.reference,)))
    page = text(response)

    assert "1 April 2026 to 30 September 2026 Good first half." in page
    assert "Grass cut on schedule Approaching target 93% on time" in page
    assert f'href="{document.url}" id="contract-document">Signed contract' in (
        response.content.decode()
    )


def test_an_unknown_reference_is_not_found(client):
    assert client.get(reverse("contracts:detail", args=("CT-2026-000000",))).status_code == 404
    assert client.get(reverse("contracts:ocds", args=("CT-2026-000000",))).status_code == 404


def test_the_register_is_reached_from_the_open_data_page(client, lot):
    contract = factories.contract(lot=lot)

    open_data = client.get(reverse("opendata:index")).content.decode()
    listing = client.get(LIST).content.decode()

    assert f'href="{LIST}"' in open_data
    assert f'href="{reverse("contracts:detail", args=(contract.reference,))}"' in listing
