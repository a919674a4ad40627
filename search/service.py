"""The search service: what views call (DESIGN §5).

`search(request)` checks a `SearchRequest` as typed, works out which frameworks the buyer may
use, asks the configured backend, and returns a `SearchResult`: the page of hits with their
matched words highlighted, labelled facet counts, a sentence that sums up the search, notices
about anything it cut, ignored or corrected, and filters to remove when nothing is found.

Nothing a person sends can break it: unknown filter values are ignored (and the page says
so), numbers are read strictly, and every step runs a fixed number of SQL queries whatever the
number of hits.

`request_to_querydict` and `querydict_to_request` (search.querystring, re-exported here) are
the one encoding of a search as a URL query string, shared by the search page, its links and
saved searches. The summary sentence is written by search.summary.
"""

import math
import re
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from frameworks.attributes import (
    BOUND_LIMIT,
    MAX_DECIMAL_PLACES,
    AttributeKind,
    AttributeSpec,
)
from frameworks.eligibility import eligible_frameworks_filter
from frameworks.models import CpvCode, FrameworkPage, Lot
from marketplace.organisations.models import Region
from marketplace.organisations.roles import OrganisationKind
from suppliers.attributes import clean_number
from suppliers.models import Accreditation, Offering
from suppliers.pricing import COMPARABLE_UNIT, PriceError, PriceUnit, parse_price

from .backends import get_backend
from .highlight import highlight
from .query import parse
from .querystring import (
    ALL_PARAMETER,
    ATTRIBUTE_PARAMETER,
    FACET_PARAMETERS,
    NUMBER_PARAMETER,
    PAGE_PARAMETER,
    PRICE_PARAMETERS,
    SORT_PARAMETER,
    STANDARD_FACETS,
    TEXT_PARAMETER,
    facet_parameter,
    query_string,
    querydict_to_request,
    range_parameters,
    request_to_querydict,
)
from .ranking import tiebreak_for
from .summary import sentence
from .types import (
    ACCREDITATION,
    ATTRIBUTE_PREFIX,
    AUTHORITY,
    COUNT_CAP,
    CPV,
    FRAMEWORK,
    LOT,
    NUMBER_PREFIX,
    PAGE_SIZE,
    PRICE,
    REGION,
    SME,
    UNIT,
    VCSE,
    BackendQuery,
    FacetValue,
    Filters,
    Hit,
    Range,
    SearchRequest,
    SearchResult,
    Sort,
)

__all__ = [
    "ALL_PARAMETER",
    "ATTRIBUTE_PARAMETER",
    "BUYING_KINDS",
    "FACET_PARAMETERS",
    "NUMBER_PARAMETER",
    "PAGE_PARAMETER",
    "PRICE_PARAMETERS",
    "SORT_PARAMETER",
    "STANDARD_FACETS",
    "TEXT_PARAMETER",
    "query_string",
    "querydict_to_request",
    "request_to_querydict",
    "search",
]

# Paging stops at the cap: a total of "1,000+" has 50 pages to look through.
MAX_PAGE = math.ceil(COUNT_CAP / PAGE_SIZE)
# More values of one facet than this is not a person ticking boxes.
MAX_VALUES_PER_FACET = 50
MAX_VALUE_LENGTH = 100
# How much of an unrecognised value a notice quotes, and how many values it names.
QUOTED_LENGTH = 40
MAX_NAMED_IGNORED = 10
# Organisations that buy, and so have frameworks they may or may not use.
BUYING_KINDS = (OrganisationKind.BUYER, OrganisationKind.AUTHORITY)

_KEY = re.compile(r"^[a-z0-9_]{1,50}$")
_PAGE = re.compile(r"^\s*\d{1,9}\s*$")
_ID = re.compile(r"^\d{1,10}$")
_CPV = re.compile(r"^(\d{8})(?:-\d)?$")
_CHOICE_KINDS = (AttributeKind.YES_NO, AttributeKind.ONE_OF, AttributeKind.MANY_OF)


