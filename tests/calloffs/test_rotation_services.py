"""Ranked list with rotation and single supplier: the order offers go down, offers and their
answers, lapses in working days, and the selection each mechanism ends in."""

from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest

from frameworks.models import Appointment, DirectAwardMethod
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.calloffs.models import Award, RotationOffer
from marketplace.calloffs.selectors.rotation import ranking_order
from marketplace.calloffs.services import rotation
from marketplace.calloffs.services.selection import SelectionError
from marketplace.organisations.policy import PolicyDenied
from marketplace.working_days import add_working_days
from tests import factories
from tests.calloffs.rotation_setup import award_on, project_on, ranked_suppliers, rotation_lot

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def lot(db):
    return rotation_lot(period_days=30, answer_days=5)


@pytest.fixture
def ranked(lot):
    return ranked_suppliers(lot, ["Alpha Ltd", "Bravo Ltd", "Charlie Ltd", "Delta Ltd"])


@pytest.fixture
def project(lot, ranked, buyer, procurement_officer):
    return project_on(lot, buyer=buyer, officer=procurement_officer)


def answerer(supplier):
    return factories.MembershipFactory(organisation=supplier, role="editor").user


def names(places):
    return [place.supplier.legal_name for place in places]


def test_the_ranking_runs_in_rank_order_without_awards(lot, ranked):
    assert names(ranking_order(lot=lot, on=TODAY())) == [
        "Alpha Ltd",
        "Bravo Ltd",
        "Charlie Ltd",
        "Delta Ltd",
    ]


def test_three_awards_move_their_winners_to_the_bottom_until_the_period_passes(
    lot, ranked, buyer, procurement_officer
):
    alpha, bravo, charlie, _delta = ranked
    today = TODAY()
    for supplier, days_ago in ((alpha, 20), (charlie, 10), (bravo, 5)):
        award_on(
            lot,
            supplier=supplier,
            awarded_on=today - timedelta(days=days_ago),
            buyer=buyer,
            officer=procurement_officer,
        )

    places = ranking_order(lot=lot, on=today)

    assert names(places) == ["Delta Ltd", "Alpha Ltd", "Charlie Ltd", "Bravo Ltd"]
    assert [place.returns_on for place in places] == [
        None,
        today + timedelta(days=10),
        today + timedelta(days=20),
        today + timedelta(days=25),
    ]
    # Thirty days after Alpha's award it is back in first place; the others still wait.
    assert names(ranking_order(lot=lot, on=today + timedelta(days=10))) == [
        "Alpha Ltd",
        "Delta Ltd",
        "Charlie Ltd",
        "Bravo Ltd",
    ]
    assert names(ranking_order(lot=lot, on=today + timedelta(days=25))) == [
        "Alpha Ltd",
        "Bravo Ltd",
        "Charlie Ltd",
        "Delta Ltd",
    ]


@pytest.mark.parametrize(
    ("status", "method"),
    [
        (Award.Status.WITHDRAWN, DirectAwardMethod.RANKED_ROTATION),
        (Award.Status.AWAITING_SIGN_OFF, DirectAwardMethod.RANKED_ROTATION),
        (Award.Status.AWARDED, DirectAwardMethod.SINGLE_SUPPLIER),
    ],
)
def test_only_a_standing_award_under_the_ranking_moves_a_supplier(
    lot, ranked, buyer, procurement_officer, status, method
):
    award = award_on(
        lot,
        supplier=ranked[0],
        awarded_on=TODAY() - timedelta(days=1),
        buyer=buyer,
        officer=procurement_officer,
        status=status,
    )
    Award.objects.filter(pk=award.pk).update(direct_award_method=method)

    assert names(ranking_order(lot=lot, on=TODAY()))[0] == "Alpha Ltd"


def test_suspended_unranked_and_ended_appointments_are_not_in_the_ranking(lot, ranked):
    Appointment.objects.filter(supplier=ranked[1]).update(status=Appointment.Status.SUSPENDED)
    Appointment.objects.filter(supplier=ranked[2]).update(rank=None)
    Appointment.objects.filter(supplier=ranked[3]).update(ends_on=TODAY() - timedelta(days=1))

    assert names(ranking_order(lot=lot, on=TODAY())) == ["Alpha Ltd"]


