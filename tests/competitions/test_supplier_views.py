"""The supplier's further-competition pages: the invitations, the brief with its questions and
answers, and the sealed bid with its documents; bad input on every form, the deadlines, and
404s for everyone who was not invited."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

import pytest

from marketplace.competitions.models import Bid, BidDocument, Clarification, Competition
from marketplace.competitions.services.award import award_to_winner
from marketplace.competitions.services.bids import add_bid_document, save_bid
from marketplace.competitions.services.clarifications import (
    answer_clarification,
    ask_clarification,
)
from marketplace.competitions.services.invitations import invite_suppliers
from tests import factories
from tests.competitions import factories as competition_factories
from tests.competitions.evaluation_setup import evaluate, invited_competition
from tests.competitions.evaluation_setup import past_deadline as closed_at_deadline
from tests.competitions.factories import appointed_supplier, written_brief

pytestmark = pytest.mark.django_db

ANSWERS = {
    "Quality of service": "A crew of four mows each park every other Monday.",
    "Local jobs": "We hire from the borough's job centre.",
    "Net zero": "Electric mowers charged from our depot's solar roof.",
}


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


# "14:03 on 3 December 2026", as the receipt says it.
RECEIPT_TIME = r"H:i \o\n j F Y"


def london(moment, format_="j F Y, g:ia") -> str:
    return formats.date_format(timezone.localtime(moment), format_)


def open_on(competition, officer):
    invite_suppliers(
        actor=officer, competition=written_brief(competition, actor=officer), left_out={}
    )
    competition.refresh_from_db()
    return competition


@pytest.fixture
def bidder(client, invited):
    """The client, signed in as the first invited supplier's editor."""
    client.force_login(invited[0][1])
    return client


def urls(competition, document_pk=1) -> dict[str, str]:
    return {
        "competition": reverse("supplier_competitions:competition", args=[competition.pk]),
        "bid": reverse("supplier_competitions:bid", args=[competition.pk]),
        "outcome": reverse("supplier_competitions:outcome", args=[competition.pk]),
        "document": reverse("supplier_competitions:bid-document-add", args=[competition.pk]),
        "remove": reverse(
            "supplier_competitions:bid-document-remove", args=[competition.pk, document_pk]
        ),
    }


def bid_data(competition, **overrides) -> dict:
    data = {"price": "61,234.00"}
    for criterion in competition.criteria.all():
        data[f"answer-{criterion.pk}"] = ANSWERS[criterion.title]
        if criterion.is_social_value:
            data[f"commitment-{criterion.pk}"] = ""
    local_jobs = competition.criteria.get(title="Local jobs")
    data[f"commitment-{local_jobs.pk}"] = "6 apprenticeships"
    return {**data, **overrides}


def submit_bid(competition, invited, which=0) -> Bid:
    supplier, person = invited[which]
    return save_bid(
        actor=person,
        competition=competition,
        supplier=supplier,
        price=Decimal("40000.00"),
        answers={c.pk: ANSWERS[c.title] for c in competition.criteria.all()},
    )


def move_deadlines(competition, *, questions, bids):
    Competition.objects.filter(pk=competition.pk).update(
        clarification_deadline=questions, submission_deadline=bids
    )
    competition.refresh_from_db()


def past_deadline(competition):
    now = timezone.now()
    move_deadlines(competition, questions=now - timedelta(hours=2), bids=now - timedelta(hours=1))


def upload(name="method-statement.pdf", size=2048):
    return SimpleUploadedFile(name, b"%PDF" + b"x" * (size - 4), content_type="application/pdf")


# Invitations ------------------------------------------------------------------------------------


