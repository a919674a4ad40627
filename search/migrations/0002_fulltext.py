from django.db import migrations


class Migration(migrations.Migration):
    """Placeholder: the vendor-specific full-text index (a stored weighted tsvector with a GIN
    index on PostgreSQL, an FTS5 table on SQLite) is added here by the database backend."""

    dependencies = [("search", "0001_documents")]

    operations = []
