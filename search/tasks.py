"""Search documents are brought up to date by tasks (django-tasks), queued after the commit of
the change that needs them.

Services call a `schedule_…` helper inside their transaction: it queues the task only once the
transaction commits, so a rolled-back change queues nothing, and the task reads what was
committed. With the immediate backend (development, tests) the task runs at the commit; with
the database backend a worker runs it (`manage.py db_worker`).

The tasks read the date when they run (London time), never when they were queued. This module
imports nothing from the apps at load time, so any service may import it.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from django_tasks import task


def _indexing():
    from . import indexing

    return indexing


# Set while a bulk load (seed_demo) that rebuilds the whole index afterwards runs: queuing a
# task for each of its changes would only redo part of that rebuild, one change at a time.
_held_for_rebuild: ContextVar[bool] = ContextVar("search_tasks_held_for_rebuild", default=False)


@contextmanager
def held_for_rebuild():
    """Queue no indexing inside the block. The caller rebuilds the index after it."""
    token = _held_for_rebuild.set(True)
    try:
        yield
    finally:
        _held_for_rebuild.reset(token)


def _after_commit(queue_task, argument) -> None:
    if not _held_for_rebuild.get():
        transaction.on_commit(lambda: queue_task.enqueue(argument))


@task()
def index_offerings(offering_ids: list[int]) -> int:
    """Returns how many of the offerings have a document now."""
    return _indexing().index_offerings(offering_ids).documents


@task()
def index_supplier(supplier_id: int) -> int:
    return _indexing().index_supplier(supplier_id).documents


@task()
def index_appointment(appointment_id: int) -> int:
    return _indexing().index_appointment(appointment_id).documents


@task()
def index_lot(lot_id: int) -> int:
    return _indexing().index_lot(lot_id).documents


@task()
def index_framework(framework_id: int) -> int:
    return _indexing().index_framework(framework_id).documents


def schedule_offerings(offering_ids: Iterable[int]) -> None:
    """After the commit: reindex these offerings (approved, withdrawn, revised)."""
    ids = sorted({int(pk) for pk in offering_ids})
    if ids:
        _after_commit(index_offerings, ids)


def schedule_supplier(supplier_id: int) -> None:
    """After the commit: reindex everything of a supplier (its name, SME or VCSE status,
    accreditations, a debarment)."""
    _after_commit(index_supplier, int(supplier_id))


def schedule_appointment(appointment_id: int) -> None:
    """After the commit: reindex the appointed supplier's offerings on the lot (an appointment
    made, suspended, reinstated, excluded or replaced)."""
    _after_commit(index_appointment, int(appointment_id))


def schedule_lot(lot_id: int) -> None:
    """After the commit: reindex every offering on a lot, and the lot (closed, appointments
    imported)."""
    _after_commit(index_lot, int(lot_id))


def schedule_framework(framework_id: int) -> None:
    """After the commit: reindex every offering and lot of a framework (published,
    unpublished, suspended, reinstated, varied)."""
    _after_commit(index_framework, int(framework_id))