# --- What exists ------------------------------------------------------------------------------


@dataclass
class _Catalogue:
    """Published frameworks, their lots and authorities, and which the buyer may use: two
    queries (three when the buyer is a council, whose area the eligibility rules read)."""

    frameworks: dict[int, FrameworkPage]
    lots: dict[int, Lot]
    authorities: dict[int, object]
    open_ids: frozenset[int] | None  # None: no buyer organisation

    @classmethod
    def load(cls, organisation) -> "_Catalogue":
        frameworks = FrameworkPage.objects.live().select_related("authority")
        if organisation is not None:
            frameworks = frameworks.annotate(
                is_open=ExpressionWrapper(eligible_frameworks_filter(organisation), BooleanField())
            )
        by_id = {
            framework.pk: framework
            for framework in frameworks.only(
                "id", "title", "authority__legal_name", "authority__trading_name"
            )
        }
        lots = Lot.objects.filter(framework__live=True).only("id", "number", "title", "framework")
        lots_by_id = {}
        for lot in lots:
            if lot.framework_id in by_id:
                lot.framework = by_id[lot.framework_id]
                lots_by_id[lot.pk] = lot
        open_ids = None
        if organisation is not None:
            open_ids = frozenset(pk for pk, framework in by_id.items() if framework.is_open)
        return cls(
            frameworks=by_id,
            lots=lots_by_id,
            authorities={f.authority_id: f.authority for f in by_id.values() if f.authority_id},
            open_ids=open_ids,
        )


def _lot_label(lot: Lot) -> str:
    return _("Lot %(number)s: %(title)s (%(framework)s)") % {
        "number": lot.number,
        "title": lot.title,
        "framework": lot.framework.title,
    }


# --- Checking the request ---------------------------------------------------------------------


@dataclass
class _Checked:
    """The request's filters, each known to exist, and what was said about the rest."""

    facets: dict[str, list[str]] = field(default_factory=dict)
    ranges: dict[str, Range] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    # What was ignored, each named once, in the order met (a dict, for speed with floods).
    ignored: dict[str, None] = field(default_factory=dict)
    lot: Lot | None = None
    questions: dict[str, AttributeSpec] = field(default_factory=dict)
    cpv_titles: dict[str, str] = field(default_factory=dict)
    # A lot's question was asked about with no single lot chosen.
    needs_lot: bool = False

    def keep(self, name: str, value: str) -> None:
        values = self.facets.setdefault(name, [])
        if value not in values:
            values.append(value)

    def ignore(self, parameter: str, value) -> None:
        text = str(value)
        if len(text) > QUOTED_LENGTH:
            text = text[:QUOTED_LENGTH] + "…"
        self.ignored.setdefault(f"{parameter} “{text}”")


def _raw_values(values) -> list[str]:
    if isinstance(values, str):
        values = (values,)
    return [str(value).strip() for value in values or ()]


def _known_id(value: str, known) -> str | None:
    """An id as documents hold it ("0042" is "42"), if it is one of `known`."""
    return str(int(value)) if _ID.match(value) and int(value) in known else None


def _load_cpv(values: list[str]) -> dict[str, str]:
    """Titles by 8 digits: every division, and the codes among `values` that exist. One
    query."""
    digits = {match.group(1) for value in values if (match := _CPV.match(value))}
    condition = Q(level=CpvCode.Level.DIVISION)
    for code in digits:
        condition |= Q(code__startswith=code)
    return {
        code[:8]: title
        for code, title in CpvCode.objects.filter(condition).values_list("code", "title")
    }


