"""Every change to frameworks and appointments goes through here (the debarment list: in
frameworks.debarment)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from marketplace import state
from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action, OrganisationKind
from search.tasks import schedule_appointment, schedule_framework, schedule_lot

from . import eligibility, lifecycle, rules, selectors, terms
from .models import (
    Appointment,
    AwardCriterion,
    EligibilityRule,
    FrameworkPage,
    Lot,
    LotClosure,
    Publication,
    Variation,
    VariationGround,
)

REASON_NEEDED = frozenset({Appointment.Status.SUSPENDED, Appointment.Status.EXCLUDED})


def _lock_lot(lot: Lot) -> Lot:
    """Appointments to one lot are made one at a time, so checks and inserts cannot interleave."""
    return Lot.objects.select_for_update().select_related("framework").get(pk=lot.pk)


def refuse_unless_taking_appointments(lot: Lot, *, on: date) -> None:
    """Refuse appointments to a closed lot or a suspended or expired framework. The services
    call it with the lot locked (the lock covers the framework row too, so a suspension or a
    closure cannot slip in after this check); a preview may call it to refuse early."""
    if lot.is_closed:
        raise DomainError(
            _("Lot %(number)s is closed: no one can be appointed to it") % {"number": lot.number},
            code="lot_closed",
        )
    if lot.framework.is_suspended:
        raise DomainError(
            _("The framework is suspended: no one can be appointed to it until it is reinstated"),
            code="framework_suspended",
        )
    if lot.framework.status_on(on) == lifecycle.Lifecycle.EXPIRED:
        raise DomainError(
            _("The framework has expired: no one can be appointed to it"),
            code="framework_expired",
        )


def appointment_problem(
    *, lot: Lot, supplier: Organisation, authority: Organisation, on: date
) -> str | None:
    """Why this supplier cannot be appointed to this lot, or None. Shared with CSV imports."""
    if supplier.kind != OrganisationKind.SUPPLIER:
        return _("%(name)s is not a supplier") % {"name": supplier}
    if problem := selectors.debarment_problem(supplier=supplier, organisation=authority, on=on):
        return problem
    if Appointment.objects.filter(lot=lot, supplier=supplier).exists():
        return _("%(name)s is already appointed to this lot") % {"name": supplier}
    return None


def appointment_windows(framework: FrameworkPage) -> list[tuple[date, date]]:
    """The (first, last) days of each award at which suppliers may join (rules.py)."""
    award_on, *reopening_awards = framework.award_dates()
    return rules.appointment_windows(
        award_on=award_on, starts_on=framework.starts_on, reopening_awards=reopening_awards
    )


def _long_date(day: date) -> str:
    return formats.date_format(day, "j F Y")


def appointment_windows_text(framework: FrameworkPage) -> str:
    """When suppliers can join the framework, and whether its terms allow a replacement."""
    windows = "; ".join(
        _("from the award on %(award)s to %(last)s")
        % {"award": _long_date(first), "last": _long_date(last)}
        for first, last in appointment_windows(framework)
    )
    text = _("Suppliers join %(framework)s only at an award: %(windows)s.") % {
        "framework": framework.title,
        "windows": windows,
    }
    if framework.allows_supplier_replacement:
        return " ".join(
            [text, _("Between awards its terms allow only replacing an excluded supplier.")]
        )
    return " ".join([text, _("Its terms do not allow replacing a supplier between awards.")])


def refuse_outside_award_windows(lot: Lot, *, on: date) -> date:
    """Refuse a plain appointment made between awards; return the day of the award it is
    made at, which it may not start before."""
    window = rules.appointment_window_on(on, appointment_windows(lot.framework))
    if window is None:
        raise DomainError(
            _("No supplier can be appointed on %(day)s. %(when)s")
            % {"day": _long_date(on), "when": appointment_windows_text(lot.framework)},
            code="outside_award_window",
        )
    return window[0]


def _check_replacement(lot: Lot, *, replaces: Appointment, reason: str) -> None:
    """A replacement takes the place of an excluded supplier on the same lot, once, with a
    reason, and only where the framework's terms allow it."""
    if not lot.framework.allows_supplier_replacement:
        raise DomainError(
            _("The terms of %(framework)s do not allow replacing a supplier")
            % {"framework": lot.framework.title},
            code="replacement_not_allowed",
        )
    replaced = (
        Appointment.objects.select_for_update().select_related("supplier").get(pk=replaces.pk)
    )
    if replaced.lot_id != lot.pk:
        raise DomainError(
            _("%(name)s is not on %(lot)s: only a supplier on the same lot can be replaced")
            % {"name": replaced.supplier, "lot": lot},
            code="replacement_other_lot",
        )
    if replaced.status != Appointment.Status.EXCLUDED:
        raise DomainError(
            _("%(name)s is %(status)s: only an excluded supplier can be replaced")
            % {"name": replaced.supplier, "status": replaced.get_status_display().lower()},
            code="replacement_not_excluded",
        )
    if replaced.replaced_by.exists():
        raise DomainError(
            _("%(name)s has already been replaced") % {"name": replaced.supplier},
            code="already_replaced",
        )
    if not reason.strip():
        raise DomainError(_("Give the reason for the replacement"), code="reason_required")


