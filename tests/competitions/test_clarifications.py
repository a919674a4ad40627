"""Clarification questions: only invited suppliers ask, and only before the deadline for
questions; the buyer's answer is published to every invited supplier without naming the
asker; each step audited, bad input and the wrong people refused with nothing saved."""

from datetime import timedelta

from django.http import Http404
from django.utils import formats, timezone

import pytest

from frameworks.models import Appointment
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.competitions.models import Clarification, Competition, Invitation
from marketplace.competitions.selectors.competitions import (
    own_clarifications,
    published_clarifications,
)
from marketplace.competitions.services.checks import CompetitionError
from marketplace.competitions.services.clarifications import (
    answer_clarification,
    ask_clarification,
)
from marketplace.competitions.services.invitations import invite_suppliers
from marketplace.organisations.policy import PolicyDenied
from tests import factories
from tests.competitions import factories as competition_factories
from tests.competitions.factories import appointed_supplier, written_brief

pytestmark = pytest.mark.django_db


def ask(opened, invited, question="Does the price include hedge cutting?", which=0):
    supplier, person = invited[which]
    return ask_clarification(actor=person, competition=opened, supplier=supplier, question=question)


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def assert_no_questions():
    assert not Clarification.objects.exists()
    assert events(AuditKind.CLARIFICATION_ASKED) == []


# Asking ------------------------------------------------------------------------------------------


def test_an_invited_supplier_asks_a_question_and_it_is_audited(opened, invited):
    supplier, person = invited[0]

    clarification = ask(opened, invited, question="  Does the price include hedge cutting? ")

    clarification.refresh_from_db()
    assert (
        clarification.competition,
        clarification.asked_by,
        clarification.asked_by_user,
        clarification.question,
        clarification.answer,
        clarification.published_at,
    ) == (opened, supplier, person, "Does the price include hedge cutting?", "", None)
    [event] = events(AuditKind.CLARIFICATION_ASKED)
    assert (event.actor_id, event.organisation_id, event.target_object_id, event.data) == (
        person.pk,
        supplier.pk,
        str(clarification.pk),
        {"competition": opened.pk},
    )
    assert list(own_clarifications(opened, supplier=supplier)) == [clarification]
    assert list(own_clarifications(opened, supplier=invited[1][0])) == []
    assert list(published_clarifications(opened)) == []


def test_a_question_at_the_deadline_is_refused(opened, invited):
    deadline = timezone.now()
    Competition.objects.filter(pk=opened.pk).update(clarification_deadline=deadline)

    with pytest.raises(CompetitionError) as error:
        ask(opened, invited)

    local = formats.date_format(timezone.localtime(deadline), "j F Y, g:ia")
    assert str(error.value) == (
        f"The deadline for questions was {local}: questions can no longer be asked"
    )
    assert_no_questions()


def test_a_question_just_before_the_deadline_is_accepted(opened, invited):
    Competition.objects.filter(pk=opened.pk).update(
        clarification_deadline=timezone.now() + timedelta(seconds=30)
    )

    ask(opened, invited)

    assert Clarification.objects.count() == 1


def test_an_empty_question_is_refused(opened, invited):
    with pytest.raises(CompetitionError, match=r"^Enter your question$"):
        ask(opened, invited, question="   ")
    assert_no_questions()


def test_a_question_too_long_is_refused(opened, invited):
    with pytest.raises(CompetitionError) as error:
        ask(opened, invited, question="x" * 5_001)
    assert str(error.value) == "Your question must be 5000 characters or fewer (you entered 5001)"
    assert_no_questions()


def test_a_supplier_from_another_lot_cannot_ask(opened):
    elsewhere = appointed_supplier(competition_factories.competition_lot())
    person = factories.MembershipFactory(organisation=elsewhere, role="editor").user

    with pytest.raises(Http404):
        ask_clarification(actor=person, competition=opened, supplier=elsewhere, question="Hello?")
    assert_no_questions()


def test_a_suspended_supplier_that_was_not_invited_cannot_ask(
    competition, procurement_officer, lot, invited
):
    suspended = appointed_supplier(lot, status=Appointment.Status.SUSPENDED)
    person = factories.MembershipFactory(organisation=suspended, role="editor").user
    invite_suppliers(
        actor=procurement_officer,
        competition=written_brief(competition, actor=procurement_officer),
        left_out={},
    )

    assert Invitation.objects.get(supplier=suspended).invited is False
    with pytest.raises(Http404):
        ask_clarification(
            actor=person, competition=competition, supplier=suspended, question="Hello?"
        )
    assert_no_questions()


