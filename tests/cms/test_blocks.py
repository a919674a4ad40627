from django.utils.safestring import mark_safe

from wagtail.blocks import StructBlockValidationError

import pytest

from cms.blocks import NavigationLinkBlock, TableBlock, WarningTextBlock
from cms.templatetags.cms_tags import govuk_richtext


def _table(rows):
    block = TableBlock()
    return block, block.to_python(
        {"caption": "Levy rates", "headers": ["Lot", "Rate"], "rows": rows}
    )


def test_table_rows_must_match_the_columns():
    block, value = _table([["Lot 1", "1%"], ["Lot 2"]])

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)

    assert error.value.non_block_errors.as_data()[0].messages == [
        "Row 2 has 1 cells but there are 2 columns"
    ]


def test_table_with_full_rows_is_valid():
    block, value = _table([["Lot 1", "1%"], ["Lot 2", "0.5%"]])

    assert [list(row) for row in block.clean(value)["rows"]] == [["Lot 1", "1%"], ["Lot 2", "0.5%"]]


@pytest.mark.django_db
def test_navigation_link_needs_a_page_or_a_path():
    block = NavigationLinkBlock()

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"label": "Help", "page": None, "url": ""}))

    assert error.value.block_errors["page"].messages == ["Choose a page or enter a path"]


@pytest.mark.django_db
def test_navigation_link_refuses_other_schemes():
    block = NavigationLinkBlock()

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"label": "Help", "page": None, "url": "javascript:alert(1)"}))

    assert error.value.block_errors["url"].messages == [
        "Enter a path starting with / or an https:// address"
    ]


def test_rich_text_gets_govuk_classes():
    html = govuk_richtext(
        mark_safe('<p data-block-key="a">See <a href="/x">this</a></p><ul><li>1</li></ul>')
    )

    assert html == (
        '<p class="govuk-body" data-block-key="a">See <a class="govuk-link" href="/x">this</a></p>'
        '<ul class="govuk-list govuk-list--bullet"><li>1</li></ul>'
    )


def test_plain_text_is_escaped_not_styled():
    assert govuk_richtext("<p>hi</p>") == "&lt;p&gt;hi&lt;/p&gt;"


def test_warning_text_input_is_named_for_assistive_technology():
    # Straight in a StreamField, Wagtail renders the block's input with no <label>.
    widget_html = WarningTextBlock().field.widget.render("body-0-value", "")

    assert 'aria-label="Warning text"' in widget_html
