"""What a search document is built from, and how: the facts of listable frameworks, open lots,
active appointments, mandatory debarments and suppliers, loaded a few queries at a time, and
the document's values and facets for each offering (contracts: search.types)."""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from frameworks.attributes import AttributeKind
from frameworks.models import (
    Appointment,
    DebarmentEntry,
    ExclusionType,
    FrameworkPage,
    Lot,
)
from frameworks.selectors import cpv_descendants
from marketplace.organisations.models import Organisation

from .. import types
from ..analysis import analyse
from ..models import SearchFacet

YES, NO = "yes", "no"
FACET_VALUE_LENGTH = SearchFacet._meta.get_field("value").max_length

# (first day, last day or None for open-ended)
Window = tuple[date, date | None]

_CHOICE_KINDS = frozenset({AttributeKind.YES_NO, AttributeKind.ONE_OF, AttributeKind.MANY_OF})
_DOCUMENT_FIELDS = (
    "framework",
    "lot",
    "supplier",
    "title_terms",
    "summary_terms",
    "description_terms",
    "supplier_terms",
    "comparable_unit",
    "comparable_price",
    "numbers",
    "listed_from",
    "listed_until",
    "first_published_at",
    "indexed_at",
)
# What a document is built from, read as plain values (no model instances) for speed.
_OFFERING_COLUMNS = (
    "pk",
    "supplier_id",
    "lot_id",
    "title",
    "summary",
    "description",
    "attributes",
    "comparable_unit",
    "comparable_price",
    "regions_served",
    "first_published_at",
)


# --- CPV codes ---------------------------------------------------------------------------------


def _significant(digits: str) -> str:
    """A code's digits without trailing zeros, never fewer than the division's two."""
    return digits[:2] + digits[2:8].rstrip("0")


def cpv_facet_values(code: str) -> list[str]:
    """The 8-digit code and each of its ancestors, by zeroing the last significant digit
    repeatedly: 90611000-3 → 90611000, 90610000, 90600000, 90000000."""
    significant = _significant(code[:8])
    values = [significant.ljust(8, "0")]
    while len(significant) > 2:
        significant = _significant(significant[:-1])
        values.append(significant.ljust(8, "0"))
    return values


def _codes_beneath(codes: Iterable[str]) -> list[tuple[str, str]]:
    """(code, title) of the codes and every code beneath them, in code order, in one query."""
    codes = sorted(set(codes))
    if not codes:
        return []
    return list(cpv_descendants(codes).values_list("code", "title").order_by("code"))


