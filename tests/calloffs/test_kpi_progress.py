"""A supplier reports progress against its contract's KPIs, social value commitments included;
the buyer reads the reports on its contract page. The reports are never published: only the
buyer's assessment is, on the contract's public page."""

import re
from datetime import date, timedelta
from html import unescape

from django.urls import reverse
from django.utils import timezone

import pytest

from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import KpiProgressReport
from marketplace.calloffs.services.contracts import ContractError
from marketplace.calloffs.services.progress import report_kpi_progress
from marketplace.organisations.policy import PolicyDenied
from tests import factories
from tests.helpers import queries_to_get

pytestmark = pytest.mark.django_db

KPIS = [
    ("Response time", "95% of call-outs within 4 hours"),
    ("Local apprenticeships", "4 apprentices over the contract"),
]
UPDATE = "Two apprentices started in May, both from Salford."


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def words(response) -> str:
    """The page's words, without its markup."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def date_input(name: str, day: date) -> dict:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def report_data(start: date, end: date, **overrides) -> dict:
    return {
        **date_input("period_start", start),
        **date_input("period_end", end),
        "update": UPDATE,
        "achieved": "2 apprentices",
        **overrides,
    }


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def contract(buyer, supplier, today):
    """A running contract of `buyer` with `supplier`; its second KPI a social value one."""
    contract = factories.contract(
        buyer=buyer,
        supplier=supplier,
        kpis=KPIS,
        entered_into_on=today - timedelta(days=200),
        ends_on=today + timedelta(days=500),
        title="Parks grounds maintenance",
    )
    contract.award.kpis.filter(title="Local apprenticeships").update(is_social_value=True)
    return contract


@pytest.fixture
def social_kpi(contract):
    return contract.award.kpis.get(is_social_value=True)


@pytest.fixture
def plain_kpi(contract):
    return contract.award.kpis.get(is_social_value=False)


def form_url(contract, kpi) -> str:
    return reverse("supplier_calloffs:kpi-progress", args=[contract.reference, kpi.pk])


def detail_url(contract) -> str:
    return reverse("supplier_calloffs:contract", args=[contract.reference])


def report(actor, kpi, contract, **changes):
    values = {
        "period_start": contract.starts_on,
        "period_end": contract.starts_on + timedelta(days=90),
        "update": UPDATE,
        "achieved": "2 apprentices",
        **changes,
    }
    return report_kpi_progress(actor=actor, kpi=kpi, **values)


# --- The service --------------------------------------------------------------------------------


def test_a_report_is_saved_and_audited(supplier_editor, social_kpi, contract):
    saved = report(supplier_editor, social_kpi, contract, update="  Two started.  ")

    assert (saved.contract, saved.kpi, saved.update, saved.achieved, saved.reported_by) == (
        contract,
        social_kpi,
        "Two started.",
        "2 apprentices",
        supplier_editor,
    )
    event = AuditEvent.objects.get(kind=AuditKind.KPI_PROGRESS_REPORTED)
    assert event.organisation_id == contract.supplier_id
    assert event.actor_id == supplier_editor.pk
    assert event.data["contract"] == contract.reference
    assert event.data["kpi"] == social_kpi.pk
    assert event.data["social_value"] is True
    assert event.data["period_start"] == contract.starts_on.isoformat()


def test_the_figure_achieved_is_optional(supplier_admin, plain_kpi, contract):
    saved = report(supplier_admin, plain_kpi, contract, achieved="")

    assert saved.achieved == ""


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        (
            {"period_start": 20, "period_end": 19},
            "period_end",
            "The period must end on or after the day it starts",
        ),
        (
            {"period_start": 0, "period_end": 201},
            "period_end",
            "The end of the period must be today or in the past",
        ),
        ({"period_start": -1, "period_end": 10}, "period_start", "The period must fall within"),
        ({"update": "   "}, "update", "Enter what you did towards the target"),
        ({"update": "x" * 2_001}, "update", "The update must be 2000 characters or fewer"),
        ({"achieved": "x" * 101}, "achieved", "What you achieved must be 100 characters"),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_saved(
    supplier_editor, social_kpi, contract, changes, code, message
):
    for name in ("period_start", "period_end"):
        if name in changes:
            changes[name] = contract.starts_on + timedelta(days=changes[name])

    with pytest.raises(ContractError) as refusal:
        report(supplier_editor, social_kpi, contract, **changes)

    assert refusal.value.code == code
    assert str(refusal.value).startswith(message)
    assert not KpiProgressReport.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.KPI_PROGRESS_REPORTED).exists()


def test_a_period_after_the_contract_ends_is_refused(supplier_editor, buyer, supplier, today):
    ended = factories.contract(
        buyer=buyer,
        supplier=supplier,
        kpis=KPIS,
        entered_into_on=today - timedelta(days=100),
        ends_on=today - timedelta(days=10),
    )

    with pytest.raises(ContractError) as refusal:
        report(
            supplier_editor,
            ended.award.kpis.first(),
            ended,
            period_start=ended.starts_on,
            period_end=today,
        )

    assert refusal.value.code == "period_start"
    assert not KpiProgressReport.objects.exists()


def test_a_contract_not_yet_started_takes_no_report(supplier_editor, buyer, supplier, today):
    later = factories.contract(
        buyer=buyer,
        supplier=supplier,
        kpis=KPIS,
        entered_into_on=today,
        starts_on=today + timedelta(days=30),
    )

    with pytest.raises(ContractError) as refusal:
        report(supplier_editor, later.award.kpis.first(), later, period_end=today)

    assert "report progress once it has started" in str(refusal.value)
    assert not KpiProgressReport.objects.exists()


def test_an_award_not_yet_entered_into_takes_no_report(
    supplier_editor, buyer, supplier, procurement_officer, today
):
    award = factories.standing_award(
        buyer=buyer,
        officer=procurement_officer,
        supplier=supplier,
        kpis=KPIS,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
    )

    with pytest.raises(ContractError) as refusal:
        report_kpi_progress(
            actor=supplier_editor,
            kpi=award.kpis.first(),
            period_start=award.starts_on,
            period_end=today,
            update=UPDATE,
        )

    assert str(refusal.value) == (
        "Progress can be reported once the contract has been entered into"
    )
    assert not KpiProgressReport.objects.exists()


@pytest.mark.parametrize("who", ["supplier_finance", "other_supplier_admin", "the_buyer"])
def test_only_the_contracts_supplier_may_report(
    request, who, social_kpi, contract, other_supplier, procurement_officer
):
    actor = {
        "supplier_finance": lambda: request.getfixturevalue("supplier_finance"),
        "other_supplier_admin": lambda: (
            factories.MembershipFactory(organisation=other_supplier, role="supplier_admin").user
        ),
        "the_buyer": lambda: procurement_officer,
    }[who]()

    with pytest.raises(PolicyDenied):
        report(actor, social_kpi, contract)

    assert not KpiProgressReport.objects.exists()


# --- The supplier's pages -----------------------------------------------------------------------


def test_the_contract_list_links_each_contracts_kpis(client, supplier_admin, contract):
    client.force_login(supplier_admin)

    page = client.get(reverse("supplier_calloffs:contract-list")).content.decode()

    assert f'href="{detail_url(contract)}">KPIs and progress' in page


def test_the_supplier_sees_its_kpis_reports_and_a_link_to_report(
    client, supplier_editor, contract, social_kpi, plain_kpi
):
    report(supplier_editor, social_kpi, contract)
    client.force_login(supplier_editor)

    response = client.get(detail_url(contract))

    assert response.status_code == 200
    page = text(response)
    assert "Local apprenticeships Social value" in words(response)
    assert "Target: 4 apprentices over the contract" in page
    assert UPDATE in page
    assert "Achieved so far: 2 apprentices" in page
    assert f'id="kpi-{plain_kpi.pk}-no-reports">No progress reported yet.' in page
    for kpi in (social_kpi, plain_kpi):
        assert f'href="{form_url(contract, kpi)}">Report progress' in page
    assert "Your reports are not published" in page


def test_a_member_who_may_not_answer_call_offs_reads_but_finds_no_link(
    client, supplier_finance, contract, social_kpi
):
    client.force_login(supplier_finance)

    page = text(client.get(detail_url(contract)))

    assert "Local apprenticeships" in page
    assert "Report progress" not in page
    assert 'id="not-allowed"' in page


def test_the_supplier_reports_progress_through_the_form(
    client, supplier_editor, contract, social_kpi, today
):
    client.force_login(supplier_editor)
    url = form_url(contract, social_kpi)

    page = client.get(url)
    response = client.post(url, report_data(contract.starts_on, today - timedelta(days=1)))

    assert page.status_code == 200
    assert "Report progress on “Local apprenticeships”" in text(page)
    assert response.status_code == 302
    assert response["Location"] == detail_url(contract)
    saved = KpiProgressReport.objects.get()
    assert (saved.kpi, saved.period_start, saved.period_end, saved.update) == (
        social_kpi,
        contract.starts_on,
        today - timedelta(days=1),
        UPDATE,
    )
    assert UPDATE in text(client.get(response["Location"]))


def test_the_form_is_accessible_without_javascript(client, supplier_editor, contract, social_kpi):
    client.force_login(supplier_editor)

    page = text(client.get(form_url(contract, social_kpi)))

    assert page.count('<fieldset class="govuk-fieldset" role="group"') == 2
    assert "Start of the period this report covers</legend>" in page
    assert "End of the period this report covers</legend>" in page
    assert re.search(r'<label class="govuk-label ?" for="id_update">What you did', page)
    assert re.search(r'<label class="govuk-label ?" for="id_achieved">Achieved so far', page)
    assert '<div class="govuk-error-summary"' not in page
    assert '<form method="post" novalidate>' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"update": ""}, "update", "Enter what you did towards the target"),
        ({"update": "x" * 2_001}, "update", "What you did towards the target must be 2000"),
        (
            {"period_start_day": "", "period_start_month": "", "period_start_year": ""},
            "period_start",
            "Enter the start of the period",
        ),
        (
            {"period_end_day": "31", "period_end_month": "2"},
            "period_end",
            "End of the period this report covers must be a real date",
        ),
        (
            {"period_end_month": ""},
            "period_end",
            "End of the period this report covers must include a month",
        ),
        (
            {"period_end_year": "26"},
            "period_end",
            "End of the period this report covers must be a real date",
        ),
    ],
)
def test_bad_input_shows_an_error_summary_and_saves_nothing(
    client, supplier_editor, contract, social_kpi, today, changes, field, message
):
    client.force_login(supplier_editor)

    response = client.post(
        form_url(contract, social_kpi),
        report_data(contract.starts_on, today - timedelta(days=1), **changes),
    )

    assert response.status_code == 400
    page = text(response)
    assert "<title>Error: " in page
    assert 'class="govuk-error-summary"' in page
    assert f'<a href="#id_{field}">{message}' in page
    assert not KpiProgressReport.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.KPI_PROGRESS_REPORTED).exists()


def test_every_error_is_shown_at_once(client, supplier_editor, contract, social_kpi, today):
    client.force_login(supplier_editor)

    response = client.post(
        form_url(contract, social_kpi),
        report_data(contract.starts_on, today + timedelta(days=3), update=""),
    )

    page = text(response)
    assert '<a href="#id_period_end">The end of the period must be today or in the past' in page
    assert '<a href="#id_update">Enter what you did towards the target' in page
    assert not KpiProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (10, 5, "period_end", "The period must end on or after the day it starts"),
        (0, 201, "period_end", "The end of the period must be today or in the past"),
        (-5, 10, "period_start", "The period must fall within the contract"),
    ],
)
def test_a_period_the_service_refuses_is_shown_on_its_field(
    client, supplier_editor, contract, social_kpi, start, end, field, message
):
    client.force_login(supplier_editor)

    response = client.post(
        form_url(contract, social_kpi),
        report_data(
            contract.starts_on + timedelta(days=start), contract.starts_on + timedelta(days=end)
        ),
    )

    assert response.status_code == 400
    assert f'<a href="#id_{field}">{message}' in text(response)
    assert not KpiProgressReport.objects.exists()


def test_another_suppliers_member_finds_no_form_and_cannot_post(
    client, other_supplier, contract, social_kpi, today
):
    client.force_login(
        factories.MembershipFactory(organisation=other_supplier, role="supplier_admin").user
    )
    url = form_url(contract, social_kpi)

    assert client.get(url).status_code == 404
    assert client.get(detail_url(contract)).status_code == 404
    assert client.post(url, report_data(contract.starts_on, today)).status_code == 404
    assert not KpiProgressReport.objects.exists()


def test_a_member_who_may_not_answer_call_offs_finds_no_form(
    client, supplier_finance, contract, social_kpi, today
):
    client.force_login(supplier_finance)
    url = form_url(contract, social_kpi)

    assert client.get(url).status_code == 404
    assert client.post(url, report_data(contract.starts_on, today)).status_code == 404
    assert not KpiProgressReport.objects.exists()


def test_another_contracts_kpi_is_not_found(
    client, supplier_editor, supplier, buyer, contract, today
):
    other = factories.contract(buyer=buyer, supplier=supplier, kpis=KPIS)
    client.force_login(supplier_editor)

    url = form_url(contract, other.award.kpis.first())

    assert client.get(url).status_code == 404
    assert client.post(url, report_data(contract.starts_on, today)).status_code == 404
    assert not KpiProgressReport.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "procurement_officer"])
def test_a_buyer_is_told_the_form_is_for_suppliers_and_cannot_post(
    request, client, who, contract, social_kpi, today
):
    """Buyers, the contract's own included, meet calloffs' "this page is for suppliers"."""
    client.force_login(request.getfixturevalue(who))
    url = form_url(contract, social_kpi)

    assert client.get(url).status_code == 403
    assert client.post(url, report_data(contract.starts_on, today)).status_code == 403
    assert not KpiProgressReport.objects.exists()


def test_signed_out_people_are_sent_to_sign_in_and_cannot_post(client, contract, social_kpi, today):
    url = form_url(contract, social_kpi)

    response = client.post(url, report_data(contract.starts_on, today))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    assert client.get(url)["Location"].startswith("/account/sign-in/")
    assert not KpiProgressReport.objects.exists()


def test_the_supplier_page_makes_as_many_queries_for_many_kpis_and_reports_as_for_few(
    client, supplier_editor, contract, buyer, supplier, today
):
    client.force_login(supplier_editor)
    for kpi in contract.award.kpis.all():
        report(supplier_editor, kpi, contract)
    url = detail_url(contract)
    client.get(url)  # the first request after a page is published also caches the navigation
    few = queries_to_get(client, url)
    award = contract.award
    for position in range(2, 8):
        kpi = award.kpis.create(position=position, title=f"KPI {position}", target="On time")
        for _ in range(3):
            report(supplier_editor, kpi, contract)

    many = queries_to_get(client, url)

    assert many == few
    assert text(client.get(url)).count("Achieved so far") == 2 + 6 * 3


# --- The buyer's contract page and the public page ------------------------------------------------


def test_the_buyer_sees_the_suppliers_reports_beside_each_kpi(
    client, procurement_officer, supplier_editor, contract, social_kpi, plain_kpi
):
    report(supplier_editor, social_kpi, contract)
    client.force_login(procurement_officer)

    response = client.get(reverse("calloffs:contract-manage", args=[contract.reference]))

    page = text(response)
    assert "Supplier's progress reports" in page
    section = page.split(f'id="kpi-{social_kpi.pk}-reports"')[1].split("</ul>")[0]
    assert UPDATE in section
    assert "Achieved so far: 2 apprentices" in section
    assert f'id="kpi-{plain_kpi.pk}-no-reports">No progress reported yet.' in page
    assert "Report progress" not in page


def test_the_buyers_page_makes_as_many_queries_with_many_reports_as_with_few(
    client, procurement_officer, supplier_editor, contract, social_kpi
):
    client.force_login(procurement_officer)
    url = reverse("calloffs:contract-manage", args=[contract.reference])
    report(supplier_editor, social_kpi, contract)
    client.get(url)  # the first request after a page is published also caches the navigation
    few = queries_to_get(client, url)
    for kpi in contract.award.kpis.all():
        for _ in range(3):
            report(supplier_editor, kpi, contract)

    assert queries_to_get(client, url) == few


def test_another_buyer_sees_neither_the_contract_nor_its_reports(
    client, outsider, supplier_editor, contract, social_kpi
):
    report(supplier_editor, social_kpi, contract)
    client.force_login(outsider)

    response = client.get(reverse("calloffs:contract-manage", args=[contract.reference]))

    assert response.status_code == 404


def test_reports_are_not_published_but_the_buyers_assessment_is(
    client, supplier_editor, contract, social_kpi, plain_kpi
):
    report(supplier_editor, social_kpi, contract, update="Canary apprentices update.")
    factories.performance_assessment(
        contract=contract,
        summary="Good progress on apprenticeships.",
        ratings=[(social_kpi, "good", "Ahead of plan."), (plain_kpi, "good", "")],
    )

    page = text(client.get(reverse("contracts:detail", args=[contract.reference])))

    assert "Good progress on apprenticeships." in page
    assert "Ahead of plan." in page
    assert "Canary apprentices update." not in page
    assert "Achieved so far" not in page
    assert "2 apprentices" not in page