def _start(
    framework: FrameworkPage, *, starts_on: date | None, earliest: date, too_early: str
) -> date:
    """When the appointment takes effect: by default the later of the framework's start and
    the award it is made at (or the day of a replacement); never before that award or day."""
    if starts_on is None:
        return max(earliest, framework.starts_on)
    if starts_on < earliest:
        raise DomainError(too_early % {"day": _long_date(earliest)}, code="starts_too_early")
    return starts_on


def start_at_award(lot: Lot, *, starts_on: date | None, on: date) -> date:
    """When an appointment made at an award on `on` starts (as appoint_supplier says); refuses
    one made between awards or starting before its award. The import preview asks it too."""
    earliest = refuse_outside_award_windows(lot, on=on)
    return _start(
        lot.framework,
        starts_on=starts_on,
        earliest=earliest,
        too_early=_("The appointment cannot start before its award on %(day)s"),
    )


@transaction.atomic
def appoint_supplier(
    *,
    actor,
    organisation: Organisation,
    lot: Lot,
    supplier: Organisation,
    starts_on: date | None = None,
    ends_on: date | None = None,
    as_of: date | None = None,
    replaces: Appointment | None = None,
    reason: str = "",
) -> Appointment:
    """Appoint a supplier to a lot, as of a day (default today).

    At an award (an appointment window of appointment_windows) anyone may be appointed;
    between awards only a replacement for an excluded supplier, where the terms allow it.
    starts_on defaults to the day the framework starts, or the reopening's award for a
    supplier joining at a reopening, or as_of for a replacement; it may not be earlier
    than the award (or, for a replacement, as_of).
    """
    as_of = as_of or timezone.localdate()
    policy.require(actor, Action.APPOINT_SUPPLIERS, organisation, lot)
    lot = _lock_lot(lot)
    refuse_unless_taking_appointments(lot, on=as_of)
    if replaces is None:
        starts_on = start_at_award(lot, starts_on=starts_on, on=as_of)
    else:
        _check_replacement(lot, replaces=replaces, reason=reason)
        starts_on = _start(
            lot.framework,
            starts_on=starts_on,
            earliest=as_of,
            too_early=_("A replacement cannot start before the day it is made, %(day)s"),
        )
    problem = appointment_problem(lot=lot, supplier=supplier, authority=organisation, on=starts_on)
    if problem:
        raise DomainError(problem, code="cannot_appoint")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The appointment must end on or after the day it starts"))
    appointment = Appointment.objects.create(
        lot=lot,
        supplier=supplier,
        starts_on=starts_on,
        ends_on=ends_on,
        replaces=replaces,
        replacement_reason=reason.strip() if replaces else "",
    )
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.SUPPLIER_APPOINTED,
        target=appointment,
        data={
            "lot": lot.pk,
            "supplier": supplier.pk,
            "as_of": as_of,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "replaces": replaces.pk if replaces else None,
            "replacement_reason": appointment.replacement_reason,
        },
    )
    schedule_appointment(appointment.pk)
    return appointment


