"""A lot's attribute schema: the typed questions every offering on the lot answers.

Editors build the schema from StreamField blocks; the rest of the code reads it as a list of
AttributeSpec, which drives offering forms, validation, imports and search filters.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class AttributeKind:
    TEXT = "text"
    NUMBER = "number"
    YES_NO = "yes_no"
    ONE_OF = "one_of"
    MANY_OF = "many_of"


# A number question's bounds. Defaults are what schemas written before bounds existed get.
DEFAULT_MINIMUM = Decimal(0)
DEFAULT_MAXIMUM = Decimal(1_000_000_000)
DEFAULT_DECIMAL_PLACES = 2
MAX_DECIMAL_PLACES = 4
# Answers are stored as JSON numbers (doubles), exact to 15 significant digits: bounds of at
# most 11 whole digits plus 4 decimal places keep every answer exact.
BOUND_LIMIT = Decimal(99_999_999_999)
PERCENTAGE_UNIT = "%"


@dataclass(frozen=True)
class AttributeSpec:
    key: str
    label: str
    kind: str
    required: bool = False
    filterable: bool = False
    help_text: str = ""
    unit: str = ""
    options: tuple[str, ...] = field(default_factory=tuple)
    # Number questions only.
    minimum: Decimal = DEFAULT_MINIMUM
    maximum: Decimal = DEFAULT_MAXIMUM
    decimal_places: int = DEFAULT_DECIMAL_PLACES
    percentage: bool = False


class _AttributeBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        label=_("Question"), max_length=120, help_text=_("As suppliers and buyers will read it.")
    )
    key = blocks.CharBlock(
        label=_("Key"),
        max_length=50,
        required=False,
        help_text=_("Column name in imports and exports; made from the question if left blank."),
    )
    help_text = blocks.CharBlock(label=_("Hint"), max_length=250, required=False)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
    filterable = blocks.BooleanBlock(
        label=_("Buyers can filter search results by this"), required=False
    )

    kind: str = ""

    def clean(self, value):
        value = super().clean(value)
        value["key"] = slugify(value.get("key") or value["label"]).replace("-", "_")[:50]
        return value

    def to_spec(self, value) -> AttributeSpec:
        return AttributeSpec(
            key=value["key"] or slugify(value["label"]).replace("-", "_")[:50],
            label=value["label"],
            kind=self.kind,
            required=bool(value["required"]),
            filterable=bool(value["filterable"]),
            help_text=value.get("help_text") or "",
            unit=value.get("unit") or "",
            options=tuple(value.get("options") or ()),
        )


class TextAttributeBlock(_AttributeBlock):
    kind = AttributeKind.TEXT

    class Meta:
        icon = "edit"
        label = _("Text")


def _bound_block(label, default, help_text) -> blocks.DecimalBlock:
    return blocks.DecimalBlock(
        label=label,
        default=default,
        min_value=-BOUND_LIMIT,
        max_value=BOUND_LIMIT,
        decimal_places=MAX_DECIMAL_PLACES,
        help_text=help_text,
    )


class NumberAttributeBlock(_AttributeBlock):
    unit = blocks.CharBlock(
        label=_("Unit"), max_length=30, required=False, help_text=_("For example: users, GB, days.")
    )
    minimum = _bound_block(
        _("Smallest answer"), DEFAULT_MINIMUM, _("Answers below this are refused.")
    )
    maximum = _bound_block(
        _("Largest answer"),
        DEFAULT_MAXIMUM,
        _("Answers above this are refused. At most 99,999,999,999."),
    )
    decimal_places = blocks.IntegerBlock(
        label=_("Decimal places"),
        default=DEFAULT_DECIMAL_PLACES,
        min_value=0,
        max_value=MAX_DECIMAL_PLACES,
        help_text=_(
            "How many digits answers may have after the decimal point: 0 for whole numbers, "
            "at most 4."
        ),
    )
    percentage = blocks.BooleanBlock(
        label=_("Percentage"),
        required=False,
        help_text=_(
            "Answers are percentages from 0 to 100: the smallest and largest answers are "
            "set to 0 and 100, and the unit to %."
        ),
    )
    kind = AttributeKind.NUMBER

    class Meta:
        icon = "decimal"
        label = _("Number")

    def clean(self, value):
        value = super().clean(value)
        if value["percentage"]:
            value["minimum"], value["maximum"] = Decimal(0), Decimal(100)
            value["unit"] = PERCENTAGE_UNIT
        if value["minimum"] > value["maximum"]:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "maximum": ValidationError(
                        _("The largest answer must not be below the smallest")
                    )
                }
            )
        return value

    def to_spec(self, value) -> AttributeSpec:
        spec = super().to_spec(value)
        percentage = bool(value.get("percentage"))
        return replace(
            spec,
            unit=PERCENTAGE_UNIT if percentage else spec.unit,
            minimum=Decimal(0) if percentage else _or(value.get("minimum"), DEFAULT_MINIMUM),
            maximum=Decimal(100) if percentage else _or(value.get("maximum"), DEFAULT_MAXIMUM),
            decimal_places=_or(value.get("decimal_places"), DEFAULT_DECIMAL_PLACES),
            percentage=percentage,
        )


def _or(value, default):
    """A bound as saved, or its default when the editor left it empty."""
    return default if value is None else value


class YesNoAttributeBlock(_AttributeBlock):
    kind = AttributeKind.YES_NO

    class Meta:
        icon = "tick"
        label = _("Yes or no")


def _option_block() -> blocks.CharBlock:
    option = blocks.CharBlock(label=_("Option"), max_length=100)
    # A list's items are drawn with no label of their own; the input names itself instead.
    # (An attribute, not a subclass, so the saved block definition is unchanged.)
    option.field.widget.attrs["aria-label"] = _("Option")
    return option


class _ChoiceAttributeBlock(_AttributeBlock):
    options = blocks.ListBlock(_option_block(), label=_("Options"), min_num=2)

    def clean(self, value):
        value = super().clean(value)
        options = [option.strip() for option in value["options"]]
        if len({option.lower() for option in options}) != len(options):
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError(_("Each option must be different"))}
            )
        return value


class OneOfAttributeBlock(_ChoiceAttributeBlock):
    kind = AttributeKind.ONE_OF

    class Meta:
        icon = "radio-full"
        label = _("One of a list")


class ManyOfAttributeBlock(_ChoiceAttributeBlock):
    kind = AttributeKind.MANY_OF

    class Meta:
        icon = "list-ul"
        label = _("Any of a list")


class AttributeSchemaBlock(blocks.StreamBlock):
    text = TextAttributeBlock()
    number = NumberAttributeBlock()
    yes_no = YesNoAttributeBlock()
    one_of = OneOfAttributeBlock()
    many_of = ManyOfAttributeBlock()

    def clean(self, value):
        value = super().clean(value)
        keys = [child.value["key"] for child in value]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise blocks.StreamBlockValidationError(
                non_block_errors=[
                    ValidationError(
                        _("Two attributes share the key %(keys)s: give each a different key")
                        % {"keys": ", ".join(duplicates)}
                    )
                ]
            )
        return value


def specs_from_stream(stream) -> list[AttributeSpec]:
    return [child.block.to_spec(child.value) for child in stream]
