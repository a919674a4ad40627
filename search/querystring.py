"""A search as a URL query string: the one encoding the search page, its links and saved
searches share.

`request_to_querydict(request)` writes only what differs from a plain first page, in a fixed
order, so equal searches have equal URLs; `querydict_to_request(querydict, ...)` reads one
back, taking values as typed (search.service.search checks them).
"""

from dataclasses import replace

from django.http import QueryDict

from .types import (
    ACCREDITATION,
    ATTRIBUTE_PREFIX,
    AUTHORITY,
    CPV,
    FRAMEWORK,
    LOT,
    NUMBER_PREFIX,
    PRICE,
    REGION,
    SME,
    UNIT,
    VCSE,
    SearchRequest,
    Sort,
)

# The facets every search counts, in the order a page shows them.
STANDARD_FACETS = (FRAMEWORK, LOT, AUTHORITY, CPV, REGION, SME, VCSE, ACCREDITATION, UNIT)
# Query-string parameter of each standard facet.
FACET_PARAMETERS = {name: name for name in STANDARD_FACETS}
ATTRIBUTE_PARAMETER = "attr_"
NUMBER_PARAMETER = "num_"
TEXT_PARAMETER = "q"
SORT_PARAMETER = "sort"
PAGE_PARAMETER = "page"
ALL_PARAMETER = "all"  # "1": include frameworks not open to the buyer
PRICE_PARAMETERS = ("price_min", "price_max")


def range_parameters(name: str) -> tuple[str, str]:
    if name == PRICE:
        return PRICE_PARAMETERS
    key = name.removeprefix(NUMBER_PREFIX)
    return f"{NUMBER_PARAMETER}{key}_min", f"{NUMBER_PARAMETER}{key}_max"


def facet_parameter(name: str) -> str:
    if name.startswith(ATTRIBUTE_PREFIX):
        return ATTRIBUTE_PARAMETER + name.removeprefix(ATTRIBUTE_PREFIX)
    return FACET_PARAMETERS.get(name, name)


def request_to_querydict(request: SearchRequest) -> QueryDict:
    """The search as URL parameters: only what differs from a plain first page. Use
    `.urlencode()` for a link; `querydict_to_request` reads it back."""
    querydict = QueryDict(mutable=True)
    if request.text:
        querydict[TEXT_PARAMETER] = request.text
    names = [name for name in STANDARD_FACETS if name in request.facets]
    names += sorted(name for name in request.facets if name not in STANDARD_FACETS)
    for name in names:
        values = [value for value in dict.fromkeys(request.facets[name]) if value != ""]
        if values:
            querydict.setlist(facet_parameter(name), values)
    ranges = [PRICE] if PRICE in request.ranges else []
    ranges += sorted(name for name in request.ranges if name != PRICE)
    for name in ranges:
        for parameter, bound in zip(range_parameters(name), request.ranges[name], strict=False):
            if bound not in (None, ""):
                querydict[parameter] = str(bound)
    if request.sort and request.sort != Sort.RELEVANCE:
        querydict[SORT_PARAMETER] = str(request.sort)
    if request.include_not_open:
        querydict[ALL_PARAMETER] = "1"
    if str(request.page) not in ("", "1"):
        querydict[PAGE_PARAMETER] = str(request.page)
    return querydict


def _buyer_for(user, organisation):
    """The organisation a signed-in user searches for: the one they act for, or their only
    one."""
    if organisation is not None or user is None or not user.is_authenticated:
        return organisation
    from marketplace.organisations.selectors import memberships_for_user

    memberships = list(memberships_for_user(user=user)[:2])
    return memberships[0].organisation if len(memberships) == 1 else None


def querydict_to_request(
    querydict,
    *,
    today,
    user=None,
    organisation=None,
    buyer_organisation=None,
) -> SearchRequest:
    """The SearchRequest a query string describes, for `user` acting for `organisation` (the
    request's acting organisation, also accepted as `buyer_organisation`; found from the
    user's only membership when neither is given).

    Values are taken as typed: `search()` checks them. Unknown parameters are left out."""
    organisation = organisation if organisation is not None else buyer_organisation
    facets: dict[str, list[str]] = {}
    ranges: dict[str, list[str]] = {}
    for parameter in querydict:
        values = querydict.getlist(parameter)
        if parameter in FACET_PARAMETERS:
            facets.setdefault(parameter, []).extend(values)
        elif parameter.startswith(ATTRIBUTE_PARAMETER):
            name = ATTRIBUTE_PREFIX + parameter.removeprefix(ATTRIBUTE_PARAMETER)
            facets.setdefault(name, []).extend(values)
        elif parameter in PRICE_PARAMETERS:
            bounds = ranges.setdefault(PRICE, ["", ""])
            bounds[PRICE_PARAMETERS.index(parameter)] = values[-1]
        elif parameter.startswith(NUMBER_PARAMETER) and parameter.endswith(("_min", "_max")):
            key = parameter.removeprefix(NUMBER_PARAMETER)[:-4]
            bounds = ranges.setdefault(NUMBER_PREFIX + key, ["", ""])
            bounds[0 if parameter.endswith("_min") else 1] = values[-1]
    organisation = _buyer_for(user, organisation)
    return SearchRequest(
        text=querydict.get(TEXT_PARAMETER, ""),
        facets={name: tuple(values) for name, values in facets.items()},
        ranges={name: (bounds[0], bounds[1]) for name, bounds in ranges.items()},
        buyer_organisation=organisation,
        include_not_open=querydict.get(ALL_PARAMETER, "") == "1",
        sort=querydict.get(SORT_PARAMETER, Sort.RELEVANCE),
        page=querydict.get(PAGE_PARAMETER, 1),
        today=today,
        signed_in=bool(user is not None and user.is_authenticated),
    )


def query_string(request: SearchRequest, **changes) -> str:
    """ "?…" for a link to `request` with `changes` (SearchRequest fields), or "?" for none."""
    return "?" + request_to_querydict(replace(request, **changes)).urlencode()
