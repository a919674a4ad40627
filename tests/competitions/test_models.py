"""What the database itself refuses in a competition's rows, the bid's transitions written
out by hand, and no competition row reachable from an admin screen."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.admin.viewsets import viewsets
from wagtail.snippets.models import get_snippet_models

import pytest

from marketplace.competitions.models import (
    Bid,
    Competition,
    ConflictDeclaration,
    Invitation,
    ModeratedScore,
    Score,
)
from marketplace.state import can_move

pytestmark = pytest.mark.django_db


def refused(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


@pytest.fixture
def bid(competition, supplier):
    return Bid.objects.create(competition=competition, supplier=supplier)


@pytest.fixture
def criterion(competition):
    return competition.criteria.get(position=0)


def test_a_price_weight_above_100_is_refused(competition):
    with pytest.raises(IntegrityError), transaction.atomic():
        Competition.objects.filter(pk=competition.pk).update(price_weight=101)


def test_the_deadline_for_questions_after_the_deadline_for_bids_is_refused(competition):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Competition.objects.filter(pk=competition.pk).update(
            clarification_deadline=now, submission_deadline=now
        )


def test_a_criterion_weighting_above_100_is_refused(criterion):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(criterion).objects.filter(pk=criterion.pk).update(weighting=101)


def test_a_supplier_is_left_out_only_with_a_reason(competition, supplier):
    refused(Invitation, competition=competition, supplier=supplier, invited=False)


def test_a_supplier_has_one_invitation_and_one_bid(competition, supplier, bid):
    Invitation.objects.create(competition=competition, supplier=supplier, invited=True)
    refused(Invitation, competition=competition, supplier=supplier, invited=True)
    refused(Bid, competition=competition, supplier=supplier)


@pytest.mark.parametrize("mark", [11, 100])
def test_a_mark_above_10_is_refused(bid, criterion, procurement_officer, mark):
    refused(Score, bid=bid, criterion=criterion, evaluator=procurement_officer, mark=mark)
    refused(
        ModeratedScore,
        bid=bid,
        criterion=criterion,
        mark=mark,
        reason="Agreed.",
        agreed_by=procurement_officer,
    )


def test_an_evaluator_scores_a_criterion_of_a_bid_once(bid, criterion, procurement_officer):
    Score.objects.create(bid=bid, criterion=criterion, evaluator=procurement_officer, mark=5)
    refused(Score, bid=bid, criterion=criterion, evaluator=procurement_officer, mark=6)


def test_a_moderated_score_needs_a_reason(bid, criterion, procurement_officer):
    refused(
        ModeratedScore,
        bid=bid,
        criterion=criterion,
        mark=5,
        reason="",
        agreed_by=procurement_officer,
    )


def test_a_declared_conflict_needs_its_details(competition, procurement_officer):
    refused(
        ConflictDeclaration,
        competition=competition,
        evaluator=procurement_officer,
        has_conflict=True,
    )


BID_ALLOWED = {("draft", "submitted"), ("submitted", "draft")}


@pytest.mark.parametrize("current", ["draft", "submitted"])
@pytest.mark.parametrize("new", ["draft", "submitted"])
def test_bid_transitions(current, new):
    assert can_move(Bid, current, new) == ((current, new) in BID_ALLOWED)


def test_no_competition_row_is_reachable_from_an_admin_screen():
    viewsets.populate()
    registered = [getattr(viewset, "model", None) for viewset in viewsets.viewsets]
    # A viewset may name its model as "app_label.ModelName".
    labels = [
        model.split(".")[0] if isinstance(model, str) else model._meta.app_label
        for model in [*registered, *get_snippet_models()]
        if model is not None
    ]

    assert labels
    assert "competitions" not in labels


def test_no_description_of_a_bid_row_shows_its_content(bid, criterion):
    answer = bid.answers.create(criterion=criterion, sealed_text=b"ciphertext")
    document = bid.documents.create(storage_name="sealed/x", sealed_file_name=b"name", size=3)

    assert (str(bid), str(answer), str(document)) == (
        f"Bid {bid.pk}",
        f"Answer {answer.pk}",
        f"Document {document.pk}",
    )
