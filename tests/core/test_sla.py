from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from desk_app.core.enums import HoldReason
from desk_app.core.sla_clock import sla_state

LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def state(policy, priority="P3", logged=None, now=None, stopped_total=timedelta(0), **kw):
    """The state of a ticket whose due times were planned at logging (and moved by
    ``stopped_total`` of earlier pauses)."""
    args = dict(responded_at=None, resolved_at=None, stopped_since=None, on_hold=False,
                response_due=policy.sla.response_due(priority, logged),
                resolution_due=policy.sla.resolution_due(priority, logged, stopped_total))
    args.update(kw)
    return sla_state(policy.sla, priority=priority, logged_at=logged, now=now, **args)


def test_default_targets(policy):
    logged = at(2026, 11, 23, 10)  # Monday 10:00
    assert policy.sla.response_due("P1", logged) == logged.astimezone(UTC) + timedelta(minutes=15)
    assert policy.sla.resolution_due("P1", logged) == logged.astimezone(UTC) + timedelta(hours=4)
    # P2: 8 business hours from Monday 10:00 = Tuesday 08:00 + 0h... 10->18 is 8h
    assert policy.sla.resolution_due("P2", logged) == at(2026, 11, 23, 18)
    # P3: 3 business days = 30 business hours -> Thursday 10:00
    assert policy.sla.resolution_due("P3", logged) == at(2026, 11, 26, 10)
    # P4: response 1 business day, resolution 5 business days
    assert policy.sla.response_due("P4", logged) == at(2026, 11, 24, 10)
    assert policy.sla.resolution_due("P4", logged) == at(2026, 11, 30, 10)


def test_warning_and_breach(policy):
    logged = at(2026, 11, 23, 10)
    fresh = state(policy, "P2", logged, at(2026, 11, 23, 11))
    assert not fresh.resolution.warning and not fresh.resolution.breached
    assert fresh.resolution.percent == 12.5
    warned = state(policy, "P2", logged, at(2026, 11, 23, 16, 30))
    assert warned.resolution.warning and not warned.resolution.breached
    late = state(policy, "P2", logged, at(2026, 11, 24, 9))
    assert late.resolution.breached and not late.resolution.warning


def test_response_met_stops_response_clock(policy):
    logged = at(2026, 11, 23, 10)
    s = state(policy, "P2", logged, at(2026, 11, 24, 9), responded_at=at(2026, 11, 23, 10, 20))
    assert not s.response.breached and s.response.met_at is not None
    late = state(policy, "P2", logged, at(2026, 11, 24, 9), responded_at=at(2026, 11, 23, 11))
    assert late.response.breached


def test_pause_moves_due_time_by_stopped_business_time(policy):
    logged = at(2026, 11, 23, 10)
    # On hold Monday 12:00 -> Tuesday 12:00: four business hours stopped (12-18 is 6h... )
    stopped = policy.sla.stopped_between("P2", at(2026, 11, 23, 12), at(2026, 11, 24, 12))
    assert stopped == timedelta(hours=10)
    assert policy.sla.resolution_due("P2", logged, stopped) == at(2026, 11, 24, 18)
    paused = state(policy, "P2", logged, at(2026, 11, 25, 9), stopped_since=at(2026, 11, 23, 12),
                   on_hold=True)
    assert paused.resolution.paused
    assert paused.resolution.percent == 25.0  # frozen at two of eight hours
    assert not paused.resolution.breached


def test_default_pause_reasons(policy):
    assert policy.sla.pauses(HoldReason.AWAITING_USER)
    assert policy.sla.pauses(HoldReason.AWAITING_SUPPLIER)
    assert not policy.sla.pauses(HoldReason.AWAITING_CHANGE)
    assert not policy.sla.pauses(None)