def test_the_supplier_finds_its_invitation_from_the_dashboard(bidder, opened, buyer, lot):
    dashboard = text(bidder.get(reverse("suppliers:dashboard")))
    assert (
        'href="/supplier/competitions/">Further competitions</a>: the competitions you are '
        "invited to bid in" in dashboard
    )

    page = text(bidder.get(reverse("supplier_competitions:competition-list")))

    row = (
        f'<a class="govuk-link" href="/supplier/competitions/{opened.pk}/">Grounds maintenance</a>'
        f'</th> <td class="govuk-table__cell">{buyer}</td> '
        f'<td class="govuk-table__cell">{lot}, {lot.framework.title}</td> '
        f'<td class="govuk-table__cell">{london(opened.clarification_deadline)}</td> '
        f'<td class="govuk-table__cell">{london(opened.submission_deadline)}</td>'
    )
    assert row in page
    assert '<strong class="govuk-tag govuk-tag--green">Open for bids</strong>' in page


def test_the_list_shows_closed_outcome_and_cancelled_competitions(
    bidder, opened, buyer, procurement_officer, invited
):
    def another(status):
        competition = open_on(
            competition_factories.competition(
                organisation=buyer, actor=procurement_officer, lot=opened.project.lot
            ),
            procurement_officer,
        )
        Competition.objects.filter(pk=competition.pk).update(status=status)

    past_deadline(opened)  # still "open" in the database: shown closed all the same
    another(Competition.Status.AWARDED)
    another(Competition.Status.CANCELLED)

    page = text(bidder.get(reverse("supplier_competitions:competition-list")))

    assert re.findall(r'govuk-tag--\w+">([^<]+)<', page) == [
        "Cancelled",
        "Outcome",
        "Closed",
    ]


def test_a_supplier_invited_to_nothing_sees_an_empty_list(client, lot, opened):
    outsider = appointed_supplier(competition_factories.competition_lot())
    client.force_login(factories.MembershipFactory(organisation=outsider, role="editor").user)

    page = text(client.get(reverse("supplier_competitions:competition-list")))

    assert "You have not been invited to any further competitions." in page
    assert "Grounds maintenance" not in page


def test_a_draft_competition_is_not_shown(bidder, competition, invited):
    written_brief(competition, actor=competition.created_by)

    page = text(bidder.get(reverse("supplier_competitions:competition-list")))

    assert "You have not been invited to any further competitions." in page
    assert bidder.get(urls(competition)["competition"]).status_code == 404


def test_the_list_query_count_does_not_grow(
    bidder, django_assert_max_num_queries, opened, buyer, procurement_officer
):
    url = reverse("supplier_competitions:competition-list")
    with CaptureQueriesContext(connection) as one_competition:
        bidder.get(url)
    for _ in range(5):
        open_on(
            competition_factories.competition(
                organisation=buyer, actor=procurement_officer, lot=opened.project.lot
            ),
            procurement_officer,
        )

    with django_assert_max_num_queries(len(one_competition)):
        response = bidder.get(url)
    assert text(response).count("Open for bids") == 6


# The brief, questions and answers ---------------------------------------------------------------


def test_the_competition_page_shows_the_brief(bidder, opened):
    page = text(bidder.get(urls(opened)["competition"]))

    assert "Mow 12 parks fortnightly from April to October." in page
    questions_by = london(opened.clarification_deadline)
    assert f'questions</dt><dd class="govuk-summary-list__value">{questions_by} (London' in page
    assert (
        f"{london(opened.submission_deadline)} (London time). A bid at or after this time is "
        "late and refused." in page
    )
    assert '<dd class="govuk-summary-list__value" id="split">Price 40%, quality 60%</dd>' in page
    assert (
        "Lowest price divided by the bid's price, times the price weight: the lowest price bid "
        "gets all 40 marks, and a price twice the lowest gets half of them." in page
    )
    weightings = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)<.*?--numeric">(\d+)%</td>', page
    )
    assert weightings == [("Quality of service", "60"), ("Local jobs", "25"), ("Net zero", "15")]
    assert "Social value: Local jobs and apprenticeships" in page
    assert "Not submitted. " in page
    assert "Submit your bid</a>" in page


