"""The database search backend: PostgreSQL full text, or SQLite FTS5, over search.models.

Documents are the rows of `search_searchdocument` (written by search.indexing); migration
0002_fulltext adds the index: on PostgreSQL a stored weighted `search_vector` (title A, summary B,
description C, supplier D) with a GIN index, on SQLite the FTS5 table `search_fts`. Text was
analysed in Python, so queries are built from the stems of a ParsedQuery, quoted, and never from
what a person typed.

Ranking is search.ranking's, exactly: each clause scores the weight of the best field it is
found in (PostgreSQL: the clause's tsquery restricted to one weight, `'stem':A`; SQLite: the
phrase as a substring of the space-separated stems of one column), summed over clauses, then
the daily tiebreak. A search is at most three statements whatever the size of the result: the
page of ids, the total (counted only up to the cap), and every facet count in one UNION ALL.
"""

# SQL here is assembled from fixed fragments; every value (stems, facet values, dates, bounds)
# is a parameter. So S608 (SQL built from strings) is a false alarm throughout.
# ruff: noqa: S608

from dataclasses import dataclass, field, replace

from django.db import connection

from ..query import ParsedQuery, Phrase
from ..ranking import FIELD_LETTERS, FIELD_WEIGHTS, TIEBREAK_MODULUS
from ..types import PRICE, BackendQuery, BackendResult, Filters, Range, Sort

try:
    from . import snapshot
except ImportError:  # pyroaring is not installed: SQL alone
    snapshot = None

COLUMNS = {
    "title": "title_terms",
    "summary": "summary_terms",
    "description": "description_terms",
    "supplier": "supplier_terms",
}
# Fields from the best to the least: a clause found in the title scores the title's weight.
FIELDS_BY_WEIGHT = sorted(FIELD_WEIGHTS, key=FIELD_WEIGHTS.get, reverse=True)


@dataclass
class Sql:
    """A fragment of SQL with its parameters, in order."""

    text: str
    params: list = field(default_factory=list)


def _and(parts: list[Sql]) -> Sql:
    return Sql(
        " AND ".join(f"({part.text})" for part in parts) or "1 = 1",
        [param for part in parts for param in part.params],
    )


# --- Full-text dialects ------------------------------------------------------------------------


class PostgresText:
    """tsquery text from stems: `'a'` for a word, `('a':A <-> 'b':A) | ...` for a phrase, which
    must be adjacent within one field (the fields share one vector, so an unrestricted `<->`
    could join the last word of one field to the first of the next)."""

    @staticmethod
    def _phrase(phrase: Phrase, letter: str | None = None) -> str:
        """`letter` None: in any one field; "": in a vector of one field (no weights)."""
        if letter is None and len(phrase.stems) > 1:
            return " | ".join(PostgresText._phrase(phrase, each) for each in "ABCD")
        suffix = f":{letter}" if letter else ""
        return "(" + " <-> ".join(f"'{stem}'{suffix}" for stem in phrase.stems) + ")"

    @classmethod
    def _any(cls, phrases, letter: str | None = None) -> str:
        return " | ".join(f"({cls._phrase(phrase, letter)})" for phrase in phrases)

    @classmethod
    def match(cls, query: ParsedQuery) -> Sql:
        parts = [f"({cls._any(clause)})" for clause in query.clauses]
        if query.excluded:
            excluded = f"!({cls._any(query.excluded)})"
            if not parts:
                return Sql(
                    "NOT (d.search_vector @@ CAST(%s AS tsquery))", [cls._any(query.excluded)]
                )
            parts.append(excluded)
        return Sql("d.search_vector @@ CAST(%s AS tsquery)", [" & ".join(parts)])

    @classmethod
    def clause_in(cls, clause, field_name: str) -> Sql:
        return Sql(
            "d.search_vector @@ CAST(%s AS tsquery)",
            [cls._any(clause, FIELD_LETTERS[field_name])],
        )

    @classmethod
    def all_in_title(cls, query: ParsedQuery) -> Sql:
        """Every clause in the title (the best score there is), by the title's own GIN index."""
        parts = [f"({cls._any(clause, '')})" for clause in query.clauses]
        return Sql(
            "to_tsvector('simple'::regconfig, d.title_terms) @@ CAST(%s AS tsquery)",
            [" & ".join(parts)],
        )


class SqliteText:
    """FTS5 queries from stems: `"a"` for a word, `"a b"` for a phrase (FTS5 phrases never cross
    columns). Scoring looks for the phrase in one column's space-separated stems."""

    @staticmethod
    def _any(phrases) -> str:
        return "(" + " OR ".join(f'"{phrase}"' for phrase in phrases) + ")"

    @classmethod
    def match(cls, query: ParsedQuery) -> Sql:
        excluded = cls._any(query.excluded) if query.excluded else None
        if not query.clauses:
            return Sql(
                "d.offering_id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
                [excluded],
            )
        text = "(" + " AND ".join(cls._any(clause) for clause in query.clauses) + ")"
        if excluded:
            text = f"{text} NOT {excluded}"
        return Sql(
            "d.offering_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)", [text]
        )

    @classmethod
    def clause_in(cls, clause, field_name: str) -> Sql:
        column = COLUMNS[field_name]
        return Sql(
            " OR ".join(f"instr(' ' || d.{column} || ' ', %s) > 0" for _phrase in clause),
            [f" {phrase} " for phrase in clause],
        )


