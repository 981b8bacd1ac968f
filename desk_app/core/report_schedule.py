"""The weekly KPI report's schedule: who gets it, on which weekday and hour (in the
team's time zone), and which week a moment belongs to.

Every scheduled moment has a key made from its ISO week (``weekly:2026-W49``): every
desk computes the same key for the same week, so the report mail's Message-ID and its
outbox row are the same on every desk, and one claim on the team database decides
which desk sends it. The report covers the seven days before its moment.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.calendar import WEEKDAYS

SECTION = "report_schedule"
DEFAULT_WEEKDAY = "mon"
DEFAULT_HOUR = 8


@dataclass(frozen=True)
class ReportSchedule:
    """The policy's ``report_schedule`` section (checked when it was written)."""

    enabled: bool = False
    recipients: tuple[str, ...] = ()
    weekday: str = DEFAULT_WEEKDAY
    hour: int = DEFAULT_HOUR

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> "ReportSchedule":
        """Read the stored section (missing keys take their defaults)."""
        section = section or {}
        return cls(bool(section.get("enabled", False)),
                   tuple(section.get("recipients", ())),
                   str(section.get("weekday", DEFAULT_WEEKDAY)),
                   int(section.get("hour", DEFAULT_HOUR)))

    @property
    def active(self) -> bool:
        """True when reports are due: enabled, with someone to send them to."""
        return self.enabled and bool(self.recipients)


@dataclass(frozen=True)
class ReportWeek:
    """One scheduled report: its key, its moment, and the period it covers
    ([since, until), until being the moment)."""

    key: str
    due_at: datetime
    since: datetime
    until: datetime


def _moment(day: Any, hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def week_of(due_at: datetime, zone: ZoneInfo) -> ReportWeek:
    """The report scheduled at ``due_at``: keyed by the ISO week of its local date;
    covering the seven local days before it."""
    local = due_at.astimezone(zone)
    year, week, _ = local.isocalendar()
    since = datetime.combine(local.date() - timedelta(days=7), local.time(),
                             tzinfo=zone).astimezone(UTC)
    return ReportWeek(f"weekly:{year}-W{week:02d}", due_at.astimezone(UTC), since,
                      due_at.astimezone(UTC))


def latest_due(schedule: ReportSchedule, zone: ZoneInfo, now: datetime) -> ReportWeek | None:
    """The most recent scheduled report at or before ``now`` (None when reports are
    off or go to nobody)."""
    if not schedule.active:
        return None
    local = now.astimezone(zone)
    back = (local.weekday() - WEEKDAYS.index(schedule.weekday)) % 7
    day = local.date() - timedelta(days=back)
    moment = _moment(day, schedule.hour, zone)
    if moment > now:
        moment = _moment(day - timedelta(days=7), schedule.hour, zone)
    return week_of(moment, zone)


def next_due(schedule: ReportSchedule, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The first scheduled moment after ``now`` (None when reports are off)."""
    latest = latest_due(schedule, zone, now)
    if latest is None:
        return None
    day = latest.due_at.astimezone(zone).date() + timedelta(days=7)
    return _moment(day, schedule.hour, zone)


def report_subject(team: str, week: ReportWeek, zone: ZoneInfo) -> str:
    """``IT Service Desk: weekly report 23 Nov - 29 Nov 2026``."""
    first = week.since.astimezone(zone)
    last = (week.until - timedelta(milliseconds=1)).astimezone(zone)
    return f"{team}: weekly report {first:%d %b} - {last:%d %b %Y}"