def test_published_answers_never_name_the_asker_and_own_questions_show_their_status(
    client, opened, invited, procurement_officer
):
    (asker, asker_person), (_other, other_person) = invited
    answered = ask_clarification(
        actor=asker_person, competition=opened, supplier=asker, question="Are hedges included?"
    )
    answer_clarification(
        actor=procurement_officer,
        clarification=answered,
        answer="Yes, twice a year.",
        published_question="Is hedge cutting part of the work?",
    )
    ask_clarification(
        actor=asker_person, competition=opened, supplier=asker, question="Who empties bins?"
    )

    client.force_login(other_person)
    page = text(client.get(urls(opened)["competition"]))
    assert "Is hedge cutting part of the work?" in page
    assert "Yes, twice a year." in page
    assert str(asker) not in page
    assert "Are hedges included?" not in page
    assert "Who empties bins?" not in page
    assert "Your questions" not in page

    client.force_login(asker_person)
    page = text(client.get(urls(opened)["competition"]))
    own_questions = page[page.index('id="own-questions"') :]
    assert re.findall(r"__key\">([^<]+)</dt> <dd [^>]+><strong [^>]+>([^<]+)<", own_questions) == [
        ("Are hedges included?", "Answered"),
        ("Who empties bins?", "Waiting for an answer"),
    ]


def test_asking_a_question_sends_it(bidder, opened, invited):
    response = bidder.post(urls(opened)["competition"], {"question": "Is there a depot?"})

    assert response["Location"] == urls(opened)["competition"]
    assert "Your question is sent." in text(bidder.get(response["Location"]))
    clarification = Clarification.objects.get()
    assert (clarification.asked_by, clarification.question) == (invited[0][0], "Is there a depot?")


@pytest.mark.parametrize(
    ("question", "error"),
    [
        ("", "Enter your question"),
        ("   ", "Enter your question"),
        ("x" * 5_001, "Your question must be 5000 characters or fewer"),
    ],
)
def test_a_bad_question_shows_the_error_and_saves_nothing(bidder, opened, question, error):
    response = bidder.post(urls(opened)["competition"], {"question": question})

    assert response.status_code == 400
    assert text(response).count(error) == 2
    assert not Clarification.objects.exists()


def test_after_the_deadline_for_questions_none_can_be_asked(bidder, opened):
    now = timezone.now()
    move_deadlines(opened, questions=now - timedelta(minutes=1), bids=now + timedelta(days=1))
    deadline = london(opened.clarification_deadline)

    page = text(bidder.get(urls(opened)["competition"]))
    assert f"The deadline for questions was {deadline}: questions can no longer be asked." in page
    assert 'name="question"' not in page

    response = bidder.post(urls(opened)["competition"], {"question": "Is there a depot?"})
    assert response.status_code == 400
    assert f"The deadline for questions was {deadline}: questions can no longer be asked" in text(
        response
    )
    assert not Clarification.objects.exists()


# The bid ----------------------------------------------------------------------------------------


def test_submitting_a_bid_shows_a_receipt_and_never_the_bid(bidder, opened, invited):
    response = bidder.post(urls(opened)["bid"], bid_data(opened))

    assert response["Location"] == urls(opened)["bid"]
    bid = Bid.objects.get()
    assert (bid.supplier, bid.status) == (invited[0][0], Bid.Status.SUBMITTED)
    page = text(bidder.get(urls(opened)["bid"]))
    assert "Your bid is received. It stays sealed until the deadline for bids." in page
    assert (
        f"Your bid was received at {london(bid.submitted_at, RECEIPT_TIME)}; it is sealed: "
        "nobody, including you, can read it before the deadline. To change it, submit it "
        "again in full." in page
    )
    assert "It has 3 answers and 0 documents." in page
    assert "Submit your changed bid" in page
    for sealed in ["61,234", "61234", "6 apprenticeships", *ANSWERS.values()]:
        assert sealed not in page
    assert "Received at " in text(bidder.get(urls(opened)["competition"]))


