"""/search/: one page, three tabs (offerings, frameworks and lots, guidance), every search a URL.

The views are thin: the query string goes to search.service (offerings) or search.lots
(frameworks and lots) or the guidance selector, and the result is laid out for the template by
search.forms. Everything is a GET form, so it all works without JavaScript.
"""

from dataclasses import replace

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cms import selectors as cms_selectors
from cms.pagination import paginate
from frameworks import selectors as cpv_selectors
from frameworks.models.reference import significant_prefix
from marketplace.organisations.roles import OrganisationKind

from . import forms, lots, service, types
from .analysis import analyse
from .query import MAX_QUERY_LENGTH

GUIDANCE_PAGE_SIZE = 10
# Codes at or beneath the page's lots' own, read to find those with the words searched for
# (every CPV code is under 10,000); and how many of those shown per lot.
MAX_MATCHED_CODES_READ = 10_000
SHOWN_MATCHED_CODES = 5
MAX_TEXT = MAX_QUERY_LENGTH
TABS = (
    ("offerings", gettext_lazy("Offerings")),
    ("frameworks", gettext_lazy("Frameworks and lots")),
    ("guidance", gettext_lazy("Guidance")),
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


def _canonical_redirect(request: HttpRequest, result, search_request) -> HttpResponse | None:
    """A 302 to the search's canonical URL when the query string is not it (empty fields,
    defaults like sort=relevance, another order: what the GET form sends), so shared links are
    clean. The canonical URL is the search as understood (search.querystring.query_string);
    when the page has a notice about the input (a filter ignored, a page past the end), only
    the empty and default parameters go, so the notice still shows. Both sides are encoded by
    QueryDict.urlencode, and the canonical URL is its own canonical URL: no loop."""
    understood = search_request if result.notices else (result.request or search_request)
    canonical = service.request_to_querydict(understood).urlencode()
    if request.GET.urlencode() == canonical:
        return None
    return redirect(request.path + (f"?{canonical}" if canonical else ""))


def offerings_tab(request: HttpRequest) -> HttpResponse:
    search_request = service.querydict_to_request(
        request.GET,
        today=timezone.localdate(),
        user=request.user,
        organisation=acting_organisation(request),
    )
    result = service.search(search_request)
    understood = result.request or search_request
    tidy = _canonical_redirect(request, result, search_request)
    if tidy is not None:
        return tidy
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
        "compare_url": reverse("search:compare"),
        # Saved searches are a buying organisation's (authorities search, but do not save).
        "save_url": reverse("calloffs:saved-search-create")
        if buyer and buyer.kind == OrganisationKind.BUYER
        else "",
    }
    return render(request, "search/offerings.html", context)


def _clauses(query) -> tuple[tuple[str, ...], ...]:
    """Each clause searched for as its phrases' padded stems: what CPV terms must contain."""
    return tuple(
        tuple(f" {' '.join(phrase.stems)} " for phrase in clause) for clause in query.clauses
    )


def _clauses_matched(code, clauses: tuple[tuple[str, ...], ...]) -> int:
    """How many clauses the code's analysed "code label" has (any phrase of each): the same
    analysis and the same test search.lots applies to a lot's CPV terms."""
    terms = f" {analyse(f'{code.code} {code.title}')} "
    return sum(any(phrase in terms for phrase in clause) for clause in clauses)


