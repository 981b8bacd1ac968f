"""The major-incident KPIs, pure: what one major incident's history says (declared,
updates sent, workaround, resolved) and the figures over many of them.

- time to declare: from the start (detected when known, else logged) to the first
  declaration, in minutes;
- time to first update: from the declaration to the first update sent;
- updates sent on time: the share of sent updates sent by their due time (the first
  ``first`` after the declaration, each later one ``every`` after the one before, per
  the priority's rhythm);
- time to workaround: from the start to the first workaround resolution;
- reviews completed: the share of resolved or closed major incidents whose
  post-incident review is complete.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean
from typing import Any

from desk_app.core.enums import PRIORITIES
from desk_app.core.kpi_figures import Direction, Figure
from desk_app.core.major_review import HistoryFact, timeline

ON_TIME_TARGET = 90.0  # percent of updates, like the SLA compliance target
REVIEWED_TARGET = 100.0  # every major incident is reviewed
_DONE = frozenset({"resolved", "closed"})

# The update rhythm per priority; the policy's "major_procedure.updates" (P1 = {first =
# "15m", every = "30m"}) overrides it. Read defensively: a missing or malformed entry
# falls back to these defaults.
DEFAULT_RHYTHMS: Mapping[str, tuple[timedelta, timedelta]] = {
    "P1": (timedelta(minutes=15), timedelta(minutes=30)),
    "P2": (timedelta(minutes=30), timedelta(minutes=60)),
}
_LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(m|min|h)\s*$")


def _length(value: Any) -> timedelta | None:
    match = _LENGTH.match(value) if isinstance(value, str) else None
    if not match:
        return None
    amount = float(match.group(1))
    length = timedelta(hours=amount) if match.group(2) == "h" else timedelta(minutes=amount)
    return length if length > timedelta(0) else None


def policy_rhythms(sections: Mapping[str, Any]) -> dict[str, tuple[timedelta, timedelta]]:
    """The update rhythms of the policy's ``major_procedure.updates``, each priority as
    (first, every); the defaults where it says nothing usable."""
    procedure = sections.get("major_procedure")
    updates = procedure.get("updates") if isinstance(procedure, Mapping) else None
    rhythms = dict(DEFAULT_RHYTHMS)
    if isinstance(updates, Mapping):
        for priority, value in updates.items():
            if priority in PRIORITIES and isinstance(value, Mapping):
                first, every = _length(value.get("first")), _length(value.get("every"))
                if first and every:
                    rhythms[priority] = (first, every)
    return rhythms


def rhythm_of(rhythms: Mapping[str, tuple[timedelta, timedelta]], priority: str
              ) -> tuple[timedelta, timedelta]:
    """The rhythm of ``priority``: its own, else the nearest more urgent one's, else the
    least urgent one given."""
    if priority in rhythms:
        return rhythms[priority]
    index = PRIORITIES.index(priority) if priority in PRIORITIES else len(PRIORITIES)
    for more_urgent in reversed(PRIORITIES[:index]):
        if more_urgent in rhythms:
            return rhythms[more_urgent]
    return rhythms[max(rhythms, key=PRIORITIES.index)]


@dataclass(frozen=True)
class MajorFacts:
    """What the KPIs read of one major incident."""

    priority: str
    status: str
    started_at: datetime  # detected when known, else logged
    declared_at: datetime | None
    updates: tuple[datetime, ...]  # sent since the declaration, oldest first
    workaround_at: datetime | None
    review_complete: bool
    promises: Mapping[datetime, datetime] = field(default_factory=dict)  # sent -> next promised


def major_facts(priority: str, status: str, detected_at: datetime | None,
                logged_at: datetime, resolved_at: datetime | None,
                history: Iterable[HistoryFact], review_complete: bool,
                promises: Mapping[datetime, datetime] | None = None) -> MajorFacts:
    """One major incident's facts from its history rows (fields major, major_update,
    resolution_type, status); ``promises``: each update's time -> the next update time
    it promised."""
    rows = list(history)
    points = {p.key: p.at for p in timeline(detected_at, logged_at, resolved_at, rows)}
    declared = points["declared"]
    updates = tuple(sorted(f.at for f in rows if f.field == "major_update"
                           and (declared is None or f.at >= declared)))
    return MajorFacts(priority, status, detected_at or logged_at, declared, updates,
                      points["workaround"], review_complete, dict(promises or {}))


def _minutes(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / 60, 0.0)


def updates_on_time(declared_at: datetime, updates: Sequence[datetime],
                    rhythm: tuple[timedelta, timedelta],
                    promises: Mapping[datetime, datetime] | None = None) -> int:
    """How many of ``updates`` were sent by their due time: as the rhythm has it, the
    first ``first`` after the declaration, each later one ``every`` after the one
    before, or at the time that one promised when sooner (``promises``: sent -> next)."""
    first, every = rhythm
    due, on_time = declared_at + first, 0
    for sent in sorted(updates):
        on_time += sent <= due
        due = sent + every
        promised = (promises or {}).get(sent)
        if promised is not None and sent < promised < due:
            due = promised
    return on_time


def _mean_minutes(key: str, label: str, spans: list[float]) -> Figure:
    return Figure(key, label, round(fmean(spans), 1) if spans else None, "minutes",
                  Direction.LOWER, None, len(spans))


def _percent(key: str, label: str, part: int, whole: int, target: float) -> Figure:
    return Figure(key, label, round(100 * part / whole, 1) if whole else None, "percent",
                  Direction.HIGHER, target, whole)


def major_figures(majors: Iterable[MajorFacts],
                  rhythms: Mapping[str, tuple[timedelta, timedelta]]) -> list[Figure]:
    """The five major-incident KPIs over ``majors`` (a figure without data has value
    None and count 0)."""
    majors = list(majors)
    declared = [m for m in majors if m.declared_at is not None]
    to_declare = [_minutes(m.started_at, m.declared_at) for m in declared]
    to_first = [_minutes(m.declared_at, m.updates[0]) for m in declared if m.updates]
    sent = sum(len(m.updates) for m in declared)
    on_time = sum(updates_on_time(m.declared_at, m.updates, rhythm_of(rhythms, m.priority),
                                  m.promises) for m in declared)
    to_workaround = [_minutes(m.started_at, m.workaround_at) for m in majors
                     if m.workaround_at is not None]
    finished = [m for m in majors if m.status in _DONE]
    reviewed = sum(m.review_complete for m in finished)
    return [
        _mean_minutes("time_to_declare", "Time to declare", to_declare),
        _mean_minutes("time_to_first_update", "Time to first update", to_first),
        _percent("updates_on_time", "Updates sent on time", on_time, sent, ON_TIME_TARGET),
        _mean_minutes("time_to_workaround", "Time to workaround", to_workaround),
        _percent("reviews_completed", "Major incidents with a completed review", reviewed,
                 len(finished), REVIEWED_TARGET),
    ]
