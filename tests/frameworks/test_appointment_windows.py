"""Appointments only at an award (Procurement Act 2023 ss.45 and 49), or a replacement the
framework's terms allow: the windows, the services with an explicit as-of date, replacements."""

from datetime import date, timedelta

import pytest

from frameworks import rules, services
from frameworks.models import Appointment, FrameworkReopening
from marketplace.audit.models import AuditEvent
from marketplace.exceptions import DomainError
from tests import factories
from tests.frameworks.conftest import create_framework

DAY = timedelta(days=1)
AWARD = date(2026, 3, 2)  # a Monday
START = date(2026, 4, 1)
REOPENING_AWARD = date(2027, 3, 1)  # a Monday; no bank holiday in the next fortnight
REOPENING_STANDSTILL_END = date(2027, 3, 10)  # 1-5 and 8-10 March: 8 working days
DATES = {
    "applications_open_on": date(2026, 1, 5),
    "applications_close_on": date(2026, 2, 2),
    "award_on": AWARD,
    "award_notice_published_on": AWARD,
    "starts_on": START,
    "ends_on": date(2028, 3, 31),
}


# --- The rule ----------------------------------------------------------------------------------


def _windows(*reopening_awards):
    return rules.appointment_windows(
        award_on=AWARD, starts_on=START, reopening_awards=reopening_awards
    )


def test_the_awards_window_runs_from_the_award_to_the_start():
    assert _windows() == [(AWARD, START)]


@pytest.mark.parametrize(
    ("day", "inside"),
    [(AWARD - DAY, False), (AWARD, True), (START, True), (START + DAY, False)],
)
def test_the_awards_window_includes_both_ends(day, inside):
    assert (rules.appointment_window_on(day, _windows()) is not None) is inside


def test_a_reopenings_window_runs_to_the_end_of_its_standstill():
    assert _windows(REOPENING_AWARD)[1] == (REOPENING_AWARD, REOPENING_STANDSTILL_END)


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (REOPENING_AWARD - DAY, False),
        (REOPENING_AWARD, True),
        (REOPENING_STANDSTILL_END, True),
        (REOPENING_STANDSTILL_END + DAY, False),
    ],
)
def test_a_reopenings_window_includes_both_ends(day, inside):
    assert (rules.appointment_window_on(day, _windows(REOPENING_AWARD)) is not None) is inside


def test_a_reopening_standstill_skips_a_scottish_only_bank_holiday():
    # St Andrew's Day, Tuesday 30 November 2027, is a bank holiday in Scotland only.
    assert _windows(date(2027, 11, 25))[1] == (date(2027, 11, 25), date(2027, 12, 7))


# --- Appointing as of a day --------------------------------------------------------------------


@pytest.fixture
def dated_framework(section):
    return create_framework(section, title="Dated framework", **DATES)


@pytest.fixture
def dated_lot(dated_framework):
    return dated_framework.lots.get(number=1)


@pytest.fixture
def appoint_on(framework_manager, authority, dated_lot):
    def run(as_of, *, supplier=None, lot=None, **kwargs):
        return services.appoint_supplier(
            actor=framework_manager,
            organisation=authority,
            lot=lot or dated_lot,
            supplier=supplier or factories.OrganisationFactory(kind="supplier"),
            as_of=as_of,
            **kwargs,
        )

    return run


WINDOW_TEXT = "from the award on 2 March 2026 to 1 April 2026"
NO_REPLACEMENT = "Its terms do not allow replacing a supplier between awards."


def test_appointment_on_the_award_day_starts_with_the_framework(appoint_on):
    assert appoint_on(AWARD).starts_on == START


def test_appointment_on_the_start_day_is_made(appoint_on):
    assert appoint_on(START).status == Appointment.Status.ACTIVE


def test_appointment_the_day_before_the_award_is_refused(appoint_on):
    with pytest.raises(DomainError) as raised:
        appoint_on(AWARD - DAY)
    assert (raised.value.code, str(raised.value)) == (
        "outside_award_window",
        "No supplier can be appointed on 1 March 2026. Suppliers join Dated framework only at "
        f"an award: {WINDOW_TEXT}. {NO_REPLACEMENT}",
    )
    assert not Appointment.objects.exists()