@transaction.atomic
def change_appointment_status(
    *, actor, organisation: Organisation, appointment: Appointment, status: str, reason: str = ""
) -> Appointment:
    policy.require(actor, Action.APPOINT_SUPPLIERS, organisation, appointment)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    # A move the table refuses is refused as such, before asking for its reason.
    state.check_move(Appointment, appointment.status, status)
    if Appointment.Status(status) in REASON_NEEDED and not reason.strip():
        raise DomainError(_("Give the reason for this decision"), code="reason_required")
    appointment.reason = reason.strip()
    state.change_state(
        appointment,
        to=status,
        actor=actor,
        organisation=organisation,
        kind=AuditKind.APPOINTMENT_STATUS_CHANGED,
        data={"reason": appointment.reason},
        update_fields=("reason", "updated_at"),
    )
    schedule_appointment(appointment.pk)
    return appointment


@transaction.atomic
def appoint_suppliers_from_import(
    *,
    actor,
    organisation: Organisation,
    lot: Lot,
    suppliers: list[Organisation],
    file_name: str,
    starts_on: date | None = None,
    as_of: date | None = None,
) -> list[Appointment]:
    """All or nothing: every supplier is appointed, or (on any problem) none is. Only at an
    award (a file replaces no one); starts_on as for appoint_supplier."""
    as_of = as_of or timezone.localdate()
    policy.require(actor, Action.APPOINT_SUPPLIERS, organisation, lot)
    lot = _lock_lot(lot)
    refuse_unless_taking_appointments(lot, on=as_of)
    starts_on = start_at_award(lot, starts_on=starts_on, on=as_of)
    problems = [
        problem
        for supplier in suppliers
        if (
            problem := appointment_problem(
                lot=lot, supplier=supplier, authority=organisation, on=starts_on
            )
        )
    ]
    if problems:
        raise DomainError("; ".join(problems), code="cannot_appoint")
    appointments = [
        Appointment.objects.create(lot=lot, supplier=supplier, starts_on=starts_on)
        for supplier in suppliers
    ]
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.APPOINTMENTS_IMPORTED,
        target=lot,
        data={
            "file": file_name,
            "as_of": as_of,
            "starts_on": starts_on,
            "suppliers": [supplier.pk for supplier in suppliers],
            "appointments": [appointment.pk for appointment in appointments],
        },
    )
    schedule_lot(lot.pk)
    return appointments


def _set_suspension(
    *, actor, organisation, framework: FrameworkPage, suspended: bool, reason: str, kind
) -> FrameworkPage:
    policy.require(actor, Action.APPROVE_FRAMEWORKS, organisation, framework)
    framework = FrameworkPage.objects.select_for_update().get(pk=framework.pk)
    # The table lets a published or suspended framework publish a new revision in place, so
    # suspending twice or reinstating what is not suspended is refused here.
    if framework.is_suspended == suspended:
        raise DomainError(
            _("The framework is already suspended")
            if suspended
            else _("The framework is not suspended"),
            code="invalid_transition",
        )
    if suspended and framework.status == lifecycle.Lifecycle.EXPIRED:
        raise DomainError(_("An expired framework cannot be suspended"), code="framework_expired")
    reason = reason.strip() if suspended else ""

    def apply() -> None:
        framework.is_suspended, framework.suspension_reason = suspended, reason
        # Only these columns change: a plain update keeps Wagtail's draft revisions untouched.
        FrameworkPage.objects.filter(pk=framework.pk).update(
            is_suspended=suspended, suspension_reason=reason
        )

    state.change_state(
        framework,
        to=Publication.SUSPENDED if suspended else Publication.PUBLISHED,
        actor=actor,
        organisation=organisation,
        kind=kind,
        data={"reason": reason},
        apply=apply,
    )
    schedule_framework(framework.pk)
    return framework


@transaction.atomic
def suspend_framework(
    *, actor, organisation: Organisation, framework: FrameworkPage, reason: str
) -> FrameworkPage:
    if not reason.strip():
        raise DomainError(_("Give the reason for suspending the framework"), code="reason_required")
    return _set_suspension(
        actor=actor,
        organisation=organisation,
        framework=framework,
        suspended=True,
        reason=reason,
        kind=AuditKind.FRAMEWORK_SUSPENDED,
    )


@transaction.atomic
def reinstate_framework(
    *, actor, organisation: Organisation, framework: FrameworkPage
) -> FrameworkPage:
    return _set_suspension(
        actor=actor,
        organisation=organisation,
        framework=framework,
        suspended=False,
        reason="",
        kind=AuditKind.FRAMEWORK_REINSTATED,
    )


