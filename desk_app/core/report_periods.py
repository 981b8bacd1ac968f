"""The periods a KPI report covers: this week, the last 4 weeks, this quarter, or a
custom span of days. Each is [since, until) in the team's time zone, whole days."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue
from desk_app.core.validation import checked_moment

PERIODS = {"this_week": "This week", "last_4_weeks": "Last 4 weeks",
           "this_quarter": "This quarter", "custom": "Custom"}
# A report lists every week of its period (about 5,200 rows in a hundred years; ten
# thousand years would be half a million rows and a gigabyte).
MAX_PERIOD_YEARS = 100
MAX_PERIOD = timedelta(days=round(365.25 * MAX_PERIOD_YEARS))


def checked_period(since: datetime, until: datetime) -> tuple[datetime, datetime]:
    """[since, until) if a report can cover it, else refused naming the bound at fault:
    a time without a zone or outside the years 1-9999, an empty or reversed period, or
    one longer than :data:`MAX_PERIOD_YEARS` years."""
    checked_moment("since", since)
    checked_moment("until", until)
    if since >= until:
        raise InvalidValue("since", "must be before the end of the period (until)")
    if until - since > MAX_PERIOD:
        raise InvalidValue("until", f"a period covers at most {MAX_PERIOD_YEARS} years; "
                           "choose a shorter one")
    return since, until


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def days_period(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The days ``first`` to ``last`` (both included) as [since, until); a last day
    before the first is refused, naming "until"."""
    if last < first:
        raise InvalidValue("until", f"the last day ({last.isoformat()}) is before the "
                           f"first ({first.isoformat()})")
    if last == date.max:
        raise InvalidValue("until", f"the last day must be before {date.max.isoformat()}")
    return checked_period(_midnight(first, zone), _midnight(last + timedelta(days=1), zone))


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
