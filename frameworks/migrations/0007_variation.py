from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0006_central_debarment")]

    operations = []