def test_a_bid_is_submitted_again_in_full(bidder, opened):
    bidder.post(urls(opened)["bid"], bid_data(opened))
    first = Bid.objects.get().submitted_at

    bidder.post(urls(opened)["bid"], bid_data(opened, price="47000"))

    bid = Bid.objects.get()
    assert bid.submitted_at > first
    assert bid.answers.count() == 3


@pytest.mark.parametrize(
    ("price", "error"),
    [
        ("", "Enter your price"),
        ("forty thousand", "Enter your price as a number of pounds, like 48500 or 48,500.00"),
        ("-5", "Your price must be more than £0"),
        ("0", "Your price must be more than £0"),
        ("12.345", "Enter your price in pounds and pence, like 48,500.25"),
    ],
)
def test_a_bad_price_shows_the_error_and_keeps_the_answers(bidder, opened, price, error):
    response = bidder.post(urls(opened)["bid"], bid_data(opened, price=price))

    assert response.status_code == 400
    page = text(response)
    assert page.count(error) == 2
    for answer in ANSWERS.values():
        assert f">{answer}</textarea>" in page
    assert 'value="6 apprenticeships"' in page
    assert not Bid.objects.exists()


def test_a_missing_answer_shows_the_error_and_keeps_the_rest(bidder, opened):
    net_zero = opened.criteria.get(title="Net zero")

    response = bidder.post(urls(opened)["bid"], bid_data(opened, **{f"answer-{net_zero.pk}": " "}))

    assert response.status_code == 400
    page = text(response)
    assert page.count("Enter your answer to Net zero") == 2
    assert f'<a href="#id_answer-{net_zero.pk}">Enter your answer to Net zero</a>' in page
    assert f">{ANSWERS['Local jobs']}</textarea>" in page
    assert 'value="61,234.00"' in page
    assert not Bid.objects.exists()


def test_a_too_long_commitment_is_refused(bidder, opened):
    local_jobs = opened.criteria.get(title="Local jobs")

    response = bidder.post(
        urls(opened)["bid"], bid_data(opened, **{f"commitment-{local_jobs.pk}": "x" * 201})
    )

    assert response.status_code == 400
    assert (
        text(response).count("Your commitment for Local jobs must be 200 characters or fewer") == 2
    )
    assert not Bid.objects.exists()


def test_a_bid_at_the_exact_deadline_is_late_and_nothing_is_saved(bidder, opened):
    data = bid_data(opened)
    # Close enough to now that the session stays fresh when the clock reads the deadline.
    now = timezone.now()
    move_deadlines(opened, questions=now - timedelta(hours=1), bids=now + timedelta(seconds=5))
    deadline = opened.submission_deadline

    with mock.patch("django.utils.timezone.now", return_value=deadline):
        response = bidder.post(urls(opened)["bid"], data)

    assert response.status_code == 400
    assert f"The deadline for bids was {london(deadline)}: bids can no longer be changed" in text(
        response
    )
    assert not Bid.objects.exists()


def test_after_the_deadline_the_bid_page_keeps_the_receipt_and_no_form(bidder, opened, invited):
    bid = submit_bid(opened, invited)
    past_deadline(opened)

    page = text(bidder.get(urls(opened)["bid"]))

    assert f"Your bid was received at {london(bid.submitted_at, RECEIPT_TIME)}" in page
    assert "To change it" not in page
    assert (
        f"The deadline for bids was {london(opened.submission_deadline)}: bids can no longer be "
        "submitted or changed." in page
    )
    assert 'name="price"' not in page
    assert 'name="document"' not in page
    opened.refresh_from_db()
    assert opened.status == Competition.Status.CLOSED


# Documents ---------------------------------------------------------------------------------------


