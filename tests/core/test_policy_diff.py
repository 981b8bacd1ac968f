"""The save summary: what changes between two policies and which people edits are
staged, in words, one line per change and none for what stays."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.core.admin_changes import (
    AdministrationChanges,
    NewGroup,
    NewTechnician,
    TechnicianChange,
    describe_people,
    technician_change,
)
from desk_app.core.policy_diff import describe_policy

from .conftest import default_sections


def _changed(edit) -> list[str]:
    before = default_sections()
    after = copy.deepcopy(before)
    edit(after)
    return describe_policy(before, after)


def test_the_same_policy_has_no_changes():
    assert describe_policy(default_sections(), default_sections()) == []


def test_an_integer_and_the_same_float_are_no_change():
    after = default_sections()
    after["sla"]["warning_percent"] = 75.0
    after["lifecycle"]["reopen_window_days"] = 5.0
    assert describe_policy(default_sections(), after) == []


@pytest.mark.parametrize(("edit", "lines"), [
    (lambda p: p["calendars"]["office"]["hours"].__setitem__("mon", ["07:30-18:00"]),
     ["Calendar office: Mon 08:00-18:00 -> 07:30-18:00"]),
    (lambda p: p["calendars"]["office"]["hours"].pop("fri"),
     ["Calendar office: Fri 08:00-18:00 -> closed"]),
    (lambda p: p["calendars"]["office"]["hours"].__setitem__(
        "sat", ["09:00-12:00", "13:00-15:00"]),
     ["Calendar office: Sat closed -> 09:00-12:00, 13:00-15:00"]),
    (lambda p: p["calendars"]["office"].__setitem__("holidays", ["2026-12-25"]),
     ["Calendar office holidays: added 2026-12-25"]),
    (lambda p: p["calendars"]["office"].__setitem__("time_zone", "UTC"),
     ["Calendar office time zone: Europe/London -> UTC"]),
    (lambda p: p["calendars"].__setitem__("night", p["calendars"]["office"]),
     ["New calendar night"]),
    (lambda p: p["priority_matrix"]["low"].__setitem__("high", "P2"),
     ["Priority for impact low x urgency high: P3 -> P2"]),
    (lambda p: p["sla"]["targets"]["P2"].__setitem__("resolution", "6h"),
     ["SLA P2 resolution: 8h -> 6h"]),
    (lambda p: p["sla"]["targets"]["P3"].__setitem__("calendar", "24x7"),
     ["SLA P3 calendar: office -> 24x7"]),
    (lambda p: p["sla"].__setitem__("pause_reasons", ["awaiting_user", "awaiting_change"]),
     ["SLA clock paused while: added Awaiting change; removed Awaiting supplier"]),
    (lambda p: p["lifecycle"].__setitem__("reopen_window_days", 7),
     ["Reopen window (days): 5 -> 7"]),
    (lambda p: p["team"].__setitem__("name", "Desk"),
     ["Team name: IT Service Desk -> Desk"]),
    (lambda p: p["major_incident"].__setitem__("critical_services", ["ERP", "Email"]),
     ["Major incidents critical services: new order ERP, Email"]),
    (lambda p: p["checklists"]["categorisation_default"].append("Asked the user"),
     ["Checklists default categorisation checklist: added Asked the user"]),
    (lambda p: p["categories"][0]["subcategories"].remove("Printer"),
     ["Category Hardware subcategories: removed Printer"]),
    (lambda p: p["categories"][2].pop("checklist"),
     ["Category Network checklist: Searched known errors, Checked related open incidents, "
      "Confirmed affected configuration item, Checked the network monitoring dashboard "
      "-> (default)"]),
    (lambda p: p["categories"].pop(), ["Category Security removed"]),
    (lambda p: p["escalation"]["functional"]["Network"].__setitem__("L2", "Desktop Support"),
     ["Functional escalation Network L2: Network Support -> Desktop Support"]),
    (lambda p: p["escalation"]["functional"].pop("Software"),
     ["Functional escalation Software: removed (was L2 Application Support, "
      "L3 Application Development)"]),
    (lambda p: p["escalation"]["hierarchic"][0].__setitem__("at_percent", 60),
     ["Hierarchic escalation Team lead: at 50% -> 60%"]),
    (lambda p: p["escalation"]["hierarchic"].append({"name": "CIO", "at_percent": 150}),
     ["New hierarchic level CIO"]),
])
def test_each_change_reads_as_one_line(edit, lines):
    assert _changed(edit) == lines


def _leaves(value, path=()):
    """Every scalar reached through tables only (not inside lists)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif not isinstance(value, list):
        yield path


LEAVES = sorted(_leaves(default_sections()))


@settings(max_examples=200, deadline=None)
@given(path=st.sampled_from(LEAVES), new=st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),
    st.integers(min_value=1000, max_value=2000)))
def test_changing_any_one_value_gives_exactly_one_line_naming_the_new_value(path, new):
    before = default_sections()
    after = copy.deepcopy(before)
    target = after
    for key in path[:-1]:
        target = target[key]
    if target[path[-1]] == new:
        return
    target[path[-1]] = new
    lines = describe_policy(before, after)
    assert len(lines) == 1
    assert str(new) in lines[0]


def test_people_changes_read_with_names_and_labels():
    people = {"ana": {"login": "ana", "name": "Ana Lopez", "role": "support",
                      "group": "Service Desk", "active": True}}
    staged = AdministrationChanges(
        new_groups=(NewGroup("Network", "L2"),),
        new_technicians=(NewTechnician("sam", "Sam Field", "service_desk", None),),
        technician_changes=(TechnicianChange("ana", role="incident_manager", active=False),))
    assert describe_people(staged, people) == [
        "New group Network (L2)",
        "New technician Sam Field (sam, Service desk)",
        "Ana Lopez: role Support -> Incident manager; deactivated",
    ]
    assert not staged.empty and AdministrationChanges().empty


def test_a_technician_change_keeps_only_what_differs():
    ana = {"login": "ana", "role": "support", "group": "Service Desk", "active": 1}
    assert technician_change(ana, "support", "Service Desk", True) is None
    assert technician_change(ana, "support", "Network", True) == TechnicianChange(
        "ana", group="Network")
    assert technician_change(ana, "administrator", None, False) == TechnicianChange(
        "ana", role="administrator", active=False)
