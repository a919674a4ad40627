"""Matched words shown in <mark>, found by the same analysis that indexed them.

A word of the text is marked when its stem (search.analysis) is one the query looks for, so
"hosting" in a title is marked for a search for "hosted". Everything else is escaped: the
result is safe HTML whatever the text holds.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import STOP_WORDS, stem, words

# A word as the analysis reads it: letters and digits, with apostrophes inside it
# ("council's"), so the whole word is marked, not the part before the apostrophe.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _matches(word: str, stems: frozenset[str]) -> bool:
    return any(folded not in STOP_WORDS and stem(folded) in stems for folded in words(word))


def highlight(text: str, stems: frozenset[str] | set[str]) -> SafeString:
    """`text` escaped, with each word whose stem is in `stems` wrapped in <mark>."""
    text = text or ""
    if not stems:
        return mark_safe(escape(text))  # noqa: S308 - escaped just now
    stems = frozenset(stems)
    parts: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        if not _matches(match.group(), stems):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped
