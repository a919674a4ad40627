"""The terms a framework fixes at award (Procurement Act 2023, issue 9 point 6).

Once a framework is awarded its terms change only by a recorded variation (s.74 and
Schedule 8, frameworks.services.vary_framework); a page edit never changes them. Call-offs and
spend returns read the terms that applied on their date with terms_on().
"""

import json
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.eligibility import describe, framework_keys

# The framework's own term fields: the fee, and whether its terms allow a supplier to be
# replaced between awards.
FRAMEWORK_TERM_FIELDS = ("levy_rate", "allows_supplier_replacement")
# Who is entitled to use the framework, as its eligibility rule keys (frameworks.eligibility).
ELIGIBILITY = "eligibility"
CRITERIA = "award_criteria"
CRITERION_FIELDS = ("title", "description", "weighting", "social_value_theme")
LOT_TERM_FIELDS = (
    "allows_direct_award",
    "allows_further_competition",
    "allows_narrowed_invitations",
    "minimum_value",
    "maximum_value",
    "maximum_term_months",
    "direct_award_mechanism",
    "direct_award_method",
    "rotation_period_days",
    "offer_response_working_days",
    "shortlist_limit",
)
# A lot's ranking (ranked list with rotation): its suppliers' ids, first-ranked first. Held on
# the appointments, so set by set_lot_ranking, or by a variation once the framework is awarded.
LOT_RANKING = "ranking"
# A lot's closure is a term too, but it is made by close_lot, never by a page or a plain variation.
LOT_CLOSED = "closed"
FIXED_HINT = "Fixed at award: change it by a variation"


def is_awarded(framework, *, as_of: date | None = None) -> bool:
    as_of = as_of or timezone.localdate()
    return framework.award_on is not None and as_of >= framework.award_on


def _json(value):
    """The value as stored JSON gives it back: Decimals and dates become text."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def lot_ranking(lot) -> list[int]:
    """The supplier ids of the lot's ranked appointments, by rank."""
    from frameworks.models import Appointment

    if not lot.pk:
        return []
    return list(
        Appointment.objects.filter(lot_id=lot.pk, rank__isnull=False)
        .order_by("rank")
        .values_list("supplier_id", flat=True)
    )


def lot_terms(lot) -> dict:
    terms = {name: _json(getattr(lot, name)) for name in LOT_TERM_FIELDS}
    terms[LOT_CLOSED] = bool(lot.pk) and lot.is_closed
    terms[LOT_RANKING] = lot_ranking(lot)
    return terms


def terms_of(framework) -> dict:
    """Every term of the framework as it stands (or as an unsaved revision holds it), as JSON:
    lots keyed by their number as text."""
    terms = {name: _json(getattr(framework, name)) for name in FRAMEWORK_TERM_FIELDS}
    terms[ELIGIBILITY] = framework_keys(framework)
    terms[CRITERIA] = [
        {name: _json(getattr(criterion, name)) for name in CRITERION_FIELDS}
        for criterion in framework.award_criteria.all()
    ]
    terms["lots"] = {str(lot.number): lot_terms(lot) for lot in framework.lots.all()}
    return terms


def _overlay(terms: dict, values: dict) -> None:
    for name, value in values.items():
        if name == "lots":
            for number, lot_values in value.items():
                terms["lots"].setdefault(number, {}).update(lot_values)
        else:
            terms[name] = value


def terms_on(framework, day: date) -> dict:
    """The terms that applied on `day`: the current terms with every later variation undone."""
    from frameworks.models import FrameworkPage

    # The stored terms, not those of a copy loaded before a variation.
    terms = terms_of(FrameworkPage.objects.get(pk=framework.pk))
    for variation in framework.variations.filter(effective_on__gt=day).order_by(
        "-effective_on", "-made_at", "-pk"
    ):
        _overlay(terms, variation.old_values)
    return terms


def changed_terms(old: dict, new: dict) -> tuple[dict, dict]:
    """The terms that differ between two snapshots, as (old values, new values)."""
    before: dict = {}
    after: dict = {}
    for name in old.keys() | new.keys():
        if name == "lots":
            continue
        if old.get(name) != new.get(name):
            before[name], after[name] = old.get(name), new.get(name)
    for number in old.get("lots", {}).keys() | new.get("lots", {}).keys():
        old_lot, new_lot = old["lots"].get(number, {}), new["lots"].get(number, {})
        for name in old_lot.keys() | new_lot.keys():
            if old_lot.get(name) != new_lot.get(name):
                before.setdefault("lots", {}).setdefault(number, {})[name] = old_lot.get(name)
                after.setdefault("lots", {}).setdefault(number, {})[name] = new_lot.get(name)
    return before, after


def award_criteria_errors(weightings: Iterable[int]) -> list[str]:
    """Weightings, when any are given, add up to 100%."""
    weightings = list(weightings)
    if weightings and sum(weightings) != 100:
        return [
            _("The award criteria's weightings must add up to 100%%, not %(total)s%%")
            % {"total": sum(weightings)}
        ]
    return []


