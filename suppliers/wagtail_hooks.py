"""The suppliers app in Wagtail: the authority's review of supplier offerings, and who may
download a document.

Reviewers and framework managers of an authority see the offerings on its frameworks under
/admin/offerings/ (a viewset: the filtered queue and each offering's review), compare what a
supplier submitted with what is live, and approve or reject it. The views are suppliers.admin
views, scoped to the authority the user acts for.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from frameworks.admin.access import acting_authority, authorities_where
from frameworks.admin.listing import SectionViewSet
from marketplace.organisations.roles import Action

from .admin import views
from .admin.filters import OfferingReviewFilterSet
from .admin.home import OfferingsToReviewPanel
from .documents import can_download_document
from .models import Offering
from .views.public import lot_offerings_section


class OfferingReviewViewSet(SectionViewSet):
    model = Offering
    icon = "tasks"
    menu_label = _("Offerings to review")
    menu_name = "offerings-to-review"
    menu_order = 240
    url_prefix = "offerings"
    index_view_class = views.ReviewQueueView
    filterset_class = OfferingReviewFilterSet
    list_per_page = 50
    screens = {
        "<int:pk>/": ("review", views.OfferingReviewView),
        "<int:pk>/approve/": ("approve", views.ApproveOfferingView),
        "<int:pk>/reject/": ("reject", views.RejectOfferingView),
    }

    def is_shown(self, request):
        return bool(authorities_where(request.user, Action.REVIEW_OFFERINGS))


@hooks.register("register_admin_viewset")
def register_offering_review_viewset():
    return OfferingReviewViewSet("suppliers_admin")


@hooks.register("construct_homepage_panels")
def add_offerings_to_review_panel(request, panels):
    authority = acting_authority(request, Action.REVIEW_OFFERINGS)
    if authority is not None:
        panels.append(OfferingsToReviewPanel(authority))


@hooks.register("before_serve_document")
def refuse_documents_the_user_may_not_download(document, request):
    # The same 404 as for an unknown id: ids are sequential, so a refusal must reveal nothing.
    if not can_download_document(request.user, document):
        raise Http404


hooks.register("frameworks_lot_page_sections", lot_offerings_section)