def _codes_matched(hits, *, query, cpv_prefix: str) -> dict[int, dict]:
    """By lot id: `codes`, the CPV codes the lot is classified under (its own, or its
    framework's), each marked `matched` when the search found the lot through it; and
    `beneath`, codes under them that matched, those with more of the words first. A word
    search matches codes as search.lots does (search.analysis stems, phrases adjacent), over
    the codes and their descendants read in one query for all the lots. Five queries at most
    (with the frameworks' authorities), whatever the number of lots."""
    lots_found = [hit.lot for hit in hits]
    prefetch_related_objects(lots_found, "cpv_codes")
    prefetch_related_objects([lot.framework for lot in lots_found], "cpv_codes", "authority")
    codes_of = {
        lot.pk: list(lot.cpv_codes.all()) or list(lot.framework.cpv_codes.all())
        for lot in lots_found
    }
    clauses = () if cpv_prefix else _clauses(query)
    worded: list = []
    if clauses:
        tree = cpv_selectors.cpv_descendants(
            {code.code for codes in codes_of.values() for code in codes}
        ).only("code", "title")[:MAX_MATCHED_CODES_READ]
        scored = [(_clauses_matched(code, clauses), code) for code in tree]
        # Codes with more of the words first ("grounds maintenance": Grounds maintenance
        # services before Parks maintenance services), then in code order.
        worded = [code for score, code in sorted(scored, key=lambda item: -item[0]) if score]
    matched_pks = {code.pk for code in worded}
    found = {}
    for lot in lots_found:
        codes = codes_of[lot.pk]
        prefixes = [significant_prefix(code.digits) for code in codes]
        own = {code.pk for code in codes}
        found[lot.pk] = {
            "codes": [
                {
                    "code": code,
                    "matched": (code.digits.startswith(cpv_prefix) or cpv_prefix.startswith(prefix))
                    if cpv_prefix
                    else code.pk in matched_pks,
                }
                for code, prefix in zip(codes, prefixes, strict=True)
            ],
            "beneath": [
                code
                for code in worded
                if code.pk not in own and code.digits.startswith(tuple(prefixes))
            ][:SHOWN_MATCHED_CODES],
        }
    return found


def _by_framework(request: HttpRequest, hits, codes: dict[int, dict], *, words: str) -> list[dict]:
    """The lots under their frameworks, frameworks in the order of their best lot. The
    framework, lot and "Search offerings on this lot" links keep the `words` searched for (the
    pages' search boxes show them)."""
    keep = QueryDict(mutable=True)
    if words:
        keep[forms.TEXT_PARAMETER] = words
    suffix = f"?{keep.urlencode()}" if words else ""
    groups: dict[int, dict] = {}
    for hit in hits:
        framework = hit.lot.framework
        if framework.pk not in groups:
            url = framework.get_url(request) or ""
            groups[framework.pk] = {
                "framework": framework,
                "url": url,
                "href": url + suffix,
                "open_to_buyer": hit.open_to_buyer,
                "lots": [],
            }
        group = groups[framework.pk]
        href = group["url"] + framework.reverse_subpage("lot", kwargs={"number": hit.lot.number})
        offerings = keep.copy()
        offerings[service.FACET_PARAMETERS[types.LOT]] = str(hit.lot.pk)
        group["lots"].append(
            {
                "hit": hit,
                "href": href + suffix,
                "offerings_href": f"{reverse('search:search')}?{offerings.urlencode()}",
                **codes[hit.lot.pk],
            }
        )
    return list(groups.values())


def frameworks_tab(request: HttpRequest) -> HttpResponse:
    text, notices = _text(request)
    buyer = acting_buyer(request)
    include_not_open = request.GET.get(forms.ALL_PARAMETER) == "1"
    result = lots.search_lots(
        text,
        buyer_organisation=buyer,
        include_not_open=include_not_open,
        today=timezone.localdate(),
    )
    codes = _codes_matched(result.hits, query=result.query, cpv_prefix=result.cpv_prefix)
    # A CPV code is not words an offering has: the links carry only words.
    words = "" if result.cpv_prefix else text
    frameworks = _by_framework(request, result.hits, codes, words=words)
    return render(
        request,
        "search/frameworks.html",
        {
            "tabs": _tabs(request, "frameworks"),
            "text": text,
            "result": result,
            "frameworks": frameworks,
            "notices": [*notices, *result.notices],
            "buyer": buyer,
            "include_not_open": include_not_open,
            "capped": len(result.hits) >= lots.MAX_LOT_HITS,
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
