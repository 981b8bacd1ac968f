"""Functional (support level) and hierarchic (management) escalation matrices."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from desk_app.core.enums import SupportLevel
from desk_app.core.errors import InvalidValue, Refused

LEVELS = (SupportLevel.L1, SupportLevel.L2, SupportLevel.L3)


@dataclass(frozen=True)
class FunctionalMatrix:
    """The support group for each level, per category, with a default row."""

    rows: Mapping[str, Mapping[str, str]]  # category (or "default") -> level -> group

    def group_for(self, category: str | None, level: SupportLevel) -> str:
        """The group that works ``category`` tickets at ``level``."""
        row = self.rows.get(category or "", {})
        group = row.get(level.value) or self.rows.get("default", {}).get(level.value)
        if not group:
            raise InvalidValue("escalation.functional",
                               f"no group for {level.value} (category {category!r})")
        return group

    def next_level(self, current: SupportLevel) -> SupportLevel:
        """The next support level, or refuse at the last one."""
        index = LEVELS.index(current)
        if index + 1 >= len(LEVELS):
            raise Refused("support_level", f"already at {current.value}, the last support level")
        return LEVELS[index + 1]


@dataclass(frozen=True)
class HierarchicLevel:
    name: str
    at_percent: float  # of the resolution target used
    technician: str | None = None  # the login told when a ticket reaches this level
    groups: Mapping[str, str] = field(default_factory=dict)  # group name -> login instead

    def person_for(self, group: str | None) -> str | None:
        """The login told at this level for a ticket of ``group`` (the group's own person
        where the policy names one, else the level's)."""
        return self.groups.get(group or "", self.technician)


@dataclass(frozen=True)
class HierarchicMatrix:
    """Management levels, each reached when the resolution clock passes its threshold."""

    levels: Sequence[HierarchicLevel]

    def level_name(self, level: int) -> str:
        """The management level ``level`` (1-based); 0 means not escalated."""
        return self.levels[level - 1].name if level else "none"

    def next_level(self, current: int) -> int:
        """The next management level, or refuse at the top."""
        if current >= len(self.levels):
            raise Refused("hierarchic_level",
                          f"already at {self.level_name(current)}, the top management level")
        return current + 1

    def level_due(self, percent_used: float) -> int:
        """How many management levels should know, given the resolution clock's use."""
        return sum(1 for level in self.levels if percent_used >= level.at_percent)
