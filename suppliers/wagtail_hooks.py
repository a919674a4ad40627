"""The suppliers app in Wagtail: the authority's review of supplier offerings, and who may
download a document.

Reviewers and framework managers of an authority see the offerings on its frameworks under
/admin/offerings/, compare what a supplier submitted with what is live, and approve or reject
it. The views are suppliers.admin views, scoped to the authority the user acts for.
"""

from django.http import Http404
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from frameworks.admin.access import acting_authority, authorities_where
from marketplace.organisations.roles import Action

from .admin import views
from .admin.home import OfferingsToReviewPanel
from .documents import can_download_document
from .views.public import lot_offerings_section

admin_urlpatterns = [
    path("", views.ReviewQueueView.as_view(), name="queue"),
    path("<int:pk>/", views.OfferingReviewView.as_view(), name="review"),
    path("<int:pk>/approve/", views.ApproveOfferingView.as_view(), name="approve"),
    path("<int:pk>/reject/", views.RejectOfferingView.as_view(), name="reject"),
]


@hooks.register("register_admin_urls")
def register_suppliers_admin_urls():
    return [path("offerings/", include((admin_urlpatterns, "suppliers_admin")))]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(authorities_where(request.user, Action.REVIEW_OFFERINGS))


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return ReviewerMenuItem(
        _("Offerings to review"),
        reverse("suppliers_admin:queue"),
        name="offerings-to-review",
        icon_name="tasks",
        order=240,
    )


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
