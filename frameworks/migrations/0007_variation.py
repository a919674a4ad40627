from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0006_central_debarment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="frameworkpage",
            name="levy_rate",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("1.00"),
                help_text="The framework's fee: a fixed percentage of the value of each call-off, 0 to 5 (Procurement Act 2023 s.45). Fixed at award.",
                max_digits=4,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("5")),
                ],
                verbose_name="fee (% of call-off value)",
            ),
        ),
        migrations.CreateModel(
            name="AwardCriterion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "title",
                    models.CharField(
                        help_text="Short name, like Quality or Price.",
                        max_length=200,
                        verbose_name="criterion",
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        help_text="What the criterion assesses, and how.",
                        verbose_name="description",
                    ),
                ),
                (
                    "weighting",
                    models.PositiveSmallIntegerField(
                        help_text="Share of the total score, 1 to 100. The weightings add up to 100.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="weighting (%)",
                    ),
                ),
                (
                    "social_value_theme",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "None"),
                            ("local_jobs", "Local jobs and apprenticeships"),
                            ("local_spend", "Spend with local SMEs and VCSEs"),
                            ("net_zero", "Net zero"),
                            ("fair_work", "Fair work"),
                        ],
                        default="",
                        help_text="The social value theme the criterion scores, if any.",
                        max_length=20,
                        verbose_name="social value theme",
                    ),
                ),
                (
                    "framework",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="award_criteria",
                        to="frameworks.frameworkpage",
                    ),
                ),
            ],
            options={
                "verbose_name": "award criterion",
                "verbose_name_plural": "award criteria",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Variation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "ground",
                    models.CharField(
                        choices=[
                            (
                                "provided_for",
                                "Provided for in the framework's terms, clearly and precisely (Schedule 8)",
                            ),
                            (
                                "additional",
                                "Additional goods, services or works that only the supplier can provide (Schedule 8)",
                            ),
                            ("urgency", "Urgency: protecting life or public order (Schedule 8)"),
                            (
                                "unforeseeable",
                                "Circumstances a diligent authority could not have foreseen (Schedule 8)",
                            ),
                            (
                                "supplier_transfer",
                                "Transfer to another supplier on a corporate restructuring or insolvency (Schedule 8)",
                            ),
                            (
                                "below_threshold",
                                "Below-threshold: under 10% (goods and services) or 15% (works) of the value, and not changing its overall nature (s.74)",
                            ),
                            ("not_substantial", "Not a substantial modification (s.74)"),
                        ],
                        help_text="The ground in the Procurement Act 2023 that permits the change.",
                        max_length=30,
                        verbose_name="ground",
                    ),
                ),
                (
                    "explanation",
                    models.TextField(
                        help_text="Why the change is needed and why the ground applies.",
                        verbose_name="explanation",
                    ),
                ),
                (
                    "old_values",
                    models.JSONField(
                        help_text="The changed terms as they were: framework and lots.",
                        verbose_name="old values",
                    ),
                ),
                (
                    "new_values",
                    models.JSONField(
                        help_text="The changed terms as they are now: framework and lots.",
                        verbose_name="new values",
                    ),
                ),
                (
                    "made_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="When the variation was recorded.",
                        verbose_name="made at",
                    ),
                ),
                (
                    "effective_on",
                    models.DateField(
                        help_text="The first day the new terms apply.", verbose_name="effective on"
                    ),
                ),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="variations",
                        to="frameworks.frameworkpage",
                        verbose_name="framework",
                    ),
                ),
                (
                    "made_by",
                    models.ForeignKey(
                        help_text="Who recorded the variation.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="made by",
                    ),
                ),
            ],
            options={
                "verbose_name": "variation",
                "verbose_name_plural": "variations",
                "ordering": ["effective_on", "made_at", "pk"],
            },
        ),
    ]
