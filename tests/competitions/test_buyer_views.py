"""The buyer's further-competition pages: started from the task list, the brief (London-time
deadlines, refined criteria, the social value warning), the invitations, the questions and the
summary; bad input shown against its field with nothing saved; another organisation is told
nothing exists; a supplier gets the page for buyers."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

from django.utils import timezone

import pytest

from frameworks.models import Appointment
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import BuyingProject
from marketplace.competitions.models import Bid, Clarification, Competition, Invitation
from marketplace.competitions.services.clarifications import ask_clarification
from marketplace.competitions.services.invitations import invite_suppliers
from marketplace.organisations.models import Organisation
from tests import factories
from tests.competitions import factories as competition_factories
from tests.competitions.factories import appointed_supplier, written_brief

pytestmark = pytest.mark.django_db


def page_of(project) -> str:
    return f"/buying/projects/{project.pk}/competition/"


def html_of(response) -> str:
    return unescape(response.content.decode())


def error_summary(html: str) -> list[str]:
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    return re.findall(r"<li>(?:<a [^>]*>)?(.*?)(?:</a>)?</li>", summary.group(0)) if summary else []


@pytest.fixture
def suppliers(lot):
    """Two suppliers with active appointments to the lot, sorting A then B, and a person each."""
    return [
        appointed_supplier(lot, supplier__legal_name=f"{letter} Grounds Ltd")
        for letter in ("A", "B")
    ]


@pytest.fixture
def ready(competition, procurement_officer, suppliers):
    return written_brief(competition, actor=procurement_officer)


@pytest.fixture
def opened(ready, procurement_officer):
    invite_suppliers(actor=procurement_officer, competition=ready, left_out={})
    ready.refresh_from_db()
    return ready


def ask(competition, supplier, question="Does the price include hedge cutting?"):
    person = factories.MembershipFactory(organisation=supplier, role="editor").user
    return ask_clarification(
        actor=person, competition=competition, supplier=supplier, question=question
    )


def brief_form(competition, **overrides) -> dict:
    """A complete brief as typed: 40:60, questions close 1 July 2030 at 14:00 and bids
    15 July 2030 at 12:00, London (summer) time."""
    form = {
        "requirements": "Mow 12 parks fortnightly.",
        "price_weight": "40",
        "clarification_date_day": "1",
        "clarification_date_month": "7",
        "clarification_date_year": "2030",
        "clarification_time": "14:00",
        "submission_date_day": "15",
        "submission_date_month": "7",
        "submission_date_year": "2030",
        "submission_time": "12pm",
        "voluntary_standstill": "yes",
    }
    for criterion in competition.criteria.all():
        form[f"criterion_{criterion.pk}_description"] = f"Refined: {criterion.title}"
        form[f"criterion_{criterion.pk}_weighting"] = str(criterion.weighting)
    return {**form, **overrides}


def criterion_field(competition, title: str) -> str:
    return f"criterion_{competition.criteria.get(title=title).pk}_weighting"


# Who may see the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "start/", "brief/", "invite/", "questions/", "answer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisation_is_told_no_page_exists(
    client, outsider, opened, suppliers, page, method
):
    question = ask(opened, suppliers[0])
    if page == "answer":
        page = f"questions/{question.pk}/answer/"
    client.force_login(outsider)

    response = getattr(client, method)(page_of(opened.project) + page, {"answer": "Yes"})

    assert response.status_code == 404
    question.refresh_from_db()
    assert question.published_at is None


def test_a_supplier_gets_the_page_for_buyers(client, supplier_editor, competition):
    client.force_login(supplier_editor)

    response = client.get(page_of(competition.project))

    assert response.status_code == 403
    assert "This page is for buyers" in html_of(response)


def test_a_project_without_a_competition_has_no_pages_but_the_start(
    client, procurement_officer, buyer, lot
):
    project = factories.buying_project(
        organisation=buyer, actor=procurement_officer, lot=lot, route="further_competition"
    )
    client.force_login(procurement_officer)

    statuses = [
        client.get(page_of(project) + page).status_code
        for page in ("", "brief/", "invite/", "questions/")
    ]

    assert statuses == [404, 404, 404, 404]
    assert client.get(page_of(project) + "start/").status_code == 200


def test_a_colleague_off_the_team_reads_the_summary_but_cannot_change_the_brief(
    client, colleague, ready
):
    client.force_login(colleague)

    summary = client.get(page_of(ready.project))
    response = client.post(page_of(ready.project) + "brief/", brief_form(ready))

    assert summary.status_code == 200
    assert 'id="next-steps"' not in html_of(summary)
    assert response.status_code == 403
    assert "can run its further competition" in html_of(response)
    ready.refresh_from_db()
    assert ready.requirements == "Mow 12 parks fortnightly from April to October."


@pytest.mark.parametrize("page", ["", "start/", "brief/", "invite/", "questions/", "answer"])
def test_every_page_has_one_heading_and_a_back_link(
    client, procurement_officer, competition, suppliers, page
):
    if page == "start/":
        target = factories.buying_project(
            organisation=competition.project.organisation,
            actor=procurement_officer,
            lot=competition.project.lot,
            route="further_competition",
        )
    else:
        target = competition.project
        if page in ("questions/", "answer"):
            written_brief(competition, actor=procurement_officer)
            invite_suppliers(actor=procurement_officer, competition=competition, left_out={})
            competition.refresh_from_db()
        if page == "answer":
            page = f"questions/{ask(competition, suppliers[0]).pk}/answer/"
    client.force_login(procurement_officer)

    response = client.get(page_of(target) + page)

    html = html_of(response)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert html.count('class="govuk-back-link"') == 1


# Starting from the task list ---------------------------------------------------------------------


def test_the_task_list_starts_the_competition_and_follows_it(
    client, procurement_officer, buyer, lot, suppliers
):
    project = factories.buying_project(
        organisation=buyer, actor=procurement_officer, lot=lot, route="further_competition"
    )
    client.force_login(procurement_officer)

    def task_statuses():
        html = html_of(client.get(f"/buying/projects/{project.pk}/"))
        return [
            re.sub(r"<[^>]+>", "", status).strip()
            for status in re.findall(
                r'id="competition_(?:brief|invite|questions|evaluate)-status">(.*?)</div>',
                html,
                re.S,
            )
        ]

    before = html_of(client.get(f"/buying/projects/{project.pk}/"))
    started = client.post(page_of(project) + "start/")
    after_start = task_statuses()
    client.post(page_of(project) + "brief/", brief_form(project.competition))
    after_brief = task_statuses()
    client.post(page_of(project) + "invite/", {})
    after_invite = task_statuses()

    assert "Coming" not in before
    assert f'href="{page_of(project)}start/"' in before
    assert started.status_code == 302
    assert started["Location"] == page_of(project) + "brief/"
    assert after_start == [
        "In progress",
        "Cannot start yet",
        "Cannot start yet",
        "Cannot start yet",
    ]
    assert after_brief == ["Completed", "Not yet started", "Cannot start yet", "Cannot start yet"]
    assert after_invite == ["Completed", "Completed", "In progress", "Cannot start yet"]
    assert "2 suppliers invited." in html_of(client.get(f"/buying/projects/{project.pk}/"))


def test_starting_a_competition_the_project_cannot_run_shows_why_and_saves_nothing(
    client, procurement_officer, buyer, lot
):
    project = factories.buying_project(organisation=buyer, actor=procurement_officer, lot=lot)
    client.force_login(procurement_officer)

    response = client.post(page_of(project) + "start/")

    assert response.status_code == 200
    assert error_summary(html_of(response)) == [
        "Choose a lot and further competition as the route first"
    ]
    assert not Competition.objects.exists()


def test_starting_twice_goes_to_the_summary(client, procurement_officer, competition):
    client.force_login(procurement_officer)

    response = client.post(page_of(competition.project) + "start/")

    assert response["Location"] == page_of(competition.project)
    assert Competition.objects.count() == 1


# The brief ---------------------------------------------------------------------------------------


def test_the_brief_shows_each_framework_criterion_with_its_weighting(
    client, procurement_officer, competition
):
    client.force_login(procurement_officer)

    html = html_of(client.get(page_of(competition.project) + "brief/"))

    assert 'Local jobs <span class="govuk-body-s">(framework weighting 25%)</span>' in html
    assert "Social value: Local jobs" in html
    assert "Quality weight: 60% (100 minus the price weight)." in html
    assert "As saved, social value carries 24% of the total mark." in html
    assert "For example, 14:00" in html
    assert "add criteria" in html


def test_saving_the_brief_stores_london_times_and_the_refinements(
    client, procurement_officer, competition
):
    client.force_login(procurement_officer)
    form = brief_form(
        competition,
        price_weight="30",
        **{
            criterion_field(competition, "Quality of service"): "50",
            criterion_field(competition, "Local jobs"): "35",
        },
    )

    response = client.post(page_of(competition.project) + "brief/", form)

    assert response.status_code == 302
    assert response["Location"] == f"/buying/projects/{competition.project.pk}/"
    competition.refresh_from_db()
    assert competition.clarification_deadline == datetime(2030, 7, 1, 13, 0, tzinfo=UTC)
    assert competition.submission_deadline == datetime(2030, 7, 15, 11, 0, tzinfo=UTC)
    assert competition.voluntary_standstill is True
    assert (competition.price_weight, competition.quality_weight) == (30, 70)
    assert [
        (c.title, c.description, c.weighting) for c in competition.criteria.order_by("position")
    ] == [
        ("Quality of service", "Refined: Quality of service", 50),
        ("Local jobs", "Refined: Local jobs", 35),
        ("Net zero", "Refined: Net zero", 15),
    ]
    assert AuditEvent.objects.filter(kind=AuditKind.COMPETITION_BRIEF_UPDATED).count() == 1


def test_the_summary_shows_deadlines_in_london_time(client, procurement_officer, competition):
    client.force_login(procurement_officer)
    client.post(page_of(competition.project) + "brief/", brief_form(competition))

    html = html_of(client.get(page_of(competition.project)))

    assert "1 July 2030, 14:00 (London time)" in html
    assert "15 July 2030, 12:00 (London time)" in html
    assert "Price 40%, quality 60%" in html


def past(days: int) -> dict:
    day = timezone.localdate() - timedelta(days=days)
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"requirements": ""}, "requirements", "Enter the requirements"),
        ({"price_weight": "101"}, "price_weight", "Price weight must be from 0 to 100"),
        (
            {"price_weight": "forty"},
            "price_weight",
            "Price weight must be a whole number from 0 to 100",
        ),
        (
            {"Local jobs": "35"},
            "Quality of service",
            "The quality criteria's weightings must add up to 100%, not 110%",
        ),
        ({"Net zero": "-5"}, "Net zero", "The weighting of Net zero must be from 0 to 100"),
        (
            {"clarification_time": "25:00"},
            "clarification_time",
            "The time of the deadline for questions must be a real time, like 14:00",
        ),
        ({"submission_time": ""}, "submission_time", "Enter the time of the deadline for bids"),
        (
            {"clarification_date_day": "31", "clarification_date_month": "2"},
            "clarification_date",
            "Deadline for questions must be a real date",
        ),
        (
            {"clarification_date_day": "16"},
            "clarification_date",
            "The deadline for questions must be before the deadline for bids",
        ),
        ("past", "clarification_date", "The deadline for questions must be in the future"),
        (
            {"voluntary_standstill": ""},
            "voluntary_standstill",
            "Say whether you will hold a voluntary standstill",
        ),
    ],
)
def test_a_bad_brief_is_shown_against_its_field_and_nothing_is_saved(
    client, procurement_officer, competition, overrides, field, message
):
    if overrides == "past":
        day = past(2)
        overrides = {f"clarification_date_{part}": value for part, value in day.items()}
    overrides = {
        (criterion_field(competition, key) if key[0].isupper() else key): value
        for key, value in overrides.items()
    }
    if field[0].isupper():
        field = criterion_field(competition, field)
    client.force_login(procurement_officer)

    response = client.post(
        page_of(competition.project) + "brief/", brief_form(competition, **overrides)
    )

    html = html_of(response)
    assert response.status_code == 200
    assert error_summary(html) == [message]
    assert f'id="id_{field}-error"' in html
    assert "<title>Error: " in html
    competition.refresh_from_db()
    assert competition.clarification_deadline is None
    assert competition.requirements == competition.project.need
    assert sorted(competition.criteria.values_list("weighting", flat=True)) == [15, 25, 60]
    assert not AuditEvent.objects.filter(kind=AuditKind.COMPETITION_BRIEF_UPDATED).exists()


def test_the_brief_warns_when_social_value_carries_under_ten_percent(
    client, procurement_officer, competition
):
    written_brief(competition, actor=procurement_officer, price_weight=80)
    client.force_login(procurement_officer)

    html = html_of(client.get(page_of(competition.project) + "brief/"))

    assert '<div class="govuk-warning-text" id="social-value-warning">' in html
    assert "Social value carries 8% of the total mark, less than 10%." in html


def test_an_open_competitions_brief_can_no_longer_be_changed(client, procurement_officer, opened):
    client.force_login(procurement_officer)

    response = client.post(page_of(opened.project) + "brief/", brief_form(opened))

    assert response.status_code == 403
    assert "The competition is open for bids: its brief can no longer be changed." in html_of(
        response
    )


# Inviting suppliers ------------------------------------------------------------------------------


def test_the_invite_page_lists_who_can_be_invited_and_who_cannot(
    client, procurement_officer, ready, lot
):
    appointed_supplier(
        lot,
        supplier__legal_name="C Suspended Ltd",
        status=Appointment.Status.SUSPENDED,
        reason="Insurance lapsed",
    )
    client.force_login(procurement_officer)

    html = html_of(client.get(page_of(ready.project) + "invite/"))

    assert re.findall(r'<h3 class="govuk-heading-s">(.*?)</h3>', html) == [
        "A Grounds Ltd",
        "B Grounds Ltd",
    ]
    not_invitable = re.search(r'id="not-invitable">(.*?)</dl>', html, re.S).group(1)
    assert "C Suspended Ltd" in not_invitable


def test_leaving_a_supplier_out_with_a_reason_invites_the_rest_and_opens_the_competition(
    client, procurement_officer, ready, suppliers
):
    left = suppliers[1]
    client.force_login(procurement_officer)

    response = client.post(
        page_of(ready.project) + "invite/",
        {f"leave_out_{left.pk}": "on", f"reason_{left.pk}": "Does not cut hedges"},
    )

    assert response["Location"] == page_of(ready.project)
    ready.refresh_from_db()
    assert ready.status == Competition.Status.OPEN
    assert list(
        Invitation.objects.order_by("supplier__legal_name").values_list(
            "supplier__legal_name", "invited", "reason_left_out"
        )
    ) == [("A Grounds Ltd", True, ""), ("B Grounds Ltd", False, "Does not cut hedges")]
    record = html_of(client.get(page_of(ready.project) + "invite/"))
    assert "No: left out" in record
    assert "Does not cut hedges" in record


@pytest.mark.parametrize(
    ("leave_out", "message"),
    [
        ({0: ""}, "Give the reason for leaving out A Grounds Ltd"),
        (
            {0: "x" * 2001},
            "The reason for leaving out A Grounds Ltd must be 2000 characters or fewer",
        ),
        (
            {0: "Too far", 1: "Too small"},
            "Invite at least one supplier: none of the lot's suppliers would be invited",
        ),
    ],
)
def test_bad_invitations_are_refused_and_nothing_is_saved(
    client, procurement_officer, ready, suppliers, leave_out, message
):
    form = {}
    for index, reason in leave_out.items():
        form[f"leave_out_{suppliers[index].pk}"] = "on"
        form[f"reason_{suppliers[index].pk}"] = reason
    client.force_login(procurement_officer)

    response = client.post(page_of(ready.project) + "invite/", form)

    assert response.status_code == 200
    assert error_summary(html_of(response)) == [message]
    ready.refresh_from_db()
    assert ready.status == Competition.Status.DRAFT
    assert not Invitation.objects.exists()


def test_the_invite_page_offers_leaving_out_where_the_lot_allows_narrowing(
    client, procurement_officer, ready, suppliers
):
    client.force_login(procurement_officer)

    html = html_of(client.get(page_of(ready.project) + "invite/"))

    assert "This lot's terms let you narrow the invitation" in html
    assert f'name="leave_out_{suppliers[0].pk}"' in html
    assert f'name="reason_{suppliers[0].pk}"' in html


@pytest.fixture
def ready_on_every_supplier_lot(buyer, procurement_officer):
    """A competition with its brief written on a lot whose terms require every appointed
    supplier to be invited, and two suppliers appointed to it."""
    lot = competition_factories.competition_lot(narrowing=False)
    for letter in ("A", "B"):
        appointed_supplier(lot, supplier__legal_name=f"{letter} Grounds Ltd")
    return written_brief(
        competition_factories.competition(organisation=buyer, actor=procurement_officer, lot=lot),
        actor=procurement_officer,
    )


def test_the_invite_page_offers_no_leaving_out_where_the_lot_requires_every_supplier(
    client, procurement_officer, ready_on_every_supplier_lot
):
    client.force_login(procurement_officer)

    html = html_of(client.get(page_of(ready_on_every_supplier_lot.project) + "invite/"))

    assert "This lot's terms require every appointed supplier to be invited" in html
    invitable = re.search(r'<ul [^>]*id="invitable">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<li [^>]*>(.*?)</li>", invitable) == ["A Grounds Ltd", "B Grounds Ltd"]
    assert 'name="leave_out_' not in html
    assert 'name="reason_' not in html
    assert "<textarea" not in html


def test_leaving_out_is_refused_where_the_lot_requires_every_supplier(
    client, procurement_officer, ready_on_every_supplier_lot
):
    left = Organisation.objects.get(legal_name="B Grounds Ltd")
    client.force_login(procurement_officer)

    response = client.post(
        page_of(ready_on_every_supplier_lot.project) + "invite/",
        {f"leave_out_{left.pk}": "on", f"reason_{left.pk}": "Does not cut hedges"},
    )

    assert response.status_code == 200
    assert error_summary(html_of(response)) == [
        "This lot's terms require every appointed supplier to be invited: "
        "no supplier can be left out"
    ]
    ready_on_every_supplier_lot.refresh_from_db()
    assert ready_on_every_supplier_lot.status == Competition.Status.DRAFT
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.COMPETITION_SUPPLIERS_INVITED).exists()


def test_every_supplier_is_invited_from_the_page_where_the_lot_requires_it(
    client, procurement_officer, ready_on_every_supplier_lot
):
    client.force_login(procurement_officer)

    response = client.post(page_of(ready_on_every_supplier_lot.project) + "invite/", {})

    assert response["Location"] == page_of(ready_on_every_supplier_lot.project)
    assert list(
        Invitation.objects.order_by("supplier__legal_name").values_list(
            "supplier__legal_name", "invited"
        )
    ) == [("A Grounds Ltd", True), ("B Grounds Ltd", True)]


def test_inviting_before_the_brief_is_written_is_refused(
    client, procurement_officer, competition, suppliers
):
    client.force_login(procurement_officer)

    page = html_of(client.get(page_of(competition.project) + "invite/"))
    response = client.post(page_of(competition.project) + "invite/", {})

    assert "Write the brief, with its deadlines, before inviting suppliers." in page
    assert error_summary(html_of(response)) == [
        "Write the brief, with its deadlines, before inviting suppliers"
    ]
    assert not Invitation.objects.exists()


# Questions ---------------------------------------------------------------------------------------


def test_the_buyer_sees_who_asked_and_publishes_an_answer_reworded(
    client, procurement_officer, opened, suppliers
):
    question = ask(opened, suppliers[0], "As A Grounds, may we bring our own mowers?")
    client.force_login(procurement_officer)

    waiting = html_of(client.get(page_of(opened.project) + "questions/"))
    response = client.post(
        page_of(opened.project) + f"questions/{question.pk}/answer/",
        {"answer": "Yes.", "published_question": "May suppliers bring their own mowers?"},
    )

    assert "Asked by A Grounds Ltd" in waiting
    assert f'href="{page_of(opened.project)}questions/{question.pk}/answer/"' in waiting
    assert response["Location"] == page_of(opened.project) + "questions/"
    question.refresh_from_db()
    assert (question.answer, question.published_question) == (
        "Yes.",
        "May suppliers bring their own mowers?",
    )
    assert question.published_at is not None
    published = html_of(client.get(page_of(opened.project) + "questions/"))
    assert "May suppliers bring their own mowers?" in published
    assert "No questions are waiting for an answer." in published


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"answer": " "}, "Enter the answer"),
        ({"answer": "x" * 10_001}, "The answer must be 10000 characters or fewer"),
        (
            {"answer": "Yes.", "published_question": "x" * 5_001},
            "The question as published must be 5000 characters or fewer",
        ),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_is_published(
    client, procurement_officer, opened, suppliers, form, message
):
    question = ask(opened, suppliers[0])
    client.force_login(procurement_officer)

    response = client.post(page_of(opened.project) + f"questions/{question.pk}/answer/", form)

    assert response.status_code == 200
    assert error_summary(html_of(response)) == [message]
    question.refresh_from_db()
    assert (question.answer, question.published_at) == ("", None)


def test_answering_after_bids_close_is_refused(client, procurement_officer, opened, suppliers):
    question = ask(opened, suppliers[0])
    now = timezone.now()
    Competition.objects.filter(pk=opened.pk).update(
        clarification_deadline=now - timedelta(hours=2),
        submission_deadline=now - timedelta(hours=1),
    )
    client.force_login(procurement_officer)

    response = client.post(
        page_of(opened.project) + f"questions/{question.pk}/answer/", {"answer": "Yes."}
    )

    assert error_summary(html_of(response)) == [
        "Bids have closed: answers can no longer be published"
    ]
    assert not Clarification.objects.filter(published_at__isnull=False).exists()
    summary = html_of(client.get(page_of(opened.project)))
    assert '<dd class="govuk-summary-list__value" id="status">Closed for bids</dd>' in summary


# The summary and query counts --------------------------------------------------------------------


def test_the_summary_counts_bids_and_never_shows_their_content(
    client, procurement_officer, opened, suppliers
):
    Bid.objects.create(
        competition=opened,
        supplier=suppliers[0],
        status=Bid.Status.SUBMITTED,
        sealed_price=b"ciphertext",
        submitted_at=timezone.now(),
    )
    client.force_login(procurement_officer)

    html = html_of(client.get(page_of(opened.project)))

    bids = re.search(r'id="bids-received">(.*?)</dd>', html, re.S).group(1)
    assert bids.startswith("1<p")
    assert "Bids are sealed" in bids
    assert re.findall(r"<li>(.*?)</li>", re.search(r'id="invited">(.*?)</ul>', html).group(1)) == [
        "A Grounds Ltd",
        "B Grounds Ltd",
    ]
    assert '<dd class="govuk-summary-list__value" id="status">Open for bids</dd>' in html


@pytest.mark.parametrize("page", ["", "questions/", "invite/"])
def test_list_pages_queries_do_not_grow(
    client, procurement_officer, opened, lot, suppliers, page, django_assert_max_num_queries
):
    for number in range(8):
        ask(opened, suppliers[number % 2], f"Question {number}")
    extra = [appointed_supplier(lot) for _ in range(6)]
    Invitation.objects.bulk_create(
        Invitation(competition=opened, supplier=supplier, invited=True) for supplier in extra
    )
    client.force_login(procurement_officer)
    client.get(page_of(opened.project) + page)

    with django_assert_max_num_queries(18):
        response = client.get(page_of(opened.project) + page)

    assert response.status_code == 200


def test_the_task_lists_queries_stay_bounded_for_a_competition(
    client, procurement_officer, opened, django_assert_max_num_queries
):
    client.force_login(procurement_officer)
    client.get(f"/buying/projects/{opened.project.pk}/")

    with django_assert_max_num_queries(20):
        response = client.get(f"/buying/projects/{opened.project.pk}/")

    assert BuyingProject.objects.get(pk=opened.project.pk).route == "further_competition"
    assert response.status_code == 200