def test_a_supplier_left_out_cannot_ask(competition, procurement_officer, invited):
    (left_out, person), _kept = invited
    invite_suppliers(
        actor=procurement_officer,
        competition=written_brief(competition, actor=procurement_officer),
        left_out={left_out.pk: "No hedge cutting."},
    )

    with pytest.raises(Http404):
        ask_clarification(
            actor=person, competition=competition, supplier=left_out, question="Why not us?"
        )
    assert_no_questions()


def test_someone_not_acting_for_the_supplier_cannot_ask_for_it(
    opened, invited, procurement_officer
):
    supplier, _person = invited[0]

    with pytest.raises(Http404):
        ask_clarification(
            actor=procurement_officer, competition=opened, supplier=supplier, question="Hello?"
        )
    assert_no_questions()


def test_a_supplier_member_who_may_not_answer_call_offs_cannot_ask(opened, invited):
    supplier, _person = invited[0]
    finance = factories.MembershipFactory(organisation=supplier, role="finance").user

    with pytest.raises(PolicyDenied):
        ask_clarification(actor=finance, competition=opened, supplier=supplier, question="Hi?")
    assert_no_questions()


def test_no_question_can_be_asked_of_a_draft_competition(competition, invited):
    supplier, person = invited[0]

    with pytest.raises(Http404):
        ask_clarification(actor=person, competition=competition, supplier=supplier, question="?")
    assert_no_questions()


# Answering ---------------------------------------------------------------------------------------


def test_the_answer_is_published_to_every_invited_supplier_without_naming_the_asker(
    opened, invited, procurement_officer, buyer
):
    asker, _person = invited[0]
    clarification = ask(opened, invited, question=f"{asker.name} asks: is hedge cutting included?")

    answer_clarification(
        actor=procurement_officer,
        clarification=clarification,
        answer=" Yes, twice a year. ",
        published_question="Is hedge cutting included?",
    )

    clarification.refresh_from_db()
    assert (clarification.answer, clarification.answered_by) == (
        "Yes, twice a year.",
        procurement_officer,
    )
    assert clarification.published_at is not None
    [published] = published_clarifications(opened)
    assert (published.question_as_published, published.answer) == (
        "Is hedge cutting included?",
        "Yes, twice a year.",
    )
    assert "asked_by_id" in published.get_deferred_fields()
    [event] = events(AuditKind.CLARIFICATION_PUBLISHED)
    assert (event.actor_id, event.organisation_id, event.target_object_id) == (
        procurement_officer.pk,
        buyer.pk,
        str(clarification.pk),
    )
    assert event.data == {"competition": opened.pk, "reworded": True, "invited_suppliers": 2}
    assert asker.name not in str(event.data)


def test_an_answer_without_rewording_publishes_the_question_as_asked(
    opened, invited, procurement_officer
):
    clarification = ask(opened, invited)

    answer_clarification(actor=procurement_officer, clarification=clarification, answer="No.")

    [published] = published_clarifications(opened)
    assert published.question_as_published == "Does the price include hedge cutting?"


def assert_not_published(clarification):
    clarification.refresh_from_db()
    assert (clarification.answer, clarification.published_at) == ("", None)
    assert events(AuditKind.CLARIFICATION_PUBLISHED) == []


def test_an_empty_answer_is_refused(opened, invited, procurement_officer):
    clarification = ask(opened, invited)

    with pytest.raises(CompetitionError, match=r"^Enter the answer$"):
        answer_clarification(actor=procurement_officer, clarification=clarification, answer=" ")
    assert_not_published(clarification)


def test_an_answer_is_published_once(opened, invited, procurement_officer):
    clarification = ask(opened, invited)
    answer_clarification(actor=procurement_officer, clarification=clarification, answer="No.")

    with pytest.raises(CompetitionError, match=r"^This question's answer is already published$"):
        answer_clarification(actor=procurement_officer, clarification=clarification, answer="Yes.")
    clarification.refresh_from_db()
    assert clarification.answer == "No."


def test_no_answer_is_published_once_bids_have_closed(opened, invited, procurement_officer):
    clarification = ask(opened, invited)
    Competition.objects.filter(pk=opened.pk).update(
        clarification_deadline=timezone.now() - timedelta(hours=2),
        submission_deadline=timezone.now(),
    )

    with pytest.raises(CompetitionError, match=r"^Bids have closed"):
        answer_clarification(actor=procurement_officer, clarification=clarification, answer="No.")
    assert_not_published(clarification)


def test_another_organisation_cannot_find_the_question_to_answer(opened, invited, outsider):
    clarification = ask(opened, invited)

    with pytest.raises(Http404):
        answer_clarification(actor=outsider, clarification=clarification, answer="No.")
    assert_not_published(clarification)


def test_the_asking_supplier_cannot_answer_its_own_question(opened, invited):
    clarification = ask(opened, invited)

    with pytest.raises(Http404):
        answer_clarification(actor=invited[0][1], clarification=clarification, answer="Yes!")
    assert_not_published(clarification)
