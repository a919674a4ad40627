"""A lot's attribute schema: the typed questions every offering on the lot answers.

Editors build the schema from StreamField blocks; the rest of the code reads it as a list of
AttributeSpec, which drives offering forms, validation, imports and search filters.
"""

from dataclasses import dataclass, field

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


class NumberAttributeBlock(_AttributeBlock):
    unit = blocks.CharBlock(
        label=_("Unit"), max_length=30, required=False, help_text=_("For example: users, GB, days.")
    )
    kind = AttributeKind.NUMBER

    class Meta:
        icon = "decimal"
        label = _("Number")


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
