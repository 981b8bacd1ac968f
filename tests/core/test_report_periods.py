"""The report periods: whole days in the team's zone, [since, until)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue
from desk_app.core.report_periods import checked_period, days_period, period

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 15, 30, tzinfo=LONDON)  # a Wednesday


def test_this_week_runs_from_monday_to_the_next_monday():
    assert period("this_week", NOW, LONDON) == (datetime(2026, 11, 23, tzinfo=LONDON),
                                                datetime(2026, 11, 30, tzinfo=LONDON))


def test_the_last_4_weeks_are_the_28_days_ending_today():
    since, until = period("last_4_weeks", NOW, LONDON)
    assert (since, until) == (datetime(2026, 10, 29, tzinfo=LONDON),
                              datetime(2026, 11, 26, tzinfo=LONDON))


@pytest.mark.parametrize(("day", "start", "end"), [
    (date(2026, 2, 14), date(2026, 1, 1), date(2026, 4, 1)),
    (date(2026, 11, 25), date(2026, 10, 1), date(2027, 1, 1)),
    (date(2026, 7, 1), date(2026, 7, 1), date(2026, 10, 1))])
def test_this_quarter(day, start, end):
    now = datetime.combine(day, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=12)
    assert period("this_quarter", now, LONDON) == (
        datetime.combine(start, datetime.min.time(), tzinfo=LONDON),
        datetime.combine(end, datetime.min.time(), tzinfo=LONDON))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       st.sampled_from(["this_week", "last_4_weeks", "this_quarter"]))
def test_every_period_holds_today_and_starts_at_midnight(day, kind):
    now = datetime.combine(day, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=13)
    since, until = period(kind, now, LONDON)
    assert since <= now < until
    assert (since.hour, since.minute, until.hour, until.minute) == (0, 0, 0, 0)


def test_a_custom_span_includes_its_last_day_and_a_reversed_one_names_until():
    assert days_period(date(2026, 11, 1), date(2026, 11, 1), LONDON)[1] == \
        datetime(2026, 11, 2, tzinfo=LONDON)
    with pytest.raises(InvalidValue) as refused:
        days_period(date(2026, 11, 2), date(2026, 11, 1), LONDON)
    assert refused.value.field == "until"


def test_an_unknown_period_is_refused():
    with pytest.raises(InvalidValue) as refused:
        period("fortnight", NOW, LONDON)
    assert refused.value.field == "period"


@pytest.mark.parametrize(("first", "last"), [
    (date(1752, 9, 14), date(9999, 12, 31)),   # the date editors' whole range
    (date(2026, 1, 1), date(9999, 12, 31)),    # the calendar's last day
    (date(1900, 1, 1), date(2100, 1, 1)),      # two hundred years
])
def test_a_custom_span_past_the_calendar_or_too_long_names_until(first, last):
    with pytest.raises(InvalidValue) as refused:
        days_period(first, last, LONDON)
    assert refused.value.field == "until"


def test_a_hundred_years_is_still_a_period():
    since, until = days_period(date(1926, 1, 1), date(2025, 12, 31), LONDON)
    assert until.year == 2026
    assert checked_period(since, until) == (since, until)


def test_a_period_outside_the_years_1_to_9999_names_its_bound():
    end = datetime(9999, 12, 31, 12, tzinfo=LONDON)
    with pytest.raises(InvalidValue) as refused:
        checked_period(end - timedelta(days=2), end)
    assert refused.value.field == "until"
