"""One score for hits of different indexes: how much of the query a hit covers, each
word weighted by where it matched (title over fix over body) and by how rare it is.

bm25 picks and orders each index's candidates, but its values from two indexes (or from
a bounded set of ticket candidates) are not on one scale; this score is, so the kinds
can be merged best first."""

import re
from collections.abc import Callable, Sequence

_TOKEN = re.compile(r"\w+")
_SUFFIXES = ("ing", "ed", "es", "s")
MIN_STEM = 3


def stem(word: str) -> str:
    """A light stem ("crashes", "crashed", "crashing" -> "crash") for matching."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[:-len(suffix)]
    return word


def tokens(text: str) -> set[str]:
    """The stems of the words of ``text``."""
    return {stem(token) for token in _TOKEN.findall((text or "").lower())}


def _matches(word: str, prefix: bool, field: set[str]) -> bool:
    if prefix:
        return any(token.startswith(word) or (word.startswith(token) and len(token) >= MIN_STEM)
                   for token in field) if len(word) >= MIN_STEM else False
    return stem(word) in field


def coverage(words: Sequence[str], typing: bool, fields: Sequence[tuple[str, float]],
             rarity: Callable[[str], float],
             alternatives: dict[str, list[str]] | None = None) -> float:
    """The sum over ``words`` of (weight of the best field the word, or one of its
    ``alternatives``, matches) x its rarity. While ``typing`` the last word is a prefix."""
    field_tokens = [(tokens(text), weight) for text, weight in fields]
    alternatives = alternatives or {}
    total = 0.0
    for index, word in enumerate(words):
        prefix = typing and index == len(words) - 1
        forms = [word, *alternatives.get(word, ())]
        best = max((weight for found, weight in field_tokens
                    if any(_matches(form, prefix and form == word, found) for form in forms)),
                   default=0.0)
        total += best * rarity(word)
    return total
