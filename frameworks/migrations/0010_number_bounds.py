# Placeholder: filled in by the helper that owns this migration.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0009_eligibility_data")]

    operations = []
