"""The SLA clock rules: when a target is breached or at risk, how much of it is used, and
how its due time moves. Every view of a clock (ticket view, queues, the live countdown,
housekeeping, the report's SQL) decides with these rules.

The due time is the truth, stored with the ticket:
- at logging it is the target counted from the logging time on the priority's calendar;
- a pause (a pausing hold, or the time between resolution and a reopen) moves it out by
  the business time the clock was stopped: ``calendar.add(due, stopped business time)``;
  while the clock is stopped the due time keeps its value from before the stop;
- a priority change re-plans it: the business time used so far is measured on the old
  priority's calendar (pauses excluded) and the new target's rest, never below zero, is
  counted from the change (from the pause's start while paused) on the new calendar.

Breached: the clock's end is after the due time. The end is now for a running clock and
the moment the clock stopped otherwise (response given; resolved; put on a pausing
hold; cancelled). Times compare to the millisecond, the precision they are stored at,
so that SQL over stored values decides as Python does.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from desk_app.core.calendar import BusinessCalendar
from desk_app.core.sla import SlaPolicy


def whole_ms(moment: datetime) -> datetime:
    """``moment`` truncated to the millisecond."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def is_breached(due: datetime, end: datetime) -> bool:
    """THE breach rule: the clock's end (now while it runs, else when it stopped) is
    after its due time."""
    return whole_ms(end) > whole_ms(due)


def is_at_risk(due: datetime, horizon: datetime) -> bool:
    """A running clock is at risk (or breached) when it is due at or before the warning
    horizon of its priority (:meth:`SlaPolicy.warning_horizon`)."""
    return whole_ms(due) <= whole_ms(horizon)


def resolution_end(now: datetime, resolved_at: datetime | None,
                   stopped_since: datetime | None) -> datetime:
    """Where the resolution clock stands: resolution, else the stop (pause,
    cancellation), else now."""
    if resolved_at is not None:
        return resolved_at
    return stopped_since if stopped_since is not None else now


def response_end(now: datetime, responded_at: datetime | None) -> datetime:
    """Where the response clock stands: the response, else now."""
    return responded_at if responded_at is not None else now


def used_time(due: datetime, length: timedelta, calendar: BusinessCalendar,
              end: datetime) -> timedelta:
    """The business time a clock due at ``due`` with a target of ``length`` has used by
    ``end``: the target less what is left before the due time, or plus the overrun."""
    if end <= due:
        return max(length - calendar.elapsed(end, due), timedelta(0))
    return length + calendar.elapsed(due, end)


def moved_by_pause(due: datetime, calendar: BusinessCalendar, stopped_since: datetime,
                   restarted: datetime) -> tuple[datetime, timedelta]:
    """The due time after a stop from ``stopped_since`` to ``restarted``, and the business
    time stopped: the due time moves out by exactly that time."""
    stopped = calendar.elapsed(stopped_since, restarted)
    return calendar.add(due, stopped), stopped


def replanned_due(*, due: datetime, used_length: timedelta, used_calendar: BusinessCalendar,
                  new_length: timedelta, new_calendar: BusinessCalendar,
                  end: datetime) -> datetime:
    """The due time after a priority change at ``end`` (the change, or the start of the
    pause it happened in): the old clock's business time used (on its own calendar),
    taken from the new target, the rest (not below zero) added on the new calendar."""
    used = used_time(due, used_length, used_calendar, end)
    return new_calendar.add(end, max(new_length - used, timedelta(0)))


@dataclass(frozen=True)
class SlaClock:
    """One clock's state at a moment."""

    due: datetime
    percent: float  # of the target used so far
    met_at: datetime | None  # the response, or the resolution
    running: bool
    paused: bool
    warning: bool  # at risk: running, not breached, due within the warning horizon
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
    response_due: datetime,
    resolution_due: datetime,
    responded_at: datetime | None,
    resolved_at: datetime | None,
    stopped_since: datetime | None,
    on_hold: bool,
    now: datetime,
) -> SlaState:
    """The SLA state at ``now`` of a ticket with these stored due times and stops."""
    return SlaState(
        response_clock(policy, priority=priority, logged_at=logged_at, due=response_due,
                       responded_at=responded_at, now=now),
        resolution_clock(policy, priority=priority, logged_at=logged_at, due=resolution_due,
                         resolved_at=resolved_at, stopped_since=stopped_since,
                         on_hold=on_hold, now=now))


def response_clock(policy: SlaPolicy, *, priority: str, logged_at: datetime, due: datetime,
                   responded_at: datetime | None, now: datetime) -> SlaClock:
    """The response clock at ``now``."""
    return _clock(policy, priority, "response", logged_at, due,
                  response_end(now, responded_at), responded_at,
                  running=responded_at is None, paused=False, now=now)


def resolution_clock(policy: SlaPolicy, *, priority: str, logged_at: datetime,
                     due: datetime, resolved_at: datetime | None,
                     stopped_since: datetime | None, on_hold: bool,
                     now: datetime) -> SlaClock:
    """The resolution clock at ``now``; ``stopped_since`` is set while it is stopped
    (paused on hold, resolved, cancelled)."""
    return _clock(policy, priority, "resolution", logged_at, due,
                  resolution_end(now, resolved_at, stopped_since), resolved_at,
                  running=resolved_at is None and stopped_since is None,
                  paused=on_hold and resolved_at is None and stopped_since is not None,
                  now=now)


def _clock(policy: SlaPolicy, priority: str, which: str, logged_at: datetime,
           due: datetime, end: datetime, met_at: datetime | None, *, running: bool,
           paused: bool, now: datetime) -> SlaClock:
    calendar = policy.targets[priority].calendar
    length = policy.target(priority, which).length(calendar, logged_at)
    used = used_time(due, length, calendar, end)
    percent = 100.0 * (used / length) if length else 100.0
    breached = is_breached(due, end)
    warning = running and not breached and is_at_risk(
        due, policy.warning_horizon(priority, now, which))
    return SlaClock(due, round(percent, 1), met_at, running, paused, warning, breached)
