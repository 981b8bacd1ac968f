"""The rhythm's rules, pure: when the next update is due, the watcher's due and missed
moments, and the policy section's checks naming the key."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue
from desk_app.core.major_incidents import (
    MajorProcedure,
    Rhythm,
    SentUpdate,
    next_update_due,
)
from desk_app.core.stakeholders import clean_addresses
from desk_app.core.watch import rhythm_rules

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
RHYTHM = Rhythm(timedelta(minutes=15), timedelta(minutes=30))

minutes = st.integers(min_value=0, max_value=600)


def test_first_update_counts_from_the_declaration_then_from_the_last():
    assert next_update_due(RHYTHM, START, []) == START + timedelta(minutes=15)
    sent = SentUpdate(START + timedelta(minutes=10), None, False)
    assert next_update_due(RHYTHM, START, [sent]) == START + timedelta(minutes=40)
    sooner = SentUpdate(START + timedelta(minutes=10), START + timedelta(minutes=25), False)
    assert next_update_due(RHYTHM, START, [sent, sooner]) == START + timedelta(minutes=25)
    final = SentUpdate(START + timedelta(minutes=50), None, True)
    assert next_update_due(RHYTHM, START, [sent, final]) is None
    # updates before a later declaration do not count
    assert next_update_due(RHYTHM, START + timedelta(hours=1), [final]) == \
        START + timedelta(hours=1, minutes=15)


@given(st.lists(st.tuples(minutes, st.one_of(st.none(), minutes)), max_size=6))
def test_the_next_update_is_never_later_than_the_rhythm_after_the_last(sends):
    updates = [SentUpdate(START + timedelta(minutes=at),
                          START + timedelta(minutes=at + promise) if promise else None, False)
               for at, promise in sends]
    due = next_update_due(RHYTHM, START, updates)
    if not updates:
        assert due == START + RHYTHM.first
    else:
        last = max(u.at for u in updates)
        assert last < due <= last + RHYTHM.every


@given(minutes)
def test_due_then_missed_each_once_per_due_moment(offset):
    due = START + timedelta(minutes=30)
    now = START + timedelta(minutes=offset)
    verdict = rhythm_rules(due, timedelta(minutes=5), now)
    rules = [d.rule for d in verdict.due]
    assert rules == [r for r, at in (("update_due", due), ("update_missed",
                                                            due + timedelta(minutes=5)))
                     if at <= now]
    assert len({d.key for d in verdict.due}) <= 1
    if len(rules) < 2:
        assert verdict.next_at is not None and verdict.next_at > now
    assert rhythm_rules(None, timedelta(minutes=5), now).due == []


def test_defaults_and_the_fallback_rhythm():
    procedure = MajorProcedure.from_section({})
    assert procedure.rhythm("P1") == Rhythm(timedelta(minutes=15), timedelta(minutes=30))
    assert procedure.rhythm("P2") == Rhythm(timedelta(minutes=30), timedelta(hours=1))
    assert procedure.rhythm("P4") == procedure.rhythm("P2")
    assert procedure.final_update_on_resolve == "send"
    only_p1 = MajorProcedure.from_section({"updates": {"P1": {"first": "10m",
                                                              "every": "1h"}}})
    assert only_p1.rhythm("P3") == Rhythm(timedelta(minutes=10), timedelta(hours=1))


@pytest.mark.parametrize("section, key", [
    ({"updates": {"P1": {"first": "15x", "every": "30m"}}}, "major_procedure.updates.P1.first"),
    ({"updates": {"P1": {"first": "15m"}}}, "major_procedure.updates.P1"),
    ({"updates": {"P5": {"first": "15m", "every": "30m"}}}, "major_procedure.updates.P5"),
    ({"updates": {"P2": {"first": "15m", "every": "0m"}}}, "major_procedure.updates.P2.every"),
    ({"missed_after": 5}, "major_procedure.missed_after"),
    ({"incident_manager": ""}, "major_procedure.incident_manager"),
    ({"final_update_on_resolve": "never"}, "major_procedure.final_update_on_resolve"),
    ({"rhythm": {}}, "major_procedure.rhythm"),
])
def test_bad_sections_are_refused_naming_the_key(section, key):
    with pytest.raises(InvalidValue) as refused:
        MajorProcedure.from_section(section)
    assert refused.value.field == key


def test_addresses_are_checked_and_kept_once():
    assert clean_addresses("stakeholders", [" a@example.org", "A@example.org", "",
                                            "b@example.org"]) == ["a@example.org",
                                                                  "b@example.org"]
    with pytest.raises(InvalidValue) as refused:
        clean_addresses("stakeholders", ["Bob <b@example.org>"])
    assert refused.value.field == "stakeholders"


def test_a_call_link_is_a_web_sip_or_tel_address_only():
    from desk_app.core.major_incidents import is_call_link

    for good in ("https://meet.example.com/mi", "http://10.0.0.5:8080/room", "tel:+442012345678",
                 "sip:bridge@example.com", "HTTPS://Meet.Example.com/x"):
        assert is_call_link(good), good
    for bad in ("javascript:alert(1)", "file:///bin/sh", "meet.example.com/mi", "https://",
                "smb://server/share", "https://meet.example.com/a b", "tel:", "ftp://x.org/"):
        assert not is_call_link(bad), bad


@given(st.integers(min_value=10_081, max_value=10**40), st.sampled_from(["m", "min", "h"]))
def test_a_rhythm_beyond_seven_days_is_refused_however_long(amount, unit):
    from desk_app.core.major_incidents import rhythm_duration

    with pytest.raises(InvalidValue, match="at most 7 days"):
        rhythm_duration("every", f"{amount}{unit}")


@pytest.mark.parametrize("status", ["new", "assigned", "in_progress", "on_hold", "resolved",
                                    "closed", "cancelled"])
def test_only_a_closed_or_cancelled_timeline_is_final(status):
    from desk_app.core.major_incidents import timeline_closed

    reason = timeline_closed("INC-000001", status)
    assert (reason is not None) == (status in ("closed", "cancelled"))
    if reason:
        assert reason.startswith(f"INC-000001 is {status}: ")
