from django.db import migrations

from marketplace.organisations import local_authorities


def load(apps, schema_editor):
    local_authorities.load(apps.get_model("organisations", "LocalAuthority"))


def unload(apps, schema_editor):
    local_authority = apps.get_model("organisations", "LocalAuthority")
    local_authority.successors.through.objects.all().delete()
    local_authority.objects.update(county=None, combined_authority=None)
    local_authority.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0004_local_authority")]

    operations = [migrations.RunPython(load, unload)]
