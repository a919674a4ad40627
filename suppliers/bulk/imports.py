"""Importing offerings from a spreadsheet: the columns, the checks and the import itself.

All or nothing: every row goes through suppliers.validation.clean_offering (the validator the
portal forms and services use), plus checks that need the whole file (two rows with the same
title or reference). Every problem is reported as (row, column, message) and nothing is saved
unless there are none; then import_offerings applies every row in one transaction.

A row without a reference creates a draft. A row with the reference of one of the supplier's
offerings on the lot (as the export writes it) changes that offering through
services.edit_offering, as the portal form does; a live offering's change is then submitted
for review. A row that matches its offering already changes nothing.

The offerings are written with bulk_create, and their first revisions too, rather than one
services.create_offering call per row: that costs about a dozen queries and an audit event
per row, so 5,000 rows took minutes. The rows pass the same checks and get the same state
(a draft with one revision), and the import is audited as one OFFERINGS_IMPORTED event.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.models import Revision

from frameworks.attributes import AttributeKind, AttributeSpec
from frameworks.models import Lot
from marketplace.audit.kinds import AuditKind
from marketplace.audit.services import record
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.models import Organisation, Region
from marketplace.organisations.roles import Action
from suppliers import selectors, services
from suppliers.attributes import MANY_SEPARATOR, MAX_TEXT_LENGTH, number_guidance
from suppliers.models import MAX_LEAD_TIME_DAYS, Offering, new_offering_reference
from suppliers.pricing import MAXIMUM_PRICE, PriceUnit, VatTreatment
from suppliers.validation import (
    ATTRIBUTE_ERROR_PREFIX,
    OfferingInvalid,
    clean_offering,
    taken_titles,
)

from .spreadsheets import SpreadsheetError, Table, read_table

# The offering's own fields, in template order; the lot's questions follow, one column each.
CORE_COLUMNS = Offering.SUPPLIER_FIELDS
OPTIONAL_COLUMNS = frozenset({"minimum_contract_value"})
REFERENCE_COLUMN = "reference"
STATUS_COLUMN = "status"
# Columns an export adds; an attribute key equal to any of these gets a prefix instead.
RESERVED_COLUMNS = frozenset({*CORE_COLUMNS, REFERENCE_COLUMN, STATUS_COLUMN, "framework", "lot"})
# A file may leave out the reference column (every row is new) and may keep the export's
# status column, which is read-only and ignored.
OPTIONAL_HEADINGS = frozenset({REFERENCE_COLUMN})
IGNORED_HEADINGS = frozenset({STATUS_COLUMN})
CREATE_BATCH_SIZE = 500


@dataclass(frozen=True)
class Column:
    name: str  # the heading in the spreadsheet
    label: str
    required: bool
    guidance: str
    attribute: AttributeSpec | None = None


def _choices(choices) -> str:
    return "; ".join(f"{value} ({label})" for value, label in choices)


def _core_columns() -> list[Column]:
    limits = Offering.text_limits()
    guidance = {
        "title": _("Up to %(max)s characters, different from your other offerings on this lot.")
        % {"max": f"{limits['title']:,}"},
        "summary": _("One or two sentences, up to %(max)s characters.")
        % {"max": f"{limits['summary']:,}"},
        "description": _("What is included and how it is delivered, up to %(max)s characters.")
        % {"max": f"{limits['description']:,}"},
        "price": _("In pounds and pence, like 450 or 1,250.50: from £0 to £%(max)s.")
        % {"max": f"{MAXIMUM_PRICE:,.0f}"},
        "price_unit": _("What the price is for, one of: %(choices)s.")
        % {"choices": _choices(PriceUnit.choices)},
        "vat_treatment": _("How VAT applies to the price, one of: %(choices)s.")
        % {"choices": _choices(VatTreatment.choices)},
        "minimum_contract_value": _(
            "The smallest contract you will take on, in pounds. Leave blank for none."
        ),
        "regions_served": _(
            "ITL1 region codes or names, separated by “%(separator)s”: %(choices)s."
        )
        % {"separator": MANY_SEPARATOR, "choices": _choices(Region.choices)},
        "lead_time_days": _("Working days from order to start: a whole number from 0 to %(max)s.")
        % {"max": MAX_LEAD_TIME_DAYS},
    }
    reference = Column(
        REFERENCE_COLUMN,
        _("Reference"),
        False,
        _(
            "Leave blank to add a new offering. To change one of your offerings, keep the "
            "reference your export gives it, like OF-7K3M9Q."
        ),
    )
    return [
        reference,
        *(
            Column(
                name,
                capfirst(Offering._meta.get_field(name).verbose_name),
                name not in OPTIONAL_COLUMNS,
                guidance[name],
            )
            for name in CORE_COLUMNS
        ),
    ]


def _attribute_guidance(spec: AttributeSpec) -> str:
    if spec.kind == AttributeKind.NUMBER:
        text = number_guidance(spec)
    elif spec.kind == AttributeKind.YES_NO:
        text = _("yes or no.")
    elif spec.kind == AttributeKind.ONE_OF:
        text = _("One of: %(options)s.") % {"options": "; ".join(spec.options)}
    elif spec.kind == AttributeKind.MANY_OF:
        text = _("Any of these, separated by “%(separator)s”: %(options)s.") % {
            "separator": MANY_SEPARATOR,
            "options": "; ".join(spec.options),
        }
    else:
        text = _("Text, up to %(max)s characters.") % {"max": MAX_TEXT_LENGTH}
    return f"{text} {spec.help_text}".strip()


def attribute_column_name(key: str) -> str:
    return f"attribute_{key}" if key in RESERVED_COLUMNS else key


def columns_for(lot: Lot) -> list[Column]:
    """The template's columns for a lot: the offering's fields, then one per question."""
    return _core_columns() + [
        Column(
            attribute_column_name(spec.key),
            spec.label,
            spec.required,
            _attribute_guidance(spec),
            attribute=spec,
        )
        for spec in lot.attributes()
    ]


# --- Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: the file as a whole
    column: str
    message: str


@dataclass(frozen=True)
class ImportRow:
    row: int
    data: dict  # as clean_offering takes it: the offering's fields, answers under "attributes"
    formula_columns: frozenset[str] = frozenset()
    reference: str = ""  # of the offering the row changes; blank for a new offering


@dataclass
class ParsedFile:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _heading_problem(table: Table, columns: Sequence[Column]) -> Problem | None:
    expected = [column.name for column in columns]
    found = table.headings
    missing = [name for name in expected if name not in found and name not in OPTIONAL_HEADINGS]
    unexpected = [
        name or _("(blank)")
        for name in found
        if name not in expected and name not in IGNORED_HEADINGS
    ]
    repeated = sorted({name for name in found if name and found.count(name) > 1})
    if not (missing or unexpected or repeated):
        return None
    parts = []
    if missing:
        parts.append(_("missing %(columns)s") % {"columns": ", ".join(missing)})
    if unexpected:
        parts.append(_("not expected %(columns)s") % {"columns": ", ".join(unexpected)})
    if repeated:
        parts.append(_("more than once %(columns)s") % {"columns": ", ".join(repeated)})
    return Problem(
        table.heading_row,
        "",
        _(
            "The heading row does not match the template for this lot (%(problems)s): "
            "download the template again and copy your rows into it"
        )
        % {"problems": "; ".join(parts)},
    )


def parse_offerings(data: bytes, *, name: str, lot: Lot) -> ParsedFile:
    """Read a file into rows for check_rows; problems here are about the file as a whole."""
    try:
        table = read_table(data, name=name)
    except SpreadsheetError as error:
        return ParsedFile(problems=[Problem(None, "", error.message)])
    columns = columns_for(lot)
    problem = _heading_problem(table, columns)
    if problem is not None:
        return ParsedFile(problems=[problem])
    position = {heading: index for index, heading in enumerate(table.headings)}
    columns = [column for column in columns if column.name in position]
    parsed = ParsedFile()
    for table_row in table.rows:
        cells = {column.name: table_row.values[position[column.name]] for column in columns}
        reference = cells.pop(REFERENCE_COLUMN, "")
        data = {
            column.name: cells[column.name]
            for column in columns
            if not column.attribute and column.name != REFERENCE_COLUMN
        }
        data["attributes"] = {
            column.attribute.key: cells[column.name] for column in columns if column.attribute
        }
        parsed.rows.append(
            ImportRow(
                row=table_row.number,
                data=data,
                formula_columns=frozenset(table.headings[index] for index in table_row.formulas),
                reference=reference,
            )
        )
    return parsed


# --- Checking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedRow:
    row: int
    content: dict  # clean_offering's result
    offering: Offering | None = None  # the offering the row changes; None for a new one
    changed: bool = True  # False: the row matches its offering as it stands

    @property
    def change(self) -> str:
        if self.offering is None:
            return _("New")
        return _("Changed") if self.changed else _("Unchanged")


@dataclass
class CheckResult:
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def new(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.offering is None]

    @property
    def changed(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.offering is not None and row.changed]

    @property
    def unchanged(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.offering is not None and not row.changed]

    def counts(self) -> str:
        """How the rows would change the offerings, as the preview says it."""
        return _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged") % {
            "new": f"{len(self.new):,}",
            "changed": f"{len(self.changed):,}",
            "unchanged": f"{len(self.unchanged):,}",
        }


def _column_name(error_key: str) -> str:
    if error_key.startswith(ATTRIBUTE_ERROR_PREFIX):
        return attribute_column_name(error_key.removeprefix(ATTRIBUTE_ERROR_PREFIX))
    return error_key


def _offerings_by_reference(
    *, supplier: Organisation, lot: Lot, rows: Sequence[ImportRow]
) -> dict[str, Offering]:
    """The supplier's offerings on the lot that the rows name, by reference: one query.

    Another supplier's offering, or one on another lot, is simply not found.
    """
    references = {row.reference.upper() for row in rows if row.reference}
    if not references:
        return {}
    offerings = Offering.objects.filter(
        supplier=supplier, lot=lot, reference__in=references
    ).select_related("latest_revision")
    return {offering.reference: offering for offering in offerings}


def _saved_content(offering: Offering) -> dict:
    """The offering's content as its supplier last saved it: its latest revision, else the row.

    Read from the revision already fetched: building an object from it would look up the
    supplier and the lot once a row.
    """
    if offering.latest_revision is None:
        return {name: getattr(offering, name) for name in Offering.CONTENT_FIELDS}
    content = offering.latest_revision.content
    return {
        name: Offering._meta.get_field(name).to_python(content.get(name))
        for name in Offering.CONTENT_FIELDS
    }


def _differs(offering: Offering, content: dict) -> bool:
    # The service definition is not a column: an update keeps the offering's own.
    saved = _saved_content(offering)
    return any(
        saved[name] != content[name]
        for name in Offering.CONTENT_FIELDS
        if name != "service_definition"
    )


def _reference_problem(offering: Offering | None, reference: str) -> str | None:
    if offering is None:
        return _("You have no offering on this lot with the reference “%(reference)s”") % {
            "reference": reference
        }
    if offering.status == Offering.Status.WITHDRAWN:
        return _("%(reference)s is withdrawn: it cannot be changed") % {"reference": reference}
    if offering.status == Offering.Status.SUBMITTED or offering.awaiting_review:
        return _(
            "%(reference)s has changes waiting for review: change it again after the "
            "reviewer's decision"
        ) % {"reference": reference}
    return None


def check_rows(*, supplier: Organisation, lot: Lot, rows: Iterable[ImportRow]) -> CheckResult:
    """Every problem in every row, in row and column order; the cleaned rows if there are none.

    Reads the database three times whatever the number of rows: the supplier's appointment,
    the titles already in use on the lot and the offerings the rows' references name.
    """
    if lot.is_closed:
        return CheckResult(problems=[Problem(None, "", services.closed_lot_message(lot))])
    if not selectors.is_appointed(supplier=supplier, lot=lot, on=timezone.localdate()):
        return CheckResult(
            problems=[
                Problem(
                    None,
                    "",
                    _("%(supplier)s is not appointed to %(lot)s, so cannot list offerings on it")
                    % {"supplier": supplier, "lot": lot},
                )
            ]
        )
    rows = list(rows)
    order = {column.name: index for index, column in enumerate(columns_for(lot))}
    in_use = taken_titles(supplier=supplier, lot=lot)
    by_reference = _offerings_by_reference(supplier=supplier, lot=lot, rows=rows)
    first_row_of_title: dict[str, int] = {}
    first_row_of_reference: dict[str, int] = {}
    result = CheckResult()
    for row in rows:
        problems = {
            name: _("This cell holds a formula: type the value itself, not a formula")
            for name in row.formula_columns
        }
        reference = row.reference.upper()
        offering = by_reference.get(reference) if reference else None
        if reference and REFERENCE_COLUMN not in problems:
            problem = _reference_problem(offering, row.reference)
            if problem is None and reference in first_row_of_reference:
                problem = _(
                    "Row %(row)s has the same reference: each offering can be changed once a file"
                ) % {"row": first_row_of_reference[reference]}
            if problem is not None:
                problems[REFERENCE_COLUMN] = problem
            first_row_of_reference.setdefault(reference, row.row)
        # An offering keeps its own title: only the supplier's other offerings' count.
        titles = in_use - {offering.title.lower()} if offering is not None else in_use
        try:
            content = clean_offering(
                supplier=supplier, lot=lot, data=row.data, titles_in_use=titles
            )
        except OfferingInvalid as error:
            content = None
            for key, message in error.errors.items():
                problems.setdefault(_column_name(key), message)
        title = str(row.data.get("title") or "").strip().lower()
        if title and "title" not in problems:
            if title in first_row_of_title:
                problems["title"] = _(
                    "Row %(row)s has the same title: each offering needs its own title"
                ) % {"row": first_row_of_title[title]}
            else:
                first_row_of_title[title] = row.row
        if problems:
            result.problems.extend(
                Problem(row.row, name, problems[name])
                for name in sorted(problems, key=lambda name: order.get(name, len(order)))
            )
        elif offering is None:
            result.rows.append(CheckedRow(row.row, content))
        else:
            result.rows.append(
                CheckedRow(row.row, content, offering, changed=_differs(offering, content))
            )
    if result.problems:
        result.rows = []
    return result


# --- Importing -----------------------------------------------------------------------------


class ImportInvalid(DomainError):
    """The rows have problems; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        super().__init__(
            ngettext(
                "The file has %(count)s problem: nothing was imported",
                "The file has %(count)s problems: nothing was imported",
                len(problems),
            )
            % {"count": len(problems)},
            code="import_invalid",
        )
        self.problems = problems