def test_offers_go_down_the_ranking_past_a_decline_and_a_lapse(
    project, ranked, procurement_officer
):
    alpha, bravo, charlie, _delta = ranked

    first = rotation.offer_next(actor=procurement_officer, project=project)
    assert (first.supplier, first.rank, first.status) == (alpha, 1, RotationOffer.Status.OFFERED)
    rotation.decline_offer(actor=answerer(alpha), offer=first, reason="No capacity this month")

    second = rotation.offer_next(actor=procurement_officer, project=project)
    assert (second.supplier, second.rank) == (bravo, 2)
    RotationOffer.objects.filter(pk=second.pk).update(respond_by=TODAY() - timedelta(days=1))

    third = rotation.offer_next(actor=procurement_officer, project=project)

    assert (third.supplier, third.rank) == (charlie, 3)
    assert list(project.rotation_offers.order_by("rank").values_list("status", "reason")) == [
        ("declined", "No capacity this month"),
        ("lapsed", ""),
        ("offered", ""),
    ]
    assert list(
        AuditEvent.objects.filter(kind__startswith="rotation.")
        .order_by("pk")
        .values_list("kind", "target_object_id")
    ) == [
        (AuditKind.ROTATION_OFFER_MADE, str(first.pk)),
        (AuditKind.ROTATION_OFFER_DECLINED, str(first.pk)),
        (AuditKind.ROTATION_OFFER_MADE, str(second.pk)),
        (AuditKind.ROTATION_OFFER_LAPSED, str(second.pk)),
        (AuditKind.ROTATION_OFFER_MADE, str(third.pk)),
    ]
    lapse = AuditEvent.objects.get(kind=AuditKind.ROTATION_OFFER_LAPSED)
    assert lapse.actor is None


def test_the_offer_answers_by_the_lots_working_days(project, procurement_officer):
    offer = rotation.offer_next(actor=procurement_officer, project=project)

    assert offer.respond_by == add_working_days(TODAY(), 5)


def test_an_offer_lapses_after_working_days_counted_past_a_scottish_bank_holiday(
    monkeypatch, buyer, procurement_officer
):
    lot = rotation_lot(answer_days=1)
    ranked_suppliers(lot, ["Alpha Ltd"])
    project = project_on(lot, buyer=buyer, officer=procurement_officer)
    # Friday 27 November 2026; Monday 30 November is St Andrew's Day, a holiday in Scotland.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2026, 11, 27))
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    monkeypatch.undo()

    assert offer.respond_by == date(2026, 12, 1)
    assert rotation.lapse_overdue_offers(on=date(2026, 12, 1)) == []
    offer.refresh_from_db()
    assert offer.status == RotationOffer.Status.OFFERED

    assert [lapsed.pk for lapsed in rotation.lapse_overdue_offers(on=date(2026, 12, 2))] == [
        offer.pk
    ]
    offer.refresh_from_db()
    assert offer.status == RotationOffer.Status.LAPSED


def test_two_projects_are_offered_the_same_supplier_at_once(
    lot, ranked, project, buyer, procurement_officer
):
    other_project = project_on(lot, buyer=buyer, officer=procurement_officer, title="Roofs")

    first = rotation.offer_next(actor=procurement_officer, project=project)
    second = rotation.offer_next(actor=procurement_officer, project=other_project)

    assert first.supplier == second.supplier == ranked[0]


def test_offering_while_an_offer_is_open_is_refused(project, procurement_officer):
    offer = rotation.offer_next(actor=procurement_officer, project=project)

    with pytest.raises(rotation.RotationError) as refusal:
        rotation.offer_next(actor=procurement_officer, project=project)

    day = f"{offer.respond_by.day} {offer.respond_by:%B %Y}"
    assert str(refusal.value) == (
        f"Alpha Ltd has until {day} to answer the offer: wait for their answer"
    )
    assert project.rotation_offers.count() == 1


