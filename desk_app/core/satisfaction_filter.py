"""Which satisfaction answers a listing keeps, written as a short condition.

``none`` (not rated), ``rated`` (any score), ``3``, ``<=2``, ``>=4``, ``<3``, ``>3``
or a span ``2-4``. A condition reads back in one canonical spelling
(:meth:`ScoreRange.spelling`), which is what a saved view keeps.
"""

import re
from dataclasses import dataclass

from desk_app.core.errors import InvalidValue
from desk_app.core.satisfaction import SCORES

LOWEST, HIGHEST = SCORES[0], SCORES[-1]
GRAMMAR = "none, rated, 3, <=2, >=4, <3, >3 or 2-4 (scores 1 to 5)"
_COMPARISON = re.compile(r"^(<=|>=|<|>|=)?\s*(\d+)$")
_SPAN = re.compile(r"^(\d+)\s*(?:-|\.\.)\s*(\d+)$")


@dataclass(frozen=True)
class ScoreRange:
    """Scores ``low`` to ``high`` inclusive, or (``unrated``) tickets with no answer."""

    low: int = LOWEST
    high: int = HIGHEST
    unrated: bool = False

    def keeps(self, score: int | None) -> bool:
        """Whether a ticket with this score (None: not rated) is kept."""
        if score is None:
            return self.unrated
        return not self.unrated and self.low <= score <= self.high

    def spelling(self) -> str:
        """The canonical condition: ``none``, ``rated``, ``3``, ``<=2``, ``>=4``, ``2-4``."""
        if self.unrated:
            return "none"
        if (self.low, self.high) == (LOWEST, HIGHEST):
            return "rated"
        if self.low == self.high:
            return str(self.low)
        if self.low == LOWEST:
            return f"<={self.high}"
        if self.high == HIGHEST:
            return f">={self.low}"
        return f"{self.low}-{self.high}"

    def label(self) -> str:
        """What a person reads: ``Not rated``, ``Rated``, ``2 or less``, ``3``, ``2 to 4``."""
        if self.unrated:
            return "Not rated"
        if (self.low, self.high) == (LOWEST, HIGHEST):
            return "Rated"
        if self.low == self.high:
            return f"{self.low} of 5"
        if self.low == LOWEST:
            return f"{self.high} or less"
        if self.high == HIGHEST:
            return f"{self.low} or more"
        return f"{self.low} to {self.high}"


def _number(text: str) -> int:
    """The digits as a number; a very long one reads as too high (int() refuses
    thousands of digits)."""
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= 6 else 10 ** 6


def _score(text: str, condition: str) -> int:
    value = _number(text)
    if value not in SCORES:
        raise InvalidValue("satisfaction", f"{condition!r}: scores go from 1 to 5; "
                           f"write {GRAMMAR}")
    return value


def score_range(text: str) -> ScoreRange:
    """Read a satisfaction condition (see the module); refuses naming ``satisfaction``
    when it is not one or keeps no score."""
    condition = str(text).strip().lower()
    if condition in ("none", "unrated"):
        return ScoreRange(unrated=True)
    if condition in ("rated", "any"):
        return ScoreRange()
    span = _SPAN.match(condition)
    if span:
        low, high = _score(span[1], condition), _score(span[2], condition)
        if low > high:
            raise InvalidValue("satisfaction", f"{condition!r}: the span goes from low to "
                               f"high, e.g. {high}-{low}")
        return ScoreRange(low, high)
    comparison = _COMPARISON.match(condition)
    if not comparison:
        raise InvalidValue("satisfaction", f"cannot read {condition[:40]!r}; write {GRAMMAR}")
    operator, number = comparison[1] or "=", _number(comparison[2])
    low, high = {"=": (number, number), "<=": (LOWEST, number), ">=": (number, HIGHEST),
                 "<": (LOWEST, number - 1), ">": (number + 1, HIGHEST)}[operator]
    low, high = max(low, LOWEST), min(high, HIGHEST)
    if (operator == "=" and number not in SCORES) or low > high:
        raise InvalidValue("satisfaction", f"{condition!r} keeps no score: scores go from "
                           f"1 to 5; write {GRAMMAR}")
    return ScoreRange(low, high)