def _unique_references(offerings: list[Offering]) -> None:
    """Draw again any reference taken by another offering of the batch or already saved.

    References are random: among 5,000 new ones, two alike turn up about once in 80 imports,
    and bulk_create would then fail the whole import on the unique constraint.
    """
    while True:
        seen, clashes = set(), []
        for offering in offerings:
            if offering.reference in seen:
                clashes.append(offering)
            seen.add(offering.reference)
        taken = set(Offering.objects.filter(reference__in=seen).values_list("reference", flat=True))
        clashes += [offering for offering in offerings if offering.reference in taken]
        if not clashes:
            return
        for offering in clashes:
            offering.reference = new_offering_reference()


def create_in_bulk(offerings: list[Offering], *, user=None) -> list[Offering]:
    """Save new offerings with their first revision, as save() and save_revision() would.

    Each offering's status and draft state (live, has_unpublished_changes, published dates)
    are set by the caller. The revision becomes the latest; a live offering's revision is also
    its live revision, and a submitted offering's the one awaiting review. Call inside a
    transaction. A few statements per batch of rows, however many rows.
    """
    content_type = ContentType.objects.get_for_model(Offering)
    now = timezone.now()
    for offering in offerings:
        offering.refresh_comparable_price()
    _unique_references(offerings)
    Offering.objects.bulk_create(offerings, batch_size=CREATE_BATCH_SIZE)
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(offering.pk),
                created_at=now,
                user=user,
                content=offering.serializable_data(),
                object_str=str(offering),
            )
            for offering in offerings
        ],
        batch_size=CREATE_BATCH_SIZE,
    )
    # Point each offering at its revision in the database, rather than with bulk_update,
    # whose CASE per row made this the slowest step of a 5,000-row import.
    revision = Revision.objects.filter(
        content_type=content_type, object_id=Cast(OuterRef("pk"), CharField())
    ).values("pk")[:1]
    for start in range(0, len(offerings), CREATE_BATCH_SIZE):
        created = Offering.objects.filter(
            pk__in=[offering.pk for offering in offerings[start : start + CREATE_BATCH_SIZE]]
        )
        created.update(latest_revision=Subquery(revision))
        created.filter(live=True).update(live_revision=F("latest_revision"))
        created.filter(status=Offering.Status.SUBMITTED).update(
            submitted_revision=F("latest_revision")
        )
    for offering, revision in zip(offerings, revisions, strict=True):
        offering.latest_revision = revision
        offering.live_revision = revision if offering.live else None
        if offering.status == Offering.Status.SUBMITTED:
            offering.submitted_revision = revision
    return offerings


