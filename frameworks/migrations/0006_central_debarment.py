from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0005_appointment_replacement")]

    operations = []
