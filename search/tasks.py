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

from django.db import transaction

from django_tasks import task


def _indexing():
    from . import indexing

    return indexing


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
        transaction.on_commit(lambda: index_offerings.enqueue(ids))


def schedule_supplier(supplier_id: int) -> None:
    """After the commit: reindex everything of a supplier (its name, SME or VCSE status,
    accreditations, a debarment)."""
    transaction.on_commit(lambda: index_supplier.enqueue(int(supplier_id)))


def schedule_appointment(appointment_id: int) -> None:
    """After the commit: reindex the appointed supplier's offerings on the lot (an appointment
    made, suspended, reinstated, excluded or replaced)."""
    transaction.on_commit(lambda: index_appointment.enqueue(int(appointment_id)))


def schedule_lot(lot_id: int) -> None:
    """After the commit: reindex every offering on a lot, and the lot (closed, appointments
    imported)."""
    transaction.on_commit(lambda: index_lot.enqueue(int(lot_id)))


def schedule_framework(framework_id: int) -> None:
    """After the commit: reindex every offering and lot of a framework (published,
    unpublished, suspended, reinstated, varied)."""
    transaction.on_commit(lambda: index_framework.enqueue(int(framework_id)))
