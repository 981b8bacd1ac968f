from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.core.calendar import BusinessCalendar, parse_span
from desk_app.core.errors import InvalidValue

from .calendar_strategies import ZONES, calendars

LONDON = ZoneInfo("Europe/London")
OFFICE = BusinessCalendar.from_dict("office", {
    "time_zone": "Europe/London",
    "hours": {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": ["2026-12-25", "2026-12-28"],
})


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_add_within_one_day():
    assert OFFICE.add(local(2026, 11, 23, 9), timedelta(hours=2)) == local(2026, 11, 23, 11)


def test_add_rolls_over_night_and_weekend():
    friday_5pm = local(2026, 11, 27, 17)
    assert OFFICE.add(friday_5pm, timedelta(hours=2)) == local(2026, 11, 30, 9)


def test_add_starting_outside_hours_starts_at_opening():
    saturday = local(2026, 11, 28, 12)
    assert OFFICE.add(saturday, timedelta(minutes=30)) == local(2026, 11, 30, 8, 30)


def test_add_skips_holidays():
    christmas_eve_5pm = local(2026, 12, 24, 17)
    # 25th is a holiday, 26/27 the weekend, 28th a holiday: next working hour is the 29th.
    assert OFFICE.add(christmas_eve_5pm, timedelta(hours=2)) == local(2026, 12, 29, 9)


def test_country_public_holidays():
    cal = BusinessCalendar.from_dict("uk", {
        "time_zone": "Europe/London", "country": "GB", "subdivision": "ENG",
        "hours": {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}})
    assert cal.is_holiday(date(2026, 12, 25))
    assert not cal.is_holiday(date(2026, 12, 23))


def test_unknown_country_is_refused_naming_the_field():
    with pytest.raises(InvalidValue) as err:
        BusinessCalendar.from_dict("x", {"country": "ZZ", "hours": {"mon": ["09:00-17:00"]}})
    assert err.value.field == "calendars.x.country"


def test_dst_spring_forward_day_is_23_hours_on_24x7():
    cal = BusinessCalendar.always_open("24x7", "Europe/London")
    start = local(2026, 3, 29, 0)
    end = local(2026, 3, 30, 0)
    assert cal.elapsed(start, end) == timedelta(hours=23)
    # four real hours after local midnight on the short day: 05:00 BST
    assert cal.add(start, timedelta(hours=4)) == start.astimezone(UTC) + timedelta(hours=4)
    assert cal.add(start, timedelta(hours=4)).astimezone(LONDON).hour == 5


def test_dst_office_hours_keep_local_wall_clock():
    # Across the autumn change an 8-18 day is still ten hours, starting at 08:00 local.
    friday = local(2026, 10, 23, 17)
    assert OFFICE.add(friday, timedelta(hours=2)) == local(2026, 10, 26, 9)
    assert OFFICE.elapsed(local(2026, 10, 23, 8), local(2026, 10, 26, 18)) == timedelta(hours=20)


def test_bad_spans_are_refused():
    for text in ("8-18", "18:00-08:00", "08:00-25:00", "08:70-09:00"):
        with pytest.raises(InvalidValue):
            parse_span(text)


def test_naive_datetime_is_refused():
    with pytest.raises(InvalidValue):
        OFFICE.add(datetime(2026, 1, 1), timedelta(hours=1))


def test_calendar_without_hours_is_refused():
    with pytest.raises(InvalidValue):
        BusinessCalendar.from_dict("none", {"hours": {}})


def test_round_trip_dict():
    again = BusinessCalendar.from_dict("office", OFFICE.to_dict())
    assert again.hours == OFFICE.hours and again.holidays == OFFICE.holidays


# --- properties -----------------------------------------------------------------------

moments = st.datetimes(datetime(2025, 1, 1), datetime(2027, 6, 30),
                       timezones=st.just(UTC))
durations = st.timedeltas(timedelta(0), timedelta(days=20))


def weekly_capacity(cal: BusinessCalendar) -> timedelta:
    return timedelta(minutes=sum(e - s for spans in cal.hours.values() for s, e in spans))


@st.composite
def calendar_and_durations(draw, count=1):
    """A calendar and durations of at most ~30 of its working weeks (holidays aside)."""
    cal = draw(calendars())
    limit = weekly_capacity(cal) * 30
    return (cal, *(draw(st.timedeltas(timedelta(0), limit)) for _ in range(count)))


@settings(max_examples=150, deadline=None)
@given(calendar_and_durations(), moments)
def test_elapsed_undoes_add(cal_duration, start):
    cal, duration = cal_duration
    assert cal.elapsed(start, cal.add(start, duration)) == duration


@settings(max_examples=150, deadline=None)
@given(calendar_and_durations(2), moments)
def test_add_is_monotonic_and_composes(cal_durations, start):
    cal, d1, d2 = cal_durations
    first = cal.add(start, d1)
    assert first >= start
    assert cal.add(start, d1 + d2) >= first
    assert cal.add(first, d2) == cal.add(start, d1 + d2) or d2 == timedelta(0)


@settings(max_examples=150, deadline=None)
@given(calendar_and_durations(), moments)
def test_due_time_falls_in_working_time(cal_duration, start):
    cal, duration = cal_duration
    due = cal.add(start, duration)
    if duration > timedelta(0):
        # the due moment is inside working time, or the very end of an interval
        assert cal.is_working(due - timedelta(microseconds=1))


@settings(max_examples=150, deadline=None)
@given(calendars(), moments, moments, moments)
def test_elapsed_is_additive(cal, a, b, c):
    a, b, c = sorted((a, b, c))
    assert cal.elapsed(a, b) + cal.elapsed(b, c) == cal.elapsed(a, c)
    assert cal.elapsed(a, c) <= c - a


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(ZONES), moments, durations)
def test_always_open_calendar_is_absolute_time(zone, start, duration):
    cal = BusinessCalendar.always_open("24x7", zone)
    assert cal.add(start, duration) == start + duration
