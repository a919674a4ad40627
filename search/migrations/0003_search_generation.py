"""A token that changes whenever any search document or facet row changes.

The database backend keeps, in each process, bitmaps built from the documents (search.backends.
snapshot); it reads this one-row table before every search and rebuilds them when the token is
not the one they were built from. The token is random, not a counter, so a rolled-back change
(a test's transaction) never leaves a token that some other state of the rows once had.
"""

# ruff: noqa: S608 (the statements are fixed text: table names, no values)

from django.db import migrations

TABLES = ("search_searchdocument", "search_searchfacet")

POSTGRESQL_FORWARD = [
    "CREATE TABLE search_generation (id integer PRIMARY KEY CHECK (id = 1), token text NOT NULL)",
    "INSERT INTO search_generation VALUES (1, md5(random()::text || clock_timestamp()::text))",
    """
    CREATE FUNCTION search_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_generation SET token = md5(random()::text || clock_timestamp()::text);
        RETURN NULL;
    END $$
    """,
    *(
        f"""
        CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
        ON {table} FOR EACH STATEMENT EXECUTE FUNCTION search_generation_bump()
        """
        for table in TABLES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {table}_generation ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS search_generation_bump()",
    "DROP TABLE IF EXISTS search_generation",
]

# SQLite has row triggers only; one small UPDATE per changed row.
SQLITE_FORWARD = [
    "CREATE TABLE search_generation (id integer PRIMARY KEY CHECK (id = 1), token text NOT NULL)",
    "INSERT INTO search_generation VALUES (1, hex(randomblob(16)))",
    *(
        f"""
        CREATE TRIGGER {table}_generation_{event.lower()} AFTER {event} ON {table} BEGIN
            UPDATE search_generation SET token = hex(randomblob(16));
        END
        """
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
]
SQLITE_REVERSE = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_generation_{event.lower()}"
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    "DROP TABLE IF EXISTS search_generation",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_REVERSE),
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
}


def _run(schema_editor, direction: int) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return
    for statement in statements[direction]:
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, 0)


def reverse(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
