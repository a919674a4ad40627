"""Import a supplier's offerings on a lot from a CSV or Excel file, as the portal does."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from frameworks.models import Lot
from marketplace.organisations import policy
from marketplace.organisations.identifiers import normalise_company_number
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import Action, OrganisationKind
from suppliers.bulk.imports import (
    ImportInvalid,
    Problem,
    check_rows,
    import_offerings,
    parse_offerings,
)
from suppliers.bulk.spreadsheets import MAX_FILE_SIZE


class Command(BaseCommand):
    help = (
        "Import offerings for a supplier on a lot from a CSV or .xlsx file made from the lot's "
        "template: every row is checked as the supplier portal checks it, and either all are "
        "created as drafts or, if any row has a problem, none. Prints every problem with its "
        "row and column, and exits with status 1 if there are any."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .csv or .xlsx file.")
        parser.add_argument("--lot", type=int, required=True, help="The lot's id.")
        parser.add_argument(
            "--supplier", required=True, help="The supplier's Companies House number."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; save nothing."
        )
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            required=True,
            help=(
                "The person the import is made for and recorded against: a member of the "
                "supplier whose role may edit its offerings (an administrator or editor)."
            ),
        )

    def handle(self, *args, path: str, lot: int, supplier: str, dry_run: bool, actor, **options):
        supplier_org = self._supplier(supplier)
        lot_obj = Lot.objects.select_related("framework").filter(pk=lot).first()
        if lot_obj is None:
            raise CommandError(f"There is no lot with id {lot}")
        user = self._actor(actor, supplier_org)
        content = self._read(Path(path))

        started = time.perf_counter()
        parsed = parse_offerings(content, name=path, lot=lot_obj)
        if parsed.problems:
            self._fail(parsed.problems)
        if dry_run:
            checked = check_rows(supplier=supplier_org, lot=lot_obj, rows=parsed.rows)
            if checked.problems:
                self._fail(checked.problems)
            self._timing(len(checked.rows), started, "checked")
            self.stdout.write(f"Rows: {checked.counts()}.")
            self.stdout.write(
                self.style.SUCCESS(f"No problems in {len(checked.rows):,} rows: nothing saved.")
            )
            return
        try:
            outcome = import_offerings(
                actor=user,
                supplier=supplier_org,
                lot=lot_obj,
                rows=parsed.rows,
                file_name=Path(path).name,
                from_command_line=True,
            )
        except ImportInvalid as error:
            self._fail(error.problems)
        self._timing(len(parsed.rows), started, "imported")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(outcome.created):,} offerings as drafts for {supplier_org} "
                f"on {lot_obj}."
            )
        )
        if outcome.changed or outcome.unchanged:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Changed {len(outcome.changed):,} offerings (live ones sent for review); "
                    f"{outcome.unchanged:,} unchanged."
                )
            )

    def _supplier(self, company_number: str) -> Organisation:
        found = Organisation.objects.filter(
            company_number=normalise_company_number(company_number),
            kind=OrganisationKind.SUPPLIER,
        ).first()
        if found is None:
            raise CommandError(f"There is no supplier with company number {company_number}")
        return found

    def _actor(self, email: str, supplier: Organisation):
        """The supplier's member the import is made for: revisions and the audit name them."""
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user with the e-mail address {email}")
        if not policy.can(user, Action.EDIT_OFFERINGS, supplier):
            raise CommandError(
                f"{user.email} may not edit the offerings of {supplier}: the actor must be a "
                "member of the supplier who may create, edit and submit offerings"
            )
        return user

    def _read(self, path: Path) -> bytes:
        try:
            with path.open("rb") as file:
                # One byte over the limit is enough for the reader to refuse the file.
                return file.read(MAX_FILE_SIZE + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None

    def _fail(self, problems: list[Problem]) -> None:
        for problem in problems:
            where = "Whole file" if problem.row is None else f"Row {problem.row}"
            column = f", {problem.column}" if problem.column else ""
            self.stderr.write(f"{where}{column}: {problem.message}")
        plural = "" if len(problems) == 1 else "s"
        raise CommandError(f"{len(problems):,} problem{plural}: nothing was imported.")

    def _timing(self, rows: int, started: float, verb: str) -> None:
        elapsed = time.perf_counter() - started
        rate = rows / elapsed if elapsed else 0
        self.stdout.write(f"{rows:,} rows {verb} in {elapsed:.2f} s ({rate:,.0f} rows a second).")
