"""Appointments, the debarment list and framework rules, through the service functions."""

import threading
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection

import pytest

from frameworks import rules, services
from frameworks.models import Appointment, Lot
from frameworks.setup import ensure_authority_section
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from marketplace.organisations.policy import PolicyDenied
from tests import factories
from tests.frameworks.conftest import create_framework


@pytest.fixture
def appoint(framework_manager, authority, lot, today):
    def run(supplier, *, on=None, target_lot=None, actor=None, organisation=None):
        return services.appoint_supplier(
            actor=actor or framework_manager,
            organisation=organisation or authority,
            lot=target_lot or lot,
            supplier=supplier,
            starts_on=on or today,
        )

    return run


def test_appoint_creates_an_active_appointment(appoint, lot, supplier, today):
    appointment = appoint(supplier)
    assert (appointment.lot, appointment.supplier, appointment.status, appointment.starts_on) == (
        lot,
        supplier,
        "active",
        today,
    )


def test_appoint_is_audited(appoint, framework_manager, authority, supplier):
    appointment = appoint(supplier)
    event = AuditEvent.objects.get(kind="appointment.created")
    assert (event.actor_id, event.organisation_id, event.target_object_id) == (
        framework_manager.pk,
        authority.pk,
        str(appointment.pk),
    )


def test_appoint_twice_is_refused(appoint, supplier):
    appoint(supplier)
    with pytest.raises(DomainError) as raised:
        appoint(supplier)
    assert str(raised.value) == f"{supplier.name} is already appointed to this lot"
    assert Appointment.objects.count() == 1


def test_appoint_an_organisation_that_is_not_a_supplier_is_refused(appoint, buyer):
    with pytest.raises(DomainError) as raised:
        appoint(buyer)
    assert str(raised.value) == f"{buyer.name} is not a supplier"


def test_appoint_to_an_expired_framework_is_refused(appoint, section, supplier, today):
    expired = create_framework(
        section,
        title="Old framework",
        applications_open_on=today - timedelta(days=900),
        applications_close_on=today - timedelta(days=880),
        award_on=today - timedelta(days=860),
        starts_on=today - timedelta(days=800),
        ends_on=today - timedelta(days=1),
    )
    with pytest.raises(DomainError) as raised:
        appoint(supplier, target_lot=expired.lots.get(number=1))
    assert str(raised.value) == "The framework has expired: no one can be appointed to it"


@pytest.fixture
def suspended(framework, framework_manager, authority):
    return services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason="Challenge"
    )


SUSPENDED_MESSAGE = (
    "The framework is suspended: no one can be appointed to it until it is reinstated"
)


def test_appoint_to_a_suspended_framework_is_refused(appoint, suspended, supplier):
    with pytest.raises(DomainError) as raised:
        appoint(supplier)
    assert (raised.value.code, str(raised.value)) == ("framework_suspended", SUSPENDED_MESSAGE)
    assert not Appointment.objects.exists()


def test_appoint_after_reinstatement_is_allowed(
    appoint, suspended, framework_manager, authority, supplier
):
    services.reinstate_framework(
        actor=framework_manager, organisation=authority, framework=suspended
    )
    assert appoint(supplier).status == Appointment.Status.ACTIVE


def test_import_to_a_suspended_framework_appoints_no_one(
    suspended, framework_manager, authority, lot, supplier, today
):
    with pytest.raises(DomainError) as raised:
        services.appoint_suppliers_from_import(
            actor=framework_manager, organisation=authority, lot=lot,
            suppliers=[supplier], starts_on=today, file_name="x.csv",
        )  # fmt: skip
    assert str(raised.value) == SUSPENDED_MESSAGE
    assert not Appointment.objects.exists()


def test_appoint_to_another_authoritys_lot_is_denied(appoint, other_lot, supplier):
    with pytest.raises(PolicyDenied):
        appoint(supplier, target_lot=other_lot)
    assert not Appointment.objects.exists()


def test_appoint_by_a_reviewer_is_denied(appoint, reviewer, supplier):
    with pytest.raises(PolicyDenied):
        appoint(supplier, actor=reviewer)


def test_appoint_by_a_member_of_another_authority_is_denied(appoint, other_manager, supplier):
    with pytest.raises(PolicyDenied):
        appoint(supplier, actor=other_manager)


STATUS_PAIRS = [
    (current, new) for current in Appointment.Status for new in Appointment.Status if current != new
]
ALLOWED_STATUS_MOVES = {
    ("active", "suspended"),
    ("active", "excluded"),
    ("suspended", "active"),
    ("suspended", "excluded"),
}


