"""Search documents follow the offerings, suppliers, appointments, lots and frameworks they are
built from.

A document exists for an offering that is live (status LIVE, published), on a lot that is not
closed, of a published framework that is not suspended, by a supplier holding an active
appointment on the lot whose listing window has not ended. What changes with the date alone
is carried by the window, so that queries filter by today and need no job on the day a date
passes: `listed_from` is the later of the framework's and the appointment's starts,
`listed_until` the earliest of their ends and the day before a mandatory debarment starts. A
mandatory debarment in force today moves `listed_from` to the day after it ends (no document
while it has no end).

Every function here recomputes the documents it is given in one transaction (creating,
updating and deleting rows) in a constant number of queries per batch, then asks the
configured backend to mirror them (`index_documents`; the database backend has nothing to do).
Services do not call these directly: they schedule `search.tasks` after their commit.

One lot document is kept for each lot of a published framework: its and its framework's
titles and descriptions, and its CPV codes and every code beneath them, with their labels.
"""

import json
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice

from django.db import connection, transaction
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
from suppliers.models import Offering

from . import types
from .analysis import analyse
from .backends import get_backend
from .models import LotSearchDocument, SearchDocument, SearchFacet

# Offerings built and written at a time: each batch costs the same few queries.
BATCH_SIZE = 2_000
YES, NO = "yes", "no"
FACET_VALUE_LENGTH = SearchFacet._meta.get_field("value").max_length

Progress = Callable[[int, int], None]
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


# --- Writing -----------------------------------------------------------------------------------


def _document(values: tuple) -> SearchDocument:
    return SearchDocument(
        offering_id=values[0],
        **{
            f"{name}_id" if name in ("framework", "lot", "supplier") else name: value
            for name, value in zip(_DOCUMENT_FIELDS, values[1:], strict=True)
        },
    )


def _write(documents: list[tuple], facets: list[tuple], ids: list[int]) -> None:
    """Replace the documents `ids` by `documents`: upserted, the rest deleted, and all their
    facets rewritten."""
    built = {values[0] for values in documents}
    SearchFacet.objects.filter(document_id__in=ids).delete()
    gone = [pk for pk in ids if pk not in built]
    if gone:
        SearchDocument.objects.filter(pk__in=gone).delete()
    if documents:
        SearchDocument.objects.bulk_create(
            [_document(values) for values in documents],
            update_conflicts=True,
            unique_fields=["offering"],
            update_fields=list(_DOCUMENT_FIELDS),
        )
    if facets:
        SearchFacet.objects.bulk_create(
            [SearchFacet(document_id=pk, name=name, value=value) for pk, name, value in facets],
            ignore_conflicts=True,
        )


def _mirror(ids: list[int]) -> None:
    if ids:
        get_backend().index_documents(ids)


@dataclass
class IndexResult:
    """What one indexing run did: offerings looked at, documents now present among them."""

    offerings: int = 0
    documents: int = 0

    def __iadd__(self, other: "IndexResult") -> "IndexResult":
        self.offerings += other.offerings
        self.documents += other.documents
        return self


def _index_batch(ids: list[int], *, today: date) -> IndexResult:
    # The offerings are locked: a second run for the same offerings waits for this one to
    # commit, then reads what it wrote, so an older state never overwrites a newer one.
    rows = list(
        Offering.objects.select_for_update()
        .filter(pk__in=ids, status=Offering.Status.LIVE, live=True)
        .order_by("pk")
        .values_list(*_OFFERING_COLUMNS)
    )
    context = _context(
        lot_ids=sorted({row[2] for row in rows}), supplier_ids=sorted({row[1] for row in rows})
    )
    documents, facets = _build_batch(rows, context, today)
    _write(documents, facets, ids)
    return IndexResult(offerings=len(ids), documents=len(documents))


