from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0004_framework_regime_kind")]

    operations = []
