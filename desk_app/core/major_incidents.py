"""The major-incident procedure's rules, pure: team roles, timeline kinds, the
communications rhythm of the policy and when the next update is due.

The rhythm is wall-clock time (a major incident runs round the clock): the first
update is due ``first`` after the declaration, each later one ``every`` after the last
update, or earlier when the last update promised its successor sooner. A final update
closes the rhythm; so does the incident leaving the open states or standing down.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from desk_app.core.enums import PRIORITIES
from desk_app.core.errors import InvalidValue

SECTION = "major_procedure"
_RHYTHM_DURATION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(m|min|h)\s*$")
MAX_RHYTHM = timedelta(days=7)
FINAL_UPDATE_MODES = ("send", "require")
UPDATE_PARTS = ("status", "impact", "actions", "workaround", "next_update_at")


class TeamRole(StrEnum):
    """A technician's role on a major incident's team."""

    COMMANDER = "commander"
    COMMUNICATIONS = "communications"
    RESOLVER = "resolver"


class TimelineKind(StrEnum):
    """A quick entry on the timeline."""

    ACTION = "action"
    DECISION = "decision"
    NOTE = "note"


def rhythm_duration(key: str, value: Any) -> timedelta:
    """``"15m"``, ``"1h"`` as wall-clock time (above 0, at most 7 days); refusals name
    ``key``."""
    match = _RHYTHM_DURATION.match(value) if isinstance(value, str) else None
    if not match:
        raise InvalidValue(key, f"{value!r} is not a duration like 15m or 1h")
    amount = float(match.group(1))
    minutes = amount * 60 if match.group(2) == "h" else amount
    if not 0 < minutes <= MAX_RHYTHM.total_seconds() / 60:  # before timedelta overflows
        raise InvalidValue(key, f"{value!r} must be above 0 and at most 7 days")
    length = timedelta(minutes=minutes)
    if not timedelta(0) < length <= MAX_RHYTHM:
        raise InvalidValue(key, f"{value!r} must be above 0 and at most 7 days")
    return length


@dataclass(frozen=True)
class Rhythm:
    """How often one priority's major incidents are updated."""

    first: timedelta
    every: timedelta


DEFAULT_RHYTHMS: Mapping[str, Rhythm] = {
    "P1": Rhythm(timedelta(minutes=15), timedelta(minutes=30)),
    "P2": Rhythm(timedelta(minutes=30), timedelta(minutes=60)),
}


@dataclass(frozen=True)
class MajorProcedure:
    """The policy's ``major_procedure`` section.

    ``incident_manager``: the login that manages a major incident declared by the
    criteria (none: whoever logged or raised it). ``rhythms``: the update rhythm per
    priority (a priority without one uses the nearest more urgent one that has one,
    else the least urgent given). ``missed_after``: how long after its due moment an
    update counts as missed. ``final_update_on_resolve``: "send" (resolving a major
    incident whose rhythm is still open sends the final update itself, from the
    resolution) or "require" (resolving is refused until the final update was sent).
    """

    incident_manager: str | None = None
    rhythms: Mapping[str, Rhythm] = field(default_factory=lambda: dict(DEFAULT_RHYTHMS))
    missed_after: timedelta = timedelta(minutes=5)
    final_update_on_resolve: str = "send"

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> "MajorProcedure":
        """Read and check the section (every key optional); refusals name the key."""
        section = section or {}
        if not isinstance(section, Mapping):
            raise InvalidValue(SECTION, "must be a table")
        known = {"incident_manager", "updates", "missed_after", "final_update_on_resolve"}
        for key in section:
            if key not in known:
                raise InvalidValue(f"{SECTION}.{key}", "is not a setting of this section; "
                                   "settings: " + ", ".join(sorted(known)))
        manager = section.get("incident_manager")
        if manager is not None and (not isinstance(manager, str) or not manager.strip()):
            raise InvalidValue(f"{SECTION}.incident_manager", "must be a technician's login")
        updates = section.get("updates", None)
        rhythms = dict(DEFAULT_RHYTHMS)
        if updates is not None:
            if not isinstance(updates, Mapping) or not updates:
                raise InvalidValue(f"{SECTION}.updates",
                                   "must be a table of priorities, e.g. P1 = {first = "
                                   "\"15m\", every = \"30m\"}")
            rhythms = {}
            for priority, value in updates.items():
                key = f"{SECTION}.updates.{priority}"
                if priority not in PRIORITIES:
                    raise InvalidValue(key, "must be one of P1..P4")
                if not isinstance(value, Mapping) or set(value) != {"first", "every"}:
                    raise InvalidValue(key, "must give first and every (and nothing else)")
                rhythms[priority] = Rhythm(rhythm_duration(f"{key}.first", value["first"]),
                                           rhythm_duration(f"{key}.every", value["every"]))
        missed = rhythm_duration(f"{SECTION}.missed_after", section.get("missed_after", "5m"))
        mode = section.get("final_update_on_resolve", "send")
        if mode not in FINAL_UPDATE_MODES:
            raise InvalidValue(f"{SECTION}.final_update_on_resolve",
                               f"{mode!r} is not one of {', '.join(FINAL_UPDATE_MODES)}")
        return cls(manager.strip() if manager else None, rhythms, missed, mode)

    def rhythm(self, priority: str) -> Rhythm:
        """The rhythm of ``priority`` (see the class docstring for the fallback)."""
        if priority in self.rhythms:
            return self.rhythms[priority]
        index = PRIORITIES.index(priority) if priority in PRIORITIES else len(PRIORITIES)
        for more_urgent in reversed(PRIORITIES[:index]):
            if more_urgent in self.rhythms:
                return self.rhythms[more_urgent]
        return self.rhythms[max(self.rhythms, key=PRIORITIES.index)]


@dataclass(frozen=True)
class SentUpdate:
    """What the rhythm reads of an update that was sent."""

    at: datetime
    next_update_at: datetime | None
    final: bool


def next_update_due(rhythm: Rhythm, declared_at: datetime,
                    updates: Sequence[SentUpdate]) -> datetime | None:
    """When the next update of a running major incident is due: ``first`` after the
    declaration until one was sent; then ``every`` after the latest, or the time it
    promised if sooner. None once a final update was sent. ``updates`` are those sent
    since the declaration (any order)."""
    since = sorted((u for u in updates if u.at >= declared_at), key=lambda u: u.at)
    if any(u.final for u in since):
        return None
    if not since:
        return declared_at + rhythm.first
    last = since[-1]
    due = last.at + rhythm.every
    if last.next_update_at is not None and last.at < last.next_update_at < due:
        return last.next_update_at
    return due


CALL_SCHEMES = ("http", "https", "sip", "sips", "tel")  # what a bridge link may be


def is_call_link(text: str) -> bool:
    """True for what the board may open with a click: http(s) with a host, sip:, tel:."""
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return bool(parts.netloc) and not any(ch.isspace() for ch in text)
    return scheme in CALL_SCHEMES and bool(parts.path.strip())


FINAL_STATUSES = ("closed", "cancelled")


def timeline_closed(number: str, status: str) -> str | None:
    """Why the timeline of the major incident ``number`` takes no more entries (the rule:
    a closed or cancelled ticket's timeline is final), None while it takes them."""
    if status in FINAL_STATUSES:
        return f"{number} is {status}: the timeline of a closed major incident is final"
    return None