def test_documents_are_listed_by_number_and_size_and_removed(bidder, opened, invited):
    submit_bid(opened, invited)

    response = bidder.post(urls(opened)["document"], {"document": upload(size=2048)})

    assert response["Location"] == urls(opened)["bid"]
    page = text(bidder.get(urls(opened)["bid"]))
    assert "The document is added to your bid, sealed." in page
    assert "Document 1 (2.0 KB)" in page
    assert "It has 3 answers and 1 document (2.0 KB in all)." in page
    assert "method-statement" not in page
    document = BidDocument.objects.get()

    response = bidder.post(urls(opened, document.pk)["remove"])

    assert response["Location"] == urls(opened)["bid"]
    page = text(bidder.get(urls(opened)["bid"]))
    assert "The document is removed from your bid." in page
    assert "Your bid has no documents." in page
    assert not BidDocument.objects.exists()


def test_a_document_over_the_cap_is_refused_on_the_form(bidder, opened, invited, settings):
    settings.BID_UPLOAD_MAX_BYTES = 1024
    submit_bid(opened, invited)

    response = bidder.post(urls(opened)["document"], {"document": upload(size=4096)})

    assert response.status_code == 400
    assert text(response).count("The selected file must be 1.0 KB or smaller") == 2
    assert not BidDocument.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Choose a file to add to your bid"),
        ({"document": SimpleUploadedFile("empty.pdf", b"")}, "The selected file is empty"),
    ],
)
def test_a_missing_or_empty_document_is_refused(bidder, opened, invited, data, error):
    submit_bid(opened, invited)

    response = bidder.post(urls(opened)["document"], data)

    assert response.status_code == 400
    assert text(response).count(error) == 2
    assert not BidDocument.objects.exists()


def test_documents_wait_for_a_bid(bidder, opened):
    page = text(bidder.get(urls(opened)["bid"]))
    assert "Once your bid is submitted, you can add documents to it here." in page

    response = bidder.post(urls(opened)["document"], {"document": upload()})

    assert response.status_code == 400
    assert "Submit your bid before you add documents to it" in text(response)
    assert not BidDocument.objects.exists()


def test_a_document_cannot_be_removed_after_the_deadline(bidder, opened, invited):
    bid = submit_bid(opened, invited)
    document = add_bid_document(actor=invited[0][1], bid=bid, upload=upload())
    past_deadline(opened)

    response = bidder.post(urls(opened, document.pk)["remove"])

    assert response.status_code == 400
    assert (
        f"The deadline for bids was {london(opened.submission_deadline)}: bids can no longer be "
        "changed" in text(response)
    )
    assert BidDocument.objects.get() == document


# The outcome -------------------------------------------------------------------------------------


@pytest.fixture
def awarded(buyer, procurement_officer, approver):
    """The worked example awarded: B Grounds Ltd wins on 85.10; A has 82.30; D did not bid."""
    competition, bids = invited_competition(organisation=buyer, actor=procurement_officer)
    closed_at_deadline(competition)
    evaluate(competition, bids, evaluators=(procurement_officer, approver))
    competition.refresh_from_db()
    award_to_winner(actor=procurement_officer, competition=competition, reason="")
    competition.refresh_from_db()
    return competition


def sign_in_for(client, competition, name):
    supplier = competition.invitations.get(supplier__legal_name=name).supplier
    client.force_login(factories.MembershipFactory(organisation=supplier, role="editor").user)


