"""The weekly report's schedule: which week a moment belongs to, when the next one is
due, and what the policy section accepts (a refusal names the key)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.calendar import WEEKDAYS
from desk_app.core.policy_schema import PolicyRefused, checked_section
from desk_app.core.report_schedule import (
    ReportSchedule,
    latest_due,
    next_due,
    report_subject,
)

LONDON = ZoneInfo("Europe/London")
MONDAY_8 = ReportSchedule(True, ("boss@example.com",), "mon", 8)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_the_latest_report_is_last_mondays_until_this_mondays_hour():
    sunday = latest_due(MONDAY_8, LONDON, at("2026-11-29 23:00"))
    assert sunday.due_at == at("2026-11-23 08:00")
    assert (sunday.since, sunday.until) == (at("2026-11-16 08:00"), at("2026-11-23 08:00"))
    before = latest_due(MONDAY_8, LONDON, at("2026-11-30 07:59:59"))
    after = latest_due(MONDAY_8, LONDON, at("2026-11-30 08:00"))
    assert before.key == "weekly:2026-W48" and after.key == "weekly:2026-W49"
    assert after.since == at("2026-11-23 08:00") and after.until == at("2026-11-30 08:00")
    assert next_due(MONDAY_8, LONDON, at("2026-11-30 07:59")) == at("2026-11-30 08:00")
    assert next_due(MONDAY_8, LONDON, at("2026-11-30 08:00")) == at("2026-12-07 08:00")


def test_a_week_across_the_clock_change_keeps_the_local_hour():
    week = latest_due(MONDAY_8, LONDON, at("2026-11-02 09:00"))  # BST ended 25 Oct
    assert week.due_at == at("2026-11-02 08:00")
    assert week.since == at("2026-10-26 08:00")
    assert week.until - week.since == timedelta(days=7)
    spring = latest_due(MONDAY_8, LONDON, at("2026-03-30 09:00"))  # BST began 29 Mar
    assert spring.until - spring.since == timedelta(days=7, hours=-1)


def test_off_or_without_recipients_nothing_is_due():
    for schedule in (ReportSchedule(False, ("a@b.com",)), ReportSchedule(True, ())):
        assert latest_due(schedule, LONDON, at("2026-11-30 12:00")) is None
        assert next_due(schedule, LONDON, at("2026-11-30 12:00")) is None


@given(st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1),
                    timezones=st.just(UTC)),
       st.sampled_from(WEEKDAYS), st.integers(0, 23),
       st.sampled_from(["Europe/London", "America/New_York", "Asia/Kolkata", "UTC"]))
def test_every_moment_has_one_report_week_before_it(now, weekday, hour, zone_name):
    zone = ZoneInfo(zone_name)
    schedule = ReportSchedule(True, ("a@b.com",), weekday, hour)
    week = latest_due(schedule, zone, now)
    following = next_due(schedule, zone, now)
    assert week.due_at <= now < following
    assert timedelta(days=6, hours=22) <= following - week.due_at <= timedelta(days=7, hours=2)
    assert week.due_at.astimezone(zone).strftime("%a").lower() == weekday
    # the same week until the next moment, then the next week's key
    assert latest_due(schedule, zone, following - timedelta(milliseconds=1)).key == week.key
    assert latest_due(schedule, zone, following).key != week.key


def test_the_subject_names_the_period():
    week = latest_due(MONDAY_8, LONDON, at("2026-11-30 09:00"))
    assert report_subject("IT Service Desk", week, LONDON) == \
        "IT Service Desk: weekly report 23 Nov - 30 Nov 2026"


def test_the_policy_section_is_read_with_defaults():
    assert ReportSchedule.from_section({}) == ReportSchedule(False, (), "mon", 8)
    assert ReportSchedule.from_section(checked_section("report_schedule", {
        "enabled": True, "recipients": ["a@b.com"], "weekday": "fri", "hour": 17})) == \
        ReportSchedule(True, ("a@b.com",), "fri", 17)


@pytest.mark.parametrize(("value", "key"), [
    ({"enabled": True}, "report_schedule.recipients"),
    ({"recipients": ["not an address"]}, "report_schedule.recipients[0]"),
    ({"recipients": ["a@b.com", "a@b.com"]}, "report_schedule.recipients"),
    ({"hour": 24}, "report_schedule.hour"),
    ({"hour": "8"}, "report_schedule.hour"),
    ({"weekday": "monday"}, "report_schedule.weekday"),
    ({"enabled": "yes"}, "report_schedule.enabled"),
    ({"every": "week"}, "report_schedule.every"),
])
def test_a_bad_section_is_refused_naming_the_key(value, key):
    with pytest.raises(PolicyRefused) as err:
        checked_section("report_schedule", value)
    assert err.value.field == f"policy {key}"
