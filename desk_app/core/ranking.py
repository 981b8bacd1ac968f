"""One score for hits of different indexes: how much of the query a hit covers, each
word weighted by where it matched (title over fix over body) and by how rare it is.

bm25 orders each index's candidates, but its values from two indexes (or from a bounded
set of ticket candidates) are not on one scale; this score is, so the kinds can be
merged best first."""

import re
from collections.abc import Callable, Mapping, Sequence

_SUFFIXES = ("ing", "ed", "es", "s")
MIN_STEM = 3


def stem(word: str) -> str:
    """A light stem ("crashes", "crashed", "crashing" -> "crash") for matching."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[:-len(suffix)]
    return word


class QueryScorer:
    """Scores texts against one query's words (made once per query: the patterns are
    compiled here, the texts are only searched)."""

    def __init__(self, words: Sequence[str], typing: bool, rarity: Callable[[str], float],
                 alternatives: Mapping[str, Sequence[str]] | None = None) -> None:
        alternatives = alternatives or {}
        self._words: list[tuple[re.Pattern[str], float]] = []
        for index, word in enumerate(words):
            typed = typing and index == len(words) - 1
            # a word still typed matches what starts like it ("crashi": "crashes")
            heads = [word[:max(MIN_STEM, len(word) - 2)] if typed else stem(word)]
            heads += [stem(other) for other in alternatives.get(word, ())]
            pattern = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in heads) + ")")
            self._words.append((pattern, rarity(word)))

    def score(self, fields: Sequence[tuple[str, float]]) -> float:
        """The sum over the query's words of (weight of the best field of ``fields``
        (text, weight) the word matches) x its rarity."""
        lowered = [(text.lower(), weight) for text, weight in fields if text]
        total = 0.0
        for pattern, rarity in self._words:
            best = max((weight for text, weight in lowered if pattern.search(text)),
                       default=0.0)
            total += best * rarity
        return total
