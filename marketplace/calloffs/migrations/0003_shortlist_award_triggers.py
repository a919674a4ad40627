"""The database refuses a search-and-shortlist winner that is not a kept item of the project's
own frozen shortlist, whoever writes the row (issue 12: "the database refuses any other").

* calloffs_buyingproject.selected_shortlist_item_id and calloffs_award.shortlist_item_id:
  NULL, or an item whose shortlist belongs to the row's project and whose decision is 'kept'.
* calloffs_shortlistitem.decision: an item that a project's selection or an award names stays
  kept.

PostgreSQL: plpgsql trigger functions raising integrity_constraint_violation (IntegrityError in
Django). SQLite: triggers with RAISE(ABORT, ...), a constraint error (IntegrityError). SQLite
drops a table's triggers when Django rebuilds the table to alter it: a later migration altering
BuyingProject, Award or ShortlistItem must create these again (call `forward` after it).
"""

# ruff: noqa: S608 (the statements are fixed text: table and column names, no values)

from django.db import migrations

SELECTION_MESSAGE = "The selected shortlist item must be a kept item of the project's shortlist"
AWARD_MESSAGE = "The awarded shortlist item must be a kept item of the project's shortlist"
NAMED_MESSAGE = "A shortlist item chosen or awarded must stay kept"


def _kept_item(item_column: str, project_column: str) -> str:
    return f"""
        EXISTS (
            SELECT 1 FROM calloffs_shortlistitem item
            JOIN calloffs_shortlist shortlist ON shortlist.id = item.shortlist_id
            WHERE item.id = NEW.{item_column}
              AND shortlist.project_id = NEW.{project_column}
              AND item.decision = 'kept'
        )
    """


NAMED_ITEM = """
    EXISTS (SELECT 1 FROM calloffs_buyingproject WHERE selected_shortlist_item_id = NEW.id)
    OR EXISTS (SELECT 1 FROM calloffs_award WHERE shortlist_item_id = NEW.id)
"""

# (trigger name, table, column watched, condition that refuses the row, message)
RULES = [
    (
        "calloffs_project_selects_kept_item",
        "calloffs_buyingproject",
        "selected_shortlist_item_id",
        "NEW.selected_shortlist_item_id IS NOT NULL AND NOT "
        + _kept_item("selected_shortlist_item_id", "id"),
        SELECTION_MESSAGE,
    ),
    (
        "calloffs_award_names_kept_item",
        "calloffs_award",
        "shortlist_item_id",
        "NEW.shortlist_item_id IS NOT NULL AND NOT "
        + _kept_item("shortlist_item_id", "project_id"),
        AWARD_MESSAGE,
    ),
    (
        "calloffs_named_item_stays_kept",
        "calloffs_shortlistitem",
        "decision",
        f"NEW.decision <> 'kept' AND ({NAMED_ITEM})",
        NAMED_MESSAGE,
    ),
]


def _sql_text(message: str) -> str:
    return "'" + message.replace("'", "''") + "'"


def _postgresql_forward(name, table, column, refused, message) -> list[str]:
    events = "INSERT OR UPDATE OF" if table != "calloffs_shortlistitem" else "UPDATE OF"
    return [
        f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF {refused} THEN
                RAISE EXCEPTION {_sql_text(message)}
                USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END
        $$
        """,
        f"""
        CREATE TRIGGER {name} BEFORE {events} {column} ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}()
        """,
    ]


def _sqlite_forward(name, table, column, refused, message) -> list[str]:
    events = ["UPDATE OF"] if table == "calloffs_shortlistitem" else ["INSERT", "UPDATE OF"]
    return [
        f"""
        CREATE TRIGGER {name}_{event.split()[0].lower()}
        BEFORE {event} {column if event == "UPDATE OF" else ""} ON {table}
        FOR EACH ROW WHEN {refused}
        BEGIN SELECT RAISE(ABORT, {_sql_text(message)}); END
        """
        for event in events
    ]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for rule in RULES:
        if vendor == "postgresql":
            statements = _postgresql_forward(*rule)
        elif vendor == "sqlite":
            statements = _sqlite_forward(*rule)
        else:
            raise NotImplementedError(f"No shortlist triggers for {vendor}")
        for statement in statements:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, table, *_rest in RULES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_insert")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_update")


class Migration(migrations.Migration):
    dependencies = [("calloffs", "0002_projects_awards_contracts")]

    operations = [migrations.RunPython(forward, reverse)]
