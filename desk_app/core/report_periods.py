"""The periods a KPI report covers: this week, the last 4 weeks, this quarter, or a
custom span of days. Each is [since, until) in the team's time zone, whole days."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue

PERIODS = {"this_week": "This week", "last_4_weeks": "Last 4 weeks",
           "this_quarter": "This quarter", "custom": "Custom"}


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def days_period(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The days ``first`` to ``last`` (both included) as [since, until); a last day
    before the first is refused, naming "until"."""
    if last < first:
        raise InvalidValue("until", f"the last day ({last.isoformat()}) is before the "
                           f"first ({first.isoformat()})")
    return _midnight(first, zone), _midnight(last + timedelta(days=1), zone)


def period(kind: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[since, until) of ``kind`` (a key of :data:`PERIODS` but "custom") around ``now``:
    this week from Monday to the next Monday, the last 4 weeks as the 28 days ending
    today, this quarter from its first day to the next quarter's."""
    today = now.astimezone(zone).date()
    if kind == "this_week":
        monday = today - timedelta(days=today.weekday())
        return days_period(monday, monday + timedelta(days=6), zone)
    if kind == "last_4_weeks":
        return days_period(today - timedelta(days=27), today, zone)
    if kind == "this_quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = date(today.year, first_month, 1)
        end = date(today.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
        return _midnight(start, zone), _midnight(end, zone)
    raise InvalidValue("period", f"unknown period {kind!r}; periods: "
                       + ", ".join(k for k in PERIODS if k != "custom"))
