from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone

import pytest

from frameworks import services as framework_services
from frameworks.models import Appointment
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from suppliers import selectors, services
from suppliers.models import Offering
from suppliers.validation import OfferingInvalid
from tests.factories import (
    AppointmentFactory,
    MembershipFactory,
    debarment_entry,
    offering,
    offering_data,
)

Status = Offering.Status


def _listable_ids():
    return set(selectors.listable_offerings(on=timezone.localdate()).values_list("pk", flat=True))


def _moves(kind):
    """(from, to) of each audit event of this kind, oldest first."""
    events = AuditEvent.objects.filter(kind=kind).order_by("pk")
    return [(event.data["from"], event.data["to"]) for event in events]


def test_each_decision_on_a_first_version_is_audited_as_a_move(
    draft, supplier, supplier_user, authority, reviewer
):
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=draft)
    services.reject_offering(actor=reviewer, authority=authority, offering=draft, reason="Vague")
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=draft)
    services.approve_offering(actor=reviewer, authority=authority, offering=draft)
    services.withdraw_offering(actor=supplier_user, supplier=supplier, offering=draft)
    assert _moves("offering.submitted") == [("draft", "submitted"), ("draft", "submitted")]
    assert _moves("offering.rejected") == [("submitted", "draft")]
    assert _moves("offering.approved") == [("submitted", "live")]
    assert _moves("offering.withdrawn") == [("live", "withdrawn")]
    submitted = AuditEvent.objects.filter(kind="offering.submitted").last()
    assert submitted.data["status"] == "submitted"


def test_decisions_on_a_live_offerings_changes_are_audited_as_staying_live(
    live_offering, supplier, supplier_user, authority, reviewer
):
    for decide in (services.reject_offering, services.approve_offering):
        services.edit_offering(
            actor=supplier_user,
            supplier=supplier,
            offering=live_offering,
            data=offering_data(title=f"Renamed for {decide.__name__}"),
        )
        services.submit_offering(actor=supplier_user, supplier=supplier, offering=live_offering)
        extra = {"reason": "Unclear"} if decide is services.reject_offering else {}
        decide(actor=reviewer, authority=authority, offering=live_offering, **extra)
    # The fixture's own first submission and approval came first.
    assert _moves("offering.submitted")[1:] == [("live", "live"), ("live", "live")]
    assert _moves("offering.rejected") == [("live", "live")]
    assert _moves("offering.approved")[1:] == [("live", "live")]


def test_a_withdrawn_offering_cannot_be_withdrawn_or_submitted_again(
    draft, supplier, supplier_user
):
    services.withdraw_offering(actor=supplier_user, supplier=supplier, offering=draft)
    events = AuditEvent.objects.count()
    for service in (services.withdraw_offering, services.submit_offering):
        with pytest.raises(DomainError) as raised:
            service(actor=supplier_user, supplier=supplier, offering=draft)
        assert raised.value.code == "invalid_transition"
    draft.refresh_from_db()
    assert (draft.status, AuditEvent.objects.count()) == (Status.WITHDRAWN, events)


def test_create_offering_saves_a_draft_revision_and_audits(supplier, supplier_user, lot):
    AppointmentFactory(supplier=supplier, lot=lot)
    made = services.create_offering(
        actor=supplier_user, supplier=supplier, lot=lot, data=offering_data()
    )
    assert made.status == Status.DRAFT
    assert made.live is False
    assert made.attributes == {"max_users": 500, "hosted_in_uk": True, "support_hours": "24/7"}
    assert made.price == Decimal("12.50")
    assert made.latest_revision is not None
    event = AuditEvent.objects.get(kind="offering.created")
    assert (event.actor_id, event.organisation_id) == (supplier_user.pk, supplier.pk)


def test_supplier_not_appointed_to_the_lot_cannot_create_an_offering(supplier, supplier_user, lot):
    with pytest.raises(DomainError, match="is not appointed to"):
        services.create_offering(
            actor=supplier_user, supplier=supplier, lot=lot, data=offering_data()
        )
    assert Offering.objects.count() == 0


