"""Automatic assignment: which technician of a support group gets a ticket that reached
the group with nobody assigned. Pure rules: the service gathers the candidates (active
members, on shift, not away) and their open work; this module picks one and says why."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desk_app.core.calendar import BusinessCalendar
from desk_app.core.errors import InvalidValue

NONE, ROUND_ROBIN, LEAST_OPEN = "none", "round_robin", "least_open"
METHODS = (NONE, ROUND_ROBIN, LEAST_OPEN)
METHOD_WORDS = {ROUND_ROBIN: "round robin", LEAST_OPEN: "least open work"}
DEFAULT_WEIGHTS: Mapping[str, float] = {"P1": 4, "P2": 3, "P3": 2, "P4": 1}


@dataclass(frozen=True)
class AssignmentPolicy:
    """The ``assignment`` policy section: a method per support group (``none`` for a
    group not named), the weight of an open ticket per priority for least open work,
    and whether a technician skilled in the ticket's category is preferred."""

    methods: Mapping[str, str] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    prefer_skills: bool = True

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> "AssignmentPolicy":
        """Read the stored section (absent: no automatic assignment anywhere)."""
        section = section or {}
        methods = dict(section.get("groups", {}))
        for group, method in methods.items():
            if method not in METHODS:
                raise InvalidValue(f"assignment.groups.{group}",
                                   f"{method!r} is not one of {', '.join(METHODS)}")
        weights = dict(DEFAULT_WEIGHTS) | dict(section.get("weights", {}))
        return cls(methods, weights, bool(section.get("prefer_skills", True)))

    def method_for(self, group: str | None) -> str:
        """How tickets reaching ``group`` are assigned."""
        return self.methods.get(group or "", NONE)

    def weight(self, priority: str) -> float:
        """What one open ticket of ``priority`` counts for in least open work."""
        return float(self.weights.get(priority, 1))


@dataclass(frozen=True)
class Candidate:
    """A technician who could take the ticket: on shift, not away, active."""

    technician_id: str
    login: str
    skills: frozenset[str] = frozenset()
    open_work: float = 0.0  # open tickets assigned, weighted by priority


@dataclass(frozen=True)
class Choice:
    """Who gets the ticket and the sentence the history keeps."""

    technician_id: str
    login: str
    reason: str


def available(at: datetime, away_until: datetime | None,
              calendar: BusinessCalendar | None) -> bool:
    """Whether a technician can take work at ``at``: not away, and on shift on their
    calendar (a technician without a calendar is always on shift)."""
    if away_until is not None and at < away_until:
        return False
    return calendar is None or calendar.is_working(at)


def open_work(priorities: Iterable[str], policy: AssignmentPolicy) -> float:
    """The weighted count of open tickets with these priorities."""
    return sum(policy.weight(p) for p in priorities)


def choose(method: str, candidates: Iterable[Candidate], category: str | None,
           last_login: str | None, prefer_skills: bool = True) -> Choice | None:
    """Pick a technician by ``method`` (None when nobody can take it, or ``none``).

    Round robin takes the first login after ``last_login`` (the last technician the
    rotation picked in this group), wrapping around; least open work takes the lowest
    weighted open work, ties by login. A skilled technician (the ticket's category in
    their skills) is preferred when there is one.
    """
    if method not in METHODS:
        raise InvalidValue("assignment", f"{method!r} is not one of {', '.join(METHODS)}")
    pool = sorted(candidates, key=lambda c: c.login)
    if method == NONE or not pool:
        return None
    skill_note = ""
    if prefer_skills and category:
        skilled = [c for c in pool if category in c.skills]
        if skilled:
            pool, skill_note = skilled, f", skilled in {category}"
    if method == ROUND_ROBIN:
        after = [c for c in pool if last_login is not None and c.login > last_login]
        chosen = (after or pool)[0]
        since = f"next after {last_login}" if last_login else "first in the rotation"
        return Choice(chosen.technician_id, chosen.login,
                      f"assigned to {chosen.login} by round robin; {since}{skill_note}")
    chosen = min(pool, key=lambda c: (c.open_work, c.login))
    return Choice(chosen.technician_id, chosen.login,
                  f"assigned to {chosen.login} by least open work ({_amount(chosen.open_work)} "
                  f"weighted open, lowest of {len(pool)}{skill_note})")


def _amount(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"

