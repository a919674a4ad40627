"""Rebuild every search document, then the search backend's own index."""

import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from search import indexing
from search.backends import get_backend


class Progress:
    """One plain line on stderr each time another `step` per cent is done: "Documents  40%
    40,000/100,000". Plain lines suit a terminal, a log and a test alike."""

    def __init__(self, stderr, label: str, step: int = 10):
        self.stderr = stderr
        self.label = label
        self.step = step
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent // self.step > self.shown:
            self.shown = percent // self.step
            self.stderr.write(f"{self.label} {percent:3d}%  {done:,}/{total:,}")


class Command(BaseCommand):
    help = (
        "Rebuild every search document (offerings and lots) from the database, then the search "
        "backend's index. Searches keep answering from the old documents until it commits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=indexing.BATCH_SIZE,
            help=f"Offerings built and written at a time (default {indexing.BATCH_SIZE:,}).",
        )

    def handle(self, *args, batch_size: int, **options):
        started = time.perf_counter()
        result = indexing.rebuild_documents(
            today=timezone.localdate(),
            progress=Progress(self.stderr, "Documents"),
            batch_size=max(batch_size, 1),
        )
        self.stdout.write(
            f"Built {result.documents:,} offering documents from {result.offerings:,} live "
            f"offerings ({result.facets:,} facet values) and {result.lots:,} lot documents in "
            f"{result.seconds:.1f} s: {result.rate:,.0f} offerings a second."
        )
        backend_started = time.perf_counter()
        get_backend().rebuild(progress=Progress(self.stderr, "Backend index"))
        self.stdout.write(
            f"Rebuilt the backend's index in {time.perf_counter() - backend_started:.1f} s."
        )
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")
