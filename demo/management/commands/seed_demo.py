"""Load the demo region: authorities, councils, suppliers, staff for every role, guidance,
frameworks with lots and appointments, suppliers' offerings, and a council's buying projects,
further competitions and contracts in each state, through the services (bulk offerings through
the import path), so the audit log records how each came to be."""

import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from demo import organisations as demo
from demo.calloffs import build_calloffs
from demo.competitions import build_competitions
from demo.offerings import DEFAULT_OFFERINGS
from search import indexing
from search import tasks as search_tasks
from search.models import SearchDocument


@contextmanager
def quiet_loggers(*names: str):
    """Hide the INFO line per task and page publish: the command prints its own progress."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class ProgressBar:
    """``[#####.....]  50%  1,000/2,000`` redrawn in place on a terminal; on anything else
    (a log, a test) one line each tenth of the way."""

    WIDTH = 30

    def __init__(self, stdout, label: str):
        self.stdout = stdout
        self.label = label
        self.tty = stdout.isatty()
        self.shown_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1
        filled = round(share * self.WIDTH)
        line = (
            f"  {self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
            f"{share:4.0%}  {done:,}/{total:,}"
        )
        if self.tty:
            self.stdout.write(f"\r{line}", ending="\n" if done >= total else "")
            self.stdout.flush()
        elif int(share * 10) > self.shown_tenth:
            self.shown_tenth = int(share * 10)
            self.stdout.write(line)


class Command(BaseCommand):
    help = (
        "Create deterministic demo data (authorities, councils, suppliers, users for every role, "
        "guidance pages, frameworks, lots, appointments, offerings, buying projects, "
        "further competitions and contracts) and print the demo "
        "sign-ins. Safe to run again: it only adds what is missing. For local demonstrations "
        "only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"Seed for names and numbers (default {demo.DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the sign-ins) if any authority already exists.",
        )
        parser.add_argument(
            "--buyers",
            type=int,
            default=demo.DEFAULT_BUYERS,
            help=f"How many councils (default {demo.DEFAULT_BUYERS}).",
        )
        parser.add_argument(
            "--suppliers",
            type=int,
            default=demo.DEFAULT_SUPPLIERS,
            help=f"How many suppliers (default {demo.DEFAULT_SUPPLIERS}).",
        )

        parser.add_argument(
            "--offerings",
            type=int,
            default=DEFAULT_OFFERINGS,
            help=(
                f"How many offerings over the lots' appointments (default {DEFAULT_OFFERINGS:,}; "
                "100,000 take a few minutes)."
            ),
        )

    def handle(
        self,
        *args,
        seed: int,
        if_empty: bool,
        buyers: int,
        suppliers: int,
        offerings: int,
        **options,
    ):
        if offerings < 0:
            raise CommandError("--offerings must be 0 or more")
        if if_empty and demo.demo_data_exists():
            self.stdout.write("Demo data already present: nothing to do.")
            if not SearchDocument.objects.exists():
                self.build_search_index()
        else:
            with search_tasks.held_for_rebuild():
                frameworks = self.build(
                    seed=seed, buyers=buyers, suppliers=suppliers, offerings=offerings
                )
            self.build_search_index()
            if frameworks:
                # After the index: a shortlist is frozen from a saved search.
                calloffs = build_calloffs()
                self.stdout.write(
                    calloffs.summary()
                    if calloffs
                    else "Buying projects: skipped (no council staff)"
                )
                competitions = build_competitions()
                self.stdout.write(
                    competitions.summary()
                    if competitions
                    else "Further competitions: skipped (no council staff)"
                )
        self.print_sign_ins()

    def build_search_index(self) -> None:
        """Every search document, so that search finds the demo offerings straight away."""
        result = indexing.rebuild(
            today=timezone.localdate(), progress=ProgressBar(self.stdout, "Search index")
        )
        self.stdout.write(
            f"Search index: {result.documents:,} offering documents and {result.lots:,} lot "
            f"documents in {result.seconds:.1f} s"
        )

    def build(self, *, seed: int, buyers: int, suppliers: int, offerings: int) -> list:
        """Everything but the search index and the call-offs; answers the frameworks built."""
        self.stdout.write(f"Building demo data with seed {seed}")
        frameworks = []
        region = demo.build_region(
            seed=seed, buyers=buyers, suppliers=suppliers, say=self.stdout.write
        )
        with quiet_loggers("django_tasks", "wagtail"):
            guidance = demo.build_guidance(stdout=self.stdout)
            self.stdout.write(
                guidance.summary() if guidance else "Guidance pages: skipped (no cms demo yet)"
            )
            sections = demo.build_authority_sections(region.authorities)
            self.stdout.write(
                sections.summary() if sections else "Authority sections: skipped (not available)"
            )
            if sections:
                frameworks = demo.build_frameworks(
                    seed=seed,
                    authorities=region.authorities,
                    suppliers=region.suppliers,
                    buyers=region.buyers,
                    stdout=self.stdout,
                )
            else:
                self.stdout.write("Frameworks: skipped (no authority sections)")
        result = demo.build_offerings(
            seed=seed, count=offerings, progress=ProgressBar(self.stdout, "Offerings")
        )
        self.stdout.write(result.summary())
        return frameworks

    def print_sign_ins(self) -> None:
        rows = demo.sign_ins()
        if not rows:
            self.stdout.write("No demo sign-ins found.")
            return
        table = [("Role", "Organisation", "E-mail", "Password", "Code needed")] + [
            (row.role, row.organisation, row.email, row.password, "yes" if row.needs_totp else "no")
            for row in rows
        ]
        widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo sign-ins"))
        for index, line in enumerate(table):
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write("")
        self.stdout.write(
            "Authority staff and admin need a code: run `make totp EMAIL=<email>` "
            "(or add this key to an authenticator app):"
        )
        for row in rows:
            if row.totp_key:
                self.stdout.write(f"  {row.email}: {row.totp_key}")
        self.stdout.write("")
        self.stdout.write(f"Wagtail admin: {demo.admin_url()}")
        self.stdout.write(
            self.style.WARNING(
                "The demo password and TOTP keys are public: use them for local demos only, "
                "never on a shared or production server."
            )
        )
