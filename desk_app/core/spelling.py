"""Typo-tolerant query words: a word the index does not hold is matched to the closest
terms it does hold (edit similarity), and a word that only starts a term (typed in
part) also matches as a prefix."""

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

MIN_LENGTH = 4  # shorter words have too many close neighbours to guess from
CUTOFF = 80.0  # similarity (0-100) a term needs to stand in for a word
ALTERNATIVES = 2


@dataclass(frozen=True)
class Corrections:
    """What a query's words may stand for: close terms, and words to match as prefixes."""

    alternatives: dict[str, list[str]] = field(default_factory=dict)
    prefixes: tuple[str, ...] = ()


def corrections(words: Sequence[str], vocabulary: Mapping[str, int],
                terms: Sequence[str] | None = None) -> Corrections:
    """Alternatives for ``words`` that are not in ``vocabulary`` (term -> row count),
    best first (similarity, then how common). ``terms`` is the vocabulary's terms as a
    sorted list (pass it when calling often: it saves sorting them)."""
    terms = sorted(vocabulary) if terms is None else terms
    alternatives: dict[str, list[str]] = {}
    prefixes = []
    for word in words:
        if len(word) < MIN_LENGTH or _known(word, vocabulary) or not word.isalpha():
            continue
        at = bisect_left(terms, word)
        if at < len(terms) and terms[at].startswith(word):
            prefixes.append(word)
        found = process.extract(word, terms, scorer=fuzz.ratio, score_cutoff=CUTOFF,
                                limit=ALTERNATIVES * 3)
        ranked = sorted(found, key=lambda hit: (-hit[1], -vocabulary[hit[0]]))
        if ranked:
            alternatives[word] = [term for term, _score, _index in ranked[:ALTERNATIVES]]
    return Corrections(alternatives, tuple(prefixes))


def _known(word: str, vocabulary: Mapping[str, int]) -> bool:
    """The word or its stem is a term (a stemming index holds "crash" for "crashes")."""
    return any(word[:end] in vocabulary for end in range(len(word), MIN_LENGTH - 1, -1))
