"""The SLA clock rules: one breach rule, pauses move the due time, a priority change
re-plans from the business time used."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desk_app.core.sla import Target
from desk_app.core.sla_clock import (
    is_breached,
    moved_by_pause,
    replanned_due,
    resolution_clock,
    used_time,
)

from .calendar_strategies import calendars

LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def resolution(policy, priority, logged, now, **kw):
    args = dict(due=policy.sla.resolution_due(priority, logged), resolved_at=None,
                stopped_since=None, on_hold=False)
    args.update(kw)
    return resolution_clock(policy.sla, priority=priority, logged_at=logged, now=now, **args)


def test_p2_due_at_18_is_breached_at_19_and_all_weekend(policy):
    logged = at(2026, 11, 27, 10)  # Friday 10:00 + 8 office hours = Friday 18:00
    assert policy.sla.resolution_due("P2", logged) == at(2026, 11, 27, 18)
    assert not resolution(policy, "P2", logged, at(2026, 11, 27, 18)).breached
    for now in (at(2026, 11, 27, 19), at(2026, 11, 28, 12), at(2026, 11, 30, 7, 59)):
        clock = resolution(policy, "P2", logged, now)
        assert clock.breached and not clock.warning, now


def test_resolved_at_18_30_after_a_due_time_of_18_is_missed(policy):
    logged = at(2026, 11, 27, 10)
    clock = resolution(policy, "P2", logged, at(2026, 11, 30, 12),
                       resolved_at=at(2026, 11, 27, 18, 30),
                       stopped_since=at(2026, 11, 27, 18, 30))
    assert clock.breached and not clock.running


def test_a_clock_paused_before_its_due_time_is_not_breached_while_paused(policy):
    logged = at(2026, 11, 23, 10)
    clock = resolution(policy, "P2", logged, at(2026, 11, 30, 12), on_hold=True,
                       stopped_since=at(2026, 11, 23, 12))
    assert clock.paused and not clock.breached and clock.percent == 25.0


def test_a_clock_paused_after_its_due_time_stays_breached(policy):
    logged = at(2026, 11, 23, 10)
    clock = resolution(policy, "P2", logged, at(2026, 11, 30, 12), on_hold=True,
                       stopped_since=at(2026, 11, 24, 9))
    assert clock.paused and clock.breached


def test_breach_compares_to_the_millisecond():
    due = datetime(2026, 1, 1, tzinfo=UTC)
    assert not is_breached(due, due + timedelta(microseconds=999))
    assert is_breached(due, due + timedelta(milliseconds=1))


def test_p1_paused_over_a_weekend_then_made_p2_gets_the_rest_in_p2_business_time(policy):
    p1, p2 = policy.sla.targets["P1"], policy.sla.targets["P2"]
    logged = at(2026, 11, 27, 16)  # Friday 16:00, P1: 4 h on 24x7
    due = p1.resolution.due(p1.calendar, logged)
    # on hold Friday 17:00 -> Monday 09:00: 64 h stopped on 24x7, the due time moves out
    due, stopped = moved_by_pause(due, p1.calendar, at(2026, 11, 27, 17), at(2026, 11, 30, 9))
    assert stopped == timedelta(hours=64) and due == at(2026, 11, 30, 12)
    # made P2 on Monday 10:00: 2 h used (Friday 16-17, Monday 9-10), 6 h of P2's 8 h left
    new_due = replanned_due(
        due=due, used_length=p1.resolution.length(p1.calendar, logged),
        used_calendar=p1.calendar, new_length=p2.resolution.length(p2.calendar, logged),
        new_calendar=p2.calendar, end=at(2026, 11, 30, 10))
    assert new_due == at(2026, 11, 30, 16)  # not 8 h + 64 h stopped = 70 office hours


def test_a_new_target_already_used_up_is_due_at_the_change(policy):
    p3, p2 = policy.sla.targets["P3"], policy.sla.targets["P2"]
    logged = at(2026, 11, 23, 9)
    change = at(2026, 11, 24, 12)  # 13 office hours used, P2 gives 8
    new_due = replanned_due(
        due=p3.resolution.due(p3.calendar, logged),
        used_length=p3.resolution.length(p3.calendar, logged), used_calendar=p3.calendar,
        new_length=p2.resolution.length(p2.calendar, logged), new_calendar=p2.calendar,
        end=change)
    assert new_due == change


# --- properties ------------------------------------------------------------------------

moments = st.datetimes(datetime(2025, 1, 1), datetime(2027, 1, 1),
                       timezones=st.just(UTC)).map(lambda m: m.replace(microsecond=0))


@st.composite
def targets(draw):
    if draw(st.booleans()):
        return Target("bd", days=draw(st.integers(1, 4)))
    return Target("h", time=timedelta(minutes=draw(st.integers(15, 60 * 40))))


@st.composite
def histories(draw):
    """A logging time, pauses (start, restart) in order, and a later priority change."""
    logged = draw(moments)
    steps = sorted(draw(st.lists(st.timedeltas(timedelta(0), timedelta(days=20)),
                                 min_size=1, max_size=7, unique=True)))
    times = [logged + step for step in steps]
    change = times.pop()
    pauses = list(zip(times[::2], times[1::2], strict=False))
    paused_at_change = len(times) % 2 == 1
    return logged, pauses, change, times[-1] if paused_at_change else None


@settings(max_examples=250, deadline=None)
@given(calendars(), calendars(), targets(), targets(), histories())
def test_replanned_due_equals_an_independent_calculation(old_cal, new_cal, old_target,
                                                         new_target, history):
    logged, pauses, change, open_pause = history
    old_due = old_target.due(old_cal, logged)
    for stopped_since, restarted in pauses:
        old_due, _ = moved_by_pause(old_due, old_cal, stopped_since, restarted)
    end = open_pause or change
    # independently: business time of the running stretches, on the old calendar
    used, cursor = timedelta(0), logged
    for stopped_since, restarted in pauses:
        used += old_cal.elapsed(cursor, stopped_since)
        cursor = restarted
    used += old_cal.elapsed(cursor, end)
    assert used_time(old_due, old_target.length(old_cal, logged), old_cal, end) == used
    remaining = max(new_target.length(new_cal, logged) - used, timedelta(0))
    new_due = replanned_due(
        due=old_due, used_length=old_target.length(old_cal, logged), used_calendar=old_cal,
        new_length=new_target.length(new_cal, logged), new_calendar=new_cal, end=end)
    assert new_due == new_cal.add(end, remaining)


@settings(max_examples=200, deadline=None)
@given(calendars(), targets(), moments,
       st.lists(st.integers(0, 10 * 24 * 3600).map(lambda s: timedelta(seconds=s)),
                min_size=2, max_size=6))
def test_breach_and_time_used_agree_across_pauses(cal, target, logged, steps):
    """However the clock was paused, it is breached in working time exactly when the
    business time it ran exceeds the target."""
    times = [logged + s for s in sorted(set(steps))]
    assume(len(times) >= 2)
    due = target.due(cal, logged)
    *pause_times, now = times
    pause_times = pause_times[:len(pause_times) // 2 * 2]  # the clock runs at ``now``
    # a moment with working time just before it: there, being after the due time is
    # having run longer than the target (at an opening time it is not: see the P2 test)
    now = cal.next_working_moment(now)
    second = timedelta(seconds=1)
    if cal.elapsed(now - second, now) < second:
        now += second
    used, cursor = timedelta(0), logged
    for stopped_since, restarted in zip(pause_times[::2], pause_times[1::2], strict=True):
        due, _ = moved_by_pause(due, cal, stopped_since, restarted)
        used += cal.elapsed(cursor, stopped_since)
        cursor = restarted
    used += cal.elapsed(cursor, now)
    assert is_breached(due, now) == (used > target.length(cal, logged))
