"""The buyer's contract pages under /buying/: entering into the contract, the contract list,
the contract page, the contract details notice, the contract document and assessments."""

import json
import re
from datetime import date, timedelta
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import Contract, PerformanceAssessment
from marketplace.calloffs.services import contracts as services
from tests import factories
from tests.helpers import queries_to_get

pytestmark = pytest.mark.django_db

KPIS = [
    ("Response time", "95% of call-outs within 4 hours"),
    ("Satisfaction", "At least 4 out of 5"),
    ("Local jobs", "2 apprentices a year"),
]


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def date_input(name: str, day: date) -> dict:
    """What the GOV.UK date input's three boxes post for a day."""
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


@pytest.fixture
def officer_client(client, procurement_officer):
    client.force_login(procurement_officer)
    return client


@pytest.fixture
def award(buyer, procurement_officer):
    return factories.standing_award(buyer=buyer, officer=procurement_officer, kpis=KPIS)


@pytest.fixture
def contract(award, procurement_officer):
    return services.enter_into_contract(
        actor=procurement_officer,
        project=award.project,
        entered_into_on=timezone.localdate() - timedelta(days=3),
    )


def contract_urls(contract) -> list[str]:
    return [
        reverse(name, args=[contract.reference])
        for name in (
            "calloffs:contract-manage",
            "calloffs:contract-details-notice",
            "calloffs:contract-document",
            "calloffs:contract-assess",
        )
    ]


def pdf(name="contract.pdf", size=200) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n" + b"x" * (size - 9), content_type="application/pdf"
    )


def test_the_officer_enters_into_the_contract_from_the_project(officer_client, award):
    url = reverse("calloffs:enter-into-contract", args=[award.project.pk])
    today = timezone.localdate()

    page = officer_client.get(url)
    response = officer_client.post(url, date_input("entered_into_on", today))

    assert page.status_code == 200
    assert "Back to the project" in text(page)
    assert f'name="entered_into_on_day" type="text" inputmode="numeric" value="{today.day}"' in (
        text(page)
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("calloffs:contract-manage", args=[contract.reference])
    assert contract.entered_into_on == today


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "3", "2026", "Date the contract was entered into must include a day"),
        ("31", "2", "2026", "Date the contract was entered into must be a real date"),
        ("first", "March", "2026", "Date the contract was entered into must be a real date"),
        ("", "", "", "Enter the date the contract was entered into"),
    ],
)
def test_a_bad_entry_date_is_shown_and_nothing_is_entered(
    officer_client, award, day, month, year, message
):
    url = reverse("calloffs:enter-into-contract", args=[award.project.pk])

    response = officer_client.post(
        url,
        {"entered_into_on_day": day, "entered_into_on_month": month, "entered_into_on_year": year},
    )

    assert response.status_code == 200
    assert f'<a href="#id_entered_into_on">{message}</a>' in text(response)
    assert f'name="entered_into_on_month" type="text" inputmode="numeric" value="{month}"' in (
        text(response)
    )
    assert not Contract.objects.exists()


def test_the_entry_page_says_why_entry_must_wait(officer_client, buyer, procurement_officer):
    today = timezone.localdate()
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        notice_published_on=today - timedelta(days=10),
        standstill_ends_on=today,
    )
    url = reverse("calloffs:enter-into-contract", args=[award.project.pk])

    page = officer_client.get(url)
    response = officer_client.post(url, date_input("entered_into_on", today))

    assert "The voluntary standstill ends on " in text(page)
    assert 'name="entered_into_on_day"' not in text(page)
    assert response.status_code == 200
    assert not Contract.objects.exists()


def test_the_entry_page_of_an_entered_contract_goes_to_the_contract(officer_client, contract):
    response = officer_client.get(
        reverse("calloffs:enter-into-contract", args=[contract.project_id])
    )

    assert response["Location"] == reverse("calloffs:contract-manage", args=[contract.reference])


def test_another_organisation_gets_404_on_every_contract_url(client, outsider, contract):
    client.force_login(outsider)
    urls = [
        reverse("calloffs:enter-into-contract", args=[contract.project_id]),
        *contract_urls(contract),
        reverse("calloffs:contract-details-notice", args=[contract.reference]) + "?format=json",
    ]

    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert [client.post(url, {}).status_code for url in urls] == [404] * len(urls)


