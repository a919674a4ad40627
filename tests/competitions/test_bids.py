"""Sealed bids: only invited suppliers that may still be called off bid, before the deadline
(London time); everything is sealed and opens only from the deadline; revising replaces the
bid whole; documents are capped; each step audited without content; bad input refused with
nothing saved; the competition closes itself at the deadline."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

import pytest

from frameworks.models import Appointment
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.services.projects import cancel_project
from marketplace.competitions.models import Bid, BidAnswer, BidDocument, Competition
from marketplace.competitions.sealing import StillSealed
from marketplace.competitions.selectors.bids import (
    BidReceipt,
    DocumentRef,
    open_bid_document,
    own_bid_receipt,
    unsealed_bids,
)
from marketplace.competitions.services.bids import (
    add_bid_document,
    close_if_due,
    remove_bid_document,
    save_bid,
)
from marketplace.competitions.services.checks import CompetitionError
from marketplace.organisations.policy import PolicyDenied
from tests import factories
from tests.competitions.factories import appointed_supplier, competition_lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def criteria(opened):
    """The competition's criteria by title: Quality of service, Local jobs (social value),
    Net zero (social value)."""
    return {criterion.title: criterion for criterion in opened.criteria.all()}


def full_answers(criteria, prefix="Our answer on"):
    return {criterion.pk: f"{prefix} {title}." for title, criterion in criteria.items()}


def bid(opened, invited, criteria, *, which=0, price=Decimal("12500.00"), **kwargs):
    supplier, person = invited[which]
    kwargs.setdefault("answers", full_answers(criteria))
    return save_bid(actor=person, competition=opened, supplier=supplier, price=price, **kwargs)


def pass_deadline(competition):
    """Move the deadline into the past, as if it had come after the bids went in."""
    deadline = timezone.now() - timedelta(seconds=1)
    Competition.objects.filter(pk=competition.pk).update(
        clarification_deadline=deadline - timedelta(days=1), submission_deadline=deadline
    )
    competition.refresh_from_db()
    return competition


def pdf(name="method.pdf", content=b"%PDF-1.7 method statement"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def events(*kinds):
    return list(AuditEvent.objects.filter(kind__in=kinds).order_by("pk"))


def assert_nothing_saved():
    assert not Bid.objects.exists()
    assert not BidAnswer.objects.exists()
    assert events(AuditKind.BID_SUBMITTED, AuditKind.BID_REVISED) == []


# Submitting ---------------------------------------------------------------------------------------


def test_an_invited_supplier_submits_a_sealed_bid_and_it_is_audited(opened, invited, criteria):
    supplier, person = invited[0]
    local_jobs = criteria["Local jobs"]

    submitted = bid(opened, invited, criteria, commitments={local_jobs.pk: "4 apprenticeships"})

    submitted.refresh_from_db()
    assert (submitted.competition, submitted.supplier, submitted.status) == (
        opened,
        supplier,
        Bid.Status.SUBMITTED,
    )
    assert submitted.submitted_at is not None
    assert b"12500" not in bytes(submitted.sealed_price)
    answers = list(submitted.answers.order_by("criterion__position"))
    assert [answer.criterion.title for answer in answers] == [
        "Quality of service",
        "Local jobs",
        "Net zero",
    ]
    assert [answer.sealed_commitment is not None for answer in answers] == [False, True, False]
    assert all(b"Our answer" not in bytes(answer.sealed_text) for answer in answers)
    [event] = events(AuditKind.BID_SUBMITTED)
    assert (event.actor_id, event.organisation_id, event.target_object_id, event.data) == (
        person.pk,
        supplier.pk,
        str(submitted.pk),
        {"competition": opened.pk, "supplier": supplier.pk, "answers": 3, "commitments": 1},
    )


def test_revising_replaces_the_price_answers_and_commitments_whole(opened, invited, criteria):
    local_jobs, net_zero = criteria["Local jobs"], criteria["Net zero"]
    first = bid(opened, invited, criteria, commitments={local_jobs.pk: "4 apprenticeships"})

    revised = bid(
        opened,
        invited,
        criteria,
        price="11000",
        answers=full_answers(criteria, prefix="Revised"),
        commitments={net_zero.pk: "Electric mowers only"},
    )

    assert revised.pk == first.pk
    assert BidAnswer.objects.count() == 3
    [opened_bid] = unsealed_bids(pass_deadline(opened))
    assert opened_bid.price == Decimal("11000")
    assert opened_bid.answers == {pk: f"Revised {t}." for t, pk in _ids(criteria).items()}
    assert opened_bid.commitments == {net_zero.pk: "Electric mowers only"}
    assert [event.kind for event in events(AuditKind.BID_SUBMITTED, AuditKind.BID_REVISED)] == [
        AuditKind.BID_SUBMITTED,
        AuditKind.BID_REVISED,
    ]


def _ids(criteria):
    return {title: criterion.pk for title, criterion in criteria.items()}


def test_answers_keyed_by_text_ids_from_a_form_are_accepted(opened, invited, criteria):
    bid(opened, invited, criteria, answers={str(pk): "Yes." for pk in _ids(criteria).values()})

    assert BidAnswer.objects.count() == 3


# Who may bid -------------------------------------------------------------------------------------


def test_a_supplier_not_invited_is_told_the_competition_does_not_exist(opened, criteria, lot):
    uninvited = factories.OrganisationFactory(kind="supplier")
    person = factories.MembershipFactory(organisation=uninvited, role="editor").user

    with pytest.raises(Http404):
        save_bid(
            actor=person,
            competition=opened,
            supplier=uninvited,
            price=Decimal(100),
            answers=full_answers(criteria),
        )
    assert_nothing_saved()


def test_a_supplier_on_another_lot_is_told_the_competition_does_not_exist(opened, criteria):
    other_lot = competition_lot()
    elsewhere = appointed_supplier(other_lot)
    person = factories.MembershipFactory(organisation=elsewhere, role="editor").user

    with pytest.raises(Http404):
        save_bid(
            actor=person,
            competition=opened,
            supplier=elsewhere,
            price=Decimal(100),
            answers=full_answers(criteria),
        )
    assert_nothing_saved()


def test_someone_not_acting_for_the_supplier_is_told_it_does_not_exist(opened, invited, criteria):
    supplier, _person = invited[0]
    _other, stranger = invited[1]

    with pytest.raises(Http404):
        save_bid(
            actor=stranger,
            competition=opened,
            supplier=supplier,
            price=Decimal(100),
            answers=full_answers(criteria),
        )
    assert_nothing_saved()


def test_a_member_without_the_right_to_answer_call_offs_is_refused(opened, invited, criteria):
    supplier, _person = invited[0]
    finance = factories.MembershipFactory(organisation=supplier, role="finance").user

    with pytest.raises(PolicyDenied):
        save_bid(
            actor=finance,
            competition=opened,
            supplier=supplier,
            price=Decimal(100),
            answers=full_answers(criteria),
        )
    assert_nothing_saved()


def test_a_supplier_suspended_since_it_was_invited_is_refused_with_the_reason(
    opened, invited, criteria
):
    supplier, _person = invited[0]
    Appointment.objects.filter(supplier=supplier).update(
        status=Appointment.Status.SUSPENDED, reason="Insurance lapsed"
    )

    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria)

    assert str(error.value) == (
        f"{supplier}'s appointment to this lot is suspended: Insurance lapsed, so it cannot bid"
    )
    assert error.value.code == "supplier"
    assert_nothing_saved()


def test_a_supplier_debarred_since_it_was_invited_is_refused(opened, invited, criteria):
    supplier, _person = invited[0]
    factories.debarment_entry(supplier=supplier)

    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria)

    assert error.value.code == "supplier"
    assert str(error.value).endswith(", so it cannot bid")
    assert_nothing_saved()


# The deadline ------------------------------------------------------------------------------------


def test_a_bid_at_exactly_the_deadline_is_late_and_refused(opened, invited, criteria, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: opened.submission_deadline)

    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria)

    assert str(error.value).startswith("The deadline for bids was ")
    assert error.value.code == "late"
    assert_nothing_saved()


def test_a_bid_just_before_the_deadline_is_accepted(opened, invited, criteria, monkeypatch):
    just_before = opened.submission_deadline - timedelta(microseconds=1)
    monkeypatch.setattr(timezone, "now", lambda: just_before)

    submitted = bid(opened, invited, criteria)

    assert submitted.submitted_at == just_before


def test_the_late_message_gives_the_deadline_in_london_time(opened, invited, criteria):
    # 11:00 UTC on 1 July is noon in London (BST).
    Competition.objects.filter(pk=opened.pk).update(
        clarification_deadline=datetime(2026, 6, 30, 11, tzinfo=UTC),
        submission_deadline=datetime(2026, 7, 1, 11, tzinfo=UTC),
    )

    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria)

    assert str(error.value) == (
        "The deadline for bids was 1 July 2026, 12:00p.m.: bids can no longer be changed"
    )


def test_a_closed_competition_takes_no_bids(opened, invited, criteria):
    Competition.objects.filter(pk=opened.pk).update(status=Competition.Status.CANCELLED)

    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria)

    assert str(error.value) == "The competition is cancelled: bids can no longer be changed"
    assert_nothing_saved()


def test_cancelling_the_project_cancels_its_open_competition_and_stops_bids(
    opened, invited, criteria, procurement_officer
):
    cancel_project(actor=procurement_officer, project=opened.project, reason="Budget withdrawn")

    opened.refresh_from_db()
    assert opened.status == Competition.Status.CANCELLED
    [event] = events(AuditKind.COMPETITION_CANCELLED)
    assert (event.actor, event.data) == (
        procurement_officer,
        {
            "from": "open",
            "to": "cancelled",
            "project": opened.project.pk,
            "reason": "Budget withdrawn",
        },
    )
    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria)
    assert str(error.value) == "The competition is cancelled: bids can no longer be changed"
    assert_nothing_saved()


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "message"),
    [
        (Decimal(0), "Your price must be more than £0"),
        (Decimal("-5"), "Your price must be more than £0"),
        ("twelve", "Enter your price as a number of pounds, like 12500.00"),
        ("", "Enter your price as a number of pounds, like 12500.00"),
        (None, "Enter your price as a number of pounds, like 12500.00"),
        (Decimal("NaN"), "Enter your price as a number of pounds, like 12500.00"),
        ("Infinity", "Enter your price as a number of pounds, like 12500.00"),
        (Decimal("10.001"), "Your price must be in pounds and pence, like 12500.50"),
    ],
)
def test_a_price_that_is_not_a_positive_amount_is_refused(
    opened, invited, criteria, price, message
):
    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria, price=price)

    assert (str(error.value), error.value.code) == (message, "price")
    assert_nothing_saved()


def test_a_missing_or_blank_answer_is_refused(opened, invited, criteria):
    answers = full_answers(criteria)
    answers[criteria["Net zero"].pk] = "   "

    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria, answers=answers)

    assert str(error.value) == "Enter your answer to Net zero"
    assert error.value.code == f"answer-{criteria['Net zero'].pk}"
    del answers[criteria["Net zero"].pk]
    with pytest.raises(CompetitionError, match=r"^Enter your answer to Net zero$"):
        bid(opened, invited, criteria, answers=answers)
    assert_nothing_saved()


def test_an_answer_to_a_criterion_not_in_the_competition_is_refused(opened, invited, criteria):
    answers = {**full_answers(criteria), 999_999: "Extra"}

    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria, answers=answers)

    assert str(error.value) == "Answer only the competition's own quality criteria"
    assert_nothing_saved()


def test_an_answer_too_long_is_refused(opened, invited, criteria):
    answers = {**full_answers(criteria), criteria["Quality of service"].pk: "x" * 10_001}

    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria, answers=answers)

    assert str(error.value) == (
        "Your answer to Quality of service must be 10000 characters or fewer (you entered 10001)"
    )
    assert_nothing_saved()


def test_a_commitment_under_a_criterion_that_is_not_social_value_is_refused(
    opened, invited, criteria
):
    quality = criteria["Quality of service"]

    with pytest.raises(CompetitionError) as error:
        bid(opened, invited, criteria, commitments={quality.pk: "4 apprenticeships"})

    assert str(error.value) == (
        "Quality of service is not a social value criterion: commitments can be made only "
        "under social value criteria"
    )
    assert error.value.code == f"commitment-{quality.pk}"
    assert_nothing_saved()


def test_a_commitment_too_long_is_refused_and_a_blank_one_is_dropped(opened, invited, criteria):
    local_jobs, net_zero = criteria["Local jobs"], criteria["Net zero"]

    with pytest.raises(CompetitionError, match=r"^Your commitment under Local jobs must be 200"):
        bid(opened, invited, criteria, commitments={local_jobs.pk: "x" * 201})
    assert_nothing_saved()

    bid(
        opened, invited, criteria, commitments={local_jobs.pk: " ", net_zero.pk: "Net zero by 2030"}
    )
    assert list(
        BidAnswer.objects.filter(sealed_commitment__isnull=False).values_list(
            "criterion__title", flat=True
        )
    ) == ["Net zero"]


def test_a_refused_revision_leaves_the_earlier_bid_as_it_was(opened, invited, criteria):
    bid(opened, invited, criteria, price=Decimal(500))

    with pytest.raises(CompetitionError):
        bid(opened, invited, criteria, price=Decimal(400), answers={})

    [opened_bid] = unsealed_bids(pass_deadline(opened))
    assert opened_bid.price == Decimal(500)
    assert len(opened_bid.answers) == 3
    assert len(events(AuditKind.BID_SUBMITTED, AuditKind.BID_REVISED)) == 1


# Documents ---------------------------------------------------------------------------------------


def test_a_document_is_stored_sealed_and_opens_after_the_deadline(opened, invited, criteria):
    submitted = bid(opened, invited, criteria)
    supplier, person = invited[0]

    document = add_bid_document(
        actor=person, bid=submitted, upload=pdf("prices.pdf", b"%PDF our prices")
    )

    assert document.size == len(b"%PDF our prices")
    with default_storage.open(document.storage_name, "rb") as stored:
        assert b"our prices" not in stored.read()
    assert b"prices.pdf" not in bytes(document.sealed_file_name)
    with pytest.raises(StillSealed):
        open_bid_document(document)
    [event] = events(AuditKind.BID_DOCUMENT_ADDED)
    assert (event.actor_id, event.organisation_id, event.data) == (
        person.pk,
        supplier.pk,
        {
            "competition": opened.pk,
            "supplier": supplier.pk,
            "document": document.pk,
            "size": document.size,
        },
    )
    pass_deadline(opened)
    document.refresh_from_db()
    assert open_bid_document(document) == ("prices.pdf", b"%PDF our prices")


def test_a_document_over_the_cap_is_refused(opened, invited, criteria, settings):
    settings.BID_UPLOAD_MAX_BYTES = 10
    submitted = bid(opened, invited, criteria)
    _supplier, person = invited[0]

    with pytest.raises(CompetitionError) as error:
        add_bid_document(actor=person, bid=submitted, upload=pdf(content=b"x" * 11))

    assert (str(error.value), error.value.code) == (
        "The selected file must be 10\xa0bytes or smaller",
        "document",
    )
    assert not BidDocument.objects.exists()
    add_bid_document(actor=person, bid=submitted, upload=pdf(content=b"x" * 10))
    assert BidDocument.objects.count() == 1


def test_an_empty_or_missing_document_is_refused(opened, invited, criteria):
    submitted = bid(opened, invited, criteria)
    _supplier, person = invited[0]

    with pytest.raises(CompetitionError, match=r"^The selected file is empty$"):
        add_bid_document(actor=person, bid=submitted, upload=pdf(content=b""))
    with pytest.raises(CompetitionError, match=r"^Select a file$"):
        add_bid_document(actor=person, bid=submitted, upload=None)
    assert not BidDocument.objects.exists()


def test_another_supplier_cannot_add_or_remove_a_bids_documents(opened, invited, criteria):
    submitted = bid(opened, invited, criteria)
    _supplier, person = invited[0]
    document = add_bid_document(actor=person, bid=submitted, upload=pdf())
    _other, stranger = invited[1]

    with pytest.raises(Http404):
        add_bid_document(actor=stranger, bid=submitted, upload=pdf())
    with pytest.raises(Http404):
        remove_bid_document(actor=stranger, document=document)
    assert list(BidDocument.objects.all()) == [document]


def test_removing_a_document_deletes_its_ciphertext_and_is_audited(
    opened, invited, criteria, django_capture_on_commit_callbacks
):
    submitted = bid(opened, invited, criteria)
    supplier, person = invited[0]
    document = add_bid_document(actor=person, bid=submitted, upload=pdf())

    with django_capture_on_commit_callbacks(execute=True):
        remove_bid_document(actor=person, document=document)

    assert not BidDocument.objects.exists()
    assert not default_storage.exists(document.storage_name)
    [event] = events(AuditKind.BID_DOCUMENT_REMOVED)
    assert (event.organisation_id, event.data["document"]) == (supplier.pk, document.pk)


def test_documents_can_be_neither_added_nor_removed_after_the_deadline(opened, invited, criteria):
    submitted = bid(opened, invited, criteria)
    _supplier, person = invited[0]
    document = add_bid_document(actor=person, bid=submitted, upload=pdf())
    pass_deadline(opened)

    with pytest.raises(CompetitionError) as added:
        add_bid_document(actor=person, bid=submitted, upload=pdf())
    with pytest.raises(CompetitionError) as removed:
        remove_bid_document(actor=person, document=document)

    assert (added.value.code, removed.value.code) == ("late", "late")
    assert list(BidDocument.objects.all()) == [document]


# Reading -----------------------------------------------------------------------------------------


def test_the_bidder_sees_a_receipt_without_content(
    opened, invited, criteria, django_assert_num_queries
):
    supplier, person = invited[0]
    submitted = bid(opened, invited, criteria)
    add_bid_document(actor=person, bid=submitted, upload=pdf(content=b"12345"))
    add_bid_document(actor=person, bid=submitted, upload=pdf(content=b"123"))

    with django_assert_num_queries(1):
        receipt = own_bid_receipt(opened, supplier)

    assert receipt == BidReceipt(
        bid=submitted,
        submitted_at=Bid.objects.get().submitted_at,
        answer_count=3,
        document_count=2,
        document_bytes=8,
    )
    assert own_bid_receipt(opened, invited[1][0]) is None


def test_no_one_opens_the_bids_before_the_deadline(opened, invited, criteria):
    bid(opened, invited, criteria)

    with pytest.raises(StillSealed):
        unsealed_bids(opened)
    with pytest.raises(StillSealed):
        unsealed_bids(opened, now=opened.submission_deadline - timedelta(microseconds=1))


def test_from_the_deadline_the_bids_open_exactly_as_submitted(opened, invited, criteria):
    local_jobs = criteria["Local jobs"]
    answers = {pk: f"Answer «{pk}» with ünïcode\nand lines" for pk in _ids(criteria).values()}
    first = bid(
        opened,
        invited,
        criteria,
        price=Decimal("12500.50"),
        answers=answers,
        commitments={local_jobs.pk: "40% of spend with local SMEs"},
    )
    document = add_bid_document(actor=invited[0][1], bid=first, upload=pdf())
    second = bid(opened, invited, criteria, which=1, price=Decimal(9000))

    unsealed = unsealed_bids(opened, now=opened.submission_deadline)

    assert [(u.bid, u.supplier, u.price) for u in unsealed] == [
        (first, invited[0][0], Decimal("12500.50")),
        (second, invited[1][0], Decimal(9000)),
    ]
    assert unsealed[0].answers == answers
    assert unsealed[0].commitments == {local_jobs.pk: "40% of spend with local SMEs"}
    assert unsealed[0].documents == [DocumentRef(pk=document.pk, size=document.size)]
    assert (unsealed[1].commitments, unsealed[1].documents) == ({}, [])


# Closing at the deadline -------------------------------------------------------------------------


def test_close_if_due_leaves_an_open_competition_open_before_its_deadline(opened):
    assert close_if_due(opened).status == Competition.Status.OPEN
    assert events(AuditKind.COMPETITION_CLOSED) == []


def test_close_if_due_closes_at_the_deadline_once_and_audits_it(opened, invited, criteria):
    bid(opened, invited, criteria)

    closed = close_if_due(opened, now=opened.submission_deadline)
    again = close_if_due(closed, now=opened.submission_deadline)

    assert (closed.status, again.status) == (Competition.Status.CLOSED,) * 2
    opened.refresh_from_db()
    assert opened.status == Competition.Status.CLOSED
    [event] = events(AuditKind.COMPETITION_CLOSED)
    assert (event.actor_id, event.data["from"], event.data["to"], event.data["bids"]) == (
        None,
        "open",
        "closed",
        1,
    )


def test_the_close_competitions_command_closes_those_due_and_is_safe_to_run_twice(
    opened, capsys, procurement_officer, buyer
):
    pass_deadline(opened)

    call_command("close_competitions")
    call_command("close_competitions")

    out = capsys.readouterr().out
    assert out == (
        f"Closed competition {opened.pk} ({opened.project})\n"
        "1 competition closed\n"
        "0 competitions closed\n"
    )
    opened.refresh_from_db()
    assert opened.status == Competition.Status.CLOSED
    assert len(events(AuditKind.COMPETITION_CLOSED)) == 1