def test_a_supplier_that_cannot_be_called_off_is_passed_over_and_recorded(
    project, ranked, procurement_officer
):
    Appointment.objects.filter(supplier=ranked[0]).update(
        status=Appointment.Status.SUSPENDED, reason="Insurance lapsed"
    )
    factories.debarment_entry(supplier=ranked[1])

    offer = rotation.offer_next(actor=procurement_officer, project=project)

    # Alpha is not in the ranking (suspended); Bravo is on the debarment list.
    assert offer.supplier == ranked[2]
    event = AuditEvent.objects.get(kind=AuditKind.ROTATION_OFFER_MADE)
    assert [row["supplier"] for row in event.data["passed_over"]] == [ranked[1].pk]


def test_when_everyone_has_been_offered_the_buyer_is_told(lot, buyer, procurement_officer):
    (alpha,) = ranked_suppliers(lot, ["Alpha Ltd"])
    project = project_on(lot, buyer=buyer, officer=procurement_officer)
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    rotation.decline_offer(actor=answerer(alpha), offer=offer, reason="Too busy")

    with pytest.raises(rotation.RotationError) as refusal:
        rotation.offer_next(actor=procurement_officer, project=project)

    assert str(refusal.value) == (
        "Every supplier in the lot's ranking has been offered this award or cannot be called "
        "off today: no one is left to offer it to"
    )


def test_someone_off_the_project_cannot_make_an_offer(project, colleague):
    with pytest.raises(PolicyDenied):
        rotation.offer_next(actor=colleague, project=project)
    assert not project.rotation_offers.exists()


def test_a_project_under_another_mechanism_cannot_make_offers(buyer, procurement_officer):
    lot = rotation_lot(method=DirectAwardMethod.SINGLE_SUPPLIER)
    project = project_on(lot, buyer=buyer, officer=procurement_officer)

    with pytest.raises(rotation.RotationError, match="does not follow “ranked list with rotation”"):
        rotation.offer_next(actor=procurement_officer, project=project)


def test_declining_without_a_reason_is_refused_and_changes_nothing(
    project, ranked, procurement_officer
):
    offer = rotation.offer_next(actor=procurement_officer, project=project)

    with pytest.raises(rotation.RotationError) as refusal:
        rotation.decline_offer(actor=answerer(ranked[0]), offer=offer, reason="   ")

    assert str(refusal.value) == "Give the reason for declining the offer"
    offer.refresh_from_db()
    assert (offer.status, offer.answered_by) == (RotationOffer.Status.OFFERED, None)
    assert not AuditEvent.objects.filter(kind=AuditKind.ROTATION_OFFER_DECLINED).exists()


def test_answering_a_lapsed_offer_is_refused_and_the_lapse_kept(
    project, ranked, procurement_officer
):
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    RotationOffer.objects.filter(pk=offer.pk).update(respond_by=TODAY() - timedelta(days=1))

    with pytest.raises(rotation.RotationError, match="This offer lapsed: the answer was due by"):
        rotation.accept_offer(actor=answerer(ranked[0]), offer=offer)

    offer.refresh_from_db()
    assert offer.status == RotationOffer.Status.LAPSED
    assert AuditEvent.objects.filter(kind=AuditKind.ROTATION_OFFER_LAPSED).count() == 1


def test_an_answered_offer_cannot_be_answered_again(project, ranked, procurement_officer):
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    rotation.decline_offer(actor=answerer(ranked[0]), offer=offer, reason="Too busy")

    with pytest.raises(rotation.RotationError) as refusal:
        rotation.accept_offer(actor=answerer(ranked[0]), offer=offer)

    assert str(refusal.value) == (
        "This offer has already been declined: it cannot be answered again"
    )


def test_another_supplier_cannot_answer_the_offer(project, ranked, procurement_officer):
    offer = rotation.offer_next(actor=procurement_officer, project=project)

    with pytest.raises(PolicyDenied):
        rotation.accept_offer(actor=answerer(ranked[1]), offer=offer)
    offer.refresh_from_db()
    assert offer.status == RotationOffer.Status.OFFERED


