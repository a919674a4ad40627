import django.db.models.deletion
from django.db import migrations, models

import modelcluster.fields


class Migration(migrations.Migration):
    # Rules name councils by their code, so the councils are loaded first.
    dependencies = [
        ("frameworks", "0007_variation"),
        ("organisations", "0005_load_local_authorities"),
    ]

    operations = [
        migrations.CreateModel(
            name="EligibilityRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        help_text=(
                            "Like kind:buyer, kind:buyer:TLD, org:42, area:GMCA or councils:TLD."
                        ),
                        max_length=40,
                        verbose_name="rule",
                    ),
                ),
                (
                    "framework",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="eligibility_rules",
                        to="frameworks.frameworkpage",
                        verbose_name="framework",
                    ),
                ),
            ],
            options={
                "verbose_name": "eligibility rule",
                "indexes": [models.Index(fields=["key", "framework"], name="eligibility_rule_key")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("framework", "key"), name="eligibility_rule_unique"
                    )
                ],
            },
        ),
    ]
