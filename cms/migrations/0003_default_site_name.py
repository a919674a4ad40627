"""Name the default Site after the service, so the admin says so instead of "localhost".

Wagtail's own initial data creates the default Site with a hostname and no name; the admin
dashboard then shows the hostname. A site someone has already named keeps its name.
"""

from django.conf import settings
from django.db import migrations


def name_default_site(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Site.objects.filter(is_default_site=True, site_name="").update(
        site_name=settings.WAGTAIL_SITE_NAME
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_replace_welcome_page"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(name_default_site, migrations.RunPython.noop)]
