"""The review queue and the review of one offering (registered as a viewset in
suppliers/wagtail_hooks.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.ui.tables import Column, TitleColumn

from frameworks.admin.access import authorities_where
from frameworks.admin.listing import AuthorityListingView, CellColumn
from frameworks.admin.views import AuthorityAdminMixin
from marketplace.exceptions import DomainError
from marketplace.organisations.roles import Action

from .. import selectors, services
from ..models import Offering
from .comparison import compare
from .forms import RejectOfferingForm


def admin_url(name: str, *args) -> str:
    return reverse(f"suppliers_admin:{name}", args=args)


class ReviewQueueView(AuthorityListingView):
    """The authority's offerings, those awaiting review first."""

    action = Action.REVIEW_OFFERINGS
    page_title = gettext_lazy("Offerings to review")

    def get_base_queryset(self):
        return selectors.offerings_for_review(authority=self.authority)

    def get_caption(self):
        return _("Offerings on %(name)s's frameworks, those awaiting review first") % {
            "name": self.authority.name
        }

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title", label=_("Offering"), get_url=lambda row: admin_url("review", row.pk)
            ),
            Column("supplier", label=_("Supplier"), accessor="supplier.name"),
            CellColumn(
                "lot", label=_("Framework and lot"), template_name="suppliers/admin/cells.html"
            ),
            Column("status", label=_("Status"), accessor="get_status_display"),
            CellColumn(
                "awaiting_review",
                label=_("Awaiting review"),
                template_name="suppliers/admin/cells.html",
            ),
        ]


class ReviewAdminMixin(AuthorityAdminMixin):
    action = Action.REVIEW_OFFERINGS
    index_label = gettext_lazy("Offerings to review")


class OfferingReviewView(ReviewAdminMixin, TemplateView):
    """One offering: what would change, the decision, and its history."""

    template_name = "suppliers/admin/review.html"

    def dispatch(self, request, *args, **kwargs):
        # Someone who reviews for no authority learns nothing, not even that the offering exists.
        if not authorities_where(request.user, self.action):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def load_offering(self) -> Offering:
        self.offering = selectors.get_offering_for_review(
            authority=self.authority, pk=self.kwargs["pk"]
        )
        return self.offering

    def get(self, request, *args, **kwargs):
        self.load_offering()
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Review %(title)s") % {"title": self.offering.title}

    def get_context_data(self, reject_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        offering = self.offering
        if offering.awaiting_review:
            proposed = offering.submitted_revision.as_object()
            lines = compare(live=offering if offering.live else None, proposed=proposed)
        else:
            lines = compare(live=None, proposed=offering)
        context.update(
            offering=offering,
            lines=lines,
            reject_form=reject_form or RejectOfferingForm(),
            revisions=offering.revisions.select_related("user").order_by("-created_at", "-pk"),
            approve_url=admin_url("approve", offering.pk),
            reject_url=admin_url("reject", offering.pk),
        )
        return context


class ApproveOfferingView(OfferingReviewView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        offering = self.load_offering()
        try:
            approved = services.approve_offering(
                actor=request.user, authority=self.authority, offering=offering
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(admin_url("review", offering.pk))
        messages.success(request, _("%(title)s is approved and live") % {"title": approved.title})
        return redirect(self.get_index_url())


class RejectOfferingView(OfferingReviewView):
    http_method_names = ["post"]

    def get_page_title(self):
        return _("Error: %(title)s") % {"title": super().get_page_title()}

    def post(self, request, *args, **kwargs):
        offering = self.load_offering()
        form = RejectOfferingForm(request.POST)
        if form.is_valid():
            try:
                services.reject_offering(
                    actor=request.user,
                    authority=self.authority,
                    offering=offering,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                messages.error(request, error.message)
                return redirect(admin_url("review", offering.pk))
            messages.success(
                request,
                _("%(title)s is rejected; the supplier can see your reason")
                % {"title": offering.title},
            )
            return redirect(self.get_index_url())
        return self.render_to_response(self.get_context_data(reject_form=form))
