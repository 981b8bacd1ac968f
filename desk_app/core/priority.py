"""Priority from impact x urgency through a configurable matrix."""

from collections.abc import Mapping
from dataclasses import dataclass

from desk_app.core.enums import PRIORITIES, Level, parse_enum
from desk_app.core.errors import InvalidValue


@dataclass(frozen=True)
class PriorityMatrix:
    """Maps every (impact, urgency) pair to a priority P1..P4."""

    cells: Mapping[tuple[Level, Level], str]

    def __post_init__(self) -> None:
        for impact in Level:
            for urgency in Level:
                value = self.cells.get((impact, urgency))
                if value not in PRIORITIES:
                    raise InvalidValue(
                        "priority_matrix",
                        f"impact {impact.value} x urgency {urgency.value} must map to one of "
                        f"{', '.join(PRIORITIES)}, not {value!r}",
                    )

    def priority(self, impact: Level, urgency: Level) -> str:
        """The priority for this impact and urgency."""
        return self.cells[(impact, urgency)]

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, str]]) -> "PriorityMatrix":
        """Build from ``{impact: {urgency: "P1"}}`` as stored in the policy."""
        cells = {}
        for impact_name, row in data.items():
            impact = parse_enum(Level, "priority_matrix", impact_name)
            for urgency_name, priority in row.items():
                cells[(impact, parse_enum(Level, "priority_matrix", urgency_name))] = priority
        return cls(cells)

    def to_dict(self) -> dict[str, dict[str, str]]:
        """The stored form, the inverse of :meth:`from_dict`."""
        return {i.value: {u.value: self.cells[(i, u)] for u in Level} for i in Level}


def parse_priority(value: object) -> str:
    """``"P2"``, ``"p2"``, ``2`` or ``"2 - High"`` as ``"P2"``; refuse anything else."""
    text = str(value).strip().upper()
    if text[:1].isdigit():
        text = "P" + text[0]
    if text[:2] in PRIORITIES:
        return text[:2]
    raise InvalidValue("priority", f"{value!r} is not one of {', '.join(PRIORITIES)}")
