"""The buyer's evaluation pages: the conflict declaration before any bid is shown, the opened
bids and the evaluator's own marks, moderation, the ranking and the award back to the task
list; bad input shown with nothing saved; another organisation is told nothing exists; a
supplier gets the page for buyers; before the deadline no bid content is shown."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from marketplace.calloffs.models import BuyingProject
from marketplace.competitions.models import (
    Bid,
    BidDocument,
    Competition,
    ConflictDeclaration,
    ModeratedScore,
    Score,
)
from marketplace.competitions.sealing import store_sealed_file
from marketplace.competitions.services.bids import document_purpose
from marketplace.competitions.services.evaluation import declare_conflict, record_score
from tests.competitions.evaluation_setup import (
    evaluate,
    invited_competition,
    past_deadline,
    sealed_bid,
)
from tests.competitions.test_buyer_views import error_summary, html_of, page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(buyer, procurement_officer):
    """The worked example's three bids, before the deadline."""
    return invited_competition(organisation=buyer, actor=procurement_officer)


@pytest.fixture
def competition(sealed):
    return past_deadline(sealed[0])


@pytest.fixture
def bids(sealed, competition):
    return sealed[1]


@pytest.fixture
def quality(competition):
    return competition.criteria.get(title="Quality of service")


@pytest.fixture
def declared(competition, procurement_officer, approver):
    """The officer and the approver both declared no conflict."""
    for evaluator in (procurement_officer, approver):
        declare_conflict(actor=evaluator, competition=competition, has_conflict=False)
    return procurement_officer, approver


@pytest.fixture
def document(bids):
    bid = bids[0]
    storage_name, sealed_name, size = store_sealed_file(
        competition=bid.competition,
        purpose=document_purpose(bid),
        upload=SimpleUploadedFile("Method statement.pdf", b"%PDF method"),
    )
    return BidDocument.objects.create(
        bid=bid, storage_name=storage_name, sealed_file_name=sealed_name, size=size
    )


def pages(competition, bids, document) -> list[str]:
    base = page_of(competition.project)
    return [
        base + "evaluate/",
        base + f"evaluate/bids/{bids[0].pk}/",
        base + f"evaluate/bids/{bids[0].pk}/documents/{document.pk}/",
        base + "moderate/",
        base + "ranking/",
    ]


def score_form(criterion, **overrides) -> dict:
    prefix = f"criterion-{criterion.pk}"
    form = {"criterion": str(criterion.pk), f"{prefix}-mark": "7", f"{prefix}-reason": "Clear."}
    return {**form, **{f"{prefix}-{key}": value for key, value in overrides.items()}}


# Who may see the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", range(5))
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisation_is_told_no_page_exists(
    client, outsider, competition, bids, document, number, method
):
    client.force_login(outsider)

    response = getattr(client, method)(
        pages(competition, bids, document)[number], {"has_conflict": "no"}
    )

    assert response.status_code == 404
    assert ConflictDeclaration.objects.count() == 0


@pytest.mark.parametrize("number", range(5))
def test_a_supplier_gets_the_page_for_buyers(
    client, supplier_editor, competition, bids, document, number
):
    client.force_login(supplier_editor)

    response = client.get(pages(competition, bids, document)[number])

    assert response.status_code == 403
    assert "This page is for buyers" in html_of(response)


def test_a_colleague_off_the_team_gets_the_read_only_page(client, colleague, competition):
    client.force_login(colleague)

    response = client.post(page_of(competition.project) + "evaluate/", {"has_conflict": "no"})

    assert response.status_code == 403
    assert ConflictDeclaration.objects.count() == 0


# Declaring ---------------------------------------------------------------------------------------


def test_the_evaluate_page_asks_for_a_declaration_before_showing_any_bid(
    client, procurement_officer, competition
):
    client.force_login(procurement_officer)

    html = html_of(client.get(page_of(competition.project) + "evaluate/"))

    assert html.count("<h1") == 1
    assert "Declare any conflict of interest" in html
    assert "Grounds Ltd" not in html
    assert "Bid 1" not in html


