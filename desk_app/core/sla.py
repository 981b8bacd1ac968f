"""SLA clocks: response and resolution targets per priority on business calendars.

The resolution clock stops while the ticket is on hold for a pausing reason and while
it is resolved (a reopen starts it again); the stopped business time is added to the
target, so the due time moves by exactly the time the desk was not responsible.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from desk_app.core.calendar import BusinessCalendar
from desk_app.core.enums import PRIORITIES, HoldReason, parse_enum
from desk_app.core.errors import InvalidValue

DURATION_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|bd|d)\s*$")


def parse_duration(text: str, calendar: BusinessCalendar, field: str) -> timedelta:
    """``"15m"``, ``"4h"``, ``"3bd"`` (business days of ``calendar``) as business time."""
    match = DURATION_PATTERN.match(str(text))
    if not match:
        raise InvalidValue(field, f"{text!r} is not a duration like 15m, 4h or 3bd")
    amount, unit = float(match.group(1)), match.group(2)
    if unit in ("m", "min"):
        return timedelta(minutes=amount)
    if unit == "h":
        return timedelta(hours=amount)
    return calendar.nominal_day * amount


@dataclass(frozen=True)
class SlaTarget:
    """Response and resolution targets of one priority, measured on ``calendar``."""

    priority: str
    response: timedelta
    resolution: timedelta
    calendar: BusinessCalendar
    response_text: str
    resolution_text: str


@dataclass(frozen=True)
class SlaPolicy:
    """Targets per priority, the warning threshold and the hold reasons that pause."""

    targets: Mapping[str, SlaTarget]
    warning_percent: float = 75.0
    pause_reasons: frozenset[HoldReason] = frozenset(
        {HoldReason.AWAITING_USER, HoldReason.AWAITING_SUPPLIER}
    )

    @classmethod
    def from_dict(cls, data: Mapping, calendars: Mapping[str, BusinessCalendar]) -> "SlaPolicy":
        """Build from the policy's ``sla`` table."""
        targets = {}
        for priority in PRIORITIES:
            entry = data.get("targets", {}).get(priority)
            if entry is None:
                raise InvalidValue(f"sla.targets.{priority}", "missing")
            calendar_name = entry.get("calendar")
            if calendar_name not in calendars:
                raise InvalidValue(
                    f"sla.targets.{priority}.calendar", f"unknown calendar {calendar_name!r}"
                )
            calendar = calendars[calendar_name]
            targets[priority] = SlaTarget(
                priority,
                parse_duration(entry["response"], calendar, f"sla.targets.{priority}.response"),
                parse_duration(entry["resolution"], calendar,
                               f"sla.targets.{priority}.resolution"),
                calendar,
                entry["response"],
                entry["resolution"],
            )
        warning = float(data.get("warning_percent", 75))
        if not 0 < warning < 100:
            raise InvalidValue("sla.warning_percent", "must be between 0 and 100")
        reasons = frozenset(parse_enum(HoldReason, "sla.pause_reasons", r)
                            for r in data.get("pause_reasons", ["awaiting_user",
                                                                "awaiting_supplier"]))
        return cls(targets, warning, reasons)

    def to_dict(self) -> dict:
        """The stored form."""
        return {
            "warning_percent": self.warning_percent,
            "pause_reasons": sorted(r.value for r in self.pause_reasons),
            "targets": {p: {"response": t.response_text, "resolution": t.resolution_text,
                            "calendar": t.calendar.name} for p, t in self.targets.items()},
        }

    def pauses(self, reason: HoldReason | None) -> bool:
        """True when holding for ``reason`` stops the resolution clock."""
        return reason in self.pause_reasons

    def response_due(self, priority: str, logged_at: datetime) -> datetime:
        """When the first response is due."""
        target = self.targets[priority]
        return target.calendar.add(logged_at, target.response)

    def resolution_due(self, priority: str, logged_at: datetime,
                       stopped: timedelta = timedelta(0)) -> datetime:
        """When resolution is due, given the business time the clock was stopped."""
        target = self.targets[priority]
        return target.calendar.add(logged_at, target.resolution + stopped)

    def warning_horizon(self, priority: str, now: datetime) -> datetime:
        """A running ticket of ``priority`` due at or before this moment has used at least
        the warning share of its resolution target (or breached it) at ``now``: its remaining
        business time is at most the rest of the target."""
        target = self.targets[priority]
        rest = target.resolution * (1 - self.warning_percent / 100)
        return target.calendar.add(now, rest)

    def stopped_between(self, priority: str, start: datetime, end: datetime) -> timedelta:
        """Business time between two moments on the priority's calendar."""
        return self.targets[priority].calendar.elapsed(start, end)


@dataclass(frozen=True)
class SlaClock:
    """One clock's state at a moment."""

    due: datetime
    percent: float  # of the target used so far
    met_at: datetime | None
    paused: bool
    warning: bool
    breached: bool


@dataclass(frozen=True)
class SlaState:
    """Both clocks of a ticket."""

    response: SlaClock
    resolution: SlaClock


def sla_state(
    policy: SlaPolicy,
    *,
    priority: str,
    logged_at: datetime,
    responded_at: datetime | None,
    resolved_at: datetime | None,
    stopped_since: datetime | None,
    stopped_total: timedelta,
    on_hold: bool,
    now: datetime,
) -> SlaState:
    """The SLA state of a ticket at ``now``.

    ``stopped_since`` is set while the resolution clock is stopped (paused on hold, or
    resolved); ``stopped_total`` is the business time of earlier stops.
    """
    target = policy.targets[priority]
    calendar = target.calendar

    response_end = responded_at or now
    response_used = calendar.elapsed(logged_at, response_end)
    response = _clock(policy, calendar.add(logged_at, target.response), response_used,
                      target.response, responded_at, paused=False)

    resolution_end = stopped_since or now
    resolution_used = calendar.elapsed(logged_at, resolution_end) - stopped_total
    resolution = _clock(
        policy,
        calendar.add(logged_at, target.resolution + stopped_total),
        resolution_used,
        target.resolution,
        resolved_at,
        paused=on_hold and stopped_since is not None,
    )
    return SlaState(response, resolution)


def _clock(policy: SlaPolicy, due: datetime, used: timedelta, target: timedelta,
           met_at: datetime | None, paused: bool) -> SlaClock:
    percent = 100.0 * used / target if target else 100.0
    breached = used > target
    warning = not breached and met_at is None and percent >= policy.warning_percent
    return SlaClock(due, round(percent, 1), met_at, paused, warning, breached)
