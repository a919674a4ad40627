"""How results are ordered, defined once so every backend orders them alike.

Relevance is a score from where the query's words are found. For each clause of the query (a
word, a phrase, or words joined by `or`), the clause scores the weight of the best field it is
found in: title 8, summary 4, description 2, supplier name 1. The score is the sum over clauses.
So an offering with the words in its title comes before one that has them only in its
description, and no offering gains by repeating a word or by being long or short.

Equal scores (and every result of a search with no words) are ordered by a hash of the
offering's id with a seed that changes each day (London time): stable all day, so paging and
sharing a link work, and different the next, so no supplier sits on top for good. Nothing
orders by supplier name or by age.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

FIELD_WEIGHTS = {"title": 8, "summary": 4, "description": 2, "supplier": 1}
# PostgreSQL tsvector weight letters for the same fields.
FIELD_LETTERS = {"title": "A", "summary": "B", "description": "C", "supplier": "D"}

# A prime just below 2**31: ids and multipliers stay below it, so id * multiplier + increment
# fits a signed 64-bit integer in PostgreSQL, SQLite and Elasticsearch's painless alike.
TIEBREAK_MODULUS = 2_147_483_647


@dataclass(frozen=True)
class Tiebreak:
    """key(id) = (id × multiplier + increment) mod TIEBREAK_MODULUS: a different permutation of
    the ids for each day's multiplier, computed the same way in SQL, painless and Python."""

    multiplier: int
    increment: int

    def key(self, offering_id: int) -> int:
        return (offering_id * self.multiplier + self.increment) % TIEBREAK_MODULUS


def tiebreak_for(day: date) -> Tiebreak:
    digest = hashlib.sha256(f"marketplace-search-{day.isoformat()}".encode()).digest()
    multiplier = int.from_bytes(digest[:8], "big") % (TIEBREAK_MODULUS - 1) + 1
    increment = int.from_bytes(digest[8:16], "big") % TIEBREAK_MODULUS
    return Tiebreak(multiplier=multiplier, increment=increment)
