import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "cpv_codes.json"


def load_cpv_codes(apps, schema_editor):
    CpvCode = apps.get_model("frameworks", "CpvCode")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = row["fields"]
        CpvCode.objects.update_or_create(code=fields["code"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [migrations.RunPython(load_cpv_codes, migrations.RunPython.noop)]
