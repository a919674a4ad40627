"""A supplier's direct-award offers (ranked list with rotation): accept or decline.

Only the supplier's own offers are found (another's is a 404). Overdue offers lapse as the
pages load, so an offer shown as open can still be answered.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.pagination import paginate
from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.roles import Action

from ..models import RotationOffer
from ..rotation_forms import DeclineOfferForm
from ..selectors import rotation as selectors
from ..services import rotation as services
from .access import supplier_required

OFFERS_PER_PAGE = 20


@supplier_required
def offer_list(request, organisation):
    services.lapse_overdue_offers(on=timezone.localdate(), supplier=organisation)
    page_obj = paginate(
        request, selectors.offers_for_supplier(organisation=organisation), per_page=OFFERS_PER_PAGE
    )
    return render(
        request,
        "calloffs/rotation/offer_list.html",
        {"organisation": organisation, "page_obj": page_obj},
    )


@supplier_required
@require_http_methods(["GET", "POST"])
def offer_detail(request, organisation, pk):
    offer = selectors.get_offer_for_supplier(organisation=organisation, pk=pk)
    if offer.status == RotationOffer.Status.OFFERED:
        services.lapse_overdue_offers(on=timezone.localdate(), supplier=organisation)
        offer.refresh_from_db(fields=["status"])
    may_answer = policy.can(request.user, Action.ANSWER_CALLOFFS, organisation)
    form = DeclineOfferForm()
    refusal = None
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        accepting = request.POST.get("action") == "accept"
        form = DeclineOfferForm(None if accepting else request.POST)
        try:
            if accepting:
                services.accept_offer(actor=request.user, offer=offer)
                messages.success(
                    request,
                    _("You accepted the offer. %(buyer)s will confirm the award.")
                    % {"buyer": offer.project.organisation},
                )
                return redirect("supplier_calloffs:offer", offer.pk)
            if form.is_valid():
                services.decline_offer(
                    actor=request.user, offer=offer, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("You declined the offer."))
                return redirect("supplier_calloffs:offer", offer.pk)
        except DomainError as error:
            if error.code == "reason":
                form.add_error("reason", str(error))
            else:
                refusal = str(error)
        offer.refresh_from_db()
    return render(
        request,
        "calloffs/rotation/offer_detail.html",
        {
            "organisation": organisation,
            "offer": offer,
            "project": offer.project,
            "may_answer": may_answer,
            "form": form,
            "refusal": refusal,
        },
        status=400 if refusal or form.errors else 200,
    )


urlpatterns = [
    path("offers/", offer_list, name="offer-list"),
    path("offers/<int:pk>/", offer_detail, name="offer"),
]
