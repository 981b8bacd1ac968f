from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.assignment import (
    AssignmentPolicy,
    Candidate,
    available,
    choose,
    open_work,
)
from desk_app.core.calendar import BusinessCalendar
from desk_app.core.errors import InvalidValue

OFFICE = BusinessCalendar.from_dict("office", {"time_zone": "UTC", "hours": {
    day: ["08:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}})
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SATURDAY = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def people(*logins, **extra):
    return [Candidate(f"id-{login}", login, **extra) for login in logins]


def test_round_robin_takes_the_next_login_after_the_last_and_wraps():
    pool = people("lee", "dana", "kim")
    assert choose("round_robin", pool, None, None).login == "dana"
    picked = choose("round_robin", pool, None, "dana")
    assert picked.login == "kim"
    assert picked.reason == "assigned to kim by round robin; next after dana"
    assert choose("round_robin", pool, None, "lee").login == "dana"  # wraps around
    # the last one left the group: the next login after theirs still goes on
    assert choose("round_robin", pool, None, "eve").login == "kim"


def test_least_open_work_takes_the_lowest_weighted_load_ties_by_login():
    pool = [Candidate("a", "ann", open_work=5), Candidate("b", "bob", open_work=2),
            Candidate("c", "cat", open_work=2)]
    picked = choose("least_open", pool, None, None)
    assert picked.login == "bob"
    assert picked.reason == "assigned to bob by least open work (2 weighted open, lowest of 3)"


def test_open_work_weighs_each_ticket_by_its_priority():
    rules = AssignmentPolicy.from_section({"weights": {"P1": 10}})
    assert open_work(["P1", "P4", "P4"], rules) == 12
    assert open_work([], rules) == 0


def test_a_skilled_technician_is_preferred_when_the_ticket_has_a_category():
    pool = [Candidate("a", "ann"), Candidate("b", "bob", frozenset({"Network"}))]
    picked = choose("round_robin", pool, "Network", None)
    assert picked.login == "bob" and picked.reason.endswith(", skilled in Network")
    assert choose("round_robin", pool, "Network", None, prefer_skills=False).login == "ann"
    assert choose("round_robin", pool, "Email", None).login == "ann"  # nobody skilled


def test_none_and_an_empty_pool_pick_nobody():
    assert choose("none", people("ann"), None, None) is None
    assert choose("round_robin", [], None, None) is None
    with pytest.raises(InvalidValue, match="'lottery' is not one of"):
        choose("lottery", people("ann"), None, None)


def test_available_means_not_away_and_on_shift():
    assert available(MONDAY_NOON, None, None)
    assert available(MONDAY_NOON, None, OFFICE)
    assert not available(SATURDAY, None, OFFICE)
    assert not available(MONDAY_NOON, datetime(2026, 11, 24, tzinfo=UTC), None)
    assert available(MONDAY_NOON, datetime(2026, 11, 20, tzinfo=UTC), None)


def test_an_unknown_method_in_the_section_is_refused_naming_the_group():
    with pytest.raises(InvalidValue) as refused:
        AssignmentPolicy.from_section({"groups": {"Desk": "random"}})
    assert refused.value.field == "assignment.groups.Desk"
    assert AssignmentPolicy.from_section(None).method_for("Desk") == "none"


@given(st.lists(st.sampled_from(["ann", "bob", "cat", "dan", "eve"]), min_size=1,
                unique=True), st.integers(min_value=1, max_value=20))
def test_round_robin_visits_everyone_once_per_turn(logins, turns):
    pool = people(*logins)
    last, seen = None, []
    for _ in range(turns * len(pool)):
        last = choose("round_robin", pool, None, last).login
        seen.append(last)
    assert all(seen.count(login) == turns for login in logins)
