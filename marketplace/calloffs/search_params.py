"""A search's parameters as a saved search keeps them, and what they mean in words.

The query string is the search page's, in the canonical form search.service gives it
(`request_to_querydict`), without a page number. "New since you saved it" is the same search
run with `published_after` set to when it was saved: one search per saved search.
"""

import dataclasses
from datetime import date
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from marketplace.organisations.models import Organisation

# Parameters that say where in the results someone was, not what they searched for.
NOT_SAVED = frozenset({"page", "csrfmiddlewaretoken", "tab"})
TEXT_PARAMETER = "q"
SORT_PARAMETER = "sort"
ALL_PARAMETER = "all"
RANGE_SUFFIXES = ("_min", "_max")
NAME_FROM_WORDS_LENGTH = 100


def _service():
    try:
        from search import service
    except ImportError:  # until the search service lands
        return None
    return service


def normalise(query_string: str) -> str:
    """The canonical query string of a search: what search.service builds from it if it can,
    otherwise the parameters as given; blanks and the page number dropped either way."""
    query = QueryDict(query_string.lstrip("?"))
    service = _service()
    if service is not None and hasattr(service, "request_to_querydict"):
        try:
            query = service.request_to_querydict(service.querydict_to_request(query))
        except Exception:  # a search the service cannot read is kept as it was typed
            query = QueryDict(query_string.lstrip("?"))
    pairs = [
        (key, value)
        for key, values in query.lists()
        if key not in NOT_SAVED
        for value in values
        if value.strip()
    ]
    return urlencode(pairs)


def words(query_string: str) -> str:
    return QueryDict(query_string).get(TEXT_PARAMETER, "").strip()


def default_name(query_string: str) -> str:
    """The words searched for, as a first name for the search."""
    text = " ".join(words(query_string).split())
    if not text:
        return _("All offerings")
    return text[:NAME_FROM_WORDS_LENGTH].strip()


def _legend(name: str) -> str:
    try:
        from search.forms import FACET_LEGENDS
    except ImportError:
        FACET_LEGENDS = {}
    if name in FACET_LEGENDS:
        return str(FACET_LEGENDS[name])
    if name in ("sme", "vcse"):
        return _("Supplier")
    if name == "unit":
        return _("Price unit")
    for prefix in ("attr:", "num:"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name.replace("_", " ").capitalize()


def describe(query_string: str, result=None) -> str:
    """Words and filters in words: 'Words: “cloud hosting”. Region served: North West…'.

    Filter values are named by the labels in `result.facets` (a SearchResult of this search)
    when given, otherwise as they stand in the query string."""
    query = QueryDict(query_string)
    labels: dict[tuple[str, str], str] = {}
    if result is not None:
        for name, values in result.facets.items():
            for value in values:
                labels[(name, value.value)] = value.label
    parts = []
    text = words(query_string)
    parts.append(_("Words: “%(words)s”") % {"words": text} if text else _("No words"))
    ranges: dict[str, list[str]] = {}
    for name, values in query.lists():
        if name in (TEXT_PARAMETER, SORT_PARAMETER, ALL_PARAMETER) or name in NOT_SAVED:
            continue
        values = [value for value in values if value.strip()]
        if not values:
            continue
        if name.endswith(RANGE_SUFFIXES):
            ranges.setdefault(name[:-4], ["", ""])[name.endswith("_max")] = values[0]
            continue
        if name in ("sme", "vcse"):
            parts.append(_("From %(kind)ss") % {"kind": name.upper()})
            continue
        shown = [labels.get((name, value), value) for value in values]
        parts.append(f"{_legend(name)}: {_(' or ').join(shown)}")
    for name, (low, high) in ranges.items():
        legend = _("Comparable price") if name == "price" else _legend(name)
        if low and high:
            text = _("%(low)s to %(high)s") % {"low": low, "high": high}
        elif low:
            text = _("from %(low)s") % {"low": low}
        else:
            text = _("up to %(high)s") % {"high": high}
        parts.append(f"{legend}: {text}")
    if query.get(SORT_PARAMETER) in ("price", "-price"):
        parts.append(
            _("Cheapest first") if query[SORT_PARAMETER] == "price" else _("Dearest first")
        )
    if query.get(ALL_PARAMETER) == "1":
        parts.append(_("Including frameworks not open to you"))
    return ". ".join(parts) + "."


def run(query_string: str, *, organisation: Organisation, today: date, published_after=None):
    """The search's SearchResult, or None while no search service is there to run it."""
    service = _service()
    if service is None:
        return None
    request = service.querydict_to_request(
        QueryDict(query_string), buyer_organisation=organisation, today=today
    )
    if published_after is not None:
        request = dataclasses.replace(request, published_after=published_after)
    return service.search(request)


def describe_saved_searches(saved_searches, *, organisation: Organisation, today: date):
    """For the list: each saved search, its description and its count of offerings first
    published since it was saved (one search each, so a page of the list costs a page's worth
    of searches)."""
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
                "description": describe(saved_search.query_string, result),
                "new_count": None if result is None else result.total,
                "new_display": "" if result is None else result.total_display,
            }
        )
    return rows
