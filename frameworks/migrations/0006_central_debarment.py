"""One central debarment list (Procurement Act 2023 s.62) instead of a list per authority.

Each authority's existing entries become discretionary entries on the central list, with
their recorded reason as the ground and their end date as the expected end: nothing recorded
says the Minister's list made them mandatory.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_central_list(apps, schema_editor):
    DebarmentEntry = apps.get_model("frameworks", "DebarmentEntry")
    for entry in DebarmentEntry.objects.all():
        entry.ground = entry.reason
        entry.expected_end_on = entry.ends_on
        entry.exclusion_type = "discretionary"
        entry.save(update_fields=["ground", "expected_end_on", "exclusion_type"])


def to_authority_lists(apps, schema_editor):
    """Back to one list per authority, so reversing needs an authority for each entry."""
    DebarmentEntry = apps.get_model("frameworks", "DebarmentEntry")
    if DebarmentEntry.objects.exists():
        raise RuntimeError("Central debarment entries have no authority to go back to.")


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0005_appointment_replacement"),
        ("organisations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="debarmententry",
            name="ground",
            field=models.TextField(
                default="",
                help_text="The exclusion ground as the Minister's list states it.",
                verbose_name="exclusion ground",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="debarmententry",
            name="exclusion_type",
            field=models.CharField(
                choices=[("mandatory", "Mandatory"), ("discretionary", "Discretionary")],
                default="discretionary",
                help_text="Mandatory bars the supplier outright; discretionary asks each buyer.",
                max_length=16,
                verbose_name="exclusion type",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="debarmententry",
            name="expected_end_on",
            field=models.DateField(
                blank=True,
                help_text="The last day the list gives for the entry. Blank: no end stated.",
                null=True,
                verbose_name="expected end",
            ),
        ),
        migrations.AddField(
            model_name="debarmententry",
            name="removed_on",
            field=models.DateField(
                blank=True,
                help_text="The day the entry left the list. Blank: still listed.",
                null=True,
                verbose_name="removed on",
            ),
        ),
        migrations.AddField(
            model_name="debarmententry",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The platform administrator who copied the entry. Blank for older entries.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="debarmententry",
            name="starts_on",
            field=models.DateField(verbose_name="on the list from"),
        ),
        migrations.RunPython(to_central_list, to_authority_lists),
        migrations.RemoveField(model_name="debarmententry", name="authority"),
        migrations.RemoveField(model_name="debarmententry", name="reason"),
        migrations.RemoveField(model_name="debarmententry", name="ends_on"),
        migrations.CreateModel(
            name="DebarmentDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("proceed", "Proceed: the supplier may take part"),
                            ("exclude", "Exclude the supplier"),
                        ],
                        max_length=16,
                        verbose_name="decision",
                    ),
                ),
                (
                    "reason",
                    models.TextField(
                        help_text="Why the organisation decided so.", verbose_name="reason"
                    ),
                ),
                ("decided_at", models.DateTimeField(verbose_name="decided at")),
                (
                    "decided_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decisions",
                        to="frameworks.debarmententry",
                        verbose_name="debarment list entry",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        help_text="The buyer or authority whose decision this is.",
                        limit_choices_to={"kind__in": ["buyer", "authority"]},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="debarment_decisions",
                        to="organisations.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "debarment decision",
                "verbose_name_plural": "debarment decisions",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("entry", "organisation"),
                        name="one_debarment_decision_per_organisation",
                    )
                ],
            },
        ),
    ]
