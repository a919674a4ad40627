"""The public framework pages: the list with filters, an authority's frameworks, a framework
and a lot. The page models' get_context() delegate here; Wagtail serves live pages only."""

from collections import Counter
from datetime import date
from decimal import Decimal
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks

from cms.pagination import paginate
from marketplace.calloffs.selectors.projects import buyer_home_panel
from marketplace.organisations.models import Organisation
from marketplace.organisations.roles import OrganisationKind

from . import selectors, terms
from .eligibility import eligibility
from .forms import FrameworkFilterForm
from .lifecycle import Lifecycle, status_from_dates
from .models import FrameworkPage, Lot, Regime

PAGE_SIZE = 20
# Apps that build on frameworks add sections to a lot page through this Wagtail hook, so the
# page can show their content without frameworks importing them: each function registered
# takes (request, lot) and returns HTML (suppliers adds the lot's offerings).
LOT_PAGE_SECTIONS_HOOK = "frameworks_lot_page_sections"
# The form sends FILTERED_MARKER (a hidden input) so that a form sent with every box unticked
# still counts as filtered, not as a first visit with the buyer's defaults.
FILTERED_MARKER = "filtered"
FILTER_NAMES = ("authority", "status", "category", "eligible", "include_expired", FILTERED_MARKER)

# GOV.UK Frontend tag colours: green for what buyers or suppliers can act on now.
STATUS_TAG_CLASSES = {
    Lifecycle.COMING: "govuk-tag--light-blue",
    Lifecycle.OPEN: "govuk-tag--green",
    Lifecycle.EVALUATING: "govuk-tag--yellow",
    Lifecycle.STANDSTILL: "govuk-tag--orange",
    Lifecycle.LIVE: "govuk-tag--turquoise",
    Lifecycle.EXPIRED: "govuk-tag--grey",
    Lifecycle.SUSPENDED: "govuk-tag--red",
}


def status_tag(status: str) -> dict:
    status = Lifecycle(status)
    return {"value": status.value, "label": status.label, "classes": STATUS_TAG_CLASSES[status]}


def acting_organisation(request: HttpRequest) -> Organisation | None:
    organisation = getattr(request, "organisation", None)
    return organisation if organisation else None


# The list ------------------------------------------------------------------------------------


def framework_page_of(request: HttpRequest, queryset: QuerySet[FrameworkPage]) -> dict:
    page_obj = paginate(request, selectors.with_lot_counts(queryset), per_page=PAGE_SIZE)
    for framework in page_obj.object_list:
        framework.status_tag = status_tag(framework.lifecycle)
    return {"page_obj": page_obj}


def framework_index_context(request: HttpRequest, index_page, *, today: date | None = None) -> dict:
    """Published frameworks, filtered by the GET form, with facet counts and a page of 20."""
    today = today or timezone.localdate()
    organisation = acting_buyer(request)
    published = selectors.published_frameworks(today=today)
    authorities = selectors.authorities_publishing(published)
    form = FrameworkFilterForm(
        request.GET if any(name in request.GET for name in FILTER_NAMES) else None,
        authorities=[(authority.slug, authority.name) for authority in authorities],
        categories=selectors.cpv_divisions(),
        with_eligibility=organisation is not None,
    )
    defaults = {
        "authority": [],
        "status": [],
        "category": "",
        "eligible": organisation is not None,
        "include_expired": False,
    }
    filters = form.filters() if form.is_bound else defaults
    form.set_counts(selectors.framework_facet_counts(published, filters, organisation=organisation))
    frameworks = selectors.filtered_frameworks(published, filters, organisation=organisation)
    if organisation is not None:
        frameworks = selectors.with_eligibility(frameworks, organisation=organisation)
    return {
        "filter_form": form,
        "filtered_marker": FILTERED_MARKER,
        "is_filtered": filters != defaults,
        "only_eligible": filters["eligible"] and organisation is not None,
        "shows_eligibility": organisation is not None,
        "ancestors": breadcrumb_pages(index_page),
        **framework_page_of(request, frameworks),
    }