def test_a_supplier_finance_member_cannot_answer(project, ranked, procurement_officer):
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    finance = factories.MembershipFactory(organisation=ranked[0], role="finance").user

    with pytest.raises(PolicyDenied):
        rotation.decline_offer(actor=finance, offer=offer, reason="No")


def test_an_accepted_offer_is_confirmed_by_the_buyer_who_selects_the_supplier(
    project, ranked, procurement_officer
):
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    editor = answerer(ranked[0])
    rotation.accept_offer(actor=editor, offer=offer)
    offer.refresh_from_db()
    assert (offer.status, offer.answered_by) == (RotationOffer.Status.ACCEPTED, editor)

    with pytest.raises(rotation.RotationError, match="Alpha Ltd accepted the offer"):
        rotation.offer_next(actor=procurement_officer, project=project)

    reason = rotation.mechanism_reason(project, ranked[0])
    rotation.select_offered_supplier(actor=procurement_officer, project=project, reason=reason)

    project.refresh_from_db()
    assert (project.selected_supplier, project.selected_rotation_offer) == (ranked[0], offer)
    assert project.selection_reason == (
        "Alpha Ltd was the highest-placed supplier in the ranking of Lot 1: Housing repairs, "
        "after rotation, to accept the offer"
    )
    assert AuditEvent.objects.get(kind=AuditKind.SUPPLIER_SELECTED).data["rotation_offer"] == (
        offer.pk
    )
    with pytest.raises(rotation.RotationError, match="Alpha Ltd is selected"):
        rotation.offer_next(actor=procurement_officer, project=project)


def test_selecting_without_an_accepted_offer_is_refused(project, procurement_officer):
    rotation.offer_next(actor=procurement_officer, project=project)

    with pytest.raises(SelectionError, match="No supplier has accepted an offer"):
        rotation.select_offered_supplier(actor=procurement_officer, project=project, reason="x")
    project.refresh_from_db()
    assert project.selected_supplier is None


def test_the_command_lapses_overdue_offers(project, procurement_officer, capsys):
    offer = rotation.offer_next(actor=procurement_officer, project=project)
    RotationOffer.objects.filter(pk=offer.pk).update(respond_by=TODAY() - timedelta(days=1))

    call_command("lapse_rotation_offers")

    offer.refresh_from_db()
    assert offer.status == RotationOffer.Status.LAPSED
    assert capsys.readouterr().out == "1 offer lapsed\n"


# --- Single supplier ------------------------------------------------------------------------


@pytest.fixture
def single_lot(db):
    return rotation_lot(method=DirectAwardMethod.SINGLE_SUPPLIER)


def test_the_single_supplier_is_selected_with_the_reason(single_lot, buyer, procurement_officer):
    (only,) = ranked_suppliers(single_lot, ["Only Ltd"])
    project = project_on(single_lot, buyer=buyer, officer=procurement_officer)

    rotation.select_single_supplier(
        actor=procurement_officer,
        project=project,
        reason=rotation.mechanism_reason(project, only),
    )

    project.refresh_from_db()
    assert project.selected_supplier == only
    assert project.selection_reason == (
        "Only Ltd is the only supplier appointed to Lot 1: Housing repairs"
    )


@pytest.mark.parametrize("suppliers", [[], ["One Ltd", "Two Ltd"]])
def test_single_supplier_needs_exactly_one_active_appointment(
    single_lot, buyer, procurement_officer, suppliers
):
    ranked_suppliers(single_lot, suppliers)
    project = project_on(single_lot, buyer=buyer, officer=procurement_officer)

    with pytest.raises(SelectionError) as refusal:
        rotation.select_single_supplier(actor=procurement_officer, project=project, reason="x")

    assert str(refusal.value) == (
        "Lot 1: Housing repairs must have exactly one active appointed supplier for a "
        f"single-supplier direct award; it has {len(suppliers)}. Ask the framework's authority"
    )
    project.refresh_from_db()
    assert project.selected_supplier is None
