"""The watcher's pure rules: a threshold's moment leaves exactly its share of the target
before the due time, on any calendar; what is due only grows as time passes; and the
next due moment is exact (nothing new before it, something new at it)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.core.policy import Policy
from desk_app.core.watch import ClockFacts, due_rules, moment_before, raised

from .calendar_strategies import calendars
from .conftest import default_sections

POLICY = Policy.from_sections(default_sections("UTC"))
START = datetime(2026, 11, 2, tzinfo=UTC)


@settings(max_examples=60, deadline=None)
@given(calendars(), st.integers(0, 60 * 24 * 40), st.integers(1, 60 * 30))
def test_the_moment_before_leaves_exactly_that_business_time(calendar, offset, minutes):
    due = calendar.add(START + timedelta(minutes=offset), timedelta(minutes=1))
    rest = timedelta(minutes=minutes)
    moment = moment_before(calendar, due, rest)
    assert moment <= due
    assert calendar.elapsed(moment, due) == rest


def _facts(priority: str, logged: datetime, **changes) -> ClockFacts:
    sla = POLICY.sla
    values = dict(priority=priority, status="new", support_level="L1", hierarchic_level=0,
                  logged_at=logged, response_due=sla.response_due(priority, logged),
                  resolution_due=sla.resolution_due(priority, logged), responded_at=None,
                  resolved_at=None, stopped_since=None, response_breached=False,
                  resolution_breached=False)
    return ClockFacts(**(values | changes))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["P1", "P2", "P3", "P4"]), st.integers(0, 60 * 24 * 14),
       st.integers(0, 60 * 24 * 20))
def test_what_is_due_grows_and_the_next_moment_is_exact(priority, logged, later):
    facts = _facts(priority, START + timedelta(minutes=logged))
    now = facts.logged_at + timedelta(minutes=later)
    verdict = due_rules(facts, POLICY, now)
    due_now = {(d.rule, d.key) for d in verdict.due}
    assert all(d.at <= now for d in verdict.due)
    if verdict.next_at is None:
        return
    assert verdict.next_at > now
    just_before = due_rules(facts, POLICY, verdict.next_at - timedelta(milliseconds=1))
    assert {(d.rule, d.key) for d in just_before.due} <= due_now  # nothing new before
    at_next = {(d.rule, d.key) for d in due_rules(facts, POLICY, verdict.next_at).due}
    assert at_next - due_now or due_now - at_next  # something changed at that moment
    assert due_now - at_next <= {("warning", "response"), ("warning", "resolution")}


def test_a_raise_is_one_step_and_p1_stays():
    assert [raised(p) for p in ("P1", "P2", "P3", "P4")] == ["P1", "P1", "P2", "P3"]
