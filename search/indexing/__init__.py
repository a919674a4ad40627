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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from frameworks.models import Appointment, Lot
from suppliers.models import Offering

from ..backends import get_backend
from ..models import LotSearchDocument, SearchDocument, SearchFacet
from .build import (
    _DOCUMENT_FIELDS,
    _OFFERING_COLUMNS,
    _build_batch,
    _context,
    cpv_facet_values,
    listable_frameworks,
    listing_window,
)
from .lots import _lot_documents, index_lots

__all__ = [
    "BATCH_SIZE",
    "IndexResult",
    "RebuildResult",
    "cpv_facet_values",
    "index_appointment",
    "index_framework",
    "index_lot",
    "index_lots",
    "index_offerings",
    "index_supplier",
    "listable_frameworks",
    "listing_window",
    "rebuild",
    "rebuild_documents",
]

# Offerings built and written at a time: each batch costs the same few queries.
BATCH_SIZE = 2_000

Progress = Callable[[int, int], None]
# PostgreSQL advisory lock key held by a rebuild ("search" in ASCII).
REBUILD_LOCK = 0x736561726368


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
                # One rebuild at a time: a second waits, then rebuilds from what it finds.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REBUILD_LOCK])
                # A crash just after the commit could lose the rebuild, never the old rows:
                # no need to wait for the disk.
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
