"""The vendor-specific full-text index over the analysed text of search documents.

PostgreSQL: a stored generated `search_vector` (title A, summary B, description C, supplier D)
with a GIN index, and a GIN index on the title alone so a broad query can take its best-ranked
hits (those with every word in the title) without ranking every match. The text is already
analysed in Python (search.analysis), so the `simple` configuration indexes it as it is.

SQLite: an FTS5 external-content table over the four analysed columns, kept in step by
triggers. (Django rebuilds a SQLite table to alter it, which drops its triggers: a later
migration altering SearchDocument must re-create them.)

The model declares none of this, so `makemigrations` never sees it.
"""

# ruff: noqa: S608 (the statements are fixed text: column names, no values)

from django.db import migrations

POSTGRESQL_FORWARD = [
    """
    ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary_terms), 'B')
        || setweight(to_tsvector('simple'::regconfig, description_terms), 'C')
        || setweight(to_tsvector('simple'::regconfig, supplier_terms), 'D')
    ) STORED
    """,
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    """
    CREATE INDEX search_document_title_vector ON search_searchdocument
    USING gin (to_tsvector('simple'::regconfig, title_terms))
    """,
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_document_title_vector",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]

_COLUMNS = "title_terms, summary_terms, description_terms, supplier_terms"
_NEW = "new.title_terms, new.summary_terms, new.description_terms, new.supplier_terms"
_OLD = "old.title_terms, old.summary_terms, old.description_terms, old.supplier_terms"

SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE search_fts USING fts5(
        {_COLUMNS},
        content='search_searchdocument', content_rowid='offering_id', tokenize='unicode61'
    )
    """,
    f"""
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts (rowid, {_COLUMNS}) VALUES (new.offering_id, {_NEW});
    END
    """,
    f"""
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.offering_id, {_OLD});
    END
    """,
    f"""
    CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts (search_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.offering_id, {_OLD});
        INSERT INTO search_fts (rowid, {_COLUMNS}) VALUES (new.offering_id, {_NEW});
    END
    """,
    "INSERT INTO search_fts (search_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
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
    dependencies = [("search", "0001_documents")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
