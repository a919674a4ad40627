"""Reads of frameworks, lots and appointments, scoped to who is asking."""

import re
from collections.abc import Iterable
from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from marketplace.organisations.models import Organisation

from .eligibility import eligible_frameworks_filter
from .lifecycle import Lifecycle, status_expression
from .models import (
    Appointment,
    CpvCode,
    DebarmentDecision,
    DebarmentEntry,
    ExclusionType,
    FrameworkIndexPage,
    FrameworkPage,
    FrameworkReopening,
    Lot,
)
from .models.reference import CODE_PATTERN, significant_prefix


def with_status(queryset: QuerySet[FrameworkPage], *, today: date) -> QuerySet[FrameworkPage]:
    """Annotate `lifecycle` (the status on `today`) so listings can filter and count by it."""
    reopened_now = FrameworkReopening.objects.filter(
        framework=OuterRef("pk"), opens_on__lte=today, closes_on__gte=today
    )
    return queryset.annotate(reopened_now=Exists(reopened_now)).annotate(
        lifecycle=status_expression(today)
    )


def published_frameworks(*, today: date) -> QuerySet[FrameworkPage]:
    """Live frameworks as the public sees them: published pages only, never drafts."""
    return with_status(
        FrameworkPage.objects.live().public().select_related("authority"), today=today
    ).order_by("title")


def open_to(organisation: Organisation) -> Q:
    """The frameworks `organisation` may use, as a filter (eligibility.eligibility's rule):
    the frameworks list, its facet and the buyer home all ask this."""
    return eligible_frameworks_filter(organisation)


def with_eligibility(
    queryset: QuerySet[FrameworkPage], *, organisation: Organisation
) -> QuerySet[FrameworkPage]:
    """Annotate `is_open_to_organisation`: may `organisation` use each framework?"""
    return queryset.annotate(
        is_open_to_organisation=ExpressionWrapper(open_to(organisation), BooleanField())
    )


def usable_frameworks(*, organisation: Organisation, today: date) -> QuerySet[FrameworkPage]:
    """Live frameworks (call-offs can be made today) that `organisation` may use."""
    return published_frameworks(today=today).filter(open_to(organisation), lifecycle=Lifecycle.LIVE)


def divisions_of_frameworks(*, framework_ids: list[int]) -> list[tuple[int, str]]:
    """(framework id, CPV division) once for each of the frameworks' CPV codes."""
    through = FrameworkPage.cpv_codes.through
    return list(
        through.objects.filter(frameworkpage_id__in=framework_ids)
        .values_list("frameworkpage_id", "cpvcode__division")
        .order_by("frameworkpage_id", "cpvcode__division")
    )


def framework_index() -> FrameworkIndexPage | None:
    """The published list of every framework, if the site has one."""
    return FrameworkIndexPage.objects.live().public().first()


def get_published_framework(*, slug: str) -> FrameworkPage:
    return get_object_or_404(FrameworkPage.objects.live().public(), slug=slug)


def frameworks_for_authority(*, organisation: Organisation) -> QuerySet[FrameworkPage]:
    return FrameworkPage.objects.filter(authority=organisation).order_by("title")


def lots_for_authority(*, organisation: Organisation) -> QuerySet[Lot]:
    return (
        Lot.objects.filter(framework__authority=organisation)
        .select_related("framework")
        .order_by("framework__title", "number")
    )


def open_lots(*, framework: FrameworkPage) -> QuerySet[Lot]:
    """The framework's lots that are not closed, as saved (not as a draft revision has them)."""
    return Lot.objects.filter(framework=framework, closure__isnull=True).order_by("number")


def get_lot_for_authority(*, organisation: Organisation, pk: int) -> Lot:
    return get_object_or_404(lots_for_authority(organisation=organisation), pk=pk)


def appointments_for_authority(*, organisation: Organisation) -> QuerySet[Appointment]:
    return Appointment.objects.filter(lot__framework__authority=organisation).select_related(
        "lot__framework", "supplier"
    )


def get_appointment_for_authority(*, organisation: Organisation, pk: int) -> Appointment:
    return get_object_or_404(appointments_for_authority(organisation=organisation), pk=pk)