def _check_facets(request: SearchRequest, catalogue: _Catalogue, checked: _Checked) -> None:
    raw = {str(name): _raw_values(values) for name, values in request.facets.items()}
    checked.cpv_titles = _load_cpv(raw.get(CPV, []))
    known = {
        FRAMEWORK: lambda v: _known_id(v, catalogue.frameworks),
        LOT: lambda v: _known_id(v, catalogue.lots),
        AUTHORITY: lambda v: _known_id(v, catalogue.authorities),
        CPV: lambda v: (
            m.group(1) if (m := _CPV.match(v)) and m.group(1) in checked.cpv_titles else None
        ),
        REGION: lambda v: v.upper() if v.upper() in Region.values else None,
        SME: lambda v: "yes" if v.lower() == "yes" else None,
        VCSE: lambda v: "yes" if v.lower() == "yes" else None,
        ACCREDITATION: lambda v: v if v in Accreditation.values else None,
        UNIT: lambda v: str(COMPARABLE_UNIT[PriceUnit(v)]) if v in PriceUnit.values else None,
    }
    for name in STANDARD_FACETS:
        for position, value in enumerate(raw.get(name, [])):
            if value == "":
                continue
            kept = None
            if position < MAX_VALUES_PER_FACET and len(value) <= MAX_VALUE_LENGTH:
                kept = known[name](value)
            if kept is None:
                checked.ignore(FACET_PARAMETERS[name], value)
            else:
                checked.keep(name, kept)
    lots = checked.facets.get(LOT, [])
    if len(lots) == 1:
        checked.lot = catalogue.lots[int(lots[0])]
        checked.questions = {
            spec.key: spec
            for spec in Lot.objects.get(pk=checked.lot.pk).attributes()
            if spec.filterable and spec.kind in (*_CHOICE_KINDS, AttributeKind.NUMBER)
        }
    attribute_names = [name for name in raw if name.startswith(ATTRIBUTE_PREFIX)]
    for name in attribute_names:
        key = name.removeprefix(ATTRIBUTE_PREFIX)
        spec = checked.questions.get(key)
        for position, value in enumerate(raw[name]):
            if value == "":
                continue
            if spec is None or spec.kind not in _CHOICE_KINDS:
                if checked.lot is None and _KEY.match(key):
                    checked.needs_lot = True
                else:
                    checked.ignore(facet_parameter(name), value)
                continue
            options = ("yes", "no") if spec.kind == AttributeKind.YES_NO else spec.options
            option = next((o for o in options if o.lower() == value.lower()), None)
            if option is None or position >= MAX_VALUES_PER_FACET:
                checked.ignore(spec.label, value)
            else:
                checked.keep(name, option)
    for name in raw:
        if name not in FACET_PARAMETERS and not name.startswith(ATTRIBUTE_PREFIX):
            for value in raw[name]:
                checked.ignore(name[:QUOTED_LENGTH], value)


def _parse_price(text: str, label: str, checked: _Checked) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return parse_price(text, label=label)
    except PriceError as error:
        checked.notices.append(
            _("We ignored the %(label)s: %(reason)s.")
            % {"label": label, "reason": str(error).rstrip(".")}
        )
        return None


def _parse_number(text: str, spec: AttributeSpec, checked: _Checked) -> Decimal | None:
    if not text.strip():
        return None
    loose = replace(
        spec, minimum=-BOUND_LIMIT, maximum=BOUND_LIMIT, decimal_places=MAX_DECIMAL_PLACES
    )
    try:
        return Decimal(str(clean_number(loose, text)))
    except ValueError as error:
        checked.notices.append(
            _("We ignored a limit on %(label)s: %(reason)s.")
            % {"label": spec.label, "reason": str(error).rstrip(".")}
        )
        return None


