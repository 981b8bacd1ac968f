"""A person's search text as words and as a safe FTS5 query.

Any text is accepted: quotes, operators (AND, NEAR, *), unicode and very long input
become plain quoted words, so a query can never be an FTS5 syntax error."""

import re
from collections.abc import Mapping, Sequence

MAX_WORDS = 16  # a pasted page is searched by its first words
MAX_WORD = 40  # longer "words" (hashes, base64) are cut
MIN_PREFIX = 3  # a last word shorter than this is still being typed: it waits
_WORD = re.compile(r"\w+")
# Words that say nothing about a fault; they would match nearly every row.
STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "i",
    "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the",
    "this", "to", "was", "we", "with", "you", "your"))


def query_words(text: str) -> list[str]:
    """The words of ``text`` in order, lower case, without repeats and without
    :data:`STOP_WORDS` (unless there is nothing else)."""
    words: list[str] = []
    for match in _WORD.finditer((text or "")[: MAX_WORDS * (MAX_WORD + 8)]):
        word = match.group().lower()[:MAX_WORD]
        if word not in words:
            words.append(word)
        if len(words) == MAX_WORDS:
            break
    telling = [word for word in words if word not in STOP_WORDS]
    if words and words[-1] in STOP_WORDS and telling:
        telling.append(words[-1])  # may be the start of a word still typed ("in" -> "ink")
    return telling or words


def _phrase(word: str, prefix: bool = False) -> str:
    return f'"{word}"' + ("*" if prefix else "")


def match_expression(words: Sequence[str], typing: bool = True,
                     alternatives: Mapping[str, Sequence[str]] | None = None,
                     prefixes: Sequence[str] = (), every: bool = False) -> str | None:
    """An FTS5 expression matching any of ``words`` (or, with ``every``, all of them).
    While ``typing``, the last word is a prefix, or is left out while shorter than
    :data:`MIN_PREFIX`. ``alternatives`` adds spellings a word may stand for; words in
    ``prefixes`` also match as prefixes. ``None`` when nothing is left."""
    words = list(words)
    last_prefix = False
    if typing and words:
        if len(words[-1]) >= MIN_PREFIX:
            last_prefix = True
        elif words[-1] not in (alternatives or {}):
            words.pop()
    alternatives = alternatives or {}
    terms = []
    for index, word in enumerate(words):
        prefix = (last_prefix and index == len(words) - 1) or word in prefixes
        options = [_phrase(word, prefix)]
        options += [_phrase(other) for other in alternatives.get(word, ()) if other != word]
        terms.append(options[0] if len(options) == 1 else f"({' OR '.join(options)})")
    return (" AND " if every else " OR ").join(terms) or None
