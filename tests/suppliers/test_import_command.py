"""manage.py import_offerings: the portal's reading and checks, from the command line."""

import re
from decimal import Decimal
from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from frameworks.models import Lot
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from suppliers.models import Offering
from tests.factories import (
    AppointmentFactory,
    MembershipFactory,
    OrganisationFactory,
    offering,
)

from .test_bulk_import import csv_bytes, row, rows, xlsx_bytes

ACTOR = "importer@supplier.example"


@pytest.fixture
def supplier(db):
    return OrganisationFactory(kind="supplier", company_number="01234567")


@pytest.fixture(autouse=True)
def actor(supplier):
    """The supplier's editor, whom every import below is run as unless a test says otherwise."""
    return MembershipFactory(organisation=supplier, role="editor", user__email=ACTOR).user


@pytest.fixture
def appointed(supplier, lot):
    return AppointmentFactory(supplier=supplier, lot=lot)


def run(path, lot, *args, supplier="1234567", actor=ACTOR):
    out, err = StringIO(), StringIO()
    call_command(
        "import_offerings", str(path), "--lot", str(lot.pk), "--supplier", supplier,
        "--actor", actor, *args, stdout=out, stderr=err,
    )  # fmt: skip
    return out.getvalue(), err.getvalue()


def run_failing(path, lot, *args, **kwargs) -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "import_offerings", str(path), "--lot", str(lot.pk),
            "--supplier", kwargs.get("supplier", "01234567"),
            "--actor", kwargs.get("actor", ACTOR), *args, stderr=err,
        )  # fmt: skip
    return str(failure.value), err.getvalue()


def test_imports_every_row_as_a_draft_and_prints_the_rate(
    tmp_path, lot, appointed, supplier, actor
):
    path = tmp_path / "offerings.csv"
    path.write_bytes(csv_bytes(rows(3)))

    out, err = run(path, lot)

    assert err == ""
    assert re.search(r"^3 rows imported in \d+\.\d\d s \([\d,]+ rows a second\)\.$", out, re.M)
    assert f"Imported 3 offerings as drafts for {supplier} on {lot}." in out
    assert sorted(Offering.objects.values_list("title", "status")) == [
        ("Offering 1", "draft"),
        ("Offering 2", "draft"),
        ("Offering 3", "draft"),
    ]
    event = AuditEvent.objects.get(kind=AuditKind.OFFERINGS_IMPORTED)
    assert (event.actor, event.data["via"], event.data["file"]) == (
        actor,
        "command line",
        "offerings.csv",
    )


def test_reads_xlsx_and_records_the_actor_on_revisions_and_the_audit(tmp_path, lot, appointed):
    administrator = MembershipFactory(organisation=appointed.supplier, role="supplier_admin").user
    path = tmp_path / "offerings.xlsx"
    path.write_bytes(xlsx_bytes([list(row().values())]))

    run(path, lot, actor=administrator.email.upper())

    imported = Offering.objects.get()
    assert imported.latest_revision.user == administrator
    assert AuditEvent.objects.get(kind=AuditKind.OFFERINGS_IMPORTED).actor == administrator


def test_rows_with_references_update_offerings_and_live_ones_go_for_review(
    tmp_path, lot, appointed, supplier, actor
):
    live = offering(supplier=supplier, lot=lot, actor=actor, status="live")
    same = offering(supplier=supplier, lot=lot, actor=actor, title="Same")
    path = tmp_path / "offerings.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(reference=live.reference, price="99"),
                row(reference=same.reference, title="Same", standards=""),
                row(title="New one"),
            ]
        )
    )

    out, _err = run(path, lot, "--dry-run")
    assert "Rows: 1 new, 1 changed, 1 unchanged." in out
    out, _err = run(path, lot)

    assert f"Imported 1 offerings as drafts for {supplier} on {lot}." in out
    assert "Changed 1 offerings (live ones sent for review); 1 unchanged." in out
    live.refresh_from_db()
    assert (live.price, live.awaiting_review) == (Decimal("12.50"), True)
    assert live.submitted_revision.user == actor
    assert same.revisions.count() == 1


