import itertools
import multiprocessing
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction

from marketplace.audit.chain import check_chain
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record, seal_chain


def _quota(number: int, writers: int, events: int | None) -> int | None:
    return None if events is None else events // writers + (number < events % writers)


# --plain: the same writers insert into this ordinary table instead, with no audit code at all.
PLAIN_TABLE = "audit_benchmark_plain"


def _append(number: int, n: int) -> None:
    record(
        actor=None,
        organisation=None,
        kind=AuditKind.AUDIT_BENCHMARK,
        data={"writer": number, "n": n},
    )


def _plain_insert(number: int, n: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PLAIN_TABLE} (data, created_at) VALUES (%s, now())",  # noqa: S608
            [f'{{"writer": {number}, "n": {n}}}'],
        )


def _write(number, quota, seconds, start, results, plain=False) -> None:
    """One writer (a child process): append events until its quota or the time is up, then
    send back each write's latency in seconds, or the error that stopped it."""
    latencies = []
    write = _plain_insert if plain else _append
    try:
        start.wait()
        deadline = time.perf_counter() + seconds
        while len(latencies) < quota if quota is not None else time.perf_counter() < deadline:
            began = time.perf_counter()
            with transaction.atomic():
                write(number, len(latencies))
            latencies.append(time.perf_counter() - began)
        results.put(latencies)
    except Exception as error:  # the parent reports it
        results.put(repr(error))
    finally:
        connection.close()


class Command(BaseCommand):
    help = (
        "Measure audit writes per second: concurrent writers, each a process with its own "
        "database connection, each calling record() in its own transaction. PostgreSQL only. "
        "The events it writes can never be removed: run it on an empty, disposable database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--writers", type=int, default=8, help="Concurrent writers.")
        parser.add_argument(
            "--seconds", type=float, default=10.0, help="How long to write for (default 10)."
        )
        parser.add_argument(
            "--events",
            type=int,
            help="Write this many events in all (shared between the writers) instead of timing.",
        )
        parser.add_argument(
            "--plain",
            action="store_true",
            help=(
                "For comparison: each write is one INSERT into a scratch table of its own and "
                "a COMMIT, with no audit code. The table is dropped afterwards."
            ),
        )

    def handle(
        self, *args, writers: int, seconds: float, events: int | None, plain: bool, **options
    ):
        if connection.vendor != "postgresql":
            raise CommandError(
                "benchmark_audit_writes runs on PostgreSQL only: this database is "
                f"{connection.vendor}, which lets one connection write at a time, so concurrent "
                "writers cannot be measured. Set DATABASE_URL to a disposable PostgreSQL database."
            )
        if writers < 1 or (events is not None and events < writers):
            raise CommandError("Give at least one writer, and at least one event per writer.")
        real = AuditEvent.objects.exclude(kind=AuditKind.AUDIT_BENCHMARK).count()
        if real:
            raise CommandError(
                f"This database holds a real audit log ({real} events). Benchmark events can "
                "never be deleted: run this on an empty, disposable database (docs/audit.md)."
            )

        if plain:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TABLE {PLAIN_TABLE} (id bigserial PRIMARY KEY, data jsonb NOT NULL, "
                    "created_at timestamptz NOT NULL)"
                )
        try:
            outcomes, elapsed = self._run(writers, seconds, events, plain)
        finally:
            if plain:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE {PLAIN_TABLE}")
        errors = [outcome for outcome in outcomes if isinstance(outcome, str)]
        if errors:
            raise CommandError(f"A writer failed: {errors[0]}")
        self._report(
            sorted(itertools.chain.from_iterable(outcomes)),
            writers=writers,
            elapsed=elapsed,
            plain=plain,
        )

    def _run(self, writers, seconds, events, plain):
        # Processes, as web workers are: threads would queue on Python's GIL. Each child
        # (forked) opens its own database connection.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        start = context.Barrier(writers + 1)
        results = context.Queue()
        children = [
            context.Process(
                target=_write,
                args=(number, _quota(number, writers, events), seconds, start, results, plain),
            )
            for number in range(writers)
        ]
        for child in children:
            child.start()
        start.wait()
        began = time.perf_counter()
        outcomes = [results.get() for _ in children]
        elapsed = time.perf_counter() - began
        for child in children:
            child.join()
        return outcomes, elapsed

    def _report(self, latencies: list[float], *, writers: int, elapsed: float, plain: bool):
        total = len(latencies)
        what = "plain inserts (no audit code)" if plain else "events"
        self.stdout.write(
            f"{total} {what} from {writers} writers in {elapsed:.2f} s: "
            f"{total / elapsed:.0f} {'inserts' if plain else 'events'}/second"
        )
        if total >= 2:
            cuts = statistics.quantiles(latencies, n=100, method="inclusive")
            self.stdout.write(
                "Latency per write (ms): "
                f"p50 {cuts[49] * 1000:.1f}, p95 {cuts[94] * 1000:.1f}, "
                f"p99 {cuts[98] * 1000:.1f}, max {latencies[-1] * 1000:.1f}"
            )
        if plain:
            return
        # The writers sealed as they went (after each commit, at most once a second each);
        # seal what they left, as the seal_audit_chain command would.
        began = time.perf_counter()
        sealed = seal_chain()
        self.stdout.write(
            f"Sealed the last {sealed} events after the writers stopped, in "
            f"{time.perf_counter() - began:.2f} s"
        )
        report = check_chain()
        state = "intact" if report.problem is None else f"broken: {report.problem}"
        self.stdout.write(f"Audit chain {state}: {report.count} events")