def test_a_conflict_without_details_or_action_is_refused_with_the_error_shown(
    client, procurement_officer, competition
):
    client.force_login(procurement_officer)

    response = client.post(page_of(competition.project) + "evaluate/", {"has_conflict": "yes"})

    assert response.status_code == 200
    assert error_summary(html_of(response)) == ["Describe the conflict of interest"]
    assert ConflictDeclaration.objects.count() == 0


def test_no_choice_is_refused(client, procurement_officer, competition):
    client.force_login(procurement_officer)

    response = client.post(page_of(competition.project) + "evaluate/", {})

    assert error_summary(html_of(response)) == ["Say whether you have a conflict of interest"]
    assert ConflictDeclaration.objects.count() == 0


def test_a_declared_conflict_is_recorded_and_blocks_the_bids(
    client, procurement_officer, competition, bids, document
):
    client.force_login(procurement_officer)
    response = client.post(
        page_of(competition.project) + "evaluate/",
        {"has_conflict": "yes", "details": "My sister runs B Grounds.", "action": "Stood down."},
    )
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.has_conflict, declaration.details, declaration.action) == (
        True,
        "My sister runs B Grounds.",
        "Stood down.",
    )

    evaluate_html = html_of(client.get(page_of(competition.project) + "evaluate/"))
    assert "you cannot see or score its bids" in evaluate_html
    assert "A Grounds Ltd" not in evaluate_html
    for page in pages(competition, bids, document)[1:]:
        response = client.get(page)
        assert response.status_code == 403
        assert "Our answer on" not in html_of(response)
        assert "40000" not in html_of(response)


# Scoring -----------------------------------------------------------------------------------------


def test_the_evaluate_list_numbers_the_bids_with_their_suppliers_and_progress(
    client, declared, competition, bids, quality
):
    officer, _approver = declared
    record_score(actor=officer, bid=bids[0], criterion=quality, mark=8, reason="Good.")
    client.force_login(officer)

    html = html_of(client.get(page_of(competition.project) + "evaluate/"))

    assert html.count("<h1") == 1
    assert "Bid 1<span" in html and "Bid 3<span" in html
    assert "A Grounds Ltd" in html and "C Grounds Ltd" in html
    assert 'id="scored">1 of 9</dd>' in html
    assert 'id="moderated">0 of 9</dd>' in html
    assert "Your mark: 8" in html


def test_the_bid_page_shows_the_opened_bid_and_own_marks_only(
    client, declared, competition, bids, quality, document
):
    officer, approver = declared
    record_score(actor=approver, bid=bids[1], criterion=quality, mark=3, reason="Approver's.")
    client.force_login(officer)

    response = client.get(page_of(competition.project) + f"evaluate/bids/{bids[1].pk}/")

    html = html_of(response)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Bid 2: B Grounds Ltd</h1>" in html
    assert 'id="price">£50000.00</dd>' in html
    assert "Our answer on Quality of service." in html
    assert "4 apprenticeships" in html
    assert "Electric mowers from year 2" in html
    assert "Approver's." not in html


def test_a_document_downloads_under_its_real_name(client, declared, competition, bids, document):
    client.force_login(declared[0])

    page = html_of(client.get(page_of(competition.project) + f"evaluate/bids/{bids[0].pk}/"))
    response = client.get(pages(competition, bids, document)[2])

    assert f"documents/{document.pk}/" in page
    assert response.status_code == 200
    assert response.content == b"%PDF method"
    assert response["Content-Disposition"] == 'attachment; filename="Method statement.pdf"'


