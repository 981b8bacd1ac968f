"""Hypothesis strategies for business calendars, shared by the calendar and SLA tests."""

from datetime import date

from hypothesis import strategies as st

from desk_app.core.calendar import BusinessCalendar

ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
         "America/Sao_Paulo"]


@st.composite
def calendars(draw):
    hours = {}
    for weekday in range(7):
        spans = []
        cursor = 0
        for _ in range(draw(st.integers(0, 2))):
            start = draw(st.integers(cursor, 24 * 60 - 15))
            end = draw(st.integers(start + 15, 24 * 60))
            spans.append((start, end))
            cursor = end
            if cursor >= 24 * 60 - 15:
                break
        hours[weekday] = tuple(spans)
    if not any(hours.values()):
        hours[0] = ((9 * 60, 17 * 60),)
    holidays = frozenset(draw(st.lists(
        st.dates(date(2025, 1, 1), date(2027, 12, 31)), max_size=15)))
    return BusinessCalendar("prop", draw(st.sampled_from(ZONES)), hours, holidays)
