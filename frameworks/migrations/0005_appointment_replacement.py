import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0004_framework_regime_kind")]

    operations = [
        migrations.AddField(
            model_name="frameworkpage",
            name="allows_supplier_replacement",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Tick only if the framework's terms let the authority appoint a supplier in "
                    "place of an excluded one between awards. Otherwise suppliers join only at "
                    "an award."
                ),
                verbose_name="terms allow replacing a supplier",
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="replaces",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "The excluded appointment on the same lot that this one replaces, outside an "
                    "award, where the framework's terms allow it."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="replaced_by",
                to="frameworks.appointment",
                verbose_name="replaces",
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="replacement_reason",
            field=models.TextField(
                blank=True,
                help_text="Why the supplier was replaced. Required for a replacement.",
                verbose_name="reason for the replacement",
            ),
        ),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.UniqueConstraint(
                fields=("replaces",),
                name="appointment_replaced_once",
                violation_error_message="This appointment has already been replaced",
            ),
        ),
    ]
