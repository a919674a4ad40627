"""The award pages: the award form and its messages, the award's page, and every award URL
closed to other organisations."""

import re
from html import unescape

from django.urls import reverse
from django.utils import timezone

import pytest

from frameworks.models import Appointment
from marketplace.calloffs.models import Award

from .award_setup import award_form_data, make_award, project_to_award, set_threshold

pytestmark = pytest.mark.django_db

AWARD_URLS = [
    "calloffs:award",
    "calloffs:award-sign-off",
    "calloffs:award-notice",
    "calloffs:award-notice-json",
    "calloffs:award-withdraw",
]


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


@pytest.fixture
def project(buyer, procurement_officer):
    return project_to_award(buyer=buyer, officer=procurement_officer)


@pytest.fixture
def officer_client(client, procurement_officer):
    client.force_login(procurement_officer)
    return client


def test_the_award_form_shows_the_selection_and_links_back(officer_client, project):
    page = text(officer_client.get(reverse("calloffs:award", args=[project.pk])))

    assert "Award the contract" in page
    assert "Greenway Grounds Ltd" in page
    assert "The lot's one supplier." in page
    assert 'name="starts_on_day"' in page
    assert 'name="kpi_5_target"' in page
    assert reverse("calloffs:project", args=[project.pk]) in page


def test_awarding_on_the_page(officer_client, project):
    response = officer_client.post(
        reverse("calloffs:award", args=[project.pk]),
        award_form_data(kpi_1_title="Grass cut on schedule", kpi_1_target="95% on the day"),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("calloffs:award", args=[project.pk])
    award = Award.objects.get(project=project)
    assert (award.value, award.value_including_vat) == (100000, 120000)
    assert [(kpi.title, kpi.target) for kpi in award.kpis.all()] == [
        ("Grass cut on schedule", "95% on the day")
    ]
    page = text(officer_client.get(response["Location"]))
    assert "The contract is awarded to Greenway Grounds Ltd" in page
    assert "Award to Greenway Grounds Ltd" in page
    assert reverse("calloffs:award-notice", args=[project.pk]) in page
    assert reverse("calloffs:award-withdraw", args=[project.pk]) in page
    assert "Record the contract award notice first" in page


def test_an_indicator_without_a_target_is_refused_on_the_page(officer_client, project):
    response = officer_client.post(
        reverse("calloffs:award", args=[project.pk]),
        award_form_data(kpi_1_title="Grass cut on schedule"),
    )

    assert response.status_code == 200
    assert 'href="#id_kpi_1_target">Enter the target for indicator 1' in text(response)
    assert not Award.objects.exists()


def test_the_lot_rules_show_against_their_fields(officer_client, project):
    response = officer_client.post(
        reverse("calloffs:award", args=[project.pk]),
        award_form_data(
            value="9000000",
            value_including_vat="10800000",
            ends_on_day="1",
            ends_on_month="5",
            ends_on_year="2030",
        ),
    )

    page = text(response)
    assert (
        'href="#id_value">The value must be no more than £8,000,000.00, the lot\'s maximum' in page
    )
    assert 'href="#id_ends_on">The contract runs for 38 months; the lot allows at most 36' in page
    assert (
        'href="#id_kpi_1_title">A contract worth more than £5,000,000 including VAT needs at '
        "least 3 key performance indicators, or the reason for setting none"
    ) in page
    assert not Award.objects.exists()


def test_an_end_before_the_start_on_the_page(officer_client, project):
    response = officer_client.post(
        reverse("calloffs:award", args=[project.pk]),
        award_form_data(ends_on_day="31", ends_on_month="3", ends_on_year="2027"),
    )

    assert 'href="#id_ends_on">The end date must be on or after the start date' in text(response)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts_on_day": ""}, "Start date must include a day"),
        ({"starts_on_month": "13"}, "Start date must be a real date"),
        (
            {"starts_on_day": "", "starts_on_month": "", "starts_on_year": ""},
            "Enter the start date",
        ),
        ({"value": "lots"}, "Value excluding VAT must be an amount of money, like 125000.00"),
    ],
)
def test_bad_input_gets_a_clear_message(officer_client, project, fields, message):
    response = officer_client.post(
        reverse("calloffs:award", args=[project.pk]), award_form_data(**fields)
    )

    assert message in text(response)
    assert not Award.objects.exists()


def test_a_supplier_suspended_since_selection_is_refused_on_the_page(officer_client, project):
    Appointment.objects.filter(supplier=project.selected_supplier).update(
        status=Appointment.Status.SUSPENDED, reason="Insurance lapsed"
    )

    response = officer_client.post(reverse("calloffs:award", args=[project.pk]), award_form_data())

    assert "Greenway Grounds Ltd's appointment to this lot is suspended: Insurance lapsed" in text(
        response
    )
    assert not Award.objects.exists()


def test_an_award_waiting_for_sign_off_says_so(officer_client, buyer, project):
    set_threshold(buyer, "50000.00")

    response = officer_client.post(
        reverse("calloffs:award", args=[project.pk]), award_form_data(), follow=True
    )

    page = text(response)
    assert f"It waits for an approver of {buyer.name} to sign it off." in page
    assert reverse("calloffs:award-sign-off", args=[project.pk]) in page


def test_a_colleague_off_the_team_sees_why_they_cannot_award(client, colleague, project):
    client.force_login(colleague)

    page = text(client.get(reverse("calloffs:award", args=[project.pk])))

    assert "Only the project's team and" in page
    assert 'name="description"' not in page


@pytest.mark.parametrize("name", AWARD_URLS)
def test_another_organisation_gets_404_on_every_award_page(
    client, outsider, project, procurement_officer, name
):
    make_award(actor=procurement_officer, project=project)
    client.force_login(outsider)
    url = reverse(name, args=[project.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Mine now.", "decision": "sign_off"}).status_code in {
        404,
        405,
    }
    assert Award.objects.get(project=project).status == Award.Status.AWARDED


def links(response) -> list[str]:
    return re.findall(r'href="([^"]+)"', response.content.decode())


def test_the_award_journey_follows_links_from_the_task_list(
    client, buyer, project, procurement_officer, approver
):
    set_threshold(buyer, "50000.00")
    task_list = reverse("calloffs:project", args=[project.pk])
    award_url = reverse("calloffs:award", args=[project.pk])
    sign_off_url = reverse("calloffs:award-sign-off", args=[project.pk])
    notice_url = reverse("calloffs:award-notice", args=[project.pk])
    client.force_login(procurement_officer)

    assert award_url in links(client.get(task_list))
    client.post(award_url, award_form_data())
    client.force_login(approver)
    assert sign_off_url in links(client.get(reverse("calloffs:sign-off-queue")))
    client.post(sign_off_url, {"decision": "sign_off"})
    client.force_login(procurement_officer)
    assert notice_url in links(client.get(task_list))
    assert notice_url in links(client.get(award_url))
    awarded_on = timezone.localdate(Award.objects.get().awarded_at)
    response = client.post(
        notice_url,
        {
            "identifier": "2026/S 000-654321",
            "published_on_day": str(awarded_on.day),
            "published_on_month": str(awarded_on.month),
            "published_on_year": str(awarded_on.year),
            "standstill": "no",
        },
    )

    assert response.status_code == 302
    assert Award.objects.get().notice_identifier == "2026/S 000-654321"
    assert reverse("calloffs:enter-into-contract", args=[project.pk]) in links(
        client.get(award_url)
    )