def test_a_mark_is_saved_with_its_reason(client, declared, competition, bids, quality):
    client.force_login(declared[0])
    url = page_of(competition.project) + f"evaluate/bids/{bids[0].pk}/"

    response = client.post(url, score_form(quality, mark="9", reason="Strong method."))

    assert response.status_code == 302
    score = Score.objects.get()
    assert (score.evaluator, score.bid, score.criterion, score.mark, score.reason) == (
        declared[0],
        bids[0],
        quality,
        9,
        "Strong method.",
    )


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"mark": "11"}, ["The mark must be a whole number from 0 to 10"]),
        ({"mark": "-1"}, ["The mark must be a whole number from 0 to 10"]),
        ({"mark": ""}, ["Choose a mark from 0 to 10"]),
        ({"reason": "  "}, ["Give the reason for the mark"]),
    ],
)
def test_a_bad_mark_shows_its_error_and_saves_nothing(
    client, declared, competition, bids, quality, overrides, errors
):
    client.force_login(declared[0])

    response = client.post(
        page_of(competition.project) + f"evaluate/bids/{bids[0].pk}/",
        score_form(quality, **overrides),
    )

    assert response.status_code == 200
    assert error_summary(html_of(response)) == errors
    assert Score.objects.count() == 0


def test_an_undeclared_evaluator_is_sent_to_declare_first(
    client, procurement_officer, competition, bids
):
    client.force_login(procurement_officer)

    response = client.get(page_of(competition.project) + f"evaluate/bids/{bids[0].pk}/")

    assert response.status_code == 302
    assert response["Location"] == page_of(competition.project) + "evaluate/"


def test_a_bid_never_submitted_is_not_found(client, declared, competition):
    supplier = competition.invitations.get(supplier__legal_name="D Grounds Ltd").supplier
    draft = Bid.objects.create(competition=competition, supplier=supplier)
    client.force_login(declared[0])

    response = client.get(page_of(competition.project) + f"evaluate/bids/{draft.pk}/")

    assert response.status_code == 404


def test_before_the_deadline_the_bid_page_says_the_bids_are_sealed(
    client, procurement_officer, sealed
):
    competition, bids = sealed
    declare_conflict(actor=procurement_officer, competition=competition, has_conflict=False)
    client.force_login(procurement_officer)

    bid_page = client.get(page_of(competition.project) + f"evaluate/bids/{bids[0].pk}/")
    list_page = client.get(page_of(competition.project) + "evaluate/")

    assert bid_page.status_code == 403
    assert "Bids are sealed until" in html_of(bid_page)
    for response in (bid_page, list_page):
        assert "Our answer on" not in html_of(response)
        assert "A Grounds Ltd" not in html_of(response)
    assert "Bids are sealed until" in html_of(list_page)


# Moderating ------------------------------------------------------------------------------------


def test_moderation_shows_both_marks_and_saves_the_agreed_one(
    client, declared, competition, bids, quality
):
    officer, approver = declared
    record_score(actor=officer, bid=bids[0], criterion=quality, mark=7, reason="Officer's.")
    record_score(actor=approver, bid=bids[0], criterion=quality, mark=9, reason="Approver's.")
    client.force_login(officer)
    url = page_of(competition.project) + "moderate/"
    key = f"{bids[0].pk}-{quality.pk}"

    html = html_of(client.get(url))
    response = client.post(
        url, {"cell": key, f"cell-{key}-mark": "8", f"cell-{key}-reason": "Agreed."}
    )

    assert html.count("<h1") == 1
    assert "Officer's." in html and "Approver's." in html
    assert response.status_code == 302
    moderated = ModeratedScore.objects.get()
    assert (moderated.mark, moderated.reason, moderated.agreed_by) == (8, "Agreed.", officer)


def test_moderation_without_a_reason_is_refused(client, declared, competition, bids, quality):
    for evaluator in declared:
        record_score(actor=evaluator, bid=bids[0], criterion=quality, mark=7, reason="Read.")
    client.force_login(declared[0])
    key = f"{bids[0].pk}-{quality.pk}"

    response = client.post(
        page_of(competition.project) + "moderate/",
        {"cell": key, f"cell-{key}-mark": "8", f"cell-{key}-reason": ""},
    )

    assert response.status_code == 200
    assert error_summary(html_of(response)) == ["Give the reason for the moderated score"]
    assert ModeratedScore.objects.count() == 0


# Ranking and award -----------------------------------------------------------------------------


