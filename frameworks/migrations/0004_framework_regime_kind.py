from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0003_lot_closure")]

    operations = []