def _check_ranges(request: SearchRequest, checked: _Checked) -> None:
    units = checked.facets.get(UNIT, [])
    for name, bounds in request.ranges.items():
        bounds = tuple(str(bound if bound is not None else "") for bound in tuple(bounds)[:2])
        low, high = (*bounds, "", "")[:2]
        if not (low.strip() or high.strip()):
            continue
        if name == PRICE:
            if len(units) != 1:
                checked.notices.append(
                    _(
                        "Prices compare only within one unit, so choose a price unit first: "
                        "we ignored the price range."
                    )
                )
                continue
            minimum = _parse_price(low, _("lowest price"), checked)
            maximum = _parse_price(high, _("highest price"), checked)
            label = _("price")
        else:
            key = str(name).removeprefix(NUMBER_PREFIX)
            spec = checked.questions.get(key)
            if str(name).startswith(NUMBER_PREFIX) and checked.lot is None and _KEY.match(key):
                checked.needs_lot = True
                continue
            if (
                not str(name).startswith(NUMBER_PREFIX)
                or spec is None
                or spec.kind != AttributeKind.NUMBER
            ):
                parameters = range_parameters(str(name)[:QUOTED_LENGTH])
                for parameter, bound in zip(parameters, (low, high), strict=True):
                    if bound.strip():
                        checked.ignore(parameter, bound)
                continue
            minimum = _parse_number(low, spec, checked)
            maximum = _parse_number(high, spec, checked)
            label = spec.label
        if minimum is not None and maximum is not None and minimum > maximum:
            minimum, maximum = maximum, minimum
            checked.notices.append(
                _("The %(label)s range was the wrong way round, so we swapped its ends.")
                % {"label": label}
            )
        if minimum is not None or maximum is not None:
            checked.ranges[name] = Range(name=name, minimum=minimum, maximum=maximum)