def test_appointment_the_day_after_the_start_is_refused(appoint_on):
    with pytest.raises(DomainError) as raised:
        appoint_on(START + DAY)
    assert str(raised.value).startswith("No supplier can be appointed on 2 April 2026.")
    assert not Appointment.objects.exists()


def test_appointment_cannot_start_before_its_award(appoint_on):
    with pytest.raises(DomainError) as raised:
        appoint_on(AWARD, starts_on=AWARD - DAY)
    assert str(raised.value) == "The appointment cannot start before its award on 2 March 2026"
    assert not Appointment.objects.exists()


def test_appointment_may_start_on_its_award(appoint_on):
    assert appoint_on(START, starts_on=AWARD).starts_on == AWARD


def test_appointment_audit_records_the_as_of_day(appoint_on):
    appoint_on(AWARD)
    event = AuditEvent.objects.get(kind="appointment.created")
    assert (event.data["as_of"], event.data["starts_on"], event.data["replaces"]) == (
        "2026-03-02",
        "2026-04-01",
        None,
    )


@pytest.fixture
def open_lot(section):
    framework = create_framework(
        section,
        title="Open framework",
        kind="open",
        reopenings=[
            FrameworkReopening(
                opens_on=date(2027, 1, 4), closes_on=date(2027, 2, 1), award_on=REOPENING_AWARD
            )
        ],
        **DATES | {"ends_on": date(2030, 3, 1)},
    )
    return framework.lots.get(number=1)


def test_appointment_at_a_reopenings_award_starts_on_that_award(appoint_on, open_lot):
    appointment = appoint_on(REOPENING_STANDSTILL_END, lot=open_lot)
    assert appointment.starts_on == REOPENING_AWARD


def test_appointment_after_a_reopenings_standstill_is_refused(appoint_on, open_lot):
    with pytest.raises(DomainError) as raised:
        appoint_on(REOPENING_STANDSTILL_END + DAY, lot=open_lot)
    assert f"{WINDOW_TEXT}; from the award on 1 March 2027 to 10 March 2027." in str(raised.value)


def test_a_standard_framework_ignores_reopening_awards(appoint_on, dated_lot):
    with pytest.raises(DomainError):
        appoint_on(REOPENING_AWARD)


def _import(framework_manager, authority, lot, as_of, **kwargs):
    return services.appoint_suppliers_from_import(
        actor=framework_manager,
        organisation=authority,
        lot=lot,
        suppliers=[factories.OrganisationFactory(kind="supplier")],
        file_name="suppliers.csv",
        as_of=as_of,
        **kwargs,
    )


def test_import_at_the_award_appoints_from_the_start(framework_manager, authority, dated_lot):
    [appointment] = _import(framework_manager, authority, dated_lot, AWARD)
    assert appointment.starts_on == START


def test_import_after_the_start_is_refused(framework_manager, authority, dated_lot):
    with pytest.raises(DomainError) as raised:
        _import(framework_manager, authority, dated_lot, START + DAY)
    assert raised.value.code == "outside_award_window"
    assert not Appointment.objects.exists()


def test_import_cannot_start_before_the_award(framework_manager, authority, dated_lot):
    with pytest.raises(DomainError) as raised:
        _import(framework_manager, authority, dated_lot, AWARD, starts_on=AWARD - DAY)
    assert raised.value.code == "starts_too_early"
    assert not Appointment.objects.exists()


# --- Replacing an excluded supplier ------------------------------------------------------------

BETWEEN_AWARDS = date(2026, 9, 1)


@pytest.fixture
def replaceable_framework(section):
    return create_framework(
        section, title="Replaceable framework", allows_supplier_replacement=True, **DATES
    )


@pytest.fixture
def excluded(appoint_on, replaceable_framework, framework_manager, authority):
    appointment = appoint_on(AWARD, lot=replaceable_framework.lots.get(number=1))
    return services.change_appointment_status(
        actor=framework_manager,
        organisation=authority,
        appointment=appointment,
        status="excluded",
        reason="Grounds for exclusion",
    )