def _reindex(
    offering_ids: Iterable[int], *, today: date | None, lot_ids: Iterable[int] = ()
) -> IndexResult:
    """Recompute the offerings' (and lots') documents in one transaction, then mirror the
    offerings' to the backend once it is done."""
    today = today or timezone.localdate()
    ids = sorted({int(pk) for pk in offering_ids})
    result = IndexResult()
    with transaction.atomic():
        for start in range(0, len(ids), BATCH_SIZE):
            result += _index_batch(ids[start : start + BATCH_SIZE], today=today)
        index_lots(lot_ids)
    _mirror(ids)
    return result


def index_offerings(offering_ids: Iterable[int], *, today: date | None = None) -> IndexResult:
    """Bring these offerings' documents up to date: created, updated or deleted."""
    return _reindex(offering_ids, today=today)


def _candidates(offerings, documents) -> list[int]:
    """Offerings that may have a document, and those that have one."""
    live = offerings.filter(status=Offering.Status.LIVE, live=True).values_list("pk", flat=True)
    return sorted({*live, *documents.values_list("pk", flat=True)})


def index_supplier(supplier_id: int, *, today: date | None = None) -> IndexResult:
    """Every document of a supplier: after its name, SME or VCSE status, accreditations,
    appointments or debarments change."""
    return index_offerings(
        _candidates(
            Offering.objects.filter(supplier_id=supplier_id),
            SearchDocument.objects.filter(supplier_id=supplier_id),
        ),
        today=today,
    )


def index_appointment(appointment_id: int, *, today: date | None = None) -> IndexResult:
    """The documents of the appointed supplier's offerings on the appointment's lot."""
    appointment = Appointment.objects.filter(pk=appointment_id).values("lot_id", "supplier_id")
    found = appointment.first()
    if found is None:
        return IndexResult()
    return index_offerings(
        _candidates(Offering.objects.filter(**found), SearchDocument.objects.filter(**found)),
        today=today,
    )


def index_lot(lot_id: int, *, today: date | None = None) -> IndexResult:
    """Every document on a lot, and the lot's own document."""
    return _reindex(
        _candidates(
            Offering.objects.filter(lot_id=lot_id), SearchDocument.objects.filter(lot_id=lot_id)
        ),
        today=today,
        lot_ids=[lot_id],
    )


def index_framework(framework_id: int, *, today: date | None = None) -> IndexResult:
    """Every document on a framework, and its lots' documents: after it is published,
    unpublished, suspended, reinstated or varied."""
    lots = Lot.objects.filter(framework_id=framework_id).values_list("pk", flat=True)
    lot_documents = LotSearchDocument.objects.filter(framework_id=framework_id)
    return _reindex(
        _candidates(
            Offering.objects.filter(lot__framework_id=framework_id),
            SearchDocument.objects.filter(framework_id=framework_id),
        ),
        today=today,
        lot_ids=[*lots, *lot_documents.values_list("pk", flat=True)],
    )


# --- Lot documents -------------------------------------------------------------------------------


def _lot_documents(lot_ids: list[int] | None) -> list[LotSearchDocument]:
    """Documents for the lots (all when None) of published frameworks, in four queries."""
    frameworks = FrameworkPage.objects.live().public()
    lots = Lot.objects.filter(framework__in=frameworks.values("pk"))
    if lot_ids is not None:
        lots = lots.filter(pk__in=lot_ids)
    lots = list(
        lots.values_list(
            "pk", "framework_id", "title", "description", "framework__title", "framework__summary"
        ).order_by("pk")
    )
    lot_codes = _cpv_through(Lot, "lot", [row[0] for row in lots])
    framework_codes = _cpv_through(FrameworkPage, "frameworkpage", sorted({row[1] for row in lots}))
    codes_of = {
        pk: lot_codes.get(pk) or framework_codes.get(framework_id, [])
        for pk, framework_id, *_rest in lots
    }
    tree = _codes_beneath(code for codes in codes_of.values() for code in codes)
    now = timezone.now()
    documents = []
    for pk, framework_id, title, description, framework_title, framework_summary in lots:
        beneath = _beneath({_significant(code[:8]) for code in codes_of[pk]}, tree)
        documents.append(
            LotSearchDocument(
                lot_id=pk,
                framework_id=framework_id,
                title_terms=analyse(f"{title} {framework_title}"),
                description_terms=analyse(f"{description} {framework_summary}"),
                cpv_terms=" ".join(analyse(f"{code} {label}") for code, label in beneath),
                indexed_at=now,
            )
        )
    return documents