def _page_number(raw) -> int:
    """The page asked for: anything that is not a whole number is page 1."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return max(raw, 1)
    if isinstance(raw, str) and _PAGE.match(raw):
        return max(int(raw), 1)
    return 1


def _sort(raw, checked: _Checked) -> Sort:
    try:
        sort = Sort(str(raw))
    except ValueError:
        return Sort.RELEVANCE
    if sort != Sort.RELEVANCE and len(checked.facets.get(UNIT, [])) != 1:
        checked.notices.append(
            _(
                "Prices compare only within one unit, so choose a price unit to sort by price: "
                "the results are sorted by relevance."
            )
        )
        return Sort.RELEVANCE
    return sort


def _buyer(organisation):
    if organisation is None or getattr(organisation, "kind", None) not in BUYING_KINDS:
        return None
    return organisation


# --- Labels -----------------------------------------------------------------------------------


def _labeller(catalogue: _Catalogue, checked: _Checked):
    """label(name, value) for every facet value, or None for a value that no longer exists."""
    regions = dict(Region.choices)
    accreditations = dict(Accreditation.choices)
    units = dict(PriceUnit.choices)

    def label(name: str, value: str) -> str | None:
        if name == FRAMEWORK:
            framework = catalogue.frameworks.get(int(value)) if _ID.match(value) else None
            return framework.title if framework else None
        if name == LOT:
            lot = catalogue.lots.get(int(value)) if _ID.match(value) else None
            return _lot_label(lot) if lot else None
        if name == AUTHORITY:
            authority = catalogue.authorities.get(int(value)) if _ID.match(value) else None
            return authority.name if authority else None
        if name == CPV:
            return checked.cpv_titles.get(value)
        if name == REGION:
            return str(regions.get(value, value))
        if name == SME:
            return _("SMEs") if value == "yes" else None
        if name == VCSE:
            return _("VCSEs") if value == "yes" else None
        if name == ACCREDITATION:
            return str(accreditations.get(value, value))
        if name == UNIT:
            return str(units.get(value, value))
        if name.startswith(ATTRIBUTE_PREFIX):
            spec = checked.questions.get(name.removeprefix(ATTRIBUTE_PREFIX))
            if spec is not None and spec.kind == AttributeKind.YES_NO:
                return {"yes": _("Yes"), "no": _("No")}.get(value, value)
            return value
        return value

    return label


def _facets(
    names: tuple[str, ...], counts: dict[str, dict[str, int]], checked: _Checked, label
) -> dict[str, list[FacetValue]]:
    facets = {}
    for name in names:
        selected = checked.facets.get(name, [])
        found = counts.get(name, {})
        values = dict.fromkeys(selected)
        values.update(dict.fromkeys(found))
        if name == CPV:
            values = {v: None for v in values if v in selected or v.endswith("000000")}
        shown = []
        for value in values:
            text = label(name, value)
            if text is not None:
                shown.append(
                    FacetValue(value, text, found.get(value, 0), selected=value in selected)
                )
        shown.sort(key=lambda v: (not v.selected, -v.count, v.label.casefold(), v.value))
        facets[name] = shown
    return facets


# --- Zero results -----------------------------------------------------------------------------


def _relaxations(
    clean: SearchRequest, checked: _Checked, catalogue: _Catalogue, label, restricted: bool
) -> list[tuple[str, str]]:
    """One way out per active filter: its label and the query string without it."""
    start = replace(clean, page=1)
    found = []
    for name, values in checked.facets.items():
        for value in values:
            facets = {
                n: tuple(v for v in vs if not (n == name and v == value))
                for n, vs in start.facets.items()
            }
            ranges = dict(start.ranges)
            if name == LOT:  # the lot's own questions go with it
                facets = {n: vs for n, vs in facets.items() if not n.startswith(ATTRIBUTE_PREFIX)}
                ranges = {n: r for n, r in ranges.items() if not n.startswith(NUMBER_PREFIX)}
            if name == UNIT:  # prices compare only within the unit
                ranges.pop(PRICE, None)
            shown = label(name, value)
            if name.startswith(ATTRIBUTE_PREFIX):
                spec = checked.questions[name.removeprefix(ATTRIBUTE_PREFIX)]
                shown = f"{spec.label}: {shown}"
            text = _("Remove ‘%(filter)s’") % {"filter": shown}
            found.append((text, query_string(start, facets=facets, ranges=ranges)))
    for name in checked.ranges:
        ranges = {n: r for n, r in start.ranges.items() if n != name}
        if name == PRICE:
            text = _("Remove the price range")
        else:
            spec = checked.questions[name.removeprefix(NUMBER_PREFIX)]
            text = _("Remove the limits on ‘%(question)s’") % {"question": spec.label}
        found.append((text, query_string(start, ranges=ranges)))
    if restricted:
        found.append(
            (_("Include frameworks not open to you"), query_string(start, include_not_open=True))
        )
    return found


# --- The search -------------------------------------------------------------------------------


def _load_hits(
    ids: list[int], query, catalogue: _Catalogue, open_ids: frozenset[int] | None
) -> list[Hit]:
    """The offerings of `ids`, in that order, in one query. Their lots and frameworks come from
    the catalogue, already loaded: joining them again would build each framework page (and read
    its stream fields) once per hit. An offering whose lot is no longer live is left out."""
    offerings = Offering.objects.filter(pk__in=ids).select_related("supplier")
    by_id = {}
    for offering in offerings:
        lot = catalogue.lots.get(offering.lot_id)
        if lot is not None:
            offering.lot = lot
            by_id[offering.pk] = offering
    stems = query.highlight_stems
    return [
        Hit(
            offering=by_id[pk],
            title_html=highlight(by_id[pk].title, stems),
            summary_html=highlight(by_id[pk].summary, stems),
            open_to_buyer=open_ids is None or by_id[pk].lot.framework_id in open_ids,
        )
        for pk in ids
        if pk in by_id
    ]


def _format_bound(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def search(request: SearchRequest) -> SearchResult:
    """Run a search as a person asked for it. Never raises for anything in the request."""
    started = time.perf_counter()
    today = request.today or timezone.localdate()
    query = parse(str(request.text or ""))
    organisation = _buyer(request.buyer_organisation)
    catalogue = _Catalogue.load(organisation)
    checked = _Checked(notices=list(query.notices))
    _check_facets(request, catalogue, checked)
    _check_ranges(request, checked)
    sort = _sort(request.sort, checked)
    if checked.needs_lot:
        checked.notices.append(
            _("Filters on a lot’s questions apply once you choose one lot, so we ignored them.")
        )
    if checked.ignored:
        named = list(checked.ignored)[:MAX_NAMED_IGNORED]
        listed = ", ".join(named)
        if len(checked.ignored) > len(named):
            listed = _("%(filters)s and %(count)s more") % {
                "filters": listed,
                "count": f"{len(checked.ignored) - len(named):,}",
            }
        checked.notices.append(
            ngettext(
                "We ignored a filter we did not recognise: %(filters)s.",
                "We ignored filters we did not recognise: %(filters)s.",
                len(checked.ignored),
            )
            % {"filters": listed}
        )

    restricted = organisation is not None and not request.include_not_open
    if restricted:
        framework_ids = catalogue.open_ids
    else:
        framework_ids = None
        if organisation is None and request.signed_in and not request.include_not_open:
            checked.notices.append(
                _(
                    "You are not signed in for a buying organisation, so we cannot tell which "
                    "frameworks you may use: offerings on every framework are shown."
                )
            )

    facet_names = STANDARD_FACETS
    if checked.lot is not None:
        facet_names += tuple(
            ATTRIBUTE_PREFIX + key
            for key, spec in checked.questions.items()
            if spec.kind in _CHOICE_KINDS
        )
    filters = Filters(
        facets={name: frozenset(values) for name, values in checked.facets.items()},
        ranges=tuple(checked.ranges.values()),
        published_after=request.published_after,
    )
    page = _page_number(request.page)
    if page > MAX_PAGE:
        page = MAX_PAGE + 1  # shown as past the end below
    backend = get_backend()
    backend_query = BackendQuery(
        query=query,
        filters=filters,
        today=today,
        tiebreak=tiebreak_for(today),
        sort=sort,
        offset=(min(page, MAX_PAGE) - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        facet_names=facet_names,
        framework_ids=framework_ids,
        count_cap=COUNT_CAP,
    )
    answer = backend.search(backend_query)
    page_count = max(1, min(MAX_PAGE, math.ceil(answer.total / PAGE_SIZE)))
    if page > page_count:
        checked.notices.append(
            _("There is no page %(page)s of these results, so this is the last page.")
            % {"page": f"{_page_number(request.page):,}"}
        )
        offset = (page_count - 1) * PAGE_SIZE
        if answer.total and offset != backend_query.offset:
            answer = backend.search(replace(backend_query, offset=offset))
        page = page_count

    label = _labeller(catalogue, checked)
    clean = SearchRequest(
        text=query.text,
        facets={name: tuple(values) for name, values in checked.facets.items()},
        ranges={
            name: (_format_bound(bounds.minimum), _format_bound(bounds.maximum))
            for name, bounds in checked.ranges.items()
        },
        buyer_organisation=request.buyer_organisation,
        include_not_open=request.include_not_open,
        sort=sort,
        page=page,
        today=today,
        published_after=request.published_after,
        signed_in=request.signed_in,
    )
    hits = _load_hits(answer.ids, query, catalogue, None if restricted else catalogue.open_ids)
    total_display = f"{answer.total:,}+" if answer.total_capped else f"{answer.total:,}"
    relaxations = []
    if answer.total == 0:
        relaxations = _relaxations(clean, checked, catalogue, label, restricted)
    return SearchResult(
        hits=hits,
        total=answer.total,
        total_capped=answer.total_capped,
        facets=_facets(facet_names, answer.facets, checked, label),
        summary=sentence(
            total=answer.total,
            total_display=total_display,
            query=query,
            facets=checked.facets,
            ranges=checked.ranges,
            questions=checked.questions,
            lots=catalogue.lots,
            label=label,
            published_after=request.published_after,
        ),
        query=query,
        page=page,
        page_count=page_count,
        notices=checked.notices,
        relaxations=relaxations,
        timing_ms=(time.perf_counter() - started) * 1000,
        request=clean,
        questions=tuple(checked.questions.values()),
    )
