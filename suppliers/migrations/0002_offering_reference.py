"""Offerings get a public reference: added empty here, filled in 0003, required from 0004.

Three migrations rather than one, so PostgreSQL never alters the table in the transaction
that updated its rows.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="offering",
            name="reference",
            field=models.CharField(
                editable=False,
                max_length=9,
                null=True,
                verbose_name="reference",
            ),
        ),
    ]