def test_another_organisation_gets_404_on_the_entry_url(client, outsider, award):
    client.force_login(outsider)
    url = reverse("calloffs:enter-into-contract", args=[award.project.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, date_input("entered_into_on", date(2026, 1, 1))).status_code == 404
    assert not Contract.objects.exists()


def test_an_unknown_reference_is_404(officer_client):
    assert officer_client.get("/buying/contracts/CT-2026-999999/").status_code == 404


def test_a_colleague_off_the_team_reads_but_cannot_act(client, colleague, contract):
    client.force_login(colleague)
    notice_url = reverse("calloffs:contract-details-notice", args=[contract.reference])

    pages = [client.get(url) for url in contract_urls(contract)]
    response = client.post(
        notice_url, {"identifier": "UK7-1", **date_input("published_on", timezone.localdate())}
    )

    assert [page.status_code for page in pages] == [200] * 4
    assert "Only the project's team" in text(response)
    contract.refresh_from_db()
    assert contract.details_notice_identifier == ""


def test_the_contract_list_flags_a_late_details_notice(officer_client, buyer):
    today = timezone.localdate()
    late = factories.contract(
        buyer=buyer, title="Late one", details_notice_due_on=today - timedelta(days=1)
    )
    factories.contract(buyer=buyer, title="On time", details_notice_due_on=today)

    response = officer_client.get(reverse("calloffs:contract-list"))

    assert text(response).count("Contract details notice late") == 1
    row = re.search(rf'id="contract-{late.reference}".*?</tr>', text(response)).group(0)
    assert "govuk-tag--red" in row
    assert "Contract details notice late" in row


def test_the_contract_list_shows_only_the_organisations_contracts(
    officer_client, buyer, other_buyer
):
    mine = factories.contract(buyer=buyer, title="Ours")
    factories.contract(buyer=other_buyer, title="Theirs")

    response = officer_client.get(reverse("calloffs:contract-list"))

    assert "Ours" in text(response)
    assert "Theirs" not in text(response)
    assert mine.reference in text(response)
    assert ">1 contract<" in text(response)


def test_the_contract_list_queries_do_not_grow(officer_client, buyer):
    lot = factories.framework_page().lots.get()
    factories.contract(buyer=buyer, lot=lot, kpis=KPIS)
    few = queries_to_get(officer_client, reverse("calloffs:contract-list"))
    for _number in range(6):
        factories.contract(buyer=buyer, lot=lot, kpis=KPIS, value_including_vat="6000000.00")

    many = queries_to_get(officer_client, reverse("calloffs:contract-list"))

    assert many <= few
    assert many <= 12


def test_the_contract_page_links_to_each_step_and_back(officer_client, contract):
    response = officer_client.get(reverse("calloffs:contract-manage", args=[contract.reference]))

    page = text(response)
    for url in [
        reverse("contracts:detail", args=[contract.reference]),
        reverse("calloffs:project", args=[contract.project_id]),
        reverse("calloffs:contract-list"),
        *contract_urls(contract)[1:],
    ]:
        assert f'href="{url}"' in page
    assert "Due by " in page
    assert "Response time: 95% of call-outs within 4 hours" in page


def test_the_contract_page_says_plainly_when_the_act_did_not_apply(
    officer_client, buyer, procurement_officer
):
    award = factories.standing_award(
        buyer=buyer, officer=procurement_officer, rules_applied="pcr2015"
    )
    contract = services.enter_into_contract(
        actor=procurement_officer, project=award.project, entered_into_on=timezone.localdate()
    )

    response = officer_client.get(reverse("calloffs:contract-manage", args=[contract.reference]))

    assert (
        "Public Contracts Regulations 2015 (the framework's regime). The Procurement Act "
        "2023's notices did not apply to this call-off"
    ) in text(response)
    assert "Not required: the Act's notices did not apply" in text(response)


def test_the_contract_page_queries_do_not_grow_with_assessments(officer_client, contract):
    kpis = list(contract.award.kpis.all())
    url = reverse("calloffs:contract-manage", args=[contract.reference])
    factories.performance_assessment(contract=contract, ratings=[(kpi, "good", "") for kpi in kpis])
    few = queries_to_get(officer_client, url)
    for _number in range(4):
        factories.performance_assessment(
            contract=contract, ratings=[(kpi, "good", "") for kpi in kpis]
        )

    assert queries_to_get(officer_client, url) <= few


def test_the_details_notice_is_recorded_from_its_page(officer_client, contract):
    url = reverse("calloffs:contract-details-notice", args=[contract.reference])
    today = timezone.localdate()

    response = officer_client.post(
        url, {"identifier": "UK7-2026-0001", **date_input("published_on", today)}
    )

    assert response["Location"] == reverse("calloffs:contract-manage", args=[contract.reference])
    contract.refresh_from_db()
    assert (contract.details_notice_identifier, contract.details_notice_published_on) == (
        "UK7-2026-0001",
        today,
    )


def test_a_details_notice_dated_before_entry_is_refused_on_the_field(officer_client, contract):
    url = reverse("calloffs:contract-details-notice", args=[contract.reference])
    before = contract.entered_into_on - timedelta(days=1)

    response = officer_client.post(
        url, {"identifier": "UK7-1", **date_input("published_on", before)}
    )

    assert response.status_code == 200
    assert "The notice cannot be published before the contract was entered into" in text(response)
    assert 'href="#id_published_on"' in text(response)
    contract.refresh_from_db()
    assert contract.details_notice_identifier == ""


def test_a_details_notice_date_missing_its_month_is_refused_and_nothing_recorded(
    officer_client, contract
):
    url = reverse("calloffs:contract-details-notice", args=[contract.reference])

    response = officer_client.post(
        url,
        {
            "identifier": "UK7-1",
            "published_on_day": "27",
            "published_on_month": "",
            "published_on_year": "2026",
        },
    )

    assert response.status_code == 200
    assert '<a href="#id_published_on">Date the notice was published must include a month</a>' in (
        text(response)
    )
    assert 'name="published_on_day" type="text" inputmode="numeric" value="27"' in text(response)
    contract.refresh_from_db()
    assert (contract.details_notice_identifier, contract.details_notice_published_on) == ("", None)


def test_the_details_notice_downloads_as_json(officer_client, contract):
    url = reverse("calloffs:contract-details-notice", args=[contract.reference])

    response = officer_client.get(url, {"format": "json"})

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{contract.reference}-contract-details-notice.json"'
    )
    data = json.loads(response.content)
    assert data["contract"]["reference"] == contract.reference
    assert data["competitive_selection"] is False
    assert [kpi["title"] for kpi in data["kpis"]] == [title for title, _target in KPIS]


