"""A plain-Python oracle for the backend contract (search.types.BackendQuery).

It loads every document and facet row and evaluates a query by the contract's words alone, with
no index and no cleverness, so the contract tests can compare every real backend with it. It is
for test fixtures, not for production: it reads the whole table on every search.
"""

from collections import Counter
from decimal import Decimal

from ..models import SearchDocument, SearchFacet
from ..query import Phrase
from ..ranking import FIELD_WEIGHTS
from ..types import PRICE, BackendQuery, BackendResult, Filters, Range, Sort

FIELDS = {
    "title": "title_terms",
    "summary": "summary_terms",
    "description": "description_terms",
    "supplier": "supplier_terms",
}


def _contains(tokens: list[str], phrase: Phrase) -> bool:
    size = len(phrase.stems)
    return any(
        tuple(tokens[start : start + size]) == phrase.stems
        for start in range(len(tokens) - size + 1)
    )


def clause_weight(clause: tuple[Phrase, ...], fields: dict[str, list[str]]) -> int:
    """The weight of the best field in which any phrase of the clause is found, else 0."""
    return max(
        (
            FIELD_WEIGHTS[name]
            for name, tokens in fields.items()
            if any(_contains(tokens, phrase) for phrase in clause)
        ),
        default=0,
    )


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _in_range(document: SearchDocument, bound: Range) -> bool:
    if bound.minimum is None and bound.maximum is None:
        return True
    if bound.name == PRICE:
        value = _number(document.comparable_price)
    else:
        value = _number((document.numbers or {}).get(bound.name.split(":", 1)[1]))
    if value is None:
        return False
    if bound.minimum is not None and value < bound.minimum:
        return False
    return bound.maximum is None or value <= bound.maximum


class ReferenceBackend:
    def _documents(self):
        documents = list(SearchDocument.objects.all())
        facets: dict[int, set[tuple[str, str]]] = {document.pk: set() for document in documents}
        for document_id, name, value in SearchFacet.objects.values_list(
            "document_id", "name", "value"
        ):
            facets[document_id].add((name, value))
        return documents, facets

    def _passes(self, document, facets, request: BackendQuery, filters: Filters) -> bool:
        if document.listed_from > request.today:
            return False
        if document.listed_until is not None and document.listed_until < request.today:
            return False
        if request.framework_ids is not None and document.framework_id not in (
            request.framework_ids
        ):
            return False
        if not all(_in_range(document, bound) for bound in filters.ranges):
            return False
        if filters.published_after is not None and (
            document.first_published_at is None
            or document.first_published_at <= filters.published_after
        ):
            return False
        return all(
            any((name, value) in facets for value in values)
            for name, values in filters.facets.items()
        )

    def search(self, request: BackendQuery) -> BackendResult:
        documents, facet_rows = self._documents()
        query = request.query
        scored: list[tuple[SearchDocument, int]] = []
        for document in documents:
            fields = {name: getattr(document, column).split() for name, column in FIELDS.items()}
            if any(
                _contains(tokens, phrase) for phrase in query.excluded for tokens in fields.values()
            ):
                continue
            weights = [clause_weight(clause, fields) for clause in query.clauses]
            if all(weights):
                scored.append((document, sum(weights)))

        def matches(filters: Filters):
            return [
                (document, score)
                for document, score in scored
                if self._passes(document, facet_rows[document.pk], request, filters)
            ]

        hits = matches(request.filters)
        key = request.tiebreak.key
        if request.sort == Sort.PRICE_LOW:
            hits.sort(key=lambda hit: (hit[0].comparable_price, key(hit[0].pk)))
        elif request.sort == Sort.PRICE_HIGH:
            hits.sort(key=lambda hit: (-hit[0].comparable_price, key(hit[0].pk)))
        else:
            hits.sort(key=lambda hit: (-hit[1], key(hit[0].pk)))
        facets = {}
        for name in request.facet_names:
            counts: Counter[str] = Counter()
            for document, _score in matches(request.filters.without(name)):
                counts.update(value for row, value in facet_rows[document.pk] if row == name)
            facets[name] = dict(counts)
        capped = len(hits) >= request.count_cap
        return BackendResult(
            ids=[document.pk for document, _score in hits][
                request.offset : request.offset + request.limit
            ],
            total=request.count_cap if capped else len(hits),
            total_capped=capped,
            facets=facets,
        )

    def index_documents(self, offering_ids: list[int]) -> None:
        """Nothing to do: the oracle reads the rows on every search."""

    def rebuild(self, *, progress=None) -> None:
        """Nothing to do: the oracle reads the rows on every search."""


backend = ReferenceBackend()