def test_the_actor_is_required(tmp_path, lot, appointed):
    path = tmp_path / "offerings.csv"
    path.write_bytes(csv_bytes([row()]))

    with pytest.raises(CommandError) as failure:
        call_command("import_offerings", str(path), "--lot", str(lot.pk), "--supplier", "01234567")

    assert str(failure.value) == "Error: the following arguments are required: --actor"
    assert Offering.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "role"),
    [("authority", "framework_manager"), ("supplier", "editor"), ("same supplier", "finance")],
)
def test_an_actor_who_may_not_edit_the_suppliers_offerings_is_refused(
    tmp_path, lot, appointed, supplier, kind, role
):
    organisation = supplier if kind == "same supplier" else OrganisationFactory(kind=kind)
    outsider = MembershipFactory(organisation=organisation, role=role).user
    path = tmp_path / "offerings.csv"
    path.write_bytes(csv_bytes([row()]))

    message, _err = run_failing(path, lot, actor=outsider.email)

    assert message == (
        f"{outsider.email} may not edit the offerings of {supplier}: the actor must be a "
        "member of the supplier who may create, edit and submit offerings"
    )
    assert Offering.objects.count() == 0


def test_dry_run_checks_and_saves_nothing(tmp_path, lot, appointed):
    path = tmp_path / "offerings.csv"
    path.write_bytes(csv_bytes(rows(2)))

    out, _err = run(path, lot, "--dry-run")

    assert re.search(r"^2 rows checked in \d+\.\d\d s", out, re.M)
    assert "No problems in 2 rows: nothing saved." in out
    assert Offering.objects.count() == 0


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_prints_every_problem_and_fails(tmp_path, lot, appointed, dry_run):
    path = tmp_path / "offerings.csv"
    path.write_bytes(
        csv_bytes([row(title="Fine"), row(title="Bad", price="£1,2x", regions_served="Mars")])
    )

    message, err = run_failing(path, lot, *dry_run)

    assert message == "2 problems: nothing was imported."
    assert err.splitlines() == [
        "Row 3, price: Enter the price in pounds and pence, like 450 or 1,250.50 "
        "(you entered “£1,2x”)",
        "Row 3, regions_served: Regions served must be ITL1 codes or names, any of: TLC, TLD, "
        "TLE, TLF, TLG, TLH, TLI, TLJ, TLK, TLL, TLM, TLN (you entered “Mars”)",
    ]
    assert Offering.objects.count() == 0


def test_a_nul_byte_is_reported_with_its_row_and_nothing_is_saved(tmp_path, lot, appointed):
    path = tmp_path / "offerings.csv"
    path.write_bytes(csv_bytes([row(title="Fine"), row(title="Other", description="a\x00b")]))

    message, err = run_failing(path, lot)

    assert message == "1 problem: nothing was imported."
    assert err.splitlines() == [
        "Row 3, description: Remove the NUL character (\\x00): it cannot be saved"
    ]
    assert Offering.objects.count() == 0


def test_a_file_level_problem_is_reported(tmp_path, lot, appointed):
    path = tmp_path / "offerings.csv"
    path.write_bytes(csv_bytes([row()], headings=["title", "price"]))

    message, err = run_failing(path, lot)

    assert message == "1 problem: nothing was imported."
    assert err.startswith("Row 1: The heading row does not match the template for this lot")


def test_an_unappointed_supplier_is_refused(tmp_path, lot, supplier):
    path = tmp_path / "offerings.csv"
    path.write_bytes(csv_bytes([row()]))

    _message, err = run_failing(path, lot)

    assert err.strip() == (
        f"Whole file: {supplier} is not appointed to {lot}, so cannot list offerings on it"
    )
    assert Offering.objects.count() == 0


def test_unknown_supplier_lot_actor_and_file_are_clear_errors(tmp_path, lot, appointed):
    path = tmp_path / "offerings.csv"
    path.write_bytes(csv_bytes([row()]))

    assert run_failing(path, lot, supplier="99999999")[0] == (
        "There is no supplier with company number 99999999"
    )
    assert run_failing(path, lot, actor="nobody@example.com")[0] == (
        "There is no active user with the e-mail address nobody@example.com"
    )
    assert run_failing(tmp_path / "missing.csv", lot)[0].startswith("Cannot read ")
    missing = Lot(pk=lot.pk + 1000)
    assert run_failing(path, missing)[0] == f"There is no lot with id {missing.pk}"


def test_five_thousand_rows_import_in_one_go(tmp_path, lot, appointed):
    """The limit works end to end; the speed is printed (a figure, not a timed assertion)."""
    path = tmp_path / "offerings.csv"
    path.write_bytes(csv_bytes(rows(5_000)))

    out, _err = run(path, lot)

    print(out)  # the figure to quote: shown with pytest -s
    assert "Imported 5,000 offerings as drafts" in out
    assert Offering.objects.count() == 5_000
    assert Offering.objects.filter(latest_revision__isnull=True).count() == 0