# --- The statements ----------------------------------------------------------------------------


class Compiler:
    def __init__(self, request: BackendQuery, vendor: str):
        self.request = request
        self.vendor = vendor
        self.text = PostgresText if vendor == "postgresql" else SqliteText
        self.ops = connection.ops

    def _range(self, bound: Range) -> Sql:
        if bound.minimum is None and bound.maximum is None:
            return Sql("1 = 1")
        if bound.name == PRICE:
            column, params = "d.comparable_price", []
        else:
            key = bound.name.split(":", 1)[1]
            if self.vendor == "postgresql":
                column = (
                    "(CASE WHEN jsonb_typeof(d.numbers -> %s) = 'number' "
                    "THEN (d.numbers ->> %s)::numeric END)"
                )
                params = [key, key]
            else:
                path = '$."' + key.replace('"', "") + '"'
                column = (
                    "(CASE WHEN json_type(d.numbers, %s) IN ('integer', 'real') "
                    "THEN json_extract(d.numbers, %s) END)"
                )
                params = [path, path]
        parts = []
        if bound.minimum is not None:
            parts.append(Sql(f"{column} >= CAST(%s AS NUMERIC)", [*params, str(bound.minimum)]))
        if bound.maximum is not None:
            parts.append(Sql(f"{column} <= CAST(%s AS NUMERIC)", [*params, str(bound.maximum)]))
        return _and(parts)

    def base(self) -> Sql:
        """Everything but the facet filters: text, listing dates, frameworks, ranges."""
        request = self.request
        today = self.ops.adapt_datefield_value(request.today)
        parts = [
            Sql(
                "d.listed_from <= %s AND (d.listed_until IS NULL OR d.listed_until >= %s)",
                [today, today],
            )
        ]
        if request.query.clauses or request.query.excluded:
            parts.append(self.text.match(request.query))
        if request.framework_ids is not None:
            ids = sorted(request.framework_ids)
            parts.append(
                Sql(f"d.framework_id IN ({', '.join(['%s'] * len(ids))})", ids)
                if ids
                else Sql("1 = 0")
            )
        parts.extend(self._range(bound) for bound in request.filters.ranges)
        if request.filters.published_after is not None:
            parts.append(
                Sql(
                    "d.first_published_at > %s",
                    [self.ops.adapt_datetimefield_value(request.filters.published_after)],
                )
            )
        return _and(parts)

    @staticmethod
    def facet_filters(filters: Filters, alias: str = "d.offering_id") -> Sql:
        parts = []
        for name, values in sorted(filters.facets.items()):
            if not values:
                parts.append(Sql("1 = 0"))
                continue
            values = sorted(values)
            parts.append(
                Sql(
                    f"{alias} IN (SELECT f.document_id FROM search_searchfacet f "
                    f"WHERE f.name = %s AND f.value IN ({', '.join(['%s'] * len(values))}))",
                    [name, *values],
                )
            )
        return _and(parts)

    def where(self) -> Sql:
        return _and([self.base(), self.facet_filters(self.request.filters)])

    def score(self) -> Sql:
        parts = []
        for clause in self.request.query.clauses:
            whens = []
            for name in FIELDS_BY_WEIGHT[:-1]:
                test = self.text.clause_in(clause, name)
                whens.append(Sql(f"WHEN {test.text} THEN {FIELD_WEIGHTS[name]}", test.params))
            least = FIELD_WEIGHTS[FIELDS_BY_WEIGHT[-1]]
            parts.append(
                Sql(
                    "CASE " + " ".join(when.text for when in whens) + f" ELSE {least} END",
                    [param for when in whens for param in when.params],
                )
            )
        if not parts:
            return Sql("0")
        return Sql(
            " + ".join(part.text for part in parts),
            [param for part in parts for param in part.params],
        )

    def tiebreak(self) -> Sql:
        tiebreak = self.request.tiebreak
        cast = "bigint" if self.vendor == "postgresql" else "INTEGER"
        return Sql(
            f"((CAST(d.offering_id AS {cast}) * CAST(%s AS {cast}) + CAST(%s AS {cast})) "
            f"%% {TIEBREAK_MODULUS})",
            [tiebreak.multiplier, tiebreak.increment],
        )

    def order(self) -> Sql:
        tiebreak = self.tiebreak()
        sort = self.request.sort
        if sort == Sort.PRICE_LOW:
            return Sql(f"d.comparable_price ASC, {tiebreak.text} ASC", tiebreak.params)
        if sort == Sort.PRICE_HIGH:
            return Sql(f"d.comparable_price DESC, {tiebreak.text} ASC", tiebreak.params)
        if not self.request.query.clauses:
            return Sql(f"{tiebreak.text} ASC", tiebreak.params)
        score = self.score()
        return Sql(f"{score.text} DESC, {tiebreak.text} ASC", [*score.params, *tiebreak.params])

    def page(self) -> Sql:
        where, order = self.where(), self.order()
        return Sql(
            f"SELECT d.offering_id FROM search_searchdocument d WHERE {where.text} "
            f"ORDER BY {order.text} LIMIT %s OFFSET %s",
            [*where.params, *order.params, self.request.limit, self.request.offset],
        )

    def total(self) -> Sql:
        where = self.where()
        return Sql(
            "SELECT COUNT(*) FROM (SELECT 1 FROM search_searchdocument d "
            f"WHERE {where.text} LIMIT %s) capped",
            [*where.params, self.request.count_cap],
        )

    def facets(self) -> Sql | None:
        names = self.request.facet_names
        if not names:
            return None
        base = self.base()
        materialised = "MATERIALIZED " if self.vendor == "postgresql" else ""
        branches = []
        for name in names:
            others = self.facet_filters(self.request.filters.without(name), "m.offering_id")
            branches.append(
                Sql(
                    "SELECT %s, f.value, COUNT(*) FROM m JOIN search_searchfacet f "
                    "ON f.document_id = m.offering_id AND f.name = %s "
                    f"WHERE {others.text} GROUP BY f.value",
                    [name, name, *others.params],
                )
            )
        return Sql(
            f"WITH m AS {materialised}(SELECT d.offering_id FROM search_searchdocument d "
            f"WHERE {base.text}) " + " UNION ALL ".join(branch.text for branch in branches),
            [*base.params, *(param for branch in branches for param in branch.params)],
        )