def test_every_problem_is_reported_at_once_and_nothing_saved(draft, supplier, supplier_user):
    bad = offering_data(
        title="",
        price="£1,2x",
        price_unit="per fortnight",
        regions_served=["TLC", "Atlantis"],
        lead_time_days="-3",
        attributes={"max_users": "lots", "colour": "blue"},
    )
    with pytest.raises(OfferingInvalid) as caught:
        services.edit_offering(actor=supplier_user, supplier=supplier, offering=draft, data=bad)
    assert caught.value.errors == {
        "title": "Enter a title",
        "price": "Enter the price in pounds and pence, like 450 or 1,250.50 (you entered “£1,2x”)",
        "price_unit": (
            "Price unit must be one of: hour, day, unit, month, user_month, fixed "
            "(you entered “per fortnight”)"
        ),
        "regions_served": (
            "Regions served must be ITL1 codes or names, any of: TLC, TLD, TLE, TLF, TLG, TLH, "
            "TLI, TLJ, TLK, TLL, TLM, TLN (you entered “Atlantis”)"
        ),
        "lead_time_days": (
            "Enter the lead time as a whole number of days from 0 to 365 (you entered “-3”)"
        ),
        "attributes.colour": "colour is not a question on this lot",
        "attributes.max_users": (
            "Enter Maximum users as a number, like 250 or 12.5 (you entered “lots”)"
        ),
        "attributes.hosted_in_uk": "Answer “Hosted in the UK”",
    }
    draft.refresh_from_db()
    assert draft.title == "Case management platform"


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("-5", "The price must be £0 or more (you entered “-5”)"),
        ("100000000.01", "The price must be £100,000,000 or less (you entered “100000000.01”)"),
        (
            "12.345",
            "Enter the price in pounds and pence, like 450 or 1,250.50 (you entered “12.345”)",
        ),
        ("", "Enter a price"),
    ],
)
def test_bad_prices_are_refused(draft, supplier, supplier_user, price, message):
    with pytest.raises(OfferingInvalid) as caught:
        services.edit_offering(
            actor=supplier_user, supplier=supplier, offering=draft, data=offering_data(price=price)
        )
    assert caught.value.errors == {"price": message}


def test_submit_then_approve_makes_the_offering_live_and_listable(
    draft, supplier, supplier_user, authority, reviewer
):
    submitted = services.submit_offering(actor=supplier_user, supplier=supplier, offering=draft)
    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_revision_id == submitted.latest_revision_id
    assert _listable_ids() == set()

    approved = services.approve_offering(actor=reviewer, authority=authority, offering=submitted)
    assert (approved.status, approved.live, approved.awaiting_review) == (Status.LIVE, True, False)
    assert _listable_ids() == {approved.pk}
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds[-3:] == ["offering.created", "offering.submitted", "offering.approved"]


def test_an_edit_to_a_live_offering_stays_unpublished_until_approved(
    live_offering, supplier, supplier_user, authority, reviewer
):
    edited = services.edit_offering(
        actor=supplier_user,
        supplier=supplier,
        offering=live_offering,
        data=offering_data(title="Case management platform v2", price="15.00"),
    )
    assert (edited.title, edited.price) == ("Case management platform", Decimal("12.50"))
    assert edited.has_unpublished_changes is True
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=edited)
    public = selectors.get_listable_offering(pk=live_offering.pk, on=timezone.localdate())
    assert public.title == "Case management platform"

    approved = services.approve_offering(actor=reviewer, authority=authority, offering=edited)
    assert (approved.title, approved.price, approved.status) == (
        "Case management platform v2",
        Decimal("15.00"),
        Status.LIVE,
    )
    assert approved.comparable_price == Decimal("15.00")


def test_rejecting_a_live_edit_keeps_the_approved_version_and_records_the_reason(
    live_offering, supplier, supplier_user, authority, reviewer
):
    services.edit_offering(
        actor=supplier_user,
        supplier=supplier,
        offering=live_offering,
        data=offering_data(title="Renamed"),
    )
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=live_offering)
    rejected = services.reject_offering(
        actor=reviewer, authority=authority, offering=live_offering, reason="Price is unclear"
    )
    assert (rejected.status, rejected.title, rejected.rejection_reason) == (
        Status.LIVE,
        "Case management platform",
        "Price is unclear",
    )
    assert rejected.get_latest_revision_as_object().title == "Renamed"


def test_rejecting_a_first_submission_returns_it_to_draft(
    draft, supplier, supplier_user, authority, reviewer
):
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=draft)
    rejected = services.reject_offering(
        actor=reviewer, authority=authority, offering=draft, reason="Describe the support"
    )
    assert rejected.status == Status.DRAFT
    with pytest.raises(DomainError, match="Enter the reason"):
        services.reject_offering(actor=reviewer, authority=authority, offering=draft, reason=" ")


def test_reviewer_of_another_authority_cannot_approve(draft, supplier, supplier_user):
    services.submit_offering(actor=supplier_user, supplier=supplier, offering=draft)
    stranger = MembershipFactory(organisation__kind="authority", role="reviewer")
    with pytest.raises(PermissionDenied):
        services.approve_offering(
            actor=stranger.user, authority=stranger.organisation, offering=draft
        )
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_another_supplier_cannot_edit_the_offering(draft, other_supplier):
    intruder = MembershipFactory(organisation=other_supplier, role="supplier_admin").user
    with pytest.raises(PermissionDenied):
        services.edit_offering(
            actor=intruder, supplier=other_supplier, offering=draft, data=offering_data()
        )


def test_finance_role_cannot_edit_offerings(draft, supplier):
    finance = MembershipFactory(organisation=supplier, role="finance").user
    with pytest.raises(PermissionDenied):
        services.withdraw_offering(actor=finance, supplier=supplier, offering=draft)


def test_withdrawing_a_live_offering_takes_it_out_of_every_view(
    live_offering, supplier, supplier_user
):
    withdrawn = services.withdraw_offering(
        actor=supplier_user, supplier=supplier, offering=live_offering
    )
    assert (withdrawn.status, withdrawn.live) == (Status.WITHDRAWN, False)
    assert _listable_ids() == set()


@pytest.mark.parametrize("status", [Appointment.Status.SUSPENDED, Appointment.Status.EXCLUDED])
def test_suspending_or_excluding_the_appointment_hides_the_offering(
    live_offering, authority, status
):
    manager = MembershipFactory(organisation=authority, role="framework_manager").user
    framework_services.change_appointment_status(
        actor=manager,
        organisation=authority,
        appointment=Appointment.objects.get(lot=live_offering.lot),
        status=status,
        reason="Investigation",
    )
    assert _listable_ids() == set()


def test_a_mandatory_debarment_hides_the_offering(live_offering, supplier):
    assert _listable_ids() == {live_offering.pk}
    debarment_entry(supplier=supplier, exclusion_type="mandatory")
    assert _listable_ids() == set()


def test_duplicate_title_on_the_same_lot_is_refused(draft, supplier, supplier_user, lot):
    with pytest.raises(OfferingInvalid) as caught:
        offering(supplier=supplier, lot=lot, actor=supplier_user, title="CASE management platform")
    assert caught.value.errors == {
        "title": "You already have an offering called “CASE management platform” on this lot"
    }


def test_saving_the_profile_derives_the_sme_flag_and_audits(supplier):
    administrator = MembershipFactory(organisation=supplier, role="supplier_admin").user
    profile = services.save_supplier_profile(
        actor=administrator,
        organisation=supplier,
        data={
            "headcount": 400,
            "annual_turnover": Decimal("90000000"),
            "regions_served": ["TLC"],
            "accreditations": ["iso_9001"],
            "is_vcse": False,
        },
    )
    supplier.refresh_from_db()
    assert (supplier.is_sme, profile.accreditation_labels()) == (
        False,
        ["ISO 9001 (quality management)"],
    )
    assert (
        AuditEvent.objects.filter(kind="supplier.profile_saved", organisation=supplier).count() == 1
    )


def test_an_editor_cannot_change_the_organisation_profile(supplier, supplier_user):
    with pytest.raises(PermissionDenied):
        services.save_supplier_profile(
            actor=supplier_user,
            organisation=supplier,
            data={"headcount": 3, "annual_turnover": Decimal("1000")},
        )