def keep_live_terms(*, live, page) -> None:
    """Copy the live terms of an awarded framework onto `page` (a revision being loaded), so
    neither the editor nor a publish starts from terms a variation has since changed. They are
    read from the database: `live` may be an edited copy (a draft saving its own revision)."""
    from frameworks.models import AwardCriterion, EligibilityRule, FrameworkPage, Lot

    stored = FrameworkPage.objects.filter(pk=live.pk).first() if live.pk else None
    if stored is None or not is_awarded(stored):
        return
    for name in FRAMEWORK_TERM_FIELDS:
        setattr(page, name, getattr(stored, name))
    page.eligibility_rules.set(list(EligibilityRule.objects.filter(framework_id=stored.pk)))
    page.award_criteria.set(list(AwardCriterion.objects.filter(framework_id=stored.pk)))
    live_lots = {lot.pk: lot for lot in Lot.objects.filter(framework_id=stored.pk)}
    for lot in page.lots.all():
        if lot.pk in live_lots:
            for name in LOT_TERM_FIELDS:
                setattr(lot, name, getattr(live_lots[lot.pk], name))


def publication_errors(framework, *, as_of: date) -> list[str]:
    """Why publishing this framework page would change its terms silently: after award, any
    term that differs from the live row (a lot added, removed or renumbered, say)."""
    from frameworks.models import FrameworkPage

    live = FrameworkPage.objects.filter(pk=framework.pk).first() if framework.pk else None
    if live is None or not is_awarded(live, as_of=as_of):
        return []
    errors = []
    if framework.award_on != live.award_on:
        errors.append(_("The award date cannot move once the framework is awarded"))
    live_terms, new_terms = terms_of(live), terms_of(framework)
    before, after = changed_terms(live_terms, new_terms)
    for number in sorted(before.pop("lots", {}).keys() | after.pop("lots", {}).keys(), key=int):
        if number not in live_terms["lots"]:
            errors.append(
                _("Lot %(number)s is new: after award a lot can be added only by a variation")
                % {"number": number}
            )
        elif number not in new_terms["lots"]:
            errors.append(
                _("Lot %(number)s is missing: after award a lot is closed, never removed")
                % {"number": number}
            )
        else:
            errors.append(
                _("Lot %(number)s's terms differ from the awarded terms: %(hint)s")
                % {"number": number, "hint": FIXED_HINT.lower()}
            )
    for name in sorted(before):
        errors.append(
            _("%(term)s differs from the awarded terms: %(hint)s")
            % {"term": term_label(name), "hint": FIXED_HINT.lower()}
        )
    return errors


def term_label(name: str) -> str:
    """A term's name as people read it, from the model's verbose names."""
    from frameworks.models import FrameworkPage, Lot

    if name == CRITERIA:
        return _("Award criteria")
    if name == ELIGIBILITY:
        return _("Who can use the framework")
    if name == LOT_CLOSED:
        return _("Closed")
    if name == LOT_RANKING:
        return _("Ranking of suppliers")
    for model in (FrameworkPage, Lot):
        try:
            return str(model._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:
            continue
    return name


def _shown(value) -> str:
    if value is None or value == "":
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(
            str(item.get("title", item)) if isinstance(item, dict) else str(item) for item in value
        ) or _("none")
    return str(value)


def _shown_term(name: str, value) -> str:
    if name == ELIGIBILITY:
        return "; ".join(describe(value or []))
    if name == LOT_RANKING:
        from marketplace.organisations.models import Organisation

        named = dict(
            Organisation.objects.filter(pk__in=value or []).values_list("pk", "legal_name")
        )
        return "; ".join(
            f"{rank}. {named.get(pk, pk)}" for rank, pk in enumerate(value or [], start=1)
        ) or _("none")
    return _shown(value)


def variation_changes(variation) -> list[tuple[str, str, str]]:
    """Each term a variation changed, for people to read: (term, old value, new value)."""
    changes = [
        (
            term_label(name),
            _shown_term(name, old),
            _shown_term(name, variation.new_values.get(name)),
        )
        for name, old in variation.old_values.items()
        if name != "lots"
    ]
    for number, old_lot in variation.old_values.get("lots", {}).items():
        new_lot = variation.new_values.get("lots", {}).get(number, {})
        changes += [
            (
                _("Lot %(number)s: %(term)s") % {"number": number, "term": term_label(name)},
                _shown_term(name, old),
                _shown_term(name, new_lot.get(name)),
            )
            for name, old in old_lot.items()
        ]
    return changes


def variation_rows(framework) -> list[dict]:
    """The framework's variations for people to read: when, who, the ground, and each changed
    term's old and new value."""
    return [
        {
            "effective_on": variation.effective_on,
            "made_by": variation.made_by.get_full_name() or variation.made_by.get_username(),
            "ground": variation.get_ground_display(),
            "explanation": variation.explanation,
            "changes": variation_changes(variation),
        }
        for variation in framework.variations.select_related("made_by").order_by(
            "effective_on", "pk"
        )
    ]