class DatabaseBackend:
    """`use_snapshot`: answer from the process's bitmaps (search.backends.snapshot) when
    pyroaring is installed; otherwise, or when False, in SQL alone."""

    def __init__(self, *, use_snapshot: bool = True):
        self.use_snapshot = use_snapshot and snapshot is not None

    def search(self, request: BackendQuery) -> BackendResult:
        if self.use_snapshot:
            with connection.cursor() as cursor:
                current, stale = snapshot.keeper.current_or_stale(cursor)
                if current is not None:
                    result = current.search(request)
                    return self._still_listed(cursor, request, result) if stale else result
        return self.search_in_sql(request)

    @staticmethod
    def _still_listed(cursor, request: BackendQuery, result: BackendResult) -> BackendResult:
        """A page from a stale snapshot without the hits that are no longer listed documents,
        in one statement. The page may come up short; the total drops by as many."""
        if not result.ids:
            return result
        today = connection.ops.adapt_datefield_value(request.today)
        statement = Sql(
            f"SELECT offering_id FROM search_searchdocument WHERE offering_id IN "
            f"({', '.join(['%s'] * len(result.ids))}) AND listed_from <= %s "
            f"AND (listed_until IS NULL OR listed_until >= %s)",
            [*result.ids, today, today],
        )
        if request.framework_ids is not None:
            frameworks = sorted(request.framework_ids)
            if not frameworks:
                return replace(result, ids=[], total=0, total_capped=False)
            statement.text += f" AND framework_id IN ({', '.join(['%s'] * len(frameworks))})"
            statement.params.extend(frameworks)
        cursor.execute(statement.text, statement.params)
        listed = {row[0] for row in cursor.fetchall()}
        ids = [pk for pk in result.ids if pk in listed]
        if len(ids) == len(result.ids):
            return result
        if result.total_capped:
            return replace(result, ids=ids)
        total = max(result.total - (len(result.ids) - len(ids)), len(ids))
        return replace(result, ids=ids, total=total)

    def warm(self) -> None:
        """Build this process's bitmaps now rather than in the background after the first
        search: for benchmarks, and for a process that should answer fast from the start."""
        if self.use_snapshot:
            with connection.cursor() as cursor:
                snapshot.keeper.warm(cursor)

    def search_in_sql(self, request: BackendQuery) -> BackendResult:
        compiler = Compiler(request, connection.vendor)
        with connection.cursor() as cursor:
            statement = compiler.page()
            cursor.execute(statement.text, statement.params)
            ids = [row[0] for row in cursor.fetchall()]
            statement = compiler.total()
            cursor.execute(statement.text, statement.params)
            total = cursor.fetchone()[0]
            facets: dict[str, dict[str, int]] = {name: {} for name in request.facet_names}
            statement = compiler.facets()
            if statement is not None:
                cursor.execute(statement.text, statement.params)
                for name, value, count in cursor.fetchall():
                    facets[name][value] = count
        capped = total >= request.count_cap
        return BackendResult(
            ids=ids,
            total=request.count_cap if capped else total,
            total_capped=capped,
            facets=facets,
        )

    def index_documents(self, offering_ids: list[int]) -> None:
        """Nothing to do: the documents are the rows, and the index follows them (a generated
        column on PostgreSQL, triggers on SQLite)."""

    def rebuild(self, *, progress=None) -> None:
        """Rebuild SQLite's FTS5 table from the rows; PostgreSQL's column is always current."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")


backend = DatabaseBackend()
# The same contract answered by SQL alone: for comparison in tests and benchmarks.
sql_backend = DatabaseBackend(use_snapshot=False)
