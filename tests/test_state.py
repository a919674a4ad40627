"""marketplace.state.change_state, and every model's transition table pinned by hand."""

import pytest

from frameworks.models import Appointment
from marketplace import state
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from suppliers.models import Offering
from tests import factories


@pytest.fixture
def appointment(db):
    return factories.AppointmentFactory(lot=factories.framework_page().lots.get(number=1))


def _change(appointment, to, **extra):
    return state.change_state(
        appointment,
        to=to,
        actor=extra.pop("actor", None),
        organisation=appointment.lot.framework.authority,
        kind=AuditKind.APPOINTMENT_STATUS_CHANGED,
        **extra,
    )


def test_an_allowed_move_saves_and_writes_one_audit_event(appointment):
    left = _change(appointment, "suspended", data={"reason": "Late returns"})
    appointment.refresh_from_db()
    event = AuditEvent.objects.get()
    assert (left, appointment.status) == ("active", "suspended")
    assert (event.kind, event.target_object_id, event.organisation_id) == (
        "appointment.status_changed",
        str(appointment.pk),
        appointment.lot.framework.authority_id,
    )
    assert event.data == {"from": "active", "to": "suspended", "reason": "Late returns"}


def test_update_fields_are_saved_beside_the_status(appointment):
    appointment.reason = "Late returns"
    appointment.ends_on = appointment.starts_on
    _change(appointment, "suspended", update_fields=("reason",))
    appointment.refresh_from_db()
    # Only the named fields: ends_on was changed in memory but not named.
    assert (appointment.status, appointment.reason, appointment.ends_on) == (
        "suspended",
        "Late returns",
        None,
    )


def test_a_refused_move_raises_saves_nothing_and_audits_nothing(appointment):
    _change(appointment, "excluded")
    appointment.reason = "Changed in memory"
    with pytest.raises(DomainError) as raised:
        _change(appointment, "active", update_fields=("reason",))
    assert raised.value.code == "invalid_transition"
    assert str(raised.value) == "This appointment cannot go from “excluded” to “active”"
    appointment.refresh_from_db()
    assert (appointment.status, appointment.reason) == ("excluded", "")
    assert AuditEvent.objects.count() == 1


def test_apply_makes_the_change_instead_of_the_default_save(appointment):
    calls = []

    def apply():
        calls.append(appointment.status)
        type(appointment).objects.filter(pk=appointment.pk).update(status="suspended")

    left = _change(appointment, "suspended", apply=apply)
    appointment.refresh_from_db()
    # apply saw the object untouched: the helper leaves the change to it.
    assert (left, calls, appointment.status) == ("active", ["active"], "suspended")
    assert AuditEvent.objects.get().data == {"from": "active", "to": "suspended"}


def test_a_refused_move_never_calls_apply(appointment):
    _change(appointment, "excluded")
    calls = []
    with pytest.raises(DomainError):
        _change(appointment, "suspended", apply=lambda: calls.append(1))
    assert calls == []


def test_the_change_is_undone_if_the_audit_event_cannot_be_written(appointment, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(state, "record", broken)
    with pytest.raises(RuntimeError):
        _change(appointment, "suspended")
    appointment.refresh_from_db()
    assert appointment.status == "active"


# --- Each model's table, written out by hand ---------------------------------------------------

OFFERING_STATES = ["draft", "submitted", "live", "withdrawn"]
OFFERING_MOVES = {
    ("draft", "submitted"),
    ("draft", "withdrawn"),
    ("submitted", "live"),
    ("submitted", "draft"),
    ("submitted", "withdrawn"),
    # A live offering's revisions are submitted, approved and rejected while it stays live.
    ("live", "live"),
    ("live", "withdrawn"),
}

APPOINTMENT_STATES = ["active", "suspended", "excluded"]
APPOINTMENT_MOVES = {
    ("active", "suspended"),
    ("active", "excluded"),
    ("suspended", "active"),
    ("suspended", "excluded"),
}

TABLES = [
    (Offering, OFFERING_STATES, OFFERING_MOVES),
    (Appointment, APPOINTMENT_STATES, APPOINTMENT_MOVES),
]
PAIRS = [
    pytest.param(
        model, current, new, (current, new) in moves, id=f"{model.__name__}-{current}-{new}"
    )
    for model, states, moves in TABLES
    for current in states
    for new in states
]


@pytest.mark.parametrize(
    ("model", "states", "moves"), TABLES, ids=lambda v: getattr(v, "__name__", "")
)
def test_the_states_are_exactly_these(model, states, moves):
    assert sorted(model.Status.values) == sorted(states)


@pytest.mark.parametrize(("model", "current", "new", "allowed"), PAIRS)
def test_each_pair_of_states_moves_only_if_the_table_allows_it(model, current, new, allowed):
    assert state.can_move(model, current, new) is allowed
    if allowed:
        state.check_move(model, current, new)
    else:
        with pytest.raises(DomainError) as raised:
            state.check_move(model, current, new)
        assert raised.value.code == "invalid_transition"
