"""The public-site page where a buyer or authority records its decision on a discretionary
debarment list entry, reached from the warning on the supplier's pages or the admin list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.views import safe_next_url
from marketplace.exceptions import DomainError

from . import debarment, selectors
from .forms import DebarmentDecisionForm
from .views import acting_organisation


@login_required
def record_decision(request, pk):
    organisation = acting_organisation(request)
    if not debarment.may_record_decision(request.user, organisation):
        raise Http404
    entry = get_object_or_404(selectors.discretionary_debarments(on=timezone.localdate()), pk=pk)
    current = selectors.debarment_decisions(organisation=organisation, entries=[entry]).get(
        entry.pk
    )
    back_url = safe_next_url(request) or reverse("suppliers:supplier", args=(entry.supplier.slug,))
    initial = {"decision": current.decision, "reason": current.reason} if current else None
    form = DebarmentDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            debarment.record_debarment_decision(
                actor=request.user,
                organisation=organisation,
                entry=entry,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your organisation's decision on %(supplier)s is recorded")
                % {"supplier": entry.supplier},
            )
            return redirect(back_url)
    return render(
        request,
        "frameworks/debarment_decision.html",
        {
            "entry": entry,
            "organisation": organisation,
            "current": current,
            "form": form,
            "back_url": back_url,
        },
    )


def debarment_notices(request, supplier) -> dict:
    """Context for frameworks/includes/debarment_notices.html on a page where a buyer or an
    authority meets `supplier`: its discretionary entries in force, each with the acting
    organisation's decision, and whether this user may record one."""
    organisation = acting_organisation(request)
    if organisation is None or organisation.kind not in debarment.DECISION_ACTIONS:
        return {"debarment_notices": []}
    return {
        "debarment_notices": selectors.debarment_notices(
            supplier=supplier, organisation=organisation, on=timezone.localdate()
        ),
        "may_record_decision": debarment.may_record_decision(request.user, organisation),
        "here": request.get_full_path(),
    }
