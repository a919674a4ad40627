"""The query language, parsed once into a form every backend compiles.

* words are ANDed: `cloud hosting` finds offerings with both;
* `"exact phrase"`: the words next to each other, in that order;
* `-word` or `-"a phrase"` leaves out what matches it;
* `or` between two words or phrases takes either: `cloud or hosting`;
* an empty query (or only very common words) browses everything the filters allow.

Nothing a person types is ever passed to a database or to Elasticsearch as query syntax: the
parser keeps only stems (letters and digits) and the structure above, so `' OR 1=1`, `*:*`
or a backslash are just words or nothing.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .analysis import STOP_WORDS, tokens, words

MAX_QUERY_LENGTH = 200
# More clauses than this add almost nothing to precision and a lot to query cost.
MAX_CLAUSES = 12

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_CHUNK = re.compile(r'(?P<negated>-?)"(?P<phrase>[^"]*)(?P<closed>"?)|(?P<word>[^\s"]+)')


@dataclass(frozen=True)
class Phrase:
    """One or more stems that must appear next to each other, in order."""

    stems: tuple[str, ...]

    def __str__(self) -> str:
        return " ".join(self.stems)


@dataclass(frozen=True)
class ParsedQuery:
    """`clauses` must all match (each is a choice of phrases: any one will do); no phrase in
    `excluded` may match. No clauses means browse."""

    text: str = ""
    clauses: tuple[tuple[Phrase, ...], ...] = ()
    excluded: tuple[Phrase, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def browses(self) -> bool:
        return not self.clauses

    @property
    def highlight_stems(self) -> frozenset[str]:
        """The stems a result should show highlighted."""
        return frozenset(
            stem for clause in self.clauses for phrase in clause for stem in phrase.stems
        )


def _phrase(text: str) -> Phrase | None:
    stems = tokens(text)
    return Phrase(tuple(stems)) if stems else None


def parse(text: str) -> ParsedQuery:
    """Parse what a person typed. Never raises: what cannot be used is dropped, with a notice."""
    notices: list[str] = []
    text = (text or "").translate(_QUOTES).strip()
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rstrip()
        notices.append(
            _("Your search was too long, so only its first %(limit)s characters were used.")
            % {"limit": MAX_QUERY_LENGTH}
        )
    clauses: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    pending_or = False
    dropped_words = False
    for match in _CHUNK.finditer(text):
        word = match["word"]
        if word is not None and word.casefold() == "or":
            pending_or = bool(clauses)
            continue
        negated = bool(match["negated"]) or (word is not None and word.startswith("-"))
        if word is not None:
            source = word.lstrip("-")
        else:
            source = match["phrase"]
            if not match["closed"]:
                notices.append(_("A quotation mark was not closed, so the phrase runs to the end."))
        phrase = _phrase(source)
        if phrase is None:
            dropped_words = dropped_words or any(w in STOP_WORDS for w in words(source))
            continue
        if negated:
            excluded.append(phrase)
        elif pending_or:
            clauses[-1].append(phrase)
        else:
            clauses.append([phrase])
        pending_or = False
    if len(clauses) + len(excluded) > MAX_CLAUSES:
        notices.append(
            _("Only the first %(limit)s words or phrases of your search were used.")
            % {"limit": MAX_CLAUSES}
        )
        clauses = clauses[:MAX_CLAUSES]
        excluded = excluded[: max(0, MAX_CLAUSES - len(clauses))]
    if text and not clauses and dropped_words:
        notices.append(
            _("Words like ‘the’ and ‘of’ are too common to search for, so all results are shown.")
        )
    return ParsedQuery(
        text=text,
        clauses=tuple(tuple(dict.fromkeys(clause)) for clause in clauses),
        excluded=tuple(dict.fromkeys(excluded)),
        notices=tuple(notices),
    )