def _beneath(prefixes: Iterable[str], tree: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (code, title) rows of `tree` (sorted) at or beneath any of the prefixes."""
    keys = [code for code, _title in tree]
    found: dict[str, str] = {}
    for prefix in prefixes:
        low = bisect_left(keys, prefix.ljust(8, "0"))
        high = bisect_right(keys, prefix.ljust(8, "9") + "-9")
        found.update(tree[low:high])
    return sorted(found.items())


# --- What documents are built from --------------------------------------------------------------


@dataclass(frozen=True)
class _Framework:
    pk: int
    authority_id: int
    starts_on: date
    ends_on: date
    cpv_codes: tuple[str, ...]


@dataclass(frozen=True)
class _Lot:
    pk: int
    framework_id: int
    cpv_facets: frozenset[str]
    # (key, kind) of the lot's filterable choice and number questions.
    filterable: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Supplier:
    terms: str
    facets: frozenset[tuple[str, str]]


@dataclass
class _Context:
    """Listable frameworks and their open lots, active appointments, mandatory debarments and
    suppliers, each loaded in one query for the lots and suppliers of a batch (or for all)."""

    frameworks: dict[int, _Framework] = field(default_factory=dict)
    lots: dict[int, _Lot] = field(default_factory=dict)
    # (lot id, supplier id) → (starts_on, ends_on)
    appointments: dict[tuple[int, int], tuple[date, date | None]] = field(default_factory=dict)
    # supplier id → [(first day in force, last day in force or None)]
    debarments: dict[int, list[Window]] = field(default_factory=dict)
    suppliers: dict[int, _Supplier] = field(default_factory=dict)


def listable_frameworks():
    """Published, public frameworks that are not suspended: whose lots may have documents."""
    return FrameworkPage.objects.live().public().filter(is_suspended=False)


def _cpv_through(model, owner: str, owner_ids) -> dict[int, list[str]]:
    through = model.cpv_codes.through
    codes: dict[int, list[str]] = defaultdict(list)
    for owner_id, code in (
        through.objects.filter(**{f"{owner}_id__in": owner_ids})
        .values_list(f"{owner}_id", "cpvcode__code")
        .order_by(f"{owner}_id", "cpvcode__code")
    ):
        codes[owner_id].append(code)
    return codes


def _load_lots(context: _Context, lot_ids: list[int] | None) -> None:
    frameworks = listable_frameworks()
    lots = Lot.objects.filter(closure__isnull=True, framework__in=frameworks.values("pk"))
    if lot_ids is not None:
        lots = lots.filter(pk__in=lot_ids)
        frameworks = frameworks.filter(pk__in=lots.values("framework_id"))
    framework_rows = list(
        frameworks.values_list("pk", "authority_id", "starts_on", "ends_on").order_by()
    )
    lot_rows = list(lots.only("pk", "framework_id", "attribute_schema").order_by())
    framework_codes = _cpv_through(
        FrameworkPage, "frameworkpage", [row[0] for row in framework_rows]
    )
    lot_codes = _cpv_through(Lot, "lot", [lot.pk for lot in lot_rows])
    for pk, authority_id, starts_on, ends_on in framework_rows:
        context.frameworks[pk] = _Framework(
            pk, authority_id, starts_on, ends_on, tuple(framework_codes.get(pk, ()))
        )
    for lot in lot_rows:
        framework = context.frameworks.get(lot.framework_id)
        if framework is None:
            continue
        codes = lot_codes.get(lot.pk) or framework.cpv_codes
        context.lots[lot.pk] = _Lot(
            pk=lot.pk,
            framework_id=lot.framework_id,
            cpv_facets=frozenset(value for code in codes for value in cpv_facet_values(code)),
            filterable=tuple(
                (spec.key, spec.kind)
                for spec in lot.attributes()
                if spec.filterable
                and (spec.kind in _CHOICE_KINDS or spec.kind == AttributeKind.NUMBER)
            ),
        )


def _load_suppliers(context: _Context, supplier_ids: list[int] | None) -> None:
    organisations = Organisation.objects.all()
    debarments = DebarmentEntry.objects.filter(exclusion_type=ExclusionType.MANDATORY)
    appointments = Appointment.objects.filter(
        status=Appointment.Status.ACTIVE, lot_id__in=list(context.lots)
    )
    if supplier_ids is not None:
        organisations = organisations.filter(pk__in=supplier_ids)
        debarments = debarments.filter(supplier_id__in=supplier_ids)
        appointments = appointments.filter(supplier_id__in=supplier_ids)
    else:
        organisations = organisations.filter(pk__in=appointments.values("supplier_id"))
    for lot_id, supplier_id, starts_on, ends_on in appointments.values_list(
        "lot_id", "supplier_id", "starts_on", "ends_on"
    ).order_by():
        context.appointments[lot_id, supplier_id] = (starts_on, ends_on)
    for supplier_id, starts_on, expected_end_on, removed_on in debarments.values_list(
        "supplier_id", "starts_on", "expected_end_on", "removed_on"
    ).order_by():
        last = expected_end_on
        if removed_on is not None:
            last = min(last or removed_on, removed_on - timedelta(days=1))
        if last is None or last >= starts_on:
            context.debarments.setdefault(supplier_id, []).append((starts_on, last))
    for pk, legal_name, trading_name, is_sme, is_vcse, accreditations in organisations.values_list(
        "pk", "legal_name", "trading_name", "is_sme", "is_vcse", "supplier_profile__accreditations"
    ).order_by():
        facets = {(types.ACCREDITATION, str(code)) for code in accreditations or ()}
        if is_sme:
            facets.add((types.SME, YES))
        if is_vcse:
            facets.add((types.VCSE, YES))
        context.suppliers[pk] = _Supplier(
            terms=analyse(trading_name or legal_name), facets=frozenset(facets)
        )


def _context(*, lot_ids: list[int] | None = None, supplier_ids: list[int] | None = None):
    context = _Context()
    _load_lots(context, lot_ids)
    _load_suppliers(context, supplier_ids)
    return context


# --- Building a document ------------------------------------------------------------------------


def listing_window(
    *,
    framework: tuple[date, date],
    appointment: tuple[date, date | None],
    debarments: Iterable[Window] = (),
    today: date,
) -> Window | None:
    """The days the offering may be listed, from today on: the framework's and appointment's
    overlap less the days a mandatory debarment is in force. Of the stretches left, the one
    that holds today, or else the next; None when none is left."""
    start = max(framework[0], appointment[0])
    end = min(day for day in (framework[1], appointment[1]) if day is not None)
    stretches: list[Window] = []
    cursor: date | None = start
    for barred_from, barred_until in sorted(debarments):
        if barred_until is not None and barred_until < cursor:
            continue
        if barred_from > end:
            break
        if barred_from > cursor:
            stretches.append((cursor, barred_from - timedelta(days=1)))
        if barred_until is None:
            cursor = None
            break
        cursor = max(cursor, barred_until + timedelta(days=1))
    if cursor is not None and cursor <= end:
        stretches.append((cursor, end))
    return next((stretch for stretch in stretches if stretch[1] >= today), None)


def _attribute_facets(lot: _Lot, answers: dict) -> tuple[dict, list[tuple[str, str]]]:
    numbers: dict[str, int | float] = {}
    facets: list[tuple[str, str]] = []
    for key, kind in lot.filterable:
        value = answers.get(key)
        if value is None:
            continue
        name = f"{types.ATTRIBUTE_PREFIX}{key}"
        if kind == AttributeKind.NUMBER:
            if isinstance(value, int | float) and not isinstance(value, bool):
                numbers[key] = value
        elif kind == AttributeKind.YES_NO:
            if isinstance(value, bool):
                facets.append((name, YES if value else NO))
        elif kind == AttributeKind.ONE_OF:
            if isinstance(value, str) and value:
                facets.append((name, value[:FACET_VALUE_LENGTH]))
        elif isinstance(value, list):
            facets.extend((name, str(option)[:FACET_VALUE_LENGTH]) for option in value if option)
    return numbers, facets


def _build(row: tuple, context: _Context, today: date, now) -> tuple[tuple, set] | None:
    """The document's values (in _DOCUMENT_FIELDS order, the offering's id first) and its
    facets, or None when the offering is not listable from today on."""
    (
        pk,
        supplier_id,
        lot_id,
        title,
        summary,
        description,
        answers,
        unit,
        price,
        regions,
        first_published_at,
    ) = row
    lot = context.lots.get(lot_id)
    appointment = context.appointments.get((lot_id, supplier_id))
    supplier = context.suppliers.get(supplier_id)
    if lot is None or appointment is None or supplier is None:
        return None
    framework = context.frameworks[lot.framework_id]
    window = listing_window(
        framework=(framework.starts_on, framework.ends_on),
        appointment=appointment,
        debarments=context.debarments.get(supplier_id, ()),
        today=today,
    )
    if window is None:
        return None
    numbers, attribute_facets = _attribute_facets(lot, answers or {})
    facets = {
        (types.FRAMEWORK, str(framework.pk)),
        (types.LOT, str(lot_id)),
        (types.AUTHORITY, str(framework.authority_id)),
        (types.UNIT, unit),
        *((types.CPV, value) for value in lot.cpv_facets),
        *((types.REGION, str(code)) for code in regions or ()),
        *supplier.facets,
        *attribute_facets,
    }
    values = (
        pk,
        framework.pk,
        lot_id,
        supplier_id,
        analyse(title),
        analyse(summary),
        analyse(description),
        supplier.terms,
        unit,
        price,
        numbers,
        window[0],
        window[1],
        first_published_at,
        now,
    )
    return values, facets


def _build_batch(rows: Iterable[tuple], context: _Context, today: date):
    now = timezone.now()
    documents, facets = [], []
    for row in rows:
        built = _build(row, context, today, now)
        if built is not None:
            values, document_facets = built
            documents.append(values)
            facets.extend((values[0], name, value) for name, value in sorted(document_facets))
    return documents, facets