def test_the_contract_document_is_published_from_its_page(officer_client, contract):
    url = reverse("calloffs:contract-document", args=[contract.reference])

    response = officer_client.post(url, {"document": pdf()})

    assert response["Location"] == reverse("calloffs:contract-manage", args=[contract.reference])
    contract.refresh_from_db()
    assert contract.contract_document.title == f"Contract {contract.reference}: {contract.title}"
    event = AuditEvent.objects.get(kind=AuditKind.CONTRACT_DOCUMENT_PUBLISHED)
    assert event.data["document"] == contract.contract_document_id
    assert contract.contract_document.collection.is_root()
    assert contract.contract_document.file.read().startswith(b"%PDF-1.4")
    page = officer_client.get(reverse("calloffs:contract-manage", args=[contract.reference]))
    assert f'href="{contract.contract_document.url}"' in text(page)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("contract.pdf", b"just some text", content_type="application/pdf"),
            "The selected file must be a PDF, DOCX or ODT document",
        ),
        (
            SimpleUploadedFile("contract.txt", b"%PDF-1.4 but named .txt"),
            "The selected file must be a PDF, DOCX or ODT document",
        ),
        (SimpleUploadedFile("contract.pdf", b""), "The selected file is empty"),
        (None, "Choose the contract document to publish"),
    ],
)
def test_a_bad_contract_document_is_refused_and_nothing_is_saved(
    officer_client, contract, upload, message
):
    from wagtail.documents import get_document_model

    url = reverse("calloffs:contract-document", args=[contract.reference])

    response = officer_client.post(url, {"document": upload} if upload else {})

    assert response.status_code == 200
    assert message in text(response)
    assert "govuk-error-summary" in text(response)
    contract.refresh_from_db()
    assert contract.contract_document is None
    assert not get_document_model().objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.CONTRACT_DOCUMENT_PUBLISHED).exists()


def test_a_contract_document_over_the_size_limit_is_refused(officer_client, contract, settings):
    settings.MAX_UPLOAD_SIZE = 100

    response = officer_client.post(
        reverse("calloffs:contract-document", args=[contract.reference]),
        {"document": pdf(size=101)},
    )

    assert "The selected file must be smaller than 100" in text(response)
    contract.refresh_from_db()
    assert contract.contract_document is None


def test_a_missing_document_is_flagged_over_five_million(
    officer_client, buyer, procurement_officer
):
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        value="5000000.00",
        value_including_vat="6000000.00",
        kpis=KPIS,
    )
    contract = services.enter_into_contract(
        actor=procurement_officer, project=award.project, entered_into_on=timezone.localdate()
    )

    page = text(officer_client.get(reverse("calloffs:contract-manage", args=[contract.reference])))
    listing = text(officer_client.get(reverse("calloffs:contract-list")))

    assert "Contract document not published" in page
    assert "Contract document not published" in listing