@transaction.atomic
def close_lot(
    *,
    actor,
    organisation: Organisation,
    lot: Lot,
    reason: str,
    ground: str,
    as_of: date | None = None,
) -> LotClosure:
    """Close a lot for good: no new appointments or offerings, and buyers no longer see its
    offerings. The lot and its records stay; this is how a lot with appointments is removed.

    After award, closing a lot changes the framework's terms: it is recorded as a Variation on
    `ground`, the reason as its explanation.
    """
    policy.require(actor, Action.EDIT_FRAMEWORKS, organisation, lot)
    as_of = as_of or timezone.localdate()
    if not reason.strip():
        raise DomainError(_("Give the reason for closing the lot"), code="reason_required")
    lot = _lock_lot(lot)
    if lot.is_closed:
        raise DomainError(_("%(lot)s is already closed") % {"lot": lot}, code="lot_closed")
    awarded = terms.is_awarded(lot.framework, as_of=as_of)
    if awarded:
        _check_ground(ground)
    closure = LotClosure.objects.create(lot=lot, closed_by=actor, reason=reason.strip())
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.LOT_CLOSED,
        target=lot,
        data={"framework": lot.framework_id, "closure": closure.pk, "reason": closure.reason},
    )
    if awarded:
        number = str(lot.number)
        _record_variation(
            actor=actor,
            organisation=organisation,
            framework=lot.framework,
            ground=ground,
            explanation=closure.reason,
            old_values={"lots": {number: {terms.LOT_CLOSED: False}}},
            new_values={"lots": {number: {terms.LOT_CLOSED: True}}},
            effective_on=as_of,
        )
    schedule_lot(lot.pk)
    return closure


# --- Varying the terms after award (Procurement Act 2023 s.74 and Schedule 8) -----------------


def _check_ground(ground: str) -> None:
    if ground not in VariationGround.values:
        raise DomainError(
            _("Choose the ground in the Procurement Act 2023 that permits the change"),
            code="ground_required",
        )


def _record_variation(
    *, actor, organisation, framework, ground, explanation, old_values, new_values, effective_on
) -> Variation:
    variation = Variation.objects.create(
        framework_id=framework.pk,
        ground=ground,
        explanation=explanation,
        old_values=old_values,
        new_values=new_values,
        made_by=actor,
        effective_on=effective_on,
    )
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.FRAMEWORK_VARIED,
        target=framework,
        data={
            "variation": variation.pk,
            "ground": ground,
            "old": old_values,
            "new": new_values,
            "effective_on": effective_on,
        },
    )
    return variation


def _clean_term(model, name: str, value, instance):
    """The value as the model field takes it; a refused value is a DomainError naming the term."""
    try:
        return model._meta.get_field(name).clean(value, instance)
    except ValidationError as error:
        raise DomainError(
            f"{terms.term_label(name)}: {' '.join(error.messages)}", code="invalid_term"
        ) from error


def _apply_term_changes(framework: FrameworkPage, changes: dict) -> None:
    """Write the changed terms to the live rows with plain updates: no revision carries them,
    and FrameworkPage.with_content_json copies them onto every revision from now on."""
    changes = dict(changes)
    lot_changes = changes.pop("lots", {}) or {}
    criteria = changes.pop(terms.CRITERIA, None)
    eligibility_keys = changes.pop(terms.ELIGIBILITY, None)
    unknown = set(changes) - set(terms.FRAMEWORK_TERM_FIELDS)
    if unknown:
        raise DomainError(
            _("Not a term of the framework: %(names)s") % {"names": ", ".join(sorted(unknown))},
            code="invalid_term",
        )
    values = {
        name: _clean_term(FrameworkPage, name, val, framework) for name, val in changes.items()
    }
    if values:
        FrameworkPage.objects.filter(pk=framework.pk).update(**values)
    if eligibility_keys is not None:
        _replace_eligibility_rules(framework, eligibility_keys)
    if criteria is not None:
        _replace_award_criteria(framework, criteria)
    lots = {str(lot.number): lot for lot in Lot.objects.filter(framework_id=framework.pk)}
    for number, lot_values in lot_changes.items():
        lot = lots.get(str(number))
        if lot is None:
            raise DomainError(_("The framework has no lot %(number)s") % {"number": number})
        lot_values = dict(lot_values)
        ranking = lot_values.pop(terms.LOT_RANKING, None)
        if ranking is not None:
            _write_ranking(lot, ranking)
        unknown = set(lot_values) - set(terms.LOT_TERM_FIELDS)
        if unknown:
            raise DomainError(
                _("Not a term of a lot: %(names)s") % {"names": ", ".join(sorted(unknown))},
                code="invalid_term",
            )
        cleaned = {name: _clean_term(Lot, name, value, lot) for name, value in lot_values.items()}
        for name, value in cleaned.items():
            setattr(lot, name, value)
        errors = rules.errors_for_lot(lot)
        if errors:
            raise DomainError(
                _("Lot %(number)s: %(errors)s")
                % {"number": lot.number, "errors": " ".join(errors.values())},
                code="invalid_term",
            )
        Lot.objects.filter(pk=lot.pk).update(**cleaned)