def test_the_ranking_waits_for_every_moderated_score(client, declared, competition):
    client.force_login(declared[0])

    response = client.get(page_of(competition.project) + "ranking/")

    assert response.status_code == 403
    assert "once every criterion of every bid has a moderated score" in html_of(response)


def test_the_ranking_and_award_select_the_winner_and_go_to_the_task_list(
    client, declared, competition, bids
):
    evaluate(competition, bids, evaluators=list(declared))
    client.force_login(declared[0])
    url = page_of(competition.project) + "ranking/"

    html = html_of(client.get(url))
    response = client.post(url, {"reason": "Best value."})

    assert html.count("<h1") == 1
    totals = [
        row.split("</th>")[0]
        for row in html.split('<th scope="row" class="govuk-table__header">')[1:]
    ]
    assert totals == ["Bid 2: B Grounds Ltd", "Bid 1: A Grounds Ltd", "Bid 3: C Grounds Ltd"]
    assert "85.10" in html
    assert response.status_code == 302
    assert response["Location"] == f"/buying/projects/{competition.project.pk}/"
    project = BuyingProject.objects.get(pk=competition.project.pk)
    assert project.selected_supplier.legal_name == "B Grounds Ltd"
    assert Competition.objects.get(pk=competition.pk).status == Competition.Status.AWARDED


# Queries ---------------------------------------------------------------------------------------


def test_the_evaluate_lists_queries_do_not_grow_with_the_bids(client, declared, competition):
    client.force_login(declared[0])
    url = page_of(competition.project) + "evaluate/"
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as three_bids:
        client.get(url)
    supplier = competition.invitations.get(supplier__legal_name="D Grounds Ltd").supplier
    sealed_bid(competition, supplier, price="42000")
    client.get(url)

    with CaptureQueriesContext(connection) as four_bids:
        response = client.get(url)

    assert "Bid 4<span" in html_of(response)
    assert len(four_bids) == len(three_bids) <= 21


def test_the_summary_links_to_the_evaluation_once_the_deadline_has_passed(
    client, procurement_officer, sealed
):
    competition = sealed[0]
    client.force_login(procurement_officer)
    link = f'href="{page_of(competition.project)}evaluate/">Evaluate bids</a>'

    before = html_of(client.get(page_of(competition.project)))
    past_deadline(competition)
    after = html_of(client.get(page_of(competition.project)))

    assert link not in before
    assert link in after


# The task list ---------------------------------------------------------------------------------


def evaluate_step(client, project) -> str:
    html = html_of(client.get(f"/buying/projects/{project.pk}/"))
    return re.search(r'id="task-competition_evaluate">.*?</li>', html, re.S).group(0)


def test_the_task_list_says_the_bids_are_sealed_before_the_deadline(
    client, procurement_officer, sealed
):
    client.force_login(procurement_officer)

    step = evaluate_step(client, sealed[0].project)

    assert "Bids stay sealed until" in step
    assert "Cannot start yet" in step
    assert "/evaluate/" not in step


def test_the_task_list_links_to_the_evaluation_once_the_bids_are_open(
    client, procurement_officer, competition
):
    client.force_login(procurement_officer)
    url = page_of(competition.project) + "evaluate/"

    before = evaluate_step(client, competition.project)
    declare_conflict(actor=procurement_officer, competition=competition, has_conflict=False)
    after = evaluate_step(client, competition.project)

    assert f'href="{url}"' in before and "Not yet started" in before
    assert f'href="{url}"' in after and "In progress" in after


def test_the_task_list_links_to_the_ranking_once_evaluated_and_after_the_award(
    client, declared, competition, bids
):
    evaluate(competition, bids, evaluators=list(declared))
    client.force_login(declared[0])
    url = page_of(competition.project) + "ranking/"

    evaluated = evaluate_step(client, competition.project)
    client.post(url, {"reason": ""})
    awarded = evaluate_step(client, competition.project)

    assert f'href="{url}"' in evaluated and "In progress" in evaluated
    assert f'href="{url}"' in awarded and "Completed" in awarded
