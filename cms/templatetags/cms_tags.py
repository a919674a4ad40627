"""Template helpers for the GOV.UK shell: navigation, rich text, pagination and tables."""

import re

from django import template
from django.http import QueryDict
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from wagtail.rich_text import RichText

from cms.navigation import navigation_items, role_navigation_items
from cms.pagination import page_links

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
    """The site's links (from the CMS), then the signed-in user's own places."""
    request = context.get("request")
    if request is None:
        return {"items": []}
    return {"items": [*navigation_items(request), *role_navigation_items(request)]}


@register.simple_tag(takes_context=True)
def your_places(context) -> list:
    """The signed-in user's own places, as the service navigation links them."""
    request = context.get("request")
    return role_navigation_items(request) if request is not None else []


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def govuk_pagination(context, page_obj) -> dict:
    """GOV.UK pagination for a page from cms.pagination.paginate, keeping the request's query."""
    request = context.get("request")
    return page_links(page_obj, request.GET if request is not None else QueryDict())


class TableContainerNode(template.Node):
    def __init__(self, label: template.base.FilterExpression, nodelist: template.NodeList):
        self.label = label
        self.nodelist = nodelist

    def render(self, context) -> SafeString:
        return format_html(
            '<div class="app-table-container" role="region" aria-label="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def table_container(parser, token) -> TableContainerNode:
    """A table that may be wider than a small screen scrolls in its own labelled region, which
    keyboard users can focus and scroll, instead of widening the page (WCAG 2.2 1.4.10):

        {% table_container "Your offerings" %}<table>…</table>{% endtable_container %}
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the region's label")
    nodelist = parser.parse(("endtable_container",))
    parser.delete_first_token()
    return TableContainerNode(parser.compile_filter(bits[1]), nodelist)