def _write_ranking(lot: Lot, supplier_ids: list[int]) -> None:
    """Rank the lot's active suppliers in the order given (first is rank 1). Every active
    supplier is ranked once; other appointments lose any rank they held."""
    active = dict(
        Appointment.objects.filter(lot=lot, status=Appointment.Status.ACTIVE).values_list(
            "supplier_id", "supplier__legal_name"
        )
    )
    strangers = [pk for pk in supplier_ids if pk not in active]
    if strangers:
        raise DomainError(
            _("Only the lot's active suppliers can be ranked"), code="invalid_ranking"
        )
    ranks = dict.fromkeys(active.values())
    for rank, pk in enumerate(supplier_ids, start=1):
        ranks[active[pk]] = rank if ranks[active[pk]] is None else 0
    if problems := rules.ranking_errors(ranks):
        raise DomainError(" ".join(problems), code="invalid_ranking")
    # The unique (lot, rank) constraint holds between statements: clear, then rank.
    Appointment.objects.filter(lot=lot).update(rank=None)
    for rank, pk in enumerate(supplier_ids, start=1):
        Appointment.objects.filter(lot=lot, supplier_id=pk).update(rank=rank)


@transaction.atomic
def set_lot_ranking(
    *,
    actor,
    organisation: Organisation,
    lot: Lot,
    supplier_ids: list[int],
    ground: str = "",
    explanation: str = "",
    as_of: date | None = None,
) -> None:
    """Rank the lot's active suppliers for a ranked list with rotation, first-ranked first.
    The ranking is a term: before award it is set here; once the framework is awarded it
    changes only by a variation (ground and explanation required), which records the old and
    new rankings."""
    policy.require(actor, Action.EDIT_FRAMEWORKS, organisation, lot)
    as_of = as_of or timezone.localdate()
    lot = _lock_lot(lot)
    before = terms.lot_ranking(lot)
    variation = None
    if terms.is_awarded(lot.framework, as_of=as_of):
        variation = vary_framework(
            actor=actor,
            organisation=organisation,
            framework=lot.framework,
            changes={"lots": {str(lot.number): {terms.LOT_RANKING: list(supplier_ids)}}},
            ground=ground,
            explanation=explanation,
            as_of=as_of,
        )
    else:
        _write_ranking(lot, list(supplier_ids))
    record(
        actor=actor,
        organisation=organisation,
        kind=AuditKind.LOT_RANKING_SET,
        target=lot.framework,
        data={
            "lot": lot.number,
            "old": before,
            "new": terms.lot_ranking(lot),
            "variation": variation.pk if variation else None,
        },
    )


def _replace_eligibility_rules(framework: FrameworkPage, keys: list[str]) -> None:
    try:
        named = eligibility.parse(keys).organisations
    except ValueError as error:
        message = _("%(term)s: unknown rule") % {"term": terms.term_label(terms.ELIGIBILITY)}
        raise DomainError(message, code="invalid_term") from error
    if Organisation.objects.filter(pk__in=named, kind=OrganisationKind.BUYER).count() != len(named):
        raise DomainError(_("Only buyers can be named as entitled to use a framework"))
    EligibilityRule.objects.filter(framework_id=framework.pk).delete()
    EligibilityRule.objects.bulk_create(
        EligibilityRule(framework_id=framework.pk, key=key) for key in set(keys)
    )


