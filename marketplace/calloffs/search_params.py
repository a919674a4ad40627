"""A search's parameters as a saved search keeps them, and what they mean in words.

The query string is the search page's, in the one encoding search.service gives a search
(`request_to_querydict`), without a page number. "New since you saved it" is the same search
run with `published_after` set to when it was saved: one search per saved search.
"""

from dataclasses import replace
from datetime import date, datetime

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.organisations.models import Organisation

NAME_FROM_WORDS_LENGTH = 100


def _querydict(query_string: str) -> QueryDict:
    return QueryDict(query_string.lstrip("?"))


def canonical(search_request) -> str:
    """The query string of a SearchRequest, without its page."""
    from search.service import request_to_querydict

    return request_to_querydict(replace(search_request, page=1)).urlencode()


def normalise(query_string: str) -> str:
    """The canonical query string of a search as typed: the parameters search.service reads,
    in its order, blanks and the page dropped. (Values are checked when the search runs.)"""
    from search.service import querydict_to_request

    return canonical(querydict_to_request(_querydict(query_string), today=timezone.localdate()))


def words(query_string: str) -> str:
    from search.service import TEXT_PARAMETER

    return _querydict(query_string).get(TEXT_PARAMETER, "").strip()


def default_name(query_string: str) -> str:
    """The words searched for, as a first name for the search."""
    text = " ".join(words(query_string).split())
    return text[:NAME_FROM_WORDS_LENGTH].strip() if text else _("All offerings")


def run(
    query_string: str,
    *,
    organisation: Organisation,
    today: date,
    published_after: datetime | None = None,
):
    """The search's SearchResult for a member of `organisation` (its eligibility applies)."""
    from search import service

    request = service.querydict_to_request(
        _querydict(query_string), today=today, organisation=organisation
    )
    return service.search(replace(request, published_after=published_after, page=1))


def describe(result) -> str:
    """The words and filters of a search (a SearchResult's understood request) in words:
    'Words: “cloud hosting”. Region served: North West or Wales. From SMEs.'"""
    from search import types
    from search.forms import FACET_LEGENDS

    request = result.request
    labels = {
        (name, value.value): value.label
        for name, values in result.facets.items()
        for value in values
        if value.selected
    }
    questions = {spec.key: spec for spec in result.questions}

    def question(name: str, prefix: str) -> str:
        key = name.removeprefix(prefix)
        spec = questions.get(key)
        return spec.label if spec else key.replace("_", " ").capitalize()

    parts = [_("Words: “%(words)s”") % {"words": request.text} if request.text else _("No words")]
    for name, values in request.facets.items():
        shown = [labels.get((name, value), value) for value in values]
        if not shown:
            continue
        if name == types.SME:
            parts.append(_("From SMEs"))
        elif name == types.VCSE:
            parts.append(_("From VCSEs"))
        elif name == types.UNIT:
            parts.append(_("Priced %(units)s") % {"units": _(" or ").join(shown)})
        else:
            if name.startswith(types.ATTRIBUTE_PREFIX):
                legend = question(name, types.ATTRIBUTE_PREFIX)
            else:
                legend = str(FACET_LEGENDS.get(name, name))
            parts.append(f"{legend}: {_(' or ').join(shown)}")
    for name, (low, high) in request.ranges.items():
        if name == types.PRICE:
            legend = _("Comparable price")
            low, high = (f"£{low}" if low else ""), (f"£{high}" if high else "")
        else:
            legend = question(name, types.NUMBER_PREFIX)
        if low and high:
            parts.append(f"{legend}: " + _("%(low)s to %(high)s") % {"low": low, "high": high})
        elif low:
            parts.append(f"{legend}: " + _("at least %(low)s") % {"low": low})
        elif high:
            parts.append(f"{legend}: " + _("at most %(high)s") % {"high": high})
    if request.sort == types.Sort.PRICE_LOW:
        parts.append(_("Cheapest first"))
    elif request.sort == types.Sort.PRICE_HIGH:
        parts.append(_("Dearest first"))
    if request.include_not_open:
        parts.append(_("Including frameworks not open to your organisation"))
    return ". ".join(parts) + "."


def describe_saved_searches(saved_searches, *, organisation: Organisation, today: date):
    """For the list: each saved search, its words and filters, and how many offerings were
    first published since it was saved. That is one search per saved search, so the list
    shows a page of them at a time and a page costs at most that many searches."""
    rows = []
    for saved_search in saved_searches:
        result = run(
            saved_search.query_string,
            organisation=organisation,
            today=today,
            published_after=saved_search.saved_at,
        )
        rows.append(
            {
                "saved_search": saved_search,
                "description": describe(result),
                "new_count": result.total,
                "new_display": result.total_display,
                # Filters that no longer exist (a framework that ended, say), said so.
                "notices": result.notices,
            }
        )
    return rows
