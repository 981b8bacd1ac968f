from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue
from desk_app.core.notice_preferences import (
    NoticePreferences,
    check_events,
    parse_quiet_hours,
    quiet_text,
)


def test_quiet_hours_may_wrap_past_midnight():
    night = NoticePreferences(quiet=parse_quiet_hours("22:00-07:00"))
    assert night.is_quiet(time(23, 30)) and night.is_quiet(time(6, 59))
    assert not night.is_quiet(time(7, 0)) and not night.is_quiet(time(21, 59))
    lunch = NoticePreferences(quiet=parse_quiet_hours("12:00-13:00"))
    assert lunch.is_quiet(time(12, 30)) and not lunch.is_quiet(time(13, 0))
    assert not NoticePreferences().is_quiet(time(3, 0))


def test_muted_events_are_not_shown_and_quiet_hours_stop_only_pop_ups():
    prefs = NoticePreferences(frozenset({"warning"}), parse_quiet_hours("22:00-07:00"))
    assert not prefs.shows("warning") and prefs.shows("breach")
    assert not prefs.pops_up("breach", time(23, 0))
    assert prefs.pops_up("breach", time(10, 0))
    assert not prefs.pops_up("warning", time(10, 0))


@pytest.mark.parametrize("text", ["22-07", "25:00-07:00", "22:00", "10:00-10:00", "a-b"])
def test_bad_quiet_hours_are_refused_naming_the_field(text):
    with pytest.raises(InvalidValue) as refused:
        parse_quiet_hours(text)
    assert refused.value.field == "quiet_hours"


def test_an_unknown_event_is_refused_by_name():
    with pytest.raises(InvalidValue, match="unknown event 'gossip'"):
        check_events(["warning", "gossip"])
    assert check_events([" breach ", ""]) == {"breach"}


@given(st.times(), st.times())
def test_quiet_hours_round_trip_and_cover_start_not_end(start, end):
    start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    if start == end:
        return
    span = parse_quiet_hours(quiet_text((start, end)))
    assert span == (start, end)
    prefs = NoticePreferences(quiet=span)
    assert prefs.is_quiet(start) and not prefs.is_quiet(end)