def test_replacement_between_awards_is_made_with_its_reason(appoint_on, excluded):
    appointment = appoint_on(
        BETWEEN_AWARDS, lot=excluded.lot, replaces=excluded, reason=" Supplier went bust "
    )
    assert (
        appointment.replaces,
        appointment.replacement_reason,
        appointment.starts_on,
        list(excluded.replaced_by.all()),
    ) == (excluded, "Supplier went bust", BETWEEN_AWARDS, [appointment])


def test_replacement_is_audited_with_what_it_replaces_and_why(appoint_on, excluded):
    appoint_on(BETWEEN_AWARDS, lot=excluded.lot, replaces=excluded, reason="Supplier went bust")
    event = AuditEvent.objects.filter(kind="appointment.created").latest("pk")
    assert (event.data["replaces"], event.data["replacement_reason"]) == (
        excluded.pk,
        "Supplier went bust",
    )


def test_between_awards_a_plain_appointment_is_refused_even_if_terms_allow_replacing(
    appoint_on, excluded
):
    with pytest.raises(DomainError) as raised:
        appoint_on(BETWEEN_AWARDS, lot=excluded.lot)
    assert str(raised.value).endswith(
        "Between awards its terms allow only replacing an excluded supplier."
    )


def _refusal(appoint_on, **kwargs) -> tuple[str, str]:
    count = Appointment.objects.count()
    with pytest.raises(DomainError) as raised:
        appoint_on(BETWEEN_AWARDS, **kwargs)
    assert Appointment.objects.count() == count
    return raised.value.code, str(raised.value)


def test_replacement_is_refused_when_the_terms_do_not_allow_it(
    appoint_on, excluded, replaceable_framework
):
    type(replaceable_framework).objects.filter(pk=replaceable_framework.pk).update(
        allows_supplier_replacement=False
    )
    assert _refusal(appoint_on, lot=excluded.lot, replaces=excluded, reason="Bust") == (
        "replacement_not_allowed",
        "The terms of Replaceable framework do not allow replacing a supplier",
    )


def test_replacement_without_a_reason_is_refused(appoint_on, excluded):
    assert _refusal(appoint_on, lot=excluded.lot, replaces=excluded, reason="  ") == (
        "reason_required",
        "Give the reason for the replacement",
    )


def test_replacement_of_a_supplier_not_excluded_is_refused(appoint_on, replaceable_framework):
    lot = replaceable_framework.lots.get(number=1)
    active = appoint_on(AWARD, lot=lot)
    assert _refusal(appoint_on, lot=lot, replaces=active, reason="Bust") == (
        "replacement_not_excluded",
        f"{active.supplier.name} is active: only an excluded supplier can be replaced",
    )


def test_replacement_on_another_lot_is_refused(appoint_on, excluded, replaceable_framework):
    lot_two = replaceable_framework.lots.get(number=2)
    assert _refusal(appoint_on, lot=lot_two, replaces=excluded, reason="Bust") == (
        "replacement_other_lot",
        f"{excluded.supplier.name} is not on {lot_two}: only a supplier on the same lot can be "
        "replaced",
    )


def test_a_supplier_is_replaced_only_once(appoint_on, excluded):
    appoint_on(BETWEEN_AWARDS, lot=excluded.lot, replaces=excluded, reason="Bust")
    assert _refusal(appoint_on, lot=excluded.lot, replaces=excluded, reason="Bust") == (
        "already_replaced",
        f"{excluded.supplier.name} has already been replaced",
    )


def test_replacement_cannot_start_before_the_day_it_is_made(appoint_on, excluded):
    assert _refusal(
        appoint_on,
        lot=excluded.lot,
        replaces=excluded,
        reason="Bust",
        starts_on=BETWEEN_AWARDS - DAY,
    ) == (
        "starts_too_early",
        "A replacement cannot start before the day it is made, 1 September 2026",
    )
