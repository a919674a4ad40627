"""/search/: one page, three tabs (offerings, frameworks and lots, guidance), every search a URL.

The views are thin: the query string goes to search.service (offerings) or search.lots
(frameworks and lots) or the guidance selector, and the result is laid out for the template by
search.forms. Everything is a GET form, so it all works without JavaScript.
"""

from dataclasses import replace

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms import selectors as cms_selectors
from cms.pagination import paginate

from . import forms, service, types

GUIDANCE_PAGE_SIZE = 10
MAX_TEXT = 200
TABS = (
    ("offerings", _("Offerings")),
    ("frameworks", _("Frameworks and lots")),
    ("guidance", _("Guidance")),
)


def acting_organisation(request: HttpRequest):
    organisation = getattr(request, "organisation", None)
    return organisation if organisation else None


def acting_buyer(request: HttpRequest):
    """The organisation the user buys for: only its frameworks show unless they ask for all."""
    organisation = acting_organisation(request)
    if organisation and organisation.kind in service.BUYING_KINDS:
        return organisation
    return None


def _url_or_blank(name: str) -> str:
    """Pages other parts of the service add (compare, saved searches) link only once they exist."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _text(request: HttpRequest) -> tuple[str, list[str]]:
    text = request.GET.get(forms.TEXT_PARAMETER, "").strip()
    if len(text) > MAX_TEXT:
        return text[:MAX_TEXT].rstrip(), [
            _("Your search was too long, so only its first %(limit)s characters were used.")
            % {"limit": MAX_TEXT}
        ]
    return text, []


def _tabs(request: HttpRequest, current: str) -> list[dict]:
    """Each tab links to the same words on another tab (filters belong to one tab only)."""
    text = request.GET.get(forms.TEXT_PARAMETER, "")[:MAX_TEXT]
    query = request.GET.copy()
    query.clear()
    if text:
        query[forms.TEXT_PARAMETER] = text
    tabs = []
    for key, label in TABS:
        query[forms.TAB_PARAMETER] = key
        if key == "offerings":
            del query[forms.TAB_PARAMETER]
        tabs.append(
            {
                "key": key,
                "label": label,
                "href": "?" + query.urlencode() if query else "?",
                "current": key == current,
            }
        )
    return tabs


def page_of(result: types.SearchResult):
    """A Django page for {% govuk_pagination %}: only its numbers are used, never its items."""
    paginator = Paginator(range(max(result.page_count, 1) * types.PAGE_SIZE), types.PAGE_SIZE)
    return paginator.get_page(result.page)


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get(forms.TAB_PARAMETER, "offerings")
    if tab == "frameworks":
        return frameworks_tab(request)
    if tab == "guidance":
        return guidance_tab(request)
    return offerings_tab(request)


def offerings_tab(request: HttpRequest) -> HttpResponse:
    search_request = service.querydict_to_request(
        request.GET,
        today=timezone.localdate(),
        user=request.user,
        organisation=acting_organisation(request),
    )
    result = service.search(search_request)
    understood = result.request or search_request
    buyer = acting_buyer(request)
    # The search as the service understood it: what compare links back to and a saved search
    # keeps (unknown filters and the page number left out).
    canonical = service.request_to_querydict(replace(understood, page=1)).urlencode()
    context = {
        "tabs": _tabs(request, "offerings"),
        "text": understood.text,
        "result": result,
        "column": forms.filter_column(result, request.GET),
        "tags": forms.selected_tags(result),
        "clear_href": forms.clear_filters_href(result),
        "sort_options": forms.sort_options(result),
        "page_obj": page_of(result),
        "buyer": buyer,
        "include_not_open": understood.include_not_open,
        "query_string": canonical,
        "compare_url": _url_or_blank("search:compare"),
        "save_url": _url_or_blank("calloffs:saved-search-create") if buyer else "",
    }
    return render(request, "search/offerings.html", context)


def frameworks_tab(request: HttpRequest) -> HttpResponse:
    text, notices = _text(request)
    buyer = acting_buyer(request)
    include_not_open = request.GET.get(forms.ALL_PARAMETER) == "1"
    try:
        from . import lots
    except ImportError:  # search.lots is being written: the tab says so until it lands
        lots = None
    result = None
    if lots is not None:
        result = lots.search_lots(
            text,
            buyer_organisation=buyer,
            include_not_open=include_not_open,
            today=timezone.localdate(),
        )
    return render(
        request,
        "search/frameworks.html",
        {
            "tabs": _tabs(request, "frameworks"),
            "text": text,
            "result": result,
            "notices": notices,
            "buyer": buyer,
            "include_not_open": include_not_open,
        },
    )


def guidance_tab(request: HttpRequest) -> HttpResponse:
    text, notices = _text(request)
    page_obj = None
    if text:
        page_obj = paginate(
            request, cms_selectors.search_guidance(query=text), per_page=GUIDANCE_PAGE_SIZE
        )
    return render(
        request,
        "search/guidance.html",
        {
            "tabs": _tabs(request, "guidance"),
            "text": text,
            "query": text,
            "notices": notices,
            "page_obj": page_obj,
        },
    )