def authority_context(request: HttpRequest, authority_page, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    frameworks = selectors.published_frameworks(today=today).descendant_of(authority_page)
    return {"ancestors": breadcrumb_pages(authority_page), **framework_page_of(request, frameworks)}


# A framework and its lots ----------------------------------------------------------------------


def _is_preview(request: HttpRequest) -> bool:
    return bool(getattr(request, "is_preview", False))


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def value_band(lot: Lot) -> str:
    low, high = lot.minimum_value, lot.maximum_value
    if low is not None and high is not None:
        return _("%(low)s to %(high)s") % {"low": pounds(low), "high": pounds(high)}
    if high is not None:
        return _("Up to %(high)s") % {"high": pounds(high)}
    if low is not None:
        return _("From %(low)s") % {"low": pounds(low)}
    return _("No limit set")


def lots_for_page(request: HttpRequest, framework: FrameworkPage, *, today: date) -> list[Lot]:
    """Published lots (database rows) with `current_appointments` and `contract_count`; a
    preview shows its draft, whose contracts are not counted (None)."""
    if _is_preview(request):
        lots = sorted(framework.lots.all(), key=lambda lot: lot.number)
        for lot in lots:
            lot.current_appointments = []
            lot.contract_count = None
    else:
        lots = selectors.lots_with_appointed_suppliers(framework=framework, on=today)
    base_url = framework.get_url(request) or ""
    for lot in lots:
        lot.value_band = value_band(lot)
        lot.href = base_url + framework.reverse_subpage("lot", kwargs={"number": lot.number})
    return lots


def eligibility_panel(request: HttpRequest, framework: FrameworkPage) -> dict:
    organisation = acting_organisation(request)
    if organisation is None:
        return {"organisation": None, "result": None}
    return {"organisation": organisation, "result": eligibility(framework, organisation)}


def framework_context(request: HttpRequest, framework: FrameworkPage) -> dict:
    today = timezone.localdate()
    reopenings = list(framework.reopenings.all())
    status = status_from_dates(
        today=today,
        applications_open_on=framework.applications_open_on,
        applications_close_on=framework.applications_close_on,
        award_on=framework.award_on,
        starts_on=framework.starts_on,
        ends_on=framework.ends_on,
        reopenings=[(reopening.opens_on, reopening.closes_on) for reopening in reopenings],
        is_suspended=framework.is_suspended,
    )
    lots = lots_for_page(request, framework, today=today)
    return {
        "status_tag": status_tag(status),
        "lots": lots,
        "contract_count": None if _is_preview(request) else sum(lot.contract_count for lot in lots),
        "cpv_codes": list(framework.cpv_codes.all()),
        "reopenings": reopenings,
        "scheme_periods": framework.scheme_periods() if framework.is_open_framework else [],
        "standstill_ends_on": framework.standstill_ends_on()
        if framework.regime == Regime.PROCUREMENT_ACT_2023
        else None,
        "documents": selectors.framework_documents(framework=framework),
        "contacts": list(framework.contacts.all()),
        "variations": terms.variation_rows(framework),
        "eligibility": eligibility_panel(request, framework),
        "ocds_href": f"/frameworks/{framework.slug}/ocds.json",
        "ancestors": breadcrumb_pages(framework),
    }


def breadcrumb_pages(page) -> list:
    return selectors.live_ancestors(page)


def lot_detail(request: HttpRequest, *, framework: FrameworkPage, number: int) -> TemplateResponse:
    """One lot of a published framework, with the suppliers appointed to it today."""
    today = timezone.localdate()
    lot = next(
        (lot for lot in lots_for_page(request, framework, today=today) if lot.number == number),
        None,
    )
    if lot is None:
        raise Http404("No such lot")
    sections = [] if _is_preview(request) else hooks.get_hooks(LOT_PAGE_SECTIONS_HOOK)
    return TemplateResponse(
        request,
        "frameworks/lot_detail.html",
        {
            "page": framework,
            "self": framework,
            "lot": lot,
            "sections": [section(request, lot) for section in sections],
            "status_tag": status_tag(framework.status_on(today)),
            "ancestors": [*breadcrumb_pages(framework), framework],
        },
    )


# The buyer home -------------------------------------------------------------------------------


def acting_buyer(request: HttpRequest) -> Organisation | None:
    organisation = acting_organisation(request)
    return organisation if organisation and organisation.kind == OrganisationKind.BUYER else None


def main_division(divisions: list[str]) -> str:
    """The CPV division most of a framework's codes are in; the lowest on a tie."""
    counts = Counter(divisions)
    return min(counts, key=lambda division: (-counts[division], division))


def frameworks_by_category(request: HttpRequest, frameworks: list[FrameworkPage]) -> list[dict]:
    """The frameworks under their main CPV division (a framework's codes often span several,
    but listing it under each would repeat it), each with its `lot_links`; frameworks with no
    CPV code come last, under "Other"."""
    ids = [framework.pk for framework in frameworks]
    lots = selectors.open_lots_of_frameworks(framework_ids=ids)
    lots_by_framework = {
        framework_id: list(rows)
        for framework_id, rows in groupby(lots, key=lambda lot: lot.framework_id)
    }
    for framework in frameworks:
        base_url = framework.get_url(request) or ""
        framework.lot_links = [
            (lot, base_url + framework.reverse_subpage("lot", kwargs={"number": lot.number}))
            for lot in lots_by_framework.get(framework.pk, [])
        ]
    divisions_by_framework: dict[int, list[str]] = {}
    for framework_id, division in selectors.divisions_of_frameworks(framework_ids=ids):
        divisions_by_framework.setdefault(framework_id, []).append(division)
    groups: dict[str, list[FrameworkPage]] = {}
    others = []
    for framework in frameworks:  # in title order, so each group is too
        if framework.pk in divisions_by_framework:
            division = main_division(divisions_by_framework[framework.pk])
            groups.setdefault(division, []).append(framework)
        else:
            others.append(framework)
    titles = dict(selectors.cpv_divisions(divisions=groups))
    result = [
        {"title": titles.get(division, division), "frameworks": groups[division]}
        for division in sorted(groups, key=lambda d: titles.get(d, d))
    ]
    if others:
        result.append({"title": _("Other"), "frameworks": others})
    return result


@login_required
def buyer_home(request: HttpRequest) -> HttpResponse:
    """Where a buyer starts: the live frameworks their organisation may use, by category."""
    buyer = acting_buyer(request)
    if buyer is None:
        return render(
            request, "frameworks/not_a_buyer.html", {"framework_index": selectors.framework_index()}
        )
    frameworks = list(selectors.usable_frameworks(organisation=buyer, today=timezone.localdate()))
    return render(
        request,
        "frameworks/buyer_home.html",
        {
            "buyer": buyer,
            "framework_count": len(frameworks),
            "categories": frameworks_by_category(request, frameworks),
            "framework_index": selectors.framework_index(),
            "project_panel": buyer_home_panel(membership=request.membership),
        },
    )
