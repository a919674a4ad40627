"""The search contract (DESIGN §5).

Views build a `SearchRequest`; `search.service.search()` checks it, works out what the buyer may
see, asks the configured backend for a `BackendQuery`, and returns a `SearchResult` with hits,
labelled facets and a summary sentence. Backends only ever see `BackendQuery` and answer a
`BackendResult`: ids, counts and facet counts, never labels or HTML.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from .query import ParsedQuery
from .ranking import Tiebreak

# Facet names. Every facet is a set of (name, value) rows on each document; a filter on a facet
# keeps documents with any of the chosen values (values of one facet are ORed, facets ANDed).
FRAMEWORK = "framework"  # framework page id
LOT = "lot"  # lot id
AUTHORITY = "authority"  # the authority organisation's id
CPV = "cpv"  # 8-digit CPV code without check digit, for each lot code and each of its ancestors
REGION = "region"  # ITL1 code the offering serves
SME = "sme"  # "yes" for offerings of SMEs
VCSE = "vcse"  # "yes" for offerings of VCSEs
ACCREDITATION = "accreditation"  # suppliers.models.Accreditation value
UNIT = "unit"  # comparable price unit (suppliers.pricing.PriceUnit value)
ATTRIBUTE_PREFIX = "attr:"  # "attr:<key>": a lot's filterable choice answer (yes/no, option)

# Ranges. PRICE is the comparable price, and only applies within one UNIT.
PRICE = "price"
# "num:<key>": a lot's number answer.
NUMBER_PREFIX = "num:"

COUNT_CAP = 1000
PAGE_SIZE = 20


class Sort(StrEnum):
    RELEVANCE = "relevance"
    PRICE_LOW = "price"
    PRICE_HIGH = "-price"


@dataclass(frozen=True)
class Range:
    """`name` is PRICE or NUMBER_PREFIX + key; either bound may be open."""

    name: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None


@dataclass(frozen=True)
class Filters:
    """Validated filters: every value is known to exist (the service drops unknown ones)."""

    facets: Mapping[str, frozenset[str]] = field(default_factory=dict)
    ranges: tuple[Range, ...] = ()
    # Only offerings first published after this moment ("new since you saved it").
    published_after: datetime | None = None

    def without(self, facet: str) -> "Filters":
        """The same filters without `facet`'s: what that facet's counts are taken under."""
        return Filters(
            facets={name: values for name, values in self.facets.items() if name != facet},
            ranges=self.ranges,
            published_after=self.published_after,
        )


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    # Raw values from the query string, by facet name (FRAMEWORK, REGION, "attr:<key>", ...).
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Raw range bounds, by range name (PRICE, "num:<key>"), as typed.
    ranges: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    buyer_organisation: object | None = None  # marketplace.organisations.models.Organisation
    # Signed-in buyers see only frameworks their organisation may use unless this is set.
    include_not_open: bool = False
    sort: str = Sort.RELEVANCE
    page: str | int = 1
    today: date | None = None
    published_after: datetime | None = None
    # Whoever asks is signed in: asking for eligible frameworks only without a buyer
    # organisation then gets a notice instead of silently seeing every framework.
    signed_in: bool = False


@dataclass(frozen=True)
class BackendQuery:
    """What a backend answers. Documents outside their listing dates on `today` never match."""

    query: ParsedQuery
    filters: Filters
    today: date
    tiebreak: Tiebreak
    sort: Sort = Sort.RELEVANCE
    offset: int = 0
    limit: int = PAGE_SIZE
    # Which facets to count (each under every filter but its own).
    facet_names: tuple[str, ...] = ()
    # None: every framework. Otherwise only these frameworks' offerings (eligibility).
    framework_ids: frozenset[int] | None = None
    count_cap: int = COUNT_CAP


@dataclass(frozen=True)
class BackendResult:
    ids: list[int]
    # Exact when below the cap; `total_capped` means "count_cap or more".
    total: int
    total_capped: bool
    facets: dict[str, dict[str, int]]


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Hit:
    offering: object  # suppliers.models.Offering, with supplier and lot__framework loaded
    # Title and summary as safe HTML with the matched words in <mark>.
    title_html: str
    summary_html: str
    open_to_buyer: bool = True


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    total_capped: bool
    facets: dict[str, list[FacetValue]]
    summary: str
    query: ParsedQuery
    page: int
    page_count: int
    # Messages about input that was cut, ignored or corrected.
    notices: list[str] = field(default_factory=list)
    # Filters to take off when nothing is found: (label, URL query string without it).
    relaxations: list[tuple[str, str]] = field(default_factory=list)
    timing_ms: float = 0.0
    # The request as understood: only recognised filters, ranges parsed and in order, the page
    # shown. Its query string (search.service.request_to_querydict) is the canonical URL.
    request: SearchRequest | None = None
    # The chosen lot's filterable questions (frameworks.attributes.AttributeSpec), when exactly
    # one lot is chosen: their facets are "attr:<key>" and their ranges "num:<key>".
    questions: tuple = ()

    @property
    def total_display(self) -> str:
        return f"{self.total:,}+" if self.total_capped else f"{self.total:,}"
