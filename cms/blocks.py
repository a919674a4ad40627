"""StreamField blocks for editorial pages, each rendered with GOV.UK Frontend markup."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

# Rich text is kept to what GOV.UK body copy supports; headings have their own block so that
# the heading order of a page stays under the editor's control.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
INSET_FEATURES = ["bold", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (h2)")), ("h3", _("Sub-heading (h3)"))],
        default="h2",
        help_text=_("Use a section heading first; sub-headings belong under a section."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading.html"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "cms/blocks/paragraph.html"


class InsetTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", INSET_FEATURES)
        kwargs.setdefault(
            "help_text",
            _("Information the reader needs to notice, such as an exception or a quote."),
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "openquote"
        label = _("Inset text")
        template = "cms/blocks/inset_text.html"


class WarningTextBlock(blocks.CharBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("Something the reader must do, or a legal consequence they must know of."),
        )
        super().__init__(**kwargs)
        # A plain block straight in a StreamField renders its input with no <label>: name it.
        self.field.widget.attrs["aria-label"] = str(self.meta.label)

    class Meta:
        icon = "warning"
        label = _("Warning text")
        template = "cms/blocks/warning_text.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(label=_("Summary"), max_length=120)
    body = blocks.RichTextBlock(label=_("Content"), features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "arrow-down"
        label = _("Details (expandable)")
        template = "cms/blocks/details.html"


class TableBlock(blocks.StructBlock):
    """A plain table: a caption, column headings and rows of text cells."""

    caption = blocks.CharBlock(label=_("Caption"), max_length=200)
    headers = blocks.ListBlock(
        blocks.CharBlock(label=_("Column heading"), max_length=100),
        label=_("Column headings"),
        min_num=1,
    )
    rows = blocks.ListBlock(
        blocks.ListBlock(blocks.CharBlock(label=_("Cell"), required=False), label=_("Row")),
        label=_("Rows"),
        min_num=1,
    )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "cms/blocks/table.html"

    def clean(self, value):
        value = super().clean(value)
        width = len(value["headers"])
        for number, row in enumerate(value["rows"], start=1):
            if len(row) != width:
                raise blocks.StructBlockValidationError(
                    non_block_errors=[
                        ValidationError(
                            _("Row %(number)s has %(cells)s cells but there are %(width)s columns")
                            % {"number": number, "cells": len(row), "width": width}
                        )
                    ]
                )
        return value


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    inset_text = InsetTextBlock()
    warning_text = WarningTextBlock()
    details = DetailsBlock()
    table = TableBlock()


class NavigationLinkBlock(blocks.StructBlock):
    """One service navigation link: a page on the site, or a path or address."""

    label = blocks.CharBlock(label=_("Label"), max_length=40)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("Path or address"),
        required=False,
        max_length=300,
        help_text=_("Used when no page is chosen: a path such as /search/ or an https:// address"),
    )

    class Meta:
        icon = "link"
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        page, url = value.get("page"), (value.get("url") or "").strip()
        errors = {}
        if page and url:
            errors["url"] = ValidationError(_("Choose a page or enter a path, not both"))
        elif not page and not url:
            errors["page"] = ValidationError(_("Choose a page or enter a path"))
        elif url and not url.startswith(("/", "https://")):
            errors["url"] = ValidationError(
                _("Enter a path starting with / or an https:// address")
            )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value
