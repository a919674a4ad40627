"""Public pages: an offering and a supplier's profile, as buyers and anyone else see them.

Only listable offerings appear (selectors.listable_offerings): drafts, offerings under a
suspended or excluded appointment, and those of suppliers debarred on a mandatory ground are
simply not found. A discretionary debarment is shown to buyers and authorities, who decide.
"""

from itertools import groupby

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.pagination import paginate
from frameworks.debarment_views import debarment_notices
from search.compare import BACK_PARAMETER, is_comparison, return_url
from suppliers import selectors
from suppliers.sme import sme_status

from .display import SIZE_LABELS, answer_rows

OFFERINGS_PER_PAGE = 20


def _lot_url(request, lot) -> str:
    """The lot's page, a route of its framework page."""
    framework = lot.framework
    return framework.get_url(request) + framework.reverse_subpage(
        "lot", kwargs={"number": lot.number}
    )


def offering_page(request, pk):
    """An offering; opened from a search or a comparison (`back`, their path and query), with
    a link back to it."""
    offering = selectors.get_listable_offering(pk=pk, on=timezone.localdate())
    lot = offering.lot
    back_url = return_url(request.GET.get(BACK_PARAMETER, ""))
    return render(
        request,
        "suppliers/public_offering.html",
        {
            "offering": offering,
            "supplier": offering.supplier,
            "lot": lot,
            "framework": lot.framework,
            "lot_url": _lot_url(request, lot),
            "answers": answer_rows(offering),
            "back_url": back_url,
            "back_text": _("Back to the comparison")
            if back_url and is_comparison(back_url)
            else _("Back to your search"),
            **debarment_notices(request, offering.supplier),
        },
    )


def supplier_page(request, slug):
    supplier = selectors.public_supplier(slug=slug)
    today = timezone.localdate()
    profile = getattr(supplier, "supplier_profile", None)
    size = sme_status(profile) if profile else None
    appointments = selectors.public_appointments(supplier=supplier, on=today)
    frameworks = [
        (framework, [(appointment.lot, _lot_url(request, appointment.lot)) for appointment in rows])
        for framework, rows in groupby(appointments, key=lambda a: a.lot.framework)
    ]
    offerings = selectors.listable_offerings_of_supplier(supplier=supplier, on=today)
    page = paginate(request, offerings, per_page=OFFERINGS_PER_PAGE)
    return render(
        request,
        "suppliers/public_supplier.html",
        {
            "supplier": supplier,
            "profile": profile,
            "size": {"label": SIZE_LABELS[size.size], "basis": size.basis} if size else None,
            "frameworks": frameworks,
            "page_obj": page,
            **debarment_notices(request, supplier),
        },
    )


def lot_offerings_section(request, lot) -> str:
    """The lot page's list of the lot's listable offerings, a page at a time.

    Until search exists this list is how a buyer browses a lot; the search issue adds a link
    from here to search filtered by the lot.

    Registered on frameworks' lot page hook (see suppliers.wagtail_hooks), so the frameworks
    app shows offerings without depending on suppliers.
    """
    offerings = selectors.listable_offerings_on_lot(lot=lot, on=timezone.localdate())
    page = paginate(request, offerings, per_page=OFFERINGS_PER_PAGE)
    return render_to_string(
        "suppliers/includes/lot_offerings.html", {"page_obj": page}, request=request
    )
