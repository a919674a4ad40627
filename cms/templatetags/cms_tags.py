"""Template helpers for the GOV.UK shell: navigation, rich text and pagination."""

import re
from urllib.parse import urlencode

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from wagtail.rich_text import RichText

from cms.navigation import navigation_items

register = template.Library()

# Wagtail's rich text (already sanitised by its converter) carries no classes; GOV.UK styles
# come from classes on each element, so they are added here on the way out.
_GOVUK_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
}
_OPENING_TAG = re.compile(r"<(p|ul|ol|a|h2|h3|h4)(?=[\s>])")


@register.filter
def govuk_richtext(value) -> SafeString:
    """Render a RichText value (or its HTML) with GOV.UK typography classes."""
    html = str(value) if isinstance(value, RichText | SafeString) else conditional_escape(value)
    return mark_safe(  # noqa: S308 - input is Wagtail's sanitised rich text or escaped text
        _OPENING_TAG.sub(lambda m: f'<{m[1]} class="{_GOVUK_CLASSES[m[1]]}"', html)
    )


@register.inclusion_tag("includes/service_navigation_items.html", takes_context=True)
def service_navigation(context) -> dict:
    request = context.get("request")
    return {"items": navigation_items(request) if request is not None else []}


def _page_href(query: dict, number: int) -> str:
    return "?" + urlencode({**query, "page": number})


@register.inclusion_tag("includes/pagination.html")
def govuk_pagination(page_obj, query: dict | None = None) -> dict:
    """GOV.UK pagination for a Django Page: first, last, and the pages around the current one."""
    query = {key: value for key, value in (query or {}).items() if key != "page"}
    paginator = page_obj.paginator
    current = page_obj.number
    wanted = {1, paginator.num_pages, current - 1, current, current + 1}
    items, previous = [], 0
    for number in sorted(n for n in wanted if 1 <= n <= paginator.num_pages):
        if previous and number - previous > 1:
            items.append({"ellipsis": True})
        items.append(
            {"number": number, "href": _page_href(query, number), "current": number == current}
        )
        previous = number
    return {
        "show": paginator.num_pages > 1,
        "items": items,
        "previous_href": (
            _page_href(query, page_obj.previous_page_number()) if page_obj.has_previous() else ""
        ),
        "next_href": _page_href(query, page_obj.next_page_number()) if page_obj.has_next() else "",
    }
