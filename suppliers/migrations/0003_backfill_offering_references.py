from django.db import migrations

import suppliers.models


def give_every_offering_a_reference(apps, schema_editor):
    Offering = apps.get_model("suppliers", "Offering")
    used = set(Offering.objects.exclude(reference=None).values_list("reference", flat=True))
    offerings = list(Offering.objects.filter(reference=None).only("pk"))
    for offering in offerings:
        reference = suppliers.models.new_offering_reference()
        while reference in used:
            reference = suppliers.models.new_offering_reference()
        used.add(reference)
        offering.reference = reference
    Offering.objects.bulk_update(offerings, ["reference"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0002_offering_reference")]

    operations = [
        migrations.RunPython(give_every_offering_a_reference, migrations.RunPython.noop),
    ]
