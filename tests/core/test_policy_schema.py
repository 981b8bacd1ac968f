"""The policy sections' schemas: every wrong shape is refused naming section and field;
the shipped default passes unchanged."""

import copy
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.core.policy import SECTIONS
from desk_app.core.policy_schema import PolicyRefused, checked_policy, checked_section

from .conftest import default_sections


def test_the_default_policy_passes_unchanged():
    sections = default_sections()
    checked, policy = checked_policy(sections)
    assert checked == sections
    assert policy.time_zone == "Europe/London"


def test_toml_dates_are_stored_as_text():
    from datetime import date

    sections = default_sections()
    sections["calendars"]["office"]["holidays"] = [date(2026, 12, 25)]
    checked, policy = checked_policy(sections)
    assert checked["calendars"]["office"]["holidays"] == ["2026-12-25"]
    assert date(2026, 12, 25) in policy.calendars["office"].holidays


def _with(path: tuple, value):
    sections = copy.deepcopy(default_sections())
    target = sections
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return sections


@pytest.mark.parametrize(("path", "value", "field", "words"), [
    (("team", "time_zone"), "Mars/Olympus", "team.time_zone", "unknown time zone"),
    (("team", "time_zone"), "Europe", "team.time_zone", "unknown time zone"),
    (("team", "time_zone"), "x" * 300, "team.time_zone", "at most 64"),
    (("team",), [], "team", "must be a table, not a list"),
    (("team",), None, "team", "not null"),
    (("team", "name"), "", "team.name", "must not be empty"),
    (("team", "colour"), "blue", "team.colour", "not a setting"),
    (("lifecycle", "reopen_window_days"), math.nan, "lifecycle.reopen_window_days", "finite"),
    (("lifecycle", "reopen_window_days"), 10**400, "lifecycle.reopen_window_days", "too large"),
    (("lifecycle", "reopen_window_days"), 10**9, "lifecycle.reopen_window_days", "365"),
    (("lifecycle", "auto_close_grace_days"), True, "lifecycle.auto_close_grace_days",
     "not true/false"),
    (("sla", "warning_percent"), math.inf, "sla.warning_percent", "finite"),
    (("sla", "targets", "P2", "resolution"), "9999bd", "sla.targets.P2.resolution",
     "must be a positive duration of at most 365 days"),
    (("sla", "targets", "P2", "response"), "0m", "sla.targets.P2.response", "positive"),
    (("sla", "targets", "P2", "response"), "\u0663h", "sla.targets.P2.response", ""),
    (("sla", "targets", "P1", "calendar"), "nope", "sla.targets.P1.calendar",
     "unknown calendar"),
    (("sla", "targets"), {"P1": {}}, "sla.targets.P1.response", "missing"),
    (("calendars",), {}, "calendars", "at least 1"),
    (("calendars", "office", "holidays"), ["2026-13-01"], "calendars.office.holidays[0]",
     "not a date"),
    (("calendars", "office", "hours"), {"mon": ["18:00-08:00"]}, "calendars.office.hours.mon[0]",
     "start must be before end"),
    (("calendars", "office", "time_zone"), "Nowhere/City", "calendars.office.time_zone",
     "unknown time zone"),
    (("priority_matrix", "high", "high"), "P9", "priority_matrix.high.high", "'P9'"),
    (("priority_matrix", "high"), {"high": "P1"}, "priority_matrix", "missing high x medium"),
    (("checklists", "closure"), ["dance"], "checklists.closure[0]", "'dance'"),
    (("categories",), [{"name": "A"}, {"name": "A"}], "categories", "listed twice"),
    (("categories",), {"name": "A"}, "categories", "must be a list"),
    (("escalation", "functional"), {"default": {"L1": "Service Desk"}},
     "escalation.functional.default", "missing L2, L3"),
    (("escalation", "hierarchic"), [{"name": "Boss", "at_percent": -5}],
     "escalation.hierarchic[0].at_percent", "greater than 0"),
    (("groups",), [{"name": "A", "level": "L4"}], "groups[0].level", "'L4'"),
    (("major_incident", "priorities"), ["P1", "P1"], "major_incident.priorities",
     "listed twice"),
])
def test_a_bad_section_is_refused_naming_section_and_field(path, value, field, words):
    with pytest.raises(PolicyRefused) as err:
        checked_policy(_with(path, value))
    assert err.value.field == f"policy {field}"
    assert words in err.value.message


def test_a_target_the_calendar_cannot_reach_is_refused():
    """One working hour a week: 365 business days are seven years away, past where the
    calendar looks, so every ticket of that priority would be refused."""
    sections = _with(("calendars", "office", "hours"), {"mon": ["08:00-09:00"]})
    sections["sla"]["targets"]["P3"]["resolution"] = "365bd"
    with pytest.raises(PolicyRefused) as err:
        checked_policy(sections)
    assert err.value.field == "policy sla.targets.P3.resolution"


def test_unknown_and_missing_sections_are_named():
    with pytest.raises(PolicyRefused) as err:
        checked_section("bogus", {})
    assert err.value.field == "policy bogus"
    sections = default_sections()
    del sections["sla"]
    with pytest.raises(PolicyRefused) as err:
        checked_policy(sections)
    assert err.value.field == "policy sla"
    with pytest.raises(PolicyRefused) as err:
        checked_policy([1, 2])
    assert err.value.field == "policy sections"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.dates(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SECTIONS), json_values)
def test_any_value_is_checked_or_refused_never_a_crash(section, value):
    try:
        checked_section(section, value)
    except PolicyRefused as err:
        assert err.field.startswith(f"policy {section}")


def test_a_response_target_longer_than_the_resolution_target_is_refused():
    sections = default_sections()
    sections["sla"]["targets"]["P3"]["response"] = "5bd"
    with pytest.raises(PolicyRefused) as refused:
        checked_policy(sections)
    assert refused.value.field == "policy sla.targets.P3.response"
    assert "longer than the resolution target" in str(refused.value)


@pytest.mark.parametrize("zone", ["localtime", "posixrules"])
def test_a_machine_local_zone_name_is_not_a_team_zone(zone):
    from desk_app.core.time_zones import zone_problem

    assert zone_problem(zone) is not None
