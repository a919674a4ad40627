# Placeholder: filled in by the helper that owns this migration.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0005_supplier_profile_contact"), ("frameworks", "0010_number_bounds")]

    operations = []
