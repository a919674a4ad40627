"""The reviewer's panel on the Wagtail admin home page."""

from django.utils.http import urlencode

from wagtail.admin.ui.components import Component

from .. import selectors
from .filters import YES
from .views import admin_url


class OfferingsToReviewPanel(Component):
    name = "offerings_to_review"
    template_name = "suppliers/admin/home_panel.html"
    order = 50  # before Wagtail's own workflow panels: reviewing is the reviewer's main job

    def __init__(self, authority):
        self.authority = authority

    def get_context_data(self, parent_context):
        return {
            "authority": self.authority,
            "waiting": selectors.offerings_for_review(authority=self.authority)
            .filter(submitted_revision__isnull=False)
            .count(),
            "queue_url": f"{admin_url('index')}?{urlencode({'awaiting_review': YES})}",
        }