@pytest.mark.parametrize(("current", "new"), STATUS_PAIRS)
def test_status_change_follows_the_transition_table(
    appoint, framework_manager, authority, supplier, current, new
):
    appointment = appoint(supplier)
    Appointment.objects.filter(pk=appointment.pk).update(status=current)
    change = {
        "actor": framework_manager,
        "organisation": authority,
        "appointment": appointment,
        "status": new,
        "reason": "Recorded grounds",
    }
    if (current, new) in ALLOWED_STATUS_MOVES:
        assert services.change_appointment_status(**change).status == new
    else:
        with pytest.raises(DomainError) as raised:
            services.change_appointment_status(**change)
        assert raised.value.code == "invalid_transition"
        appointment.refresh_from_db()
        assert appointment.status == current


@pytest.mark.parametrize("status", ["suspended", "excluded"])
def test_status_change_needs_a_reason(appoint, framework_manager, authority, supplier, status):
    appointment = appoint(supplier)
    with pytest.raises(DomainError) as raised:
        services.change_appointment_status(
            actor=framework_manager, organisation=authority, appointment=appointment,
            status=status, reason="  ",
        )  # fmt: skip
    assert raised.value.code == "reason_required"


def test_status_change_is_audited(appoint, framework_manager, authority, supplier):
    appointment = appoint(supplier)
    services.change_appointment_status(
        actor=framework_manager, organisation=authority, appointment=appointment,
        status="suspended", reason="Insurance lapsed",
    )  # fmt: skip
    event = AuditEvent.objects.get(kind="appointment.status_changed")
    assert event.data == {"from": "active", "to": "suspended", "reason": "Insurance lapsed"}


def test_status_change_of_another_authoritys_appointment_is_denied(
    appoint, other_manager, other_authority, supplier
):
    appointment = appoint(supplier)
    with pytest.raises(PolicyDenied):
        services.change_appointment_status(
            actor=other_manager, organisation=other_authority, appointment=appointment,
            status="suspended", reason="Hostile",
        )  # fmt: skip


def test_import_is_all_or_nothing(appoint, framework_manager, authority, lot, supplier,
                                  other_supplier, today):  # fmt: skip
    appoint(supplier)
    with pytest.raises(DomainError):
        services.appoint_suppliers_from_import(
            actor=framework_manager, organisation=authority, lot=lot,
            suppliers=[other_supplier, supplier], starts_on=today, file_name="x.csv",
        )  # fmt: skip
    assert list(Appointment.objects.values_list("supplier", flat=True)) == [supplier.pk]


# --- Rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "valid"),
    [("-0.01", False), ("0", True), ("2.50", True), ("5", True), ("5.01", False)],
)
def test_levy_rate_is_between_0_and_5_per_cent(framework, rate, valid):
    framework.levy_rate = Decimal(rate)
    if valid:
        framework.full_clean()
    else:
        with pytest.raises(ValidationError) as raised:
            framework.full_clean()
        assert set(raised.value.message_dict) == {"levy_rate"}


def test_direct_award_without_a_mechanism_is_refused(framework):
    lot = Lot(framework=framework, number=9, title="Direct", allows_direct_award=True)
    with pytest.raises(ValidationError) as raised:
        lot.clean()
    assert set(raised.value.message_dict) == {"direct_award_mechanism", "direct_award_method"}


def test_direct_award_without_a_mechanism_is_allowed_with_one_supplier(appoint, lot, supplier):
    appoint(supplier)
    lot.allows_direct_award = True
    lot.direct_award_method = "single_supplier"
    lot.clean()


def test_duplicate_lot_numbers_are_found():
    assert rules.duplicate_lot_numbers([1, 2, 2, 3, 3, 3]) == [2, 3]


# --- Race --------------------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer, so no two appointments can interleave there",
)
# serialized_rollback: reload the site and root page that migrations made and a flush removed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appointments_make_exactly_one():
    authority = factories.OrganisationFactory(kind="authority")
    manager = factories.MembershipFactory(organisation=authority, role="framework_manager").user
    supplier = factories.OrganisationFactory(kind="supplier")
    lot = create_framework(ensure_authority_section(authority=authority)).lots.get(number=1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt():
        try:
            barrier.wait()
            services.appoint_supplier(
                actor=manager, organisation=authority, lot=lot, supplier=supplier,
                starts_on=lot.framework.starts_on,
            )  # fmt: skip
            outcomes.append("appointed")
        except DomainError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(
        ["appointed", f"{supplier.name} is already appointed to this lot"]
    )
    assert Appointment.objects.filter(lot=lot, supplier=supplier).count() == 1
