"""Measure search: `python manage.py bench_search --offerings 100000 [--json PATH]`.

Prints p50, p95 and p99 and SQL queries per search page for each engine, query class and with
or without filters, then the ratios between this service and the other engines. These are
benchmark figures for docs/search.md, never timed tests.
"""

import json
import platform
import resource
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from search import benchmark
from search.backends import get_backend


class Command(BaseCommand):
    help = "Benchmark a full search page on N offerings across four engines."

    def add_arguments(self, parser):
        parser.add_argument("--offerings", type=int, default=10_000, help="Data set size.")
        parser.add_argument(
            "--engines",
            default=",".join(benchmark.ENGINES),
            help=f"Comma-separated, from {', '.join(benchmark.ENGINES)}.",
        )
        parser.add_argument(
            "--repetitions", type=int, default=30, help="Runs per query (slow engines run 5)."
        )
        parser.add_argument(
            "--json", dest="json_path", type=Path, help="Also write the figures here as JSON."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed for generated text.")
        parser.add_argument(
            "--time-limit",
            type=float,
            help=(
                "Seconds: on PostgreSQL, stop an engine whose statement runs longer, and report "
                "that page as taking at least this long (for engines that take minutes)."
            ),
        )

    def handle(
        self, *args, offerings, engines, repetitions, json_path, seed, time_limit, **options
    ):
        chosen = [name.strip() for name in engines.split(",") if name.strip()]
        unknown = sorted(set(chosen) - set(benchmark.ENGINES))
        if unknown:
            raise CommandError(f"Unknown engines: {', '.join(unknown)}")
        if repetitions < benchmark.MIN_REPETITIONS:
            raise CommandError(f"Run each query at least {benchmark.MIN_REPETITIONS} times.")
        if offerings < 1:
            raise CommandError("--offerings must be at least 1.")
        if time_limit is not None and time_limit <= 0:
            raise CommandError("--time-limit must be a number of seconds above 0.")

        def say(message: str) -> None:
            self.stderr.write(message)

        documents = benchmark.ensure_data_set(offerings, seed=seed, say=say)
        if "wagtail" in chosen:
            benchmark.ensure_wagtail_index(say=say)
        mix = benchmark.query_mix()
        # Measure the service as it answers once warm, not while its in-memory index builds.
        warm = getattr(get_backend(), "warm", None)
        if warm is not None:
            say("Warming the search backend.")
            started = time.perf_counter()
            warm()
            # Linux reports kilobytes. The peak includes any data set built in this process.
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            say(
                f"Warmed in {time.perf_counter() - started:.1f} s; this process's peak memory "
                f"so far is {peak_mb:,} MB."
            )
        filters = benchmark.bench_filters()
        database = f"{connection.vendor} {'.'.join(map(str, connection.get_database_version()))}"
        self.stdout.write(
            f"{documents:,} searchable offerings on {database}; "
            f"{platform.machine()}, {settings.SEARCH_BACKEND}"
        )
        for query in mix:
            self.stdout.write(f"  {query.query_class:<12} {query.text!r}  ({query.share:.2%})")

        results = []
        # The service keeps no result cache, so every run does the full work.
        for query in mix:
            for with_filters in (False, True):
                for engine in chosen:
                    measured = benchmark.measure(
                        engine,
                        query,
                        filters if with_filters else None,
                        repetitions=repetitions,
                        limit_seconds=time_limit,
                    )
                    results.append(measured)
                    self._print(measured)
        self._print_ratios(results, chosen)
        if json_path:
            json_path.write_text(
                json.dumps(
                    {
                        "database": database,
                        "offerings": documents,
                        "results": [measured.as_json() for measured in results],
                    },
                    indent=2,
                )
            )
            self.stdout.write(f"Wrote {json_path}")

    @staticmethod
    def _label(measured: benchmark.Measurement) -> str:
        return (
            f"{measured.query_class:<12} {'filters' if measured.filters else 'words':<8} "
            f"{measured.engine:<10}"
        )

    def _print(self, measured: benchmark.Measurement) -> None:
        if measured.stopped_after_ms is not None:
            self.stdout.write(
                f"{self._label(measured)} stopped: a statement ran past "
                f"{measured.stopped_after_ms / 1000:,.0f} s, so a page takes at least that long"
            )
            return
        self.stdout.write(
            f"{self._label(measured)} p50 {measured.p50_ms:9.1f} ms  p95 {measured.p95_ms:9.1f} ms"
            f"  p99 {measured.p99_ms:9.1f} ms  {measured.sql_queries:3d} queries"
            f"  ({measured.repetitions} runs)"
        )

    def _print_ratios(self, results: list[benchmark.Measurement], chosen: list[str]) -> None:
        if "service" not in chosen or len(chosen) < 2:
            return
        self.stdout.write("\np95 of each engine ÷ p95 of this service (higher: service faster)")
        service = {(m.query_class, m.filters): m.p95_ms for m in results if m.engine == "service"}
        for measured in results:
            if measured.engine == "service":
                continue
            ours = service[(measured.query_class, measured.filters)]
            theirs = measured.p95_ms
            at_least = ""
            if measured.stopped_after_ms is not None:
                theirs, at_least = measured.stopped_after_ms, "≥ "
            ratio = theirs / ours if ours else float("inf")
            self.stdout.write(f"{self._label(measured)} {at_least}{ratio:,.1f}×")
