import datetime

from django.db import migrations, models


def award_reopenings_after_close(apps, schema_editor):
    """Existing reopenings had no award date: the day after each closes is the nearest fit."""
    FrameworkReopening = apps.get_model("frameworks", "FrameworkReopening")
    for reopening in FrameworkReopening.objects.all():
        reopening.award_on = reopening.closes_on + datetime.timedelta(days=1)
        reopening.save(update_fields=["award_on"])


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0003_lot_closure")]

    operations = [
        migrations.AddField(
            model_name="frameworkreopening",
            name="award_on",
            field=models.DateField(
                null=True,
                help_text=(
                    "When the new framework from this reopening is awarded: new suppliers join "
                    "then, and the previous framework in the scheme expires (Procurement Act "
                    "2023 s.49)."
                ),
                verbose_name="reopening awarded",
            ),
        ),
        migrations.RunPython(award_reopenings_after_close, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="frameworkreopening",
            name="award_on",
            field=models.DateField(
                help_text=(
                    "When the new framework from this reopening is awarded: new suppliers join "
                    "then, and the previous framework in the scheme expires (Procurement Act "
                    "2023 s.49)."
                ),
                verbose_name="reopening awarded",
            ),
        ),
    ]