def test_a_losing_bidder_sees_its_scores_beside_the_winners(client, awarded):
    sign_in_for(client, awarded, "A Grounds Ltd")
    assert "See the outcome and your scores</a>" in text(client.get(urls(awarded)["competition"]))

    page = text(client.get(urls(awarded)["outcome"]))

    assert "Your bid was not successful. It ranked 2 of 3." in page
    scores = page[page.index('<tbody class="govuk-table__body">') : page.index("</tbody>")]
    rows = [
        (
            re.search(r'__header">([^<]+)</th>', row)[1],
            re.findall(r'numeric">(?:<strong>)?([\d.]+)<', row),
        )
        for row in scores.split('<tr class="govuk-table__row">')[1:]
    ]
    assert rows == [
        ("Quality of service (60% of quality)", ["8", "28.80", "9", "32.40"]),
        ("Local jobs (25% of quality)", ["6", "9.00", "9", "13.50"]),
        ("Net zero (15% of quality)", ["5", "4.50", "8", "7.20"]),
        ("Quality", ["42.30", "53.10"]),
        ("Price", ["40.00", "32.00"]),
        ("Total", ["82.30", "85.10"]),
    ]
    assert "B Grounds Ltd" not in page


def test_the_winner_is_told_it_won(client, awarded, buyer):
    sign_in_for(client, awarded, "B Grounds Ltd")

    page = text(client.get(urls(awarded)["outcome"]))

    assert f"Your bid won: {buyer} awards the contract to you." in page
    assert "Winner's mark" not in page


def test_an_invited_supplier_that_did_not_bid_has_no_scores(client, awarded):
    sign_in_for(client, awarded, "D Grounds Ltd")

    page = text(client.get(urls(awarded)["outcome"]))

    assert "You did not bid, so there are no scores to show you." in page


def test_there_is_no_outcome_before_the_award(bidder, opened):
    assert bidder.get(urls(opened)["outcome"]).status_code == 404
    assert "See the outcome" not in text(bidder.get(urls(opened)["competition"]))


# Who may see the pages ---------------------------------------------------------------------------


def test_another_invited_supplier_cannot_remove_a_document(client, opened, invited):
    bid = submit_bid(opened, invited)
    document = add_bid_document(actor=invited[0][1], bid=bid, upload=upload())
    client.force_login(invited[1][1])

    assert client.post(urls(opened, document.pk)["remove"]).status_code == 404
    assert BidDocument.objects.get() == document


def wrong_people(opened, lot, buyer, invited):
    """Everyone who must not find the competition, each with a short name for the message."""
    left_out_lot = competition_factories.competition_lot()
    return {
        "another lot's supplier": factories.MembershipFactory(
            organisation=appointed_supplier(left_out_lot), role="editor"
        ).user,
        "a supplier on the lot, not invited": factories.MembershipFactory(
            organisation=appointed_supplier(lot), role="editor"
        ).user,
        "a finance member of an invited supplier": factories.MembershipFactory(
            organisation=invited[0][0], role="finance"
        ).user,
    }


def test_everyone_not_invited_gets_404_and_changes_nothing(client, opened, lot, buyer, invited):
    bid = submit_bid(opened, invited)
    document = add_bid_document(actor=invited[0][1], bid=bid, upload=upload())
    people = wrong_people(opened, lot, buyer, invited)
    for who, person in people.items():
        client.force_login(person)
        for name, url in urls(opened, document.pk).items():
            assert client.get(url).status_code == 404, (who, name)
            assert client.post(url, {"question": "Hello?", **bid_data(opened)}).status_code == (
                404
            ), (who, name)
        assert client.post(urls(opened)["document"], {"document": upload()}).status_code == 404
    assert not Clarification.objects.exists()
    assert Bid.objects.get().submitted_at == bid.submitted_at
    assert BidDocument.objects.get() == document
    client.force_login(people["a finance member of an invited supplier"])
    assert client.get(reverse("supplier_competitions:competition-list")).status_code == 404
    assert "Further competitions</a>" not in text(client.get(reverse("suppliers:dashboard")))


def test_a_buyer_is_told_the_pages_are_for_suppliers(client, opened, procurement_officer):
    client.force_login(procurement_officer)

    for url in [reverse("supplier_competitions:competition-list"), *urls(opened).values()]:
        response = client.get(url)
        assert response.status_code == 403
        assert "This page is for suppliers" in text(response)


def test_signing_in_is_needed(client, opened):
    response = client.get(urls(opened)["bid"])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
