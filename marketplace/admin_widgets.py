"""Admin widgets that start without an inline script, which the admin's content security
policy refuses: the call is written as data for marketplace/admin/init-widgets.js to make."""

import json

from django.utils.html import format_html

from wagtail.documents.widgets import AdminDocumentChooser


def init_marker(initialiser: str, *args) -> str:
    """A hidden element asking init-widgets.js to run `initialiser(*args)` once on the page."""
    return format_html(
        '<span hidden data-admin-init="{}" data-admin-init-args="{}"></span>',
        initialiser,
        json.dumps(args),
    )


class StartsWithoutInlineScript:
    """For a Wagtail chooser widget (BaseChooser): the same markup, the same initialiser."""

    def render(self, name, value, attrs=None, renderer=None):
        value_data = self.get_value_data(value)
        return format_html(
            "{}{}",
            self.render_html(name, value_data, attrs),
            init_marker(
                self.js_constructor,
                attrs["id"],
                self.get_js_init_options(attrs["id"], name, value_data),
            ),
        )


class DocumentChooser(StartsWithoutInlineScript, AdminDocumentChooser):
    pass
