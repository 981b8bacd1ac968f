"""'N business days' counts working days on the calendar, whatever their length."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.core.calendar import BusinessCalendar
from desk_app.core.sla import parse_duration

from .calendar_strategies import calendars

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = ("mon", "tue", "wed", "thu")
SHORT_FRIDAY = BusinessCalendar.from_dict("short_friday", {
    "time_zone": "Europe/London",
    "hours": {**{d: ["08:00-18:00"] for d in WEEKDAYS}, "fri": ["08:00-13:00"]},
    "holidays": ["2026-12-25"],
})


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_two_business_days_from_tuesday_10_is_thursday_10():
    target = parse_duration("2bd", SHORT_FRIDAY, "t")
    assert target.due(SHORT_FRIDAY, local(2026, 11, 24, 10)) == local(2026, 11, 26, 10)


def test_a_short_friday_still_counts_as_one_working_day():
    # was 2 x 10 h (the longest day) of business time: Thursday 10:00 + 20 h = Monday 15:00
    target = parse_duration("2bd", SHORT_FRIDAY, "t")
    assert target.due(SHORT_FRIDAY, local(2026, 11, 26, 10)) == local(2026, 11, 30, 10)


def test_landing_after_a_short_day_closes_is_due_at_its_close():
    target = parse_duration("1bd", SHORT_FRIDAY, "t")
    assert target.due(SHORT_FRIDAY, local(2026, 11, 26, 15)) == local(2026, 11, 27, 13)


def test_holidays_and_weekends_are_skipped():
    target = parse_duration("1bd", SHORT_FRIDAY, "t")
    # Thursday 24 Dec + 1 working day: 25th a holiday, then the weekend -> Monday 28th
    assert target.due(SHORT_FRIDAY, local(2026, 12, 24, 11)) == local(2026, 12, 28, 11)


def test_logged_outside_hours_counts_from_the_next_opening():
    target = parse_duration("1bd", SHORT_FRIDAY, "t")
    saturday = local(2026, 11, 28, 11)
    assert target.due(SHORT_FRIDAY, saturday) == local(2026, 12, 1, 8)  # Tuesday opening


def test_a_fraction_of_a_business_day_is_that_share_of_the_longest_day():
    target = parse_duration("1.5bd", SHORT_FRIDAY, "t")
    assert (target.days, target.time) == (1, timedelta(hours=5))
    assert target.due(SHORT_FRIDAY, local(2026, 11, 23, 10)) == local(2026, 11, 24, 15)


def working_days_between(cal: BusinessCalendar, first: date, last: date) -> int:
    """Working days after ``first`` up to and including ``last``."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += bool(cal.intervals_on(day))
    return count


@settings(max_examples=200, deadline=None)
@given(calendars(), st.datetimes(datetime(2025, 1, 1), datetime(2027, 6, 30),
                                 timezones=st.just(UTC)), st.integers(1, 12))
def test_business_days_land_in_working_time_exactly_n_working_days_later(cal, start, days):
    due = cal.add_working_days(start, days)
    begin = cal.next_working_moment(start)
    zone = ZoneInfo(cal.time_zone)
    due_day, begin_day = due.astimezone(zone).date(), begin.astimezone(zone).date()
    intervals = cal.intervals_on(due_day)
    assert any(a <= due <= b for a, b in intervals), "due outside the day's working hours"
    assert working_days_between(cal, begin_day, due_day) == days
    assert cal.is_working_day(begin_day)
    assert begin >= start and cal.elapsed(start, begin) == timedelta(0)


@settings(max_examples=150, deadline=None)
@given(calendars(), st.datetimes(datetime(2025, 1, 1), datetime(2027, 6, 30),
                                 timezones=st.just(UTC)), st.integers(1, 6))
def test_more_business_days_never_come_earlier(cal, start, days):
    assert cal.add_working_days(start, days) <= cal.add_working_days(start, days + 1)
