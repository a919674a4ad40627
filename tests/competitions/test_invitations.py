"""Inviting the lot's suppliers: every invitable supplier by default, one left out only with
a reason where the lot's selection process allows narrowing (the `lot` fixture's does), and
never where its terms require every appointed supplier to be invited; barred suppliers
recorded as not invitable; the competition opens, audited; bad input and the wrong people
refused with nothing saved."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone

import pytest

from frameworks.models import Appointment, VariationGround
from frameworks.services import vary_framework
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.competitions.models import Competition, Invitation
from marketplace.competitions.services.checks import CompetitionError
from marketplace.competitions.services.invitations import invite_suppliers
from marketplace.organisations.models import Organisation
from marketplace.organisations.policy import PolicyDenied
from marketplace.state import can_move
from tests import factories
from tests.competitions import factories as competition_factories
from tests.competitions.factories import appointed_supplier, written_brief

pytestmark = pytest.mark.django_db


@pytest.fixture
def suppliers(lot):
    """Two suppliers with active appointments to the lot, named so they sort A then B."""
    return [
        appointed_supplier(lot, supplier__legal_name=f"{letter} Grounds Ltd")
        for letter in ("A", "B")
    ]


@pytest.fixture
def ready(competition, procurement_officer, suppliers):
    return written_brief(competition, actor=procurement_officer)


def outcomes(competition):
    return [
        (row.supplier.legal_name, row.invited, row.barred, row.reason_left_out)
        for row in Invitation.objects.filter(competition=competition).select_related("supplier")
    ]


def assert_nothing_saved(competition):
    competition.refresh_from_db()
    assert competition.status == Competition.Status.DRAFT
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.COMPETITION_SUPPLIERS_INVITED).exists()


def test_every_supplier_that_may_be_called_off_is_invited_and_the_competition_opens(
    buyer, procurement_officer, ready, suppliers, lot
):
    appointed_supplier(
        lot,
        supplier__legal_name="C Suspended Ltd",
        status=Appointment.Status.SUSPENDED,
        reason="Insurance lapsed",
    )
    debarred = appointed_supplier(lot, supplier__legal_name="D Debarred Ltd")
    factories.debarment_entry(supplier=debarred)
    appointed_supplier(
        competition_factories.competition_lot(), supplier__legal_name="E Other Lot Ltd"
    )

    invite_suppliers(actor=procurement_officer, competition=ready, left_out={})

    ready.refresh_from_db()
    assert ready.status == Competition.Status.OPEN
    assert outcomes(ready) == [
        ("A Grounds Ltd", True, False, ""),
        ("B Grounds Ltd", True, False, ""),
        (
            "C Suspended Ltd",
            False,
            True,
            "C Suspended Ltd's appointment to this lot is suspended: Insurance lapsed",
        ),
        (
            "D Debarred Ltd",
            False,
            True,
            "D Debarred Ltd is on the debarment list on a mandatory exclusion ground",
        ),
    ]
    [event] = AuditEvent.objects.filter(kind=AuditKind.COMPETITION_SUPPLIERS_INVITED)
    suspended = Invitation.objects.get(supplier__legal_name="C Suspended Ltd").supplier_id
    assert (event.actor_id, event.organisation_id, event.target_object_id) == (
        procurement_officer.pk,
        buyer.pk,
        str(ready.pk),
    )
    assert event.data == {
        "from": "draft",
        "to": "open",
        "invited": [suppliers[0].pk, suppliers[1].pk],
        "left_out": {},
        "not_invitable": {
            str(suspended): "C Suspended Ltd's appointment to this lot is suspended: "
            "Insurance lapsed",
            str(debarred.pk): "D Debarred Ltd is on the debarment list on a mandatory "
            "exclusion ground",
        },
    }


def test_a_supplier_left_out_has_its_reason_recorded(procurement_officer, ready, suppliers):
    invite_suppliers(
        actor=procurement_officer,
        competition=ready,
        left_out={suppliers[1].pk: "  Does not cut hedges, which the work needs. "},
    )

    assert outcomes(ready) == [
        ("A Grounds Ltd", True, False, ""),
        ("B Grounds Ltd", False, False, "Does not cut hedges, which the work needs."),
    ]
    event = AuditEvent.objects.get(kind=AuditKind.COMPETITION_SUPPLIERS_INVITED)
    assert event.data["left_out"] == {
        str(suppliers[1].pk): "Does not cut hedges, which the work needs."
    }
    assert event.data["invited"] == [suppliers[0].pk]


def test_leaving_a_supplier_out_without_a_reason_is_refused(procurement_officer, ready, suppliers):
    with pytest.raises(CompetitionError) as error:
        invite_suppliers(
            actor=procurement_officer, competition=ready, left_out={suppliers[0].pk: " "}
        )

    assert str(error.value) == "Give the reason for leaving out A Grounds Ltd"
    assert error.value.code == f"left_out-{suppliers[0].pk}"
    assert_nothing_saved(ready)


def test_leaving_out_a_supplier_from_another_lot_is_refused(procurement_officer, ready):
    elsewhere = appointed_supplier(competition_factories.competition_lot())

    with pytest.raises(CompetitionError) as error:
        invite_suppliers(
            actor=procurement_officer, competition=ready, left_out={elsewhere.pk: "Not ours."}
        )

    assert str(error.value) == "Only suppliers that could be invited can be left out"
    assert_nothing_saved(ready)


def test_leaving_out_a_suspended_supplier_is_refused_as_it_cannot_be_invited(
    procurement_officer, ready, lot
):
    suspended = appointed_supplier(lot, status=Appointment.Status.SUSPENDED)

    with pytest.raises(CompetitionError, match=r"^Only suppliers that could be invited"):
        invite_suppliers(
            actor=procurement_officer, competition=ready, left_out={suspended.pk: "Suspended."}
        )
    assert_nothing_saved(ready)


def test_leaving_out_every_supplier_is_refused(procurement_officer, ready, suppliers):
    with pytest.raises(CompetitionError) as error:
        invite_suppliers(
            actor=procurement_officer,
            competition=ready,
            left_out={supplier.pk: "Too small." for supplier in suppliers},
        )

    assert str(error.value) == (
        "Invite at least one supplier: none of the lot's suppliers would be invited"
    )
    assert_nothing_saved(ready)


def test_suppliers_cannot_be_invited_before_the_brief_has_its_deadlines(
    procurement_officer, competition, suppliers
):
    with pytest.raises(CompetitionError) as error:
        invite_suppliers(actor=procurement_officer, competition=competition, left_out={})

    assert str(error.value) == "Write the brief, with its deadlines, before inviting suppliers"
    assert_nothing_saved(competition)


def test_suppliers_cannot_be_invited_once_the_deadline_for_questions_has_passed(
    procurement_officer, ready
):
    Competition.objects.filter(pk=ready.pk).update(
        clarification_deadline=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(CompetitionError) as error:
        invite_suppliers(actor=procurement_officer, competition=ready, left_out={})

    assert str(error.value) == (
        "The deadline for questions has passed: set new deadlines before inviting suppliers"
    )
    assert_nothing_saved(ready)


def test_suppliers_are_invited_once(procurement_officer, ready):
    invite_suppliers(actor=procurement_officer, competition=ready, left_out={})

    with pytest.raises(CompetitionError) as error:
        invite_suppliers(actor=procurement_officer, competition=ready, left_out={})

    assert (
        str(error.value) == "The competition is open for bids: its brief can no longer be changed"
    )
    assert AuditEvent.objects.filter(kind=AuditKind.COMPETITION_SUPPLIERS_INVITED).count() == 1


def test_another_organisation_cannot_find_the_competition_to_invite_to(outsider, ready):
    with pytest.raises(Http404):
        invite_suppliers(actor=outsider, competition=ready, left_out={})
    assert_nothing_saved(ready)


def test_a_colleague_off_the_projects_team_cannot_invite_suppliers(colleague, ready):
    with pytest.raises(PolicyDenied):
        invite_suppliers(actor=colleague, competition=ready, left_out={})
    assert_nothing_saved(ready)


def test_the_projects_approver_may_invite_suppliers(approver, ready):
    invite_suppliers(actor=approver, competition=ready, left_out={})

    ready.refresh_from_db()
    assert ready.status == Competition.Status.OPEN


# A lot whose terms require every appointed supplier to be invited --------------------------------


@pytest.fixture
def every_supplier_lot(db):
    return competition_factories.competition_lot(narrowing=False)


@pytest.fixture
def ready_on_every_supplier_lot(buyer, procurement_officer, every_supplier_lot):
    for letter in ("A", "B"):
        appointed_supplier(every_supplier_lot, supplier__legal_name=f"{letter} Grounds Ltd")
    return written_brief(
        competition_factories.competition(
            organisation=buyer, actor=procurement_officer, lot=every_supplier_lot
        ),
        actor=procurement_officer,
    )


def test_a_supplier_cannot_be_left_out_where_the_lot_requires_every_supplier(
    procurement_officer, ready_on_every_supplier_lot
):
    supplier = Organisation.objects.get(legal_name="B Grounds Ltd")

    with pytest.raises(CompetitionError) as error:
        invite_suppliers(
            actor=procurement_officer,
            competition=ready_on_every_supplier_lot,
            left_out={supplier.pk: "Does not cut hedges, which the work needs."},
        )

    assert str(error.value) == (
        "This lot's terms require every appointed supplier to be invited: "
        "no supplier can be left out"
    )
    assert error.value.code == "left_out"
    assert_nothing_saved(ready_on_every_supplier_lot)


def test_every_supplier_is_invited_where_the_lot_requires_it(
    procurement_officer, ready_on_every_supplier_lot
):
    invite_suppliers(
        actor=procurement_officer, competition=ready_on_every_supplier_lot, left_out={}
    )

    ready_on_every_supplier_lot.refresh_from_db()
    assert ready_on_every_supplier_lot.status == Competition.Status.OPEN
    assert outcomes(ready_on_every_supplier_lot) == [
        ("A Grounds Ltd", True, False, ""),
        ("B Grounds Ltd", True, False, ""),
    ]


def test_the_wrong_person_is_refused_before_the_lots_terms_are_read(
    outsider, ready_on_every_supplier_lot
):
    with pytest.raises(Http404):
        invite_suppliers(
            actor=outsider, competition=ready_on_every_supplier_lot, left_out={1: "Not ours."}
        )
    assert_nothing_saved(ready_on_every_supplier_lot)


def test_narrowing_follows_the_lots_terms_as_varied(
    procurement_officer, ready_on_every_supplier_lot, every_supplier_lot
):
    """A variation that lets the lot's further competitions be narrowed applies from its day."""
    framework = every_supplier_lot.framework
    manager = factories.MembershipFactory(
        organisation=framework.authority, role="framework_manager"
    ).user
    vary_framework(
        actor=manager,
        organisation=framework.authority,
        framework=framework,
        changes={"lots": {"1": {"allows_narrowed_invitations": True}}},
        ground=VariationGround.PROVIDED_FOR,
        explanation="The selection process now lets a buyer invite only capable suppliers.",
    )
    supplier = Organisation.objects.get(legal_name="B Grounds Ltd")

    invite_suppliers(
        actor=procurement_officer,
        competition=ready_on_every_supplier_lot,
        left_out={supplier.pk: "Does not cut hedges."},
    )

    assert outcomes(ready_on_every_supplier_lot) == [
        ("A Grounds Ltd", True, False, ""),
        ("B Grounds Ltd", False, False, "Does not cut hedges."),
    ]


# The competition's transitions, written out by hand ----------------------------------------------

ALLOWED = {
    ("draft", "open"),
    ("draft", "cancelled"),
    ("open", "closed"),
    ("open", "cancelled"),
    ("closed", "evaluated"),
    ("closed", "cancelled"),
    ("evaluated", "awarded"),
    ("evaluated", "cancelled"),
}
STATES = ["draft", "open", "closed", "evaluated", "awarded", "cancelled"]


@pytest.mark.parametrize("current", STATES)
@pytest.mark.parametrize("new", STATES)
def test_competition_transitions(current, new):
    assert can_move(Competition, current, new) == ((current, new) in ALLOWED)