def with_replaced(queryset: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Annotate `is_replaced`: has another appointment taken this one's place?"""
    return queryset.annotate(
        is_replaced=Exists(Appointment.objects.filter(replaces=OuterRef("pk")))
    )


def replaceable_appointments(*, organisation: Organisation) -> QuerySet[Appointment]:
    """Excluded appointments not yet replaced, on frameworks whose terms allow a replacement."""
    return (
        appointments_for_authority(organisation=organisation)
        .filter(
            status=Appointment.Status.EXCLUDED,
            lot__framework__allows_supplier_replacement=True,
            replaced_by__isnull=True,
        )
        .order_by("lot__framework__title", "lot__number", "supplier__legal_name")
    )


def debarment_list() -> QuerySet[DebarmentEntry]:
    """The central debarment list: every entry, in force or not."""
    return DebarmentEntry.objects.select_related("supplier")


def discretionary_debarments(*, on: date) -> QuerySet[DebarmentEntry]:
    """Discretionary entries in force on `on`: the ones buyers and authorities decide on."""
    return (
        DebarmentEntry.objects.filter(
            DebarmentEntry.in_force_on(on), exclusion_type=ExclusionType.DISCRETIONARY
        )
        .select_related("supplier")
        .order_by("starts_on", "pk")
    )


def debarment_notices(
    *, supplier: Organisation, organisation: Organisation | None, on: date
) -> list[DebarmentEntry]:
    """The supplier's discretionary entries in force, each with `decision`: the organisation's
    recorded decision on it, or None."""
    entries = list(discretionary_debarments(on=on).filter(supplier=supplier))
    decisions = debarment_decisions(organisation=organisation, entries=entries)
    for entry in entries:
        entry.decision = decisions.get(entry.pk)
    return entries


def debarment_decisions(
    *, organisation: Organisation | None, entries: Iterable[DebarmentEntry]
) -> dict[int, DebarmentDecision]:
    """The organisation's decisions on these entries, by entry id."""
    if organisation is None:
        return {}
    return {
        decision.entry_id: decision
        for decision in DebarmentDecision.objects.filter(
            entry__in=[entry.pk for entry in entries], organisation=organisation
        )
    }


def debarment_problems(
    *, suppliers: Iterable[Organisation], organisation: Organisation, on: date
) -> dict[int, str]:
    """For each supplier the debarment list bars `organisation` from dealing with on `on`, why.

    A mandatory entry in force bars outright. A discretionary one bars until the organisation
    has recorded its decision, and for good if that decision is to exclude.
    """
    suppliers = {supplier.pk: supplier for supplier in suppliers}
    entries = DebarmentEntry.objects.filter(
        DebarmentEntry.in_force_on(on), supplier__in=suppliers
    ).order_by("exclusion_type", "pk")  # "discretionary" < "mandatory": mandatory wins below
    decisions = {
        entry_id: decision.decision
        for entry_id, decision in debarment_decisions(
            organisation=organisation, entries=entries
        ).items()
    }
    problems: dict[int, str] = {}
    for entry in entries:
        name = suppliers[entry.supplier_id]
        if entry.is_mandatory:
            problems[entry.supplier_id] = _(
                "%(name)s is on the debarment list on a mandatory exclusion ground"
            ) % {"name": name}
        elif decisions.get(entry.pk) is None:
            problems.setdefault(
                entry.supplier_id,
                _(
                    "%(name)s is on the debarment list on a discretionary exclusion ground: "
                    "record your organisation's decision first"
                )
                % {"name": name},
            )
        elif decisions[entry.pk] == DebarmentDecision.Decision.EXCLUDE:
            problems[entry.supplier_id] = _(
                "%(name)s is on the debarment list and your organisation decided to exclude it"
            ) % {"name": name}
    return problems


def debarment_problem(
    *, supplier: Organisation, organisation: Organisation, on: date
) -> str | None:
    """Why the debarment list bars `organisation` from this supplier on `on`, or None. Call it
    wherever a supplier is met for a binding act (an appointment, a call-off award)."""
    return debarment_problems(suppliers=[supplier], organisation=organisation, on=on).get(
        supplier.pk
    )


def lots_with_appointed_suppliers(*, framework: FrameworkPage, on: date) -> list[Lot]:
    """The framework's lots, each with `current_appointments` (active suppliers, by name) and
    `contract_count`: the contracts called off from it, all of them public in the register."""
    current = (
        Appointment.objects.filter(status=Appointment.Status.ACTIVE, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .select_related("supplier")
        .order_by("supplier__legal_name")
    )
    return list(
        framework.lots.order_by("number")
        .select_related("closure")
        .annotate(contract_count=Count("contracts"))
        .prefetch_related(
            "cpv_codes", Prefetch("appointments", queryset=current, to_attr="current_appointments")
        )
    )


def lots_for_open_data(*, framework: FrameworkPage, on: date) -> list[Lot]:
    """The framework's lots for OCDS, each with `listed_appointments`.

    Listed: active appointments that have not ended by `on`, including those starting later
    (a supplier appointed during standstill is on the award before the framework starts).
    """
    listed = (
        Appointment.objects.filter(status=Appointment.Status.ACTIVE)
        .exclude(ends_on__lt=on)
        .select_related("supplier")
        .order_by("supplier__legal_name", "pk")
    )
    return list(
        Lot.objects.filter(framework=framework)
        .order_by("number")
        .select_related("closure")
        .prefetch_related(
            "cpv_codes", Prefetch("appointments", queryset=listed, to_attr="listed_appointments")
        )
    )


def get_framework_for_editing(*, user, page_id: int) -> FrameworkPage:
    """A framework page `user` may open in Wagtail's page editor; 404 for any other, as for
    another authority's framework. A locked page is still found: like the editor, the screens
    show it locked and refuse to save (services.save_lot_questions)."""
    framework = get_object_or_404(FrameworkPage, pk=page_id)
    if not framework.permissions_for_user(user).can_edit():
        raise Http404("Not a framework this user may edit")
    return framework


def get_draft_lot(*, draft: FrameworkPage, number: int) -> Lot:
    """Lot `number` of `draft`, the framework as its latest revision has it (what the page
    editor shows: get_latest_revision_as_object); 404 for a number it does not have. A lot
    added in a revision has no id yet: its number is what names it."""
    for lot in draft.lots.all():
        if lot.number == number:
            return lot
    raise Http404("No lot with this number in the framework's latest revision")


# The public list of frameworks ----------------------------------------------------------------


def _in_division(division: str) -> Exists:
    through = FrameworkPage.cpv_codes.through
    return Exists(
        through.objects.filter(frameworkpage_id=OuterRef("pk"), cpvcode__division=division)
    )


def filtered_frameworks(
    queryset: QuerySet[FrameworkPage],
    filters: dict,
    *,
    organisation: Organisation | None,
    skip: str | None = None,
) -> QuerySet[FrameworkPage]:
    """Every filter but `skip`, so each facet can count with the others applied."""
    if filters["authority"] and skip != "authority":
        queryset = queryset.filter(authority__slug__in=filters["authority"])
    if filters["status"] and skip != "status":
        queryset = queryset.filter(lifecycle__in=filters["status"])
    if (
        skip != "status"  # so the status facet counts expired frameworks too
        and not filters["include_expired"]
        and Lifecycle.EXPIRED not in filters["status"]
    ):
        queryset = queryset.exclude(lifecycle=Lifecycle.EXPIRED)
    if filters["category"] and skip != "category":
        queryset = queryset.filter(_in_division(filters["category"]))
    if filters["eligible"] and organisation is not None and skip != "eligible":
        queryset = queryset.filter(open_to(organisation))
    return queryset


def framework_facet_counts(
    queryset: QuerySet[FrameworkPage], filters: dict, *, organisation: Organisation | None
) -> dict:
    """One aggregate query per facet, each counting with every filter but its own."""

    def others(name: str) -> QuerySet[FrameworkPage]:
        return filtered_frameworks(
            queryset, filters, organisation=organisation, skip=name
        ).order_by()

    through = FrameworkPage.cpv_codes.through
    counts = {
        "authority": dict(
            others("authority").values_list("authority__slug").annotate(n=Count("pk"))
        ),
        "status": dict(others("status").values_list("lifecycle").annotate(n=Count("pk"))),
        "category": dict(
            through.objects.filter(frameworkpage_id__in=others("category").values("pk"))
            .order_by()
            .values_list("cpvcode__division")
            .annotate(n=Count("frameworkpage_id", distinct=True))
        ),
        "eligible": 0,
    }
    if organisation is not None:
        counts["eligible"] = filtered_frameworks(
            others("eligible"), {**filters, "eligible": True}, organisation=organisation
        ).count()
    return counts


def with_lot_counts(queryset: QuerySet[FrameworkPage]) -> QuerySet[FrameworkPage]:
    lots = (
        Lot.objects.filter(framework=OuterRef("pk"))
        .order_by()
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        lot_count=Coalesce(Subquery(lots, output_field=IntegerField()), Value(0))
    )


def authorities_publishing(frameworks: QuerySet[FrameworkPage]) -> QuerySet[Organisation]:
    """The authorities that own `frameworks`, by name, for the list's authority filter."""
    return (
        Organisation.objects.filter(pk__in=frameworks.order_by().values("authority_id"))
        .order_by("legal_name")
        .only("legal_name", "trading_name", "slug")
    )


def cpv_divisions(*, divisions: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(division, title) of every CPV division, or of those named."""
    rows = CpvCode.objects.filter(level=CpvCode.Level.DIVISION)
    if divisions is not None:
        rows = rows.filter(division__in=divisions)
    return list(rows.values_list("division", "title"))


def open_lots_of_frameworks(*, framework_ids: list[int]) -> QuerySet[Lot]:
    """The lots of the frameworks that are not closed (a closed lot takes no call-offs), in
    framework then lot order."""
    return Lot.objects.filter(framework_id__in=framework_ids, closure__isnull=True).order_by(
        "framework_id", "number"
    )


def framework_documents(*, framework: FrameworkPage) -> list:
    return list(framework.documents.select_related("document"))


def live_ancestors(page) -> list:
    """The page's live ancestors below the root, for its breadcrumbs."""
    return list(page.get_ancestors().filter(depth__gt=1).live())


def _codes_beneath(prefix: str) -> Q:
    """Codes whose digits start with `prefix` (the code itself and every code beneath it), as
    a range of the unique `code` index: "9061" is 90610000 to 90619999-9."""
    return Q(code__gte=prefix.ljust(8, "0"), code__lte=prefix.ljust(8, "9") + "-9")


def _digits(code: "CpvCode | str") -> str:
    if isinstance(code, CpvCode):
        return code.digits
    match = CODE_PATTERN.match(code.strip())
    if match is None:
        raise ValueError(f"{code!r} is not a CPV code: eight digits, then an optional check digit")
    return match.group(1)


def cpv_descendants(codes: Iterable["CpvCode | str"]) -> QuerySet[CpvCode]:
    """The codes and every code beneath them, in code order, in one query: "72000000-5" gives
    the 252 codes of division 72. A code is a CpvCode or a string, with or without its check
    digit."""
    prefixes = sorted({significant_prefix(_digits(code)) for code in codes})
    # A prefix under another already taken adds nothing.
    kept = [p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)]
    if not kept:
        return CpvCode.objects.none()
    condition = Q()
    for prefix in kept:
        condition |= _codes_beneath(prefix)
    return CpvCode.objects.filter(condition).order_by("code")


_CODE_WITH_CHECK_DIGIT = re.compile(r"^\d{8}-\d$")
_DIGITS = re.compile(r"^\d{1,8}$")


def cpv_matching(text: str) -> QuerySet[CpvCode]:
    """The codes that match every term of `text`, in code order (every code for no text).

    A term is a code with its check digit ("72000000-5"), a code or the start of one without
    it ("72000000", "7221"), or a word found anywhere in the title, whatever its case. So
    "7221 software" is the codes under 7221 with "software" in their title."""
    condition = Q()
    for term in re.split(r"[\s,;]+", text.strip()):
        if _CODE_WITH_CHECK_DIGIT.match(term):
            condition &= Q(code=term)
        elif _DIGITS.match(term):
            condition &= _codes_beneath(term)
        else:
            for word in re.findall(r"\w+", term):
                condition &= Q(title__icontains=word)
    return CpvCode.objects.filter(condition).order_by("code")


def cpv_search(text: str, limit: int = 20) -> list[CpvCode]:
    """At most `limit` codes matching `text` (cpv_matching), for the chooser; none for no text."""
    if not text.strip():
        return []
    return list(cpv_matching(text)[:limit])