def _replace_award_criteria(framework: FrameworkPage, criteria: list[dict]) -> None:
    rows = [
        AwardCriterion(
            framework_id=framework.pk,
            sort_order=index,
            **{name: row.get(name, "") for name in terms.CRITERION_FIELDS},
        )
        for index, row in enumerate(criteria)
    ]
    for row in rows:
        try:
            row.full_clean(exclude=["framework"])
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), code="invalid_term") from error
    if problems := terms.award_criteria_errors(row.weighting for row in rows):
        raise DomainError(problems[0], code="invalid_term")
    AwardCriterion.objects.filter(framework_id=framework.pk).delete()
    AwardCriterion.objects.bulk_create(rows)


@transaction.atomic
def vary_framework(
    *,
    actor,
    organisation: Organisation,
    framework: FrameworkPage,
    changes: dict,
    ground: str,
    explanation: str,
    as_of: date | None = None,
) -> Variation:
    """Change an awarded framework's terms, recording who, when, why and the old and new
    values. `changes` has the shape of terms.terms_of(), holding only the terms to change."""
    policy.require(actor, Action.EDIT_FRAMEWORKS, organisation, framework)
    as_of = as_of or timezone.localdate()
    framework = FrameworkPage.objects.select_for_update().get(pk=framework.pk)
    if not terms.is_awarded(framework, as_of=as_of):
        raise DomainError(
            _("The framework is not awarded yet: change its terms by editing the page"),
            code="not_awarded",
        )
    _check_ground(ground)
    if not explanation.strip():
        raise DomainError(_("Explain why the terms change"), code="explanation_required")
    before = terms.terms_of(framework)
    _apply_term_changes(framework, changes)
    after = terms.terms_of(FrameworkPage.objects.get(pk=framework.pk))
    old_values, new_values = terms.changed_terms(before, after)
    if not new_values:
        # Nothing is written: the transaction ends in this error.
        raise DomainError(_("Change at least one term"), code="no_change")
    schedule_framework(framework.pk)
    return _record_variation(
        actor=actor,
        organisation=organisation,
        framework=framework,
        ground=ground,
        explanation=explanation.strip(),
        old_values=old_values,
        new_values=new_values,
        effective_on=as_of,
    )


# --- A lot's offering questions, edited on their own page (frameworks.admin.lot_questions) ----


@transaction.atomic
def save_lot_questions(*, actor, framework: FrameworkPage, number: int, questions):
    """Save a new draft revision of the framework in which lot `number` asks `questions` (the
    cleaned value of the lot's attribute_schema field) and nothing else changes. The revision
    is published as any other edit is, through the framework's approval; until then buyers and
    suppliers see the questions of the live version. Answers the revision.

    Refused as the page editor refuses a save: to anyone who may not edit the page, and while
    the page is locked for the actor (by another person, or by its approval workflow).
    """
    framework = FrameworkPage.objects.select_for_update().get(pk=framework.pk)
    if not framework.permissions_for_user(actor).can_edit():
        raise policy.PolicyDenied(_("You may not edit this framework"))
    lock = framework.get_lock()
    if lock is not None and lock.for_user(actor):
        raise DomainError(
            lock.get_message(actor) or _("The framework is locked: it cannot be saved"),
            code="locked",
        )
    draft = framework.get_latest_revision_as_object()
    lot = selectors.get_draft_lot(draft=draft, number=number)
    lot.attribute_schema = questions
    # The draft's manager hands out copies of its lots: put the changed one back in its place.
    draft.lots = [lot if other.number == number else other for other in draft.lots.all()]
    revision = draft.save_revision(user=actor, log_action=True, clean=False)
    if not framework.live:
        # The editor writes a page that is not live to its rows as well as to the revision.
        Lot.objects.filter(framework=framework, number=number).update(
            attribute_schema=lot.attribute_schema
        )
    record(
        actor=actor,
        organisation=framework.authority,
        kind=AuditKind.LOT_QUESTIONS_DRAFTED,
        target=framework,
        data={"lot": number, "revision": revision.pk, "questions": len(lot.attribute_schema)},
    )
    return revision
