"""The award step: making the award, its sign-off, the contract award notice (UK6), the
voluntary standstill, and withdrawal.

An award copies the project's selection and adds the contract's terms. It takes effect at
once, or, above the organisation's sign-off threshold, when an approver other than the person
who made it signs it off; the project moves to awarded with it. Withdrawing or refusing it sends
the project back to the award step with its selection kept.
"""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from frameworks.models import FrameworkKind, Regime
from frameworks.terms import LOT_CLOSED, terms_on
from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.competitions.models import Competition
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.models import Nation, Region
from marketplace.organisations.roles import Action
from marketplace.state import change_state
from marketplace.working_days import standstill_end

from ..locks import lock_project
from ..models import Award, BuyingProject, KeyPerformanceIndicator, RulesApplied
from ..permissions import require_project_worker
from ..suppliers import call_off_problem
from .projects import approval_threshold_for

PENNY = Decimal("0.01")
# Above this value including VAT a contract that is not light-touch needs KPIs (s.52).
KPI_THRESHOLD = Decimal("5000000.00")
MINIMUM_KPIS = 3
# Statuses from which an award can still be withdrawn: the contract is not yet entered into.
WITHDRAWABLE = (Award.Status.AWAITING_SIGN_OFF, Award.Status.AWARDED)


class AwardError(DomainError):
    """The award step refused; code names the form field at fault (or "award")."""


def money(value) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def pounds(value) -> str:
    return f"£{money(value):,.2f}"


