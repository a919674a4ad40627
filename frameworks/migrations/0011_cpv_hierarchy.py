"""CPV codes get their place in the tree: a parent, a significant-digit path and finer levels.

The rows are filled in by 0012_cpv_load_all_codes, which loads the whole vocabulary.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0010_number_bounds")]

    operations = [
        migrations.AlterModelOptions(
            name="cpvcode",
            options={
                "ordering": ["code"],
                "verbose_name": "CPV code",
                "verbose_name_plural": "CPV codes",
            },
        ),
        migrations.AlterField(
            model_name="cpvcode",
            name="level",
            field=models.CharField(
                choices=[
                    ("division", "Division"),
                    ("group", "Group"),
                    ("class", "Class"),
                    ("category", "Category"),
                    ("subcategory", "Sub-category"),
                ],
                max_length=12,
                verbose_name="level",
            ),
        ),
        migrations.AlterField(
            model_name="cpvcode",
            name="division",
            field=models.CharField(
                db_index=True,
                editable=False,
                help_text=(
                    "The first two digits: every code belongs to the division it starts with."
                ),
                max_length=2,
                verbose_name="division",
            ),
        ),
        migrations.AddField(
            model_name="cpvcode",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text=(
                    "The nearest existing code above this one; none for a division, "
                    "the top of the tree."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="frameworks.cpvcode",
                verbose_name="parent",
            ),
        ),
        migrations.AddField(
            model_name="cpvcode",
            name="path",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                help_text=(
                    'The code without its trailing zeros, like "9061" for 90610000-6: every '
                    "code beneath this one starts with these digits."
                ),
                max_length=8,
                verbose_name="significant digits",
            ),
            preserve_default=False,
        ),
    ]
