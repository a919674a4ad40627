"""The one text analysis every search backend shares.

Text is analysed here, in Python, once: lower-cased, accents folded, split into words, stop
words dropped and each word stemmed (Snowball English, with American -ize/-yze spellings folded
into British -ise/-yse). Documents store the stems as plain space-separated text, and every
backend indexes that text without analysing it again (PostgreSQL's `simple` configuration,
SQLite FTS5's `unicode61` tokenizer, an Elasticsearch `whitespace` analyzer). So one query
finds the same documents in every backend.

Stop words are dropped from documents and queries alike, so a phrase such as "repair of roads"
still matches the document text "repair of roads" as the adjacent stems `repair road`.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# PostgreSQL's English stop-word list (Snowball's), so queries of only such words are known.
_STOP_WORDS_TEXT = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    """
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Words: letters and digits. Apostrophes inside words are dropped first ("council's" →
# "councils" → "council").
_APOSTROPHES = re.compile(r"(?<=\w)['’](?=\w)")
_WORD = re.compile(r"[^\W_]+")
# A stem this long is never a real word; it is cut so a pasted blob cannot bloat an index.
MAX_TOKEN_LENGTH = 40

_stemmer = snowballstemmer.stemmer("english")


# Only characters outside ASCII can be combining marks: the rest are kept without a look.
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _keep_unless_combining(match: re.Match) -> str:
    char = match.group()
    return "" if unicodedata.combining(char) else char


def _fold(text: str) -> str:
    """Lower case without accents: "Café" → "cafe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    return _NON_ASCII.sub(_keep_unless_combining, decomposed)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The stem of one folded word, in British spelling."""
    stemmed = _stemmer.stemWord(word)
    if stemmed.endswith(("iz", "yz")):
        stemmed = stemmed[:-1] + "s"
    return stemmed[:MAX_TOKEN_LENGTH]


def words(text: str) -> list[str]:
    """The folded words of `text`, stop words included, in order."""
    return _WORD.findall(_APOSTROPHES.sub("", _fold(text or "")))


def tokens(text: str) -> list[str]:
    """The stems of `text` in order, without stop words: what documents hold."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS]


def analyse(text: str) -> str:
    """`tokens(text)` as the space-separated text a document field stores."""
    return " ".join(tokens(text))
