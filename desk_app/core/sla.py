"""SLA policy: response and resolution targets per priority on business calendars.

What a clock's state is at a moment (breached, at risk, time used) and how its due time
moves (pauses, priority changes) is :mod:`desk_app.core.sla_clock`.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from desk_app.core.calendar import BusinessCalendar
from desk_app.core.enums import PRIORITIES, HoldReason, parse_enum
from desk_app.core.errors import InvalidValue

DURATION_PATTERN = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(m|min|h|bd|d)\s*$")


@dataclass(frozen=True)
class Target:
    """One SLA target: whole business days, counted on the calendar, then business time.

    ``3bd`` is three working days (same time of day, weekends and holidays skipped,
    whatever each day's length); ``4h`` is four hours of working time; ``1.5bd`` is one
    working day and then half the calendar's longest working day.
    """

    text: str
    days: int = 0
    time: timedelta = timedelta(0)

    def due(self, calendar: BusinessCalendar, start: datetime) -> datetime:
        """When a clock started at ``start`` and never stopped reaches the target."""
        moment = calendar.add_working_days(start, self.days) if self.days else start
        return calendar.add(moment, self.time)

    def length(self, calendar: BusinessCalendar, start: datetime) -> timedelta:
        """The business time the target gives a clock started at ``start``."""
        return calendar.elapsed(start, self.due(calendar, start))

    def nominal(self, calendar: BusinessCalendar) -> timedelta:
        """The target's usual business time (a business day as the longest working day):
        what the warning share is taken of."""
        return calendar.nominal_day * self.days + self.time


def parse_duration(text: str, calendar: BusinessCalendar, field: str) -> Target:
    """``"15m"``, ``"4h"``, ``"3bd"`` (business days of ``calendar``) as a target."""
    match = DURATION_PATTERN.match(str(text))
    if not match:
        raise InvalidValue(field, f"{text!r} is not a duration like 15m, 4h or 3bd")
    amount, unit = float(match.group(1)), match.group(2)
    if unit in ("m", "min"):
        return Target(str(text), time=timedelta(minutes=amount))
    if unit == "h":
        return Target(str(text), time=timedelta(hours=amount))
    days = int(amount)
    return Target(str(text), days=days, time=calendar.nominal_day * (amount - days))


@dataclass(frozen=True)
class SlaTarget:
    """Response and resolution targets of one priority, measured on ``calendar``."""

    priority: str
    response: Target
    resolution: Target
    calendar: BusinessCalendar

    @property
    def response_text(self) -> str:
        """The response target as the policy spells it."""
        return self.response.text

    @property
    def resolution_text(self) -> str:
        """The resolution target as the policy spells it."""
        return self.resolution.text


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

    def target(self, priority: str, clock: str) -> Target:
        """The ``"response"`` or ``"resolution"`` target of ``priority``."""
        return getattr(self.targets[priority], clock)

    def response_due(self, priority: str, logged_at: datetime) -> datetime:
        """When the first response is due."""
        target = self.targets[priority]
        return target.response.due(target.calendar, logged_at)

    def resolution_due(self, priority: str, logged_at: datetime,
                       stopped: timedelta = timedelta(0)) -> datetime:
        """When resolution is due, given the business time the clock was stopped."""
        target = self.targets[priority]
        return target.calendar.add(target.resolution.due(target.calendar, logged_at), stopped)

    def warning_rest(self, priority: str, clock: str = "resolution") -> timedelta:
        """A running clock is at risk once its remaining business time is at most this:
        the share of the target the warning threshold leaves."""
        target = self.targets[priority]
        return getattr(target, clock).nominal(target.calendar) * (
            1 - self.warning_percent / 100)

    def warning_horizon(self, priority: str, now: datetime,
                        clock: str = "resolution") -> datetime:
        """A running clock of ``priority`` due at or before this moment is at risk at
        ``now`` (or breached): :func:`desk_app.core.sla_clock.is_at_risk`."""
        return self.targets[priority].calendar.add(now, self.warning_rest(priority, clock))

    def stopped_between(self, priority: str, start: datetime, end: datetime) -> timedelta:
        """Business time between two moments on the priority's calendar."""
        return self.targets[priority].calendar.elapsed(start, end)
