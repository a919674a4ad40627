import wagtail.search.index
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_search_generation"),
        ("suppliers", "0006_number_answers"),
    ]

    operations = [
        migrations.CreateModel(
            name="WagtailBenchmarkOffering",
            fields=[],
            options={
                "verbose_name": "offering (search benchmark)",
                "verbose_name_plural": "offerings (search benchmark)",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=(wagtail.search.index.Indexed, "suppliers.offering"),
        ),
    ]