@dataclass(frozen=True)
class ImportOutcome:
    created: list[Offering]
    changed: list[Offering]
    unchanged: int


def _apply_change(*, actor, supplier: Organisation, row: CheckedRow) -> Offering:
    """Change the offering as the portal form would; a live one's change goes for review."""
    current = row.offering.get_latest_revision_as_object()
    data = {**row.content, "service_definition": current.service_definition}
    try:
        offering = services.edit_offering(
            actor=actor, supplier=supplier, offering=row.offering, data=data
        )
        if offering.live:
            offering = services.submit_offering(actor=actor, supplier=supplier, offering=offering)
    except DomainError as error:
        # Something the checks could not foresee (the lot closed meanwhile, say): the whole
        # import is undone, and the row says why.
        raise ImportInvalid([Problem(row.row, REFERENCE_COLUMN, str(error))]) from None
    return offering


@transaction.atomic
def import_offerings(
    *,
    actor,
    supplier: Organisation,
    lot: Lot,
    rows: Sequence[ImportRow],
    file_name: str = "",
    from_command_line: bool = False,
) -> ImportOutcome:
    """Apply every row, or none: raises ImportInvalid with every problem.

    New rows become draft offerings; changed rows go through the portal's edit (and, for a
    live offering, submit) services; unchanged rows are left alone, without a revision or an
    audit event. The portal passes the signed-in user, who must be allowed to edit the
    supplier's offerings. `manage.py import_offerings` runs with the server's authority, so it
    skips that check (from_command_line); the actor it names is recorded as usual.
    """
    if not from_command_line:
        policy.require(actor, Action.EDIT_OFFERINGS, supplier)
    # One import at a time per supplier, so two cannot both add the same title.
    Organisation.objects.select_for_update().filter(pk=supplier.pk).first()
    checked = check_rows(supplier=supplier, lot=lot, rows=rows)
    if checked.problems:
        raise ImportInvalid(checked.problems)
    created = create_in_bulk(
        [
            Offering(
                supplier=supplier, lot=lot, live=False, has_unpublished_changes=True, **row.content
            )
            for row in checked.new
        ],
        user=actor,
    )
    changed = [_apply_change(actor=actor, supplier=supplier, row=row) for row in checked.changed]
    if created or changed:
        record(
            actor=actor,
            organisation=supplier,
            kind=AuditKind.OFFERINGS_IMPORTED,
            target=lot,
            data={
                "lot": lot.pk,
                "file": file_name,
                "count": len(created),
                "offerings": [offering.pk for offering in created],
                "changed": [offering.pk for offering in changed],
                "via": "command line" if from_command_line else "supplier portal",
            },
        )
    return ImportOutcome(created=created, changed=changed, unchanged=len(checked.unchanged))
