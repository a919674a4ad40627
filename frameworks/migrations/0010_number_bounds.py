"""Number questions get bounds: smallest and largest answer, decimal places, percentage.

Schemas saved before read the defaults (0 to 1,000,000,000, 2 decimal places) from the block.
"""

from decimal import Decimal

from django.db import migrations

import wagtail.fields


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0009_eligibility_data")]

    operations = [
        migrations.AlterField(
            model_name="lot",
            name="attribute_schema",
            field=wagtail.fields.StreamField(
                [("text", 5), ("number", 11), ("yes_no", 5), ("one_of", 14), ("many_of", 14)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "As suppliers and buyers will read it.",
                            "label": "Question",
                            "max_length": 120,
                        },
                    ),
                    1: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Column name in imports and exports; made from the question if left blank.",
                            "label": "Key",
                            "max_length": 50,
                            "required": False,
                        },
                    ),
                    2: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Hint", "max_length": 250, "required": False},
                    ),
                    3: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"default": True, "label": "Required", "required": False},
                    ),
                    4: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"label": "Buyers can filter search results by this", "required": False},
                    ),
                    5: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("label", 0),
                                ("key", 1),
                                ("help_text", 2),
                                ("required", 3),
                                ("filterable", 4),
                            ]
                        ],
                        {},
                    ),
                    6: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "For example: users, GB, days.",
                            "label": "Unit",
                            "max_length": 30,
                            "required": False,
                        },
                    ),
                    7: (
                        "wagtail.blocks.DecimalBlock",
                        (),
                        {
                            "decimal_places": 4,
                            "default": Decimal("0"),
                            "help_text": "Answers below this are refused.",
                            "label": "Smallest answer",
                            "max_value": Decimal("99999999999"),
                            "min_value": Decimal("-99999999999"),
                        },
                    ),
                    8: (
                        "wagtail.blocks.DecimalBlock",
                        (),
                        {
                            "decimal_places": 4,
                            "default": Decimal("1000000000"),
                            "help_text": "Answers above this are refused. At most 99,999,999,999.",
                            "label": "Largest answer",
                            "max_value": Decimal("99999999999"),
                            "min_value": Decimal("-99999999999"),
                        },
                    ),
                    9: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "default": 2,
                            "help_text": "How many digits answers may have after the decimal point: 0 for whole numbers, at most 4.",
                            "label": "Decimal places",
                            "max_value": 4,
                            "min_value": 0,
                        },
                    ),
                    10: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "help_text": "Answers are percentages from 0 to 100: the smallest and largest answers are set to 0 and 100, and the unit to %.",
                            "label": "Percentage",
                            "required": False,
                        },
                    ),
                    11: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("label", 0),
                                ("key", 1),
                                ("help_text", 2),
                                ("required", 3),
                                ("filterable", 4),
                                ("unit", 6),
                                ("minimum", 7),
                                ("maximum", 8),
                                ("decimal_places", 9),
                                ("percentage", 10),
                            ]
                        ],
                        {},
                    ),
                    12: ("wagtail.blocks.CharBlock", (), {"label": "Option", "max_length": 100}),
                    13: ("wagtail.blocks.ListBlock", (12,), {"label": "Options", "min_num": 2}),
                    14: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("label", 0),
                                ("key", 1),
                                ("help_text", 2),
                                ("required", 3),
                                ("filterable", 4),
                                ("options", 13),
                            ]
                        ],
                        {},
                    ),
                },
                help_text="What every offering on this lot must say about itself, and how.",
                verbose_name="offering questions",
            ),
        ),
    ]
