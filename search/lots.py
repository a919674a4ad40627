"""The frameworks-and-lots tab: lots found by words, or by a CPV code, before any offering.

It reads LotSearchDocument (search.indexing writes one per lot of a published framework: the
lot's and framework's titles, their descriptions, and every CPV code and label at or beneath
the lot's codes, all analysed). Lots are few, so the query language is evaluated in the
database with plain LIKE on the space-padded stems, the same on PostgreSQL and SQLite:

* words are ANDed, `"phrases"` are adjacent stems, `or` takes either, `-word` leaves out;
* a lot scores, for each clause, the weight of the best field it is found in (title 8, CPV
  4, description 2); lots are ordered by score, then framework title and lot number;
* a search that is a CPV code ("90600000", "90600000-3", or the start of one, "906") finds the
  lots whose codes are at or beneath it, or above it: the lots that buy that kind of thing.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.safestring import SafeString

from frameworks.eligibility import eligible_frameworks_filter
from frameworks.models import FrameworkPage, Lot
from frameworks.models.reference import significant_prefix

from .highlight import highlight
from .models import LotSearchDocument
from .query import ParsedQuery, Phrase, parse
from .service import BUYING_KINDS

LOT_FIELD_WEIGHTS = {"title": 8, "cpv": 4, "description": 2}
_COLUMNS = {"title": "title_terms", "cpv": "cpv_terms", "description": "description_terms"}
# More lots than this is a list of everything, not an answer.
MAX_LOT_HITS = 200
_CODE = re.compile(r"^(\d{2,8})(?:-\d)?$")


@dataclass(frozen=True)
class LotHit:
    lot: Lot  # with its framework loaded
    score: int
    open_to_buyer: bool
    title_html: SafeString
    description_html: SafeString
    # The framework's first day of call-offs when that is after today: a coming framework is
    # found (a buyer may plan for it), marked with the day it starts.
    starts_on: date | None = None

    @property
    def framework(self) -> FrameworkPage:
        return self.lot.framework


@dataclass
class LotSearchResult:
    hits: list[LotHit]
    query: ParsedQuery
    notices: list[str] = field(default_factory=list)
    # The CPV code prefix searched for, when the search was a code.
    cpv_prefix: str = ""

    @property
    def total(self) -> int:
        return len(self.hits)

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


def _padded(column: str) -> Concat:
    return Concat(Value(" "), F(column), Value(" "), output_field=TextField())


def _in(field_name: str, phrase: Phrase) -> Q:
    return Q(**{f"terms_{field_name}__contains": f" {' '.join(phrase.stems)} "})


def _anywhere(phrase: Phrase) -> Q:
    condition = Q()
    for name in _COLUMNS:
        condition |= _in(name, phrase)
    return condition


def _clause_score(clause: tuple[Phrase, ...]) -> Case:
    whens = []
    for name, weight in sorted(LOT_FIELD_WEIGHTS.items(), key=lambda item: -item[1]):
        found = Q()
        for phrase in clause:
            found |= _in(name, phrase)
        whens.append(When(found, then=Value(weight)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _coming(framework: FrameworkPage, *, today: date) -> date | None:
    return framework.starts_on if framework.starts_on > today else None


def code_prefix(text: str) -> str:
    """The digits a CPV code search looks for ("" when `text` is not a code): a whole code
    stands for itself and every code beneath it ("90600000-3" → "906"), a part of one for the
    codes starting with it."""
    match = _CODE.match(text.strip())
    if match is None:
        return ""
    digits = match.group(1)
    return significant_prefix(digits) if len(digits) == 8 else digits


def search_lots(
    text: str,
    *,
    today: date,
    organisation=None,
    buyer_organisation=None,
    include_not_open: bool = False,
) -> LotSearchResult:
    """Lots of current and coming frameworks matching `text`, best first; a coming one's hits
    carry its `starts_on`. Suspended and ended frameworks and closed lots are left out. A buyer
    organisation sees only frameworks it may use, unless `include_not_open`: then the others
    are marked."""
    organisation = organisation if organisation is not None else buyer_organisation
    if organisation is not None and getattr(organisation, "kind", None) not in BUYING_KINDS:
        organisation = None
    documents = (
        LotSearchDocument.objects.filter(
            framework__live=True,
            framework__is_suspended=False,
            framework__ends_on__gte=today,
            lot__closure__isnull=True,
        )
        .annotate(**{f"terms_{name}": _padded(column) for name, column in _COLUMNS.items()})
        .select_related("lot", "framework")
        .defer("lot__attribute_schema")
    )
    prefix = code_prefix(text or "")
    if prefix:
        query = ParsedQuery(text=text.strip())
        documents = documents.filter(terms_cpv__contains=f" {prefix}").annotate(
            score=Value(LOT_FIELD_WEIGHTS["cpv"], output_field=IntegerField())
        )
    else:
        query = parse(text or "")
        for clause in query.clauses:
            matched = Q()
            for phrase in clause:
                matched |= _anywhere(phrase)
            documents = documents.filter(matched)
        for phrase in query.excluded:
            documents = documents.exclude(_anywhere(phrase))
        score = Value(0, output_field=IntegerField())
        for clause in query.clauses:
            score = score + _clause_score(clause)
        documents = documents.annotate(score=score)
    if organisation is not None:
        usable = FrameworkPage.objects.filter(eligible_frameworks_filter(organisation))
        if include_not_open:
            documents = documents.annotate(
                is_open=ExpressionWrapper(
                    Q(framework__in=usable.values("pk")), output_field=BooleanField()
                )
            )
        else:
            documents = documents.filter(framework__in=usable.values("pk"))
    documents = documents.order_by("-score", "framework__title", "lot__number", "pk")
    stems = query.highlight_stems
    hits = []
    for document in documents[:MAX_LOT_HITS]:
        lot = document.lot
        lot.framework = document.framework
        hits.append(
            LotHit(
                lot=lot,
                score=document.score,
                open_to_buyer=getattr(document, "is_open", True),
                title_html=highlight(lot.title, stems),
                description_html=highlight(lot.description, stems),
                starts_on=_coming(document.framework, today=today),
            )
        )
    return LotSearchResult(hits=hits, query=query, notices=list(query.notices), cpv_prefix=prefix)