def day_text(day: date) -> str:
    return formats.date_format(day, "j F Y")


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_months(starts_on: date, ends_on: date) -> int:
    """How many months a contract from `starts_on` to `ends_on` (both included) runs, a part
    month counting as a whole one: 1 January 2027 to 31 December 2028 is 24 months."""
    months = max((ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month, 0)
    while _add_months(starts_on, months) <= ends_on:
        months += 1
    while months > 1 and _add_months(starts_on, months - 1) > ends_on:
        months -= 1
    return months


def rules_applied_for(project: BuyingProject) -> RulesApplied:
    """The framework's regime, and for a devolved Scottish authority the Scottish rules: in
    either case the Act's notices do not apply to the call-off."""
    if project.lot.framework.regime == Regime.PCR_2015:
        return RulesApplied.PCR_2015
    buyer = project.organisation
    in_scotland = buyer.region == Region.SCOTLAND or (
        buyer.local_authority_id is not None and buyer.local_authority.nation == Nation.SCOTLAND
    )
    return RulesApplied.DEVOLVED_SCOTTISH if in_scotland else RulesApplied.PROCUREMENT_ACT_2023


def is_light_touch(project: BuyingProject) -> bool:
    return project.lot.framework.kind == FrameworkKind.LIGHT_TOUCH


def kpis_required(project: BuyingProject, value_including_vat) -> bool:
    return (
        value_including_vat is not None
        and money(value_including_vat) > KPI_THRESHOLD
        and not is_light_touch(project)
    )


def award_problem(project: BuyingProject) -> str | None:
    """Why the project cannot be awarded now, or None."""
    if project.status != BuyingProject.Status.PREPARING:
        return _("This project is %(status)s: it cannot be awarded") % {
            "status": project.get_status_display().lower()
        }
    if project.selected_supplier_id is None:
        return _("Choose the supplier first, by the lot's direct-award mechanism")
    if project.awards.filter(status__in=Award.STANDING).exists():
        return _("This project already has an award")
    return None


def contract_terms_problems(
    *,
    project: BuyingProject,
    value,
    value_including_vat,
    starts_on: date | None,
    ends_on: date | None,
    kpis: list[dict],
    kpi_none_reason: str,
    on: date,
) -> list[tuple[str, str]]:
    """What is wrong with the contract's terms under the lot's terms on `on`, as (field,
    message) pairs: the form shows them against its fields, make_award refuses on the first."""
    problems = []
    lot_terms = terms_on(project.lot.framework, on)["lots"].get(str(project.lot.number), {})
    if lot_terms.get(LOT_CLOSED):
        problems.append(("award", _("The lot is closed: nothing more can be called off from it")))
    if value is not None:
        minimum, maximum = lot_terms.get("minimum_value"), lot_terms.get("maximum_value")
        if minimum is not None and money(value) < money(minimum):
            problems.append(
                (
                    "value",
                    _("The value must be at least %(minimum)s, the lot's minimum")
                    % {"minimum": pounds(minimum)},
                )
            )
        if maximum is not None and money(value) > money(maximum):
            problems.append(
                (
                    "value",
                    _("The value must be no more than %(maximum)s, the lot's maximum")
                    % {"maximum": pounds(maximum)},
                )
            )
        if value_including_vat is not None and money(value_including_vat) < money(value):
            problems.append(
                (
                    "value_including_vat",
                    _("The value including VAT cannot be less than the value excluding VAT"),
                )
            )
    if starts_on and ends_on:
        if ends_on < starts_on:
            problems.append(("ends_on", _("The end date must be on or after the start date")))
        else:
            months, maximum_term = (
                term_months(starts_on, ends_on),
                lot_terms.get("maximum_term_months"),
            )
            if maximum_term is not None and months > maximum_term:
                problems.append(
                    (
                        "ends_on",
                        _(
                            "The contract runs for %(months)s months; the lot allows at most "
                            "%(maximum)s"
                        )
                        % {"months": months, "maximum": maximum_term},
                    )
                )
    if any(not kpi["title"] or not kpi["target"] for kpi in kpis):
        problems.append(("kpis", _("Give each key performance indicator a target")))
    if (
        kpis_required(project, value_including_vat)
        and len(kpis) < MINIMUM_KPIS
        and not kpi_none_reason
    ):
        problems.append(
            (
                "kpis",
                _(
                    "A contract worth more than £5,000,000 including VAT needs at least "
                    "%(count)s key performance indicators, or the reason for setting none"
                )
                % {"count": MINIMUM_KPIS},
            )
        )
    return problems


def _lock_award(award: Award) -> tuple[Award, BuyingProject]:
    """The award read again with its project locked: every change to an award locks its
    project first, so two changes to one award wait for each other."""
    project = lock_project(award.project)
    return Award.objects.select_related("supplier", "awarded_by").get(pk=award.pk), project


def _move_project(project: BuyingProject, *, to: str, actor, award: Award) -> None:
    change_state(
        project,
        to=to,
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.PROJECT_STATUS_CHANGED,
        data={"award": award.pk},
        update_fields=("updated_at",),
    )


@transaction.atomic
def make_award(
    *,
    actor,
    project: BuyingProject,
    description: str,
    value,
    value_including_vat,
    starts_on: date,
    ends_on: date,
    kpis: list[dict],
    kpi_none_reason: str = "",
) -> Award:
    """Award the project's contract to its selected supplier on the terms given."""
    project = lock_project(project)
    require_project_worker(actor, project)
    problem = award_problem(project)
    if problem:
        raise AwardError(problem, code="award")
    today = timezone.localdate()
    description = (description or "").strip()
    kpi_none_reason = (kpi_none_reason or "").strip()
    kpis = [
        {"title": (kpi.get("title") or "").strip(), "target": (kpi.get("target") or "").strip()}
        for kpi in kpis
    ]
    if not description:
        raise AwardError(_("Describe the contract"), code="description")
    problems = contract_terms_problems(
        project=project,
        value=value,
        value_including_vat=value_including_vat,
        starts_on=starts_on,
        ends_on=ends_on,
        kpis=kpis,
        kpi_none_reason=kpi_none_reason,
        on=today,
    )
    if problems:
        field, message = problems[0]
        raise AwardError(message, code=field)
    supplier = project.selected_supplier
    problem = call_off_problem(
        supplier=supplier, lot=project.lot, buyer=project.organisation, on=today
    )
    if problem:
        raise AwardError(problem, code="award")
    threshold = approval_threshold_for(project.organisation)
    needs_sign_off = threshold is not None and money(value) > threshold
    now = timezone.now()
    try:
        with transaction.atomic():
            award = Award.objects.create(
                project=project,
                status=Award.Status.AWAITING_SIGN_OFF if needs_sign_off else Award.Status.AWARDED,
                route=project.route,
                direct_award_method=project.direct_award_method,
                supplier=supplier,
                offering=project.selected_offering,
                shortlist_item=project.selected_shortlist_item,
                rotation_offer=project.selected_rotation_offer,
                selection_reason=project.selection_reason,
                rules_applied=rules_applied_for(project),
                is_light_touch=is_light_touch(project),
                description=description,
                value=money(value),
                value_including_vat=money(value_including_vat),
                starts_on=starts_on,
                ends_on=ends_on,
                kpi_none_reason=kpi_none_reason,
                awarded_by=actor,
                created_at=now,
                needs_sign_off=needs_sign_off,
                awarded_at=None if needs_sign_off else now,
            )
    except IntegrityError:
        # Only another request's award, made between our check and our insert, gets here.
        raise AwardError(_("This project already has an award"), code="award") from None
    KeyPerformanceIndicator.objects.bulk_create(
        KeyPerformanceIndicator(award=award, position=position, **kpi)
        for position, kpi in enumerate(kpis, start=1)
    )
    audit.record(
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.AWARD_MADE,
        target=award,
        data={
            "award": award.pk,
            "status": award.status,
            "route": award.route,
            "method": award.direct_award_method,
            "supplier": supplier.pk,
            "offering": award.offering_id,
            "shortlist_item": award.shortlist_item_id,
            "rotation_offer": award.rotation_offer_id,
            "selection_reason": award.selection_reason,
            "rules_applied": award.rules_applied,
            "light_touch": award.is_light_touch,
            "description": description,
            "value": award.value,
            "value_including_vat": award.value_including_vat,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "kpis": kpis,
            "kpi_none_reason": kpi_none_reason,
            "needs_sign_off": needs_sign_off,
            "approval_threshold": threshold,
        },
    )
    if not needs_sign_off:
        _move_project(project, to=BuyingProject.Status.AWARDED, actor=actor, award=award)
    return award


def may_sign_off(actor, award: Award) -> bool:
    """Whether actor is an approver of the award's organisation other than its maker."""
    return award.awarded_by_id != actor.pk and policy.can(
        actor, Action.APPROVE_CALLOFFS, award.project.organisation, award.project
    )


def _require_signer(actor, award: Award, project: BuyingProject) -> None:
    if not policy.can(actor, Action.APPROVE_CALLOFFS, project.organisation, project):
        raise policy.PolicyDenied(
            _("Only an approver of %(organisation)s can sign off awards")
            % {"organisation": project.organisation}
        )
    if award.status != Award.Status.AWAITING_SIGN_OFF:
        raise AwardError(
            _("This award is %(status)s: it is not waiting for sign-off")
            % {"status": award.get_status_display().lower()},
            code="award",
        )
    if award.awarded_by_id == actor.pk:
        raise AwardError(
            _("You made this award, so another approver must sign it off"), code="award"
        )


@transaction.atomic
def sign_off_award(*, actor, award: Award) -> Award:
    """An approver other than its maker signs the award off: it takes effect."""
    award, project = _lock_award(award)
    _require_signer(actor, award, project)
    problem = call_off_problem(
        supplier=award.supplier,
        lot=project.lot,
        buyer=project.organisation,
        on=timezone.localdate(),
    )
    if problem:
        raise AwardError(
            _("%(problem)s. Refuse sign-off with that reason.") % {"problem": problem},
            code="award",
        )
    now = timezone.now()
    award.signed_off_by, award.signed_off_at, award.awarded_at = actor, now, now
    change_state(
        award,
        to=Award.Status.AWARDED,
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.AWARD_SIGNED_OFF,
        data={"award": award.pk, "awarded_by": award.awarded_by_id},
        update_fields=("signed_off_by", "signed_off_at", "awarded_at"),
    )
    _move_project(project, to=BuyingProject.Status.AWARDED, actor=actor, award=award)
    return award


@transaction.atomic
def refuse_sign_off(*, actor, award: Award, note: str) -> Award:
    """An approver refuses to sign the award off, saying why; the project returns to the
    award step, its selection kept."""
    award, project = _lock_award(award)
    _require_signer(actor, award, project)
    note = (note or "").strip()
    if not note:
        raise AwardError(_("Say why you are refusing to sign off the award"), code="note")
    award.signed_off_by, award.signed_off_at, award.sign_off_note = actor, timezone.now(), note
    change_state(
        award,
        to=Award.Status.SIGN_OFF_REFUSED,
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.AWARD_SIGN_OFF_REFUSED,
        data={"award": award.pk, "awarded_by": award.awarded_by_id, "note": note},
        update_fields=("signed_off_by", "signed_off_at", "sign_off_note"),
    )
    return award


def earliest_standstill_end(published_on: date) -> date:
    """The earliest day a voluntary standstill may end: 8 working days from publication."""
    return standstill_end(published_on)


def notice_problem(award: Award) -> str | None:
    """Why a contract award notice cannot be recorded for the award, or None."""
    if award.rules_applied != RulesApplied.PROCUREMENT_ACT_2023:
        return _("The call-off followed %(rules)s: the Act's notices do not apply") % {
            "rules": award.get_rules_applied_display()
        }
    if award.status != Award.Status.AWARDED:
        return _("The award is %(status)s: a notice can be recorded only once it takes effect") % {
            "status": award.get_status_display().lower()
        }
    if award.notice_identifier:
        return _("The contract award notice is already recorded")
    return None


@transaction.atomic
def record_award_notice(
    *,
    actor,
    award: Award,
    identifier: str,
    published_on: date,
    standstill_ends_on: date | None,
) -> Award:
    """Record the contract award notice (UK6) published on the central platform, and the
    voluntary standstill it states, if any (None: it states none). Once stated, it binds."""
    award, project = _lock_award(award)
    require_project_worker(actor, project)
    problem = notice_problem(award)
    if problem:
        raise AwardError(problem, code="award")
    identifier = (identifier or "").strip()
    if not identifier:
        raise AwardError(_("Enter the notice's identifier"), code="identifier")
    max_length = Award._meta.get_field("notice_identifier").max_length
    if len(identifier) > max_length:
        raise AwardError(
            _("The identifier must be %(count)s characters or fewer") % {"count": max_length},
            code="identifier",
        )
    if published_on > timezone.localdate():
        raise AwardError(
            _("The publication date must be today or in the past"), code="published_on"
        )
    awarded_on = timezone.localdate(award.awarded_at)
    if published_on < awarded_on:
        raise AwardError(
            _("The notice cannot be published before the award took effect on %(day)s")
            % {"day": day_text(awarded_on)},
            code="published_on",
        )
    if standstill_ends_on is not None:
        earliest = earliest_standstill_end(published_on)
        if standstill_ends_on < earliest:
            raise AwardError(
                _(
                    "The standstill must last at least 8 working days from publication: it "
                    "ends on %(day)s or later"
                )
                % {"day": day_text(earliest)},
                code="standstill_ends_on",
            )
    elif Competition.objects.filter(project=project, voluntary_standstill=True).exists():
        raise AwardError(
            _(
                "The further competition's brief told the suppliers there would be a voluntary "
                "standstill: give the day it ends, at least 8 working days from publication"
            ),
            code="standstill_ends_on",
        )
    award.notice_identifier = identifier
    award.notice_published_on = published_on
    award.standstill_stated = standstill_ends_on is not None
    award.standstill_ends_on = standstill_ends_on
    award.save(
        update_fields=[
            "notice_identifier",
            "notice_published_on",
            "standstill_stated",
            "standstill_ends_on",
        ]
    )
    audit.record(
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.AWARD_NOTICE_RECORDED,
        target=award,
        data={
            "award": award.pk,
            "identifier": identifier,
            "published_on": published_on,
            "standstill_stated": award.standstill_stated,
            "standstill_ends_on": standstill_ends_on,
        },
    )
    return award


@transaction.atomic
def withdraw_award(*, actor, award: Award, reason: str) -> Award:
    """Withdraw the award before the contract is entered into; the project returns to the
    award step with its selection kept."""
    award, project = _lock_award(award)
    require_project_worker(actor, project)
    if award.status == Award.Status.CONTRACTED:
        raise AwardError(
            _("The contract is entered into: the award can no longer be withdrawn"), code="award"
        )
    if award.status not in WITHDRAWABLE:
        raise AwardError(
            _("This award is %(status)s: it can no longer be withdrawn")
            % {"status": award.get_status_display().lower()},
            code="award",
        )
    reason = (reason or "").strip()
    if not reason:
        raise AwardError(_("Say why the award is withdrawn"), code="reason")
    award.withdrawn_at, award.withdrawn_by, award.withdrawal_reason = (
        timezone.now(),
        actor,
        reason,
    )
    change_state(
        award,
        to=Award.Status.WITHDRAWN,
        actor=actor,
        organisation=project.organisation,
        kind=AuditKind.AWARD_WITHDRAWN,
        data={"award": award.pk, "reason": reason},
        update_fields=("withdrawn_at", "withdrawn_by", "withdrawal_reason"),
    )
    if project.status == BuyingProject.Status.AWARDED:
        _move_project(project, to=BuyingProject.Status.PREPARING, actor=actor, award=award)
    return award


def entry_problem(award: Award, *, on: date) -> str | None:
    """Why the award's contract cannot be entered into on `on`, or None: the award has not
    taken effect; under the Act its notice is not recorded or not yet published; or a
    voluntary standstill the notice states has not ended (entry is allowed the day after)."""
    if award.status != Award.Status.AWARDED:
        return _(
            "The award is %(status)s: a contract can be entered into only once it is awarded"
        ) % {"status": award.get_status_display().lower()}
    if award.rules_applied != RulesApplied.PROCUREMENT_ACT_2023:
        return None
    if not award.notice_identifier:
        return _(
            "Record the contract award notice first: under the Procurement Act 2023 it is "
            "published before the contract is entered into (s.50)"
        )
    if on < award.notice_published_on:
        return _(
            "The contract award notice is published on %(day)s: enter into the contract after it"
        ) % {"day": day_text(award.notice_published_on)}
    if award.standstill_stated and on <= award.standstill_ends_on:
        return _(
            "The voluntary standstill ends on %(end)s: the contract can be entered into from "
            "%(first)s"
        ) % {
            "end": day_text(award.standstill_ends_on),
            "first": day_text(award.standstill_ends_on + timedelta(days=1)),
        }
    return None
