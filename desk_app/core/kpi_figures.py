"""One KPI figure with its target, and how it rates against that target.

Every screen and export that shows a KPI (the dashboard's tiles, the PDF and Markdown
report, the major-incident figures) passes these around, so a figure, its target and its
green/amber/red rating are computed once, here.
"""

from dataclasses import dataclass
from enum import Enum


class Direction(Enum):
    """Whether a higher or a lower value is the better one."""

    HIGHER = "higher"
    LOWER = "lower"


class Rating(Enum):
    """Where a figure stands against its target."""

    GREEN = "green"      # meets the target
    AMBER = "amber"      # misses it by no more than the margin
    RED = "red"          # misses it by more
    NONE = "none"        # no target, or nothing measured yet


@dataclass(frozen=True)
class Figure:
    """A measured KPI: its value over ``count`` tickets, and the target it is held to."""

    key: str
    label: str
    value: float | None
    unit: str                       # "hours", "minutes", "percent", "count", "score"
    direction: Direction
    target: float | None = None
    count: int = 0                  # tickets (or answers) behind the value
    amber_margin: float = 0.1       # a miss within this share of the target is amber

    def rating(self) -> Rating:
        """Green when the target is met, amber when missed within the margin, else red."""
        if self.value is None or self.target is None:
            return Rating.NONE
        if self.direction is Direction.HIGHER:
            if self.value >= self.target:
                return Rating.GREEN
            shortfall = self.target - self.value
        else:
            if self.value <= self.target:
                return Rating.GREEN
            shortfall = self.value - self.target
        allowed = abs(self.target) * self.amber_margin
        return Rating.AMBER if shortfall <= allowed else Rating.RED