def test_the_assessment_is_published_from_its_page(officer_client, buyer, procurement_officer):
    today = timezone.localdate()
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        kpis=KPIS,
        starts_on=today - timedelta(days=400),
        ends_on=today + timedelta(days=300),
    )
    contract = services.enter_into_contract(
        actor=procurement_officer, project=award.project, entered_into_on=today
    )
    kpis = list(contract.award.kpis.all())
    url = reverse("calloffs:contract-assess", args=[contract.reference])
    assert "Performance assessment due" in text(
        officer_client.get(reverse("calloffs:contract-list"))
    )

    response = officer_client.post(
        url,
        {
            **date_input("period_start", today - timedelta(days=400)),
            **date_input("period_end", today - timedelta(days=35)),
            "summary": "A good first year.",
            **{f"rating_{kpi.pk}": "good" for kpi in kpis},
            f"comment_{kpis[0].pk}": "Always on time.",
        },
    )

    assert response["Location"] == reverse("calloffs:contract-manage", args=[contract.reference])
    assessment = PerformanceAssessment.objects.get()
    assert [(r.kpi_id, r.rating, r.comment) for r in assessment.ratings.order_by("kpi")] == [
        (kpis[0].pk, "good", "Always on time."),
        (kpis[1].pk, "good", ""),
        (kpis[2].pk, "good", ""),
    ]
    assert "Performance assessment due" not in text(
        officer_client.get(reverse("calloffs:contract-list"))
    )


def test_an_assessment_missing_a_rating_is_refused_on_the_field(officer_client, contract):
    kpis = list(contract.award.kpis.all())
    today = timezone.localdate()

    response = officer_client.post(
        reverse("calloffs:contract-assess", args=[contract.reference]),
        {
            **date_input("period_start", contract.starts_on),
            **date_input("period_end", today),
            "summary": "Fine.",
            f"rating_{kpis[0].pk}": "good",
            f"rating_{kpis[1].pk}": "good",
        },
    )

    assert response.status_code == 200
    assert "Rate “Local jobs”" in text(response)
    assert f'href="#id_rating_{kpis[2].pk}"' in text(response)
    assert not PerformanceAssessment.objects.exists()


def test_an_impossible_or_unfinished_assessment_period_is_refused_and_nothing_published(
    officer_client, contract
):
    kpis = list(contract.award.kpis.all())

    response = officer_client.post(
        reverse("calloffs:contract-assess", args=[contract.reference]),
        {
            "period_start_day": "1",
            "period_start_month": "4",
            "period_start_year": "",
            "period_end_day": "31",
            "period_end_month": "4",
            "period_end_year": "2026",
            "summary": "Fine.",
            **{f"rating_{kpi.pk}": "good" for kpi in kpis},
        },
    )

    assert response.status_code == 200
    page = text(response)
    assert '<a href="#id_period_start">Start of the period assessed must include a year</a>' in page
    assert '<a href="#id_period_end">End of the period assessed must be a real date</a>' in page
    assert not PerformanceAssessment.objects.exists()


def test_a_contract_without_kpis_has_nothing_to_assess(officer_client, buyer, procurement_officer):
    award = factories.standing_award(buyer=buyer, officer=procurement_officer)
    contract = services.enter_into_contract(
        actor=procurement_officer, project=award.project, entered_into_on=timezone.localdate()
    )

    response = officer_client.get(reverse("calloffs:contract-assess", args=[contract.reference]))

    assert "This contract has no key performance indicators" in text(response)


@pytest.mark.parametrize("url", ["/buy/", "/buying/projects/"])
def test_late_details_notices_are_flagged_where_the_buyer_lands(officer_client, buyer, url):
    today = timezone.localdate()
    late = factories.contract(
        buyer=buyer, title="Park benches", details_notice_due_on=today - timedelta(days=2)
    )
    factories.contract(buyer=buyer, title="Bins", details_notice_due_on=today)

    page = text(officer_client.get(url))

    assert "1 contract details notice is late." in page
    notice_url = reverse("calloffs:contract-details-notice", args=[late.reference])
    assert f'<a class="govuk-link" href="{notice_url}">{late.reference}: Park benches</a>' in page
    assert page.count("Contract details notice late") == 1


def test_nothing_is_flagged_where_no_notice_is_late(officer_client, buyer):
    factories.contract(buyer=buyer, details_notice_due_on=timezone.localdate())

    assert 'id="late-details-notices"' not in text(officer_client.get("/buy/"))


def links(response) -> list[str]:
    return re.findall(r'href="([^"#?]+)"', response.content.decode())


def test_the_buyer_reaches_every_contract_page_by_links_from_buy(officer_client, contract):
    home = officer_client.get("/buy/")
    contract_list = reverse("calloffs:contract-list")
    assert contract_list in links(home)

    listing = officer_client.get(contract_list)
    manage = reverse("calloffs:contract-manage", args=[contract.reference])
    assert manage in links(listing)

    page = officer_client.get(manage)
    steps = contract_urls(contract)[1:]
    assert set(steps) <= set(links(page))
    for step in steps:
        response = officer_client.get(step)
        assert response.status_code == 200
        assert {manage, contract_list} <= set(links(response))