def index_lots(lot_ids: Iterable[int]) -> int:
    """Bring these lots' documents up to date; returns how many exist among them."""
    ids = sorted(set(lot_ids))
    if not ids:
        return 0
    with transaction.atomic():
        documents = _lot_documents(ids)
        built = {document.lot_id for document in documents}
        LotSearchDocument.objects.filter(pk__in=[pk for pk in ids if pk not in built]).delete()
        LotSearchDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["lot"],
            update_fields=[
                "framework",
                "title_terms",
                "description_terms",
                "cpv_terms",
                "indexed_at",
            ],
        )
    return len(documents)


# --- Rebuilding everything -----------------------------------------------------------------------


@dataclass
class RebuildResult:
    offerings: int = 0
    documents: int = 0
    facets: int = 0
    lots: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.offerings / self.seconds if self.seconds else 0.0


def _delete_all(model) -> None:
    """Every row of a search table, without loading them (readers see the old rows until the
    rebuild commits: no TRUNCATE, which would lock them out meanwhile)."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)


def _columns(model, names) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def _copy(model, names, rows) -> None:
    """PostgreSQL COPY FROM STDIN: several times faster than INSERT for a million rows."""
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(column) for column in _columns(model, names))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _insert_all(documents: list[tuple], facets: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        _copy(
            SearchDocument,
            ("offering", *_DOCUMENT_FIELDS),
            ((*values[:10], json.dumps(values[10]), *values[11:]) for values in documents),
        )
        _copy(SearchFacet, ("document", "name", "value"), facets)
        return
    SearchDocument.objects.bulk_create([_document(values) for values in documents])
    SearchFacet.objects.bulk_create(
        [SearchFacet(document_id=pk, name=name, value=value) for pk, name, value in facets],
        batch_size=BATCH_SIZE,
    )


def _batches(offerings, batch_size: int):
    """The offerings' rows, `batch_size` at a time in id order, from one query (a server-side
    cursor on PostgreSQL): pages of `id > last` made the planner sort every match each time."""
    rows = offerings.values_list(*_OFFERING_COLUMNS).iterator(chunk_size=batch_size)
    while batch := list(islice(rows, batch_size)):
        yield batch


def rebuild_documents(
    *, today: date | None = None, progress: Progress | None = None, batch_size: int = BATCH_SIZE
) -> RebuildResult:
    """Rebuild every offering and lot document in one transaction, a batch of offerings at a
    time (a few queries each). Does not touch the backend's own index: see rebuild()."""
    today = today or timezone.localdate()
    started = time.perf_counter()
    result = RebuildResult()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Nothing is lost if the machine stops before the commit reaches the disk.
                cursor.execute("SET LOCAL synchronous_commit = off")
        context = _context()
        offerings = Offering.objects.filter(
            status=Offering.Status.LIVE, live=True, lot_id__in=list(context.lots)
        ).order_by("pk")
        total = offerings.count()
        _delete_all(SearchFacet)
        _delete_all(SearchDocument)
        _delete_all(LotSearchDocument)
        if progress:
            progress(0, total)
        for rows in _batches(offerings, batch_size):
            documents, facets = _build_batch(rows, context, today)
            _insert_all(documents, facets)
            result.offerings += len(rows)
            result.documents += len(documents)
            result.facets += len(facets)
            if progress:
                progress(min(result.offerings, total), total)
        lots = _lot_documents(None)
        LotSearchDocument.objects.bulk_create(lots, batch_size=BATCH_SIZE)
        result.lots = len(lots)
    result.seconds = time.perf_counter() - started
    return result


def rebuild(*, today: date | None = None, progress: Progress | None = None) -> RebuildResult:
    """Rebuild every document, then the backend's own index (Elasticsearch's: a new index
    swapped in under its alias; the database backend's is the rows)."""
    result = rebuild_documents(today=today, progress=progress)
    get_backend().rebuild(progress=progress)
    return result
