from django.db import migrations, models

import suppliers.models


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0003_backfill_offering_references")]

    operations = [
        migrations.AlterField(
            model_name="offering",
            name="reference",
            field=models.CharField(
                default=suppliers.models.new_offering_reference,
                editable=False,
                help_text=(
                    "The offering's public reference, for life: suppliers use it to update the "
                    "offering from a spreadsheet, and buyers to quote it."
                ),
                max_length=9,
                unique=True,
                verbose_name="reference",
            ),
        ),
    ]
