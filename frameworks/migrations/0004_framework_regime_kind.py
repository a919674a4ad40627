import datetime

from django.db import migrations, models


def award_reopenings_after_close(apps, schema_editor):
    """Existing reopenings had no award date: the day after each closes is the nearest fit."""
    FrameworkReopening = apps.get_model("frameworks", "FrameworkReopening")
    for reopening in FrameworkReopening.objects.all():
        reopening.award_on = reopening.closes_on + datetime.timedelta(days=1)
        reopening.save(update_fields=["award_on"])


def kind_from_sector(apps, schema_editor):
    """An open framework stays open; a defence or utilities framework keeps its sector."""
    FrameworkPage = apps.get_model("frameworks", "FrameworkPage")
    FrameworkPage.objects.filter(sector="defence").update(kind="defence_and_security")
    FrameworkPage.objects.filter(sector="utilities").update(kind="utilities")
    FrameworkPage.objects.filter(is_open_framework=True).update(kind="open")


def sector_from_kind(apps, schema_editor):
    FrameworkPage = apps.get_model("frameworks", "FrameworkPage")
    FrameworkPage.objects.filter(kind="defence_and_security").update(sector="defence")
    FrameworkPage.objects.filter(kind="utilities").update(sector="utilities")
    FrameworkPage.objects.filter(kind="open").update(is_open_framework=True)


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
        migrations.AddField(
            model_name="frameworkpage",
            name="kind",
            field=models.CharField(
                choices=[
                    ("standard", "Standard"),
                    ("open", "Open framework"),
                    ("defence_and_security", "Defence and security"),
                    ("utilities", "Utilities"),
                    ("light_touch", "Light-touch (care and other light-touch services)"),
                ],
                default="standard",
                help_text=(
                    "Sets the legal limits: a standard framework lasts at most 4 years, a "
                    "defence and security or utilities one at most 8; an open framework reopens "
                    "to new suppliers (Procurement Act 2023 s.47 and s.49)."
                ),
                max_length=20,
                verbose_name="kind of framework",
            ),
        ),
        migrations.RunPython(kind_from_sector, sector_from_kind),
        migrations.RemoveField(model_name="frameworkpage", name="sector"),
        migrations.RemoveField(model_name="frameworkpage", name="is_open_framework"),
        migrations.AddField(
            model_name="frameworkpage",
            name="longer_term_reason",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Required when a defence and security or utilities framework lasts over "
                    "4 years."
                ),
                verbose_name="reason for a term over 4 years",
            ),
        ),
        migrations.AddField(
            model_name="frameworkpage",
            name="award_notice_identifier",
            field=models.CharField(
                blank=True,
                help_text="The notice's identifier on the central digital platform.",
                max_length=100,
                verbose_name="contract award notice identifier",
            ),
        ),
        migrations.AddField(
            model_name="frameworkpage",
            name="award_notice_published_on",
            field=models.DateField(
                blank=True,
                null=True,
                help_text=(
                    "The standstill of 8 working days runs from this day; the framework starts "
                    "only after it ends (Procurement Act 2023 s.51)."
                ),
                verbose_name="contract award notice published",
            ),
        ),
        migrations.AlterField(
            model_name="frameworkpage",
            name="regime",
            field=models.CharField(
                choices=[
                    ("pa2023", "Procurement Act 2023"),
                    ("pcr2015", "Public Contracts Regulations 2015"),
                ],
                default="pa2023",
                help_text=(
                    "The Public Contracts Regulations 2015 apply only to frameworks procured "
                    "before 24 February 2025; they keep their dates and are exempt from the "
                    "Act's checks."
                ),
                max_length=10,
                verbose_name="procurement regime",
            ),
        ),
    ]
