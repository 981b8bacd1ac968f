import copy
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.enums import SupportLevel
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.hlc import HybridClock, Stamp
from desk_app.core.ids import uuid7, uuid7_from
from desk_app.core.policy import Policy
from desk_app.core.reopen import reopen_within_window

from .conftest import default_sections


def test_default_policy_loads(policy):
    assert policy.reopen_window == timedelta(days=5)
    assert "Network" in policy.categories
    assert "Checked the network monitoring dashboard" in policy.categorisation_items("Network")
    assert policy.categorisation_items("Unknown") == policy.categorisation_default


@pytest.mark.parametrize(("path", "value", "field"), [
    (("sla", "targets", "P1", "calendar"), "nope", "sla.targets.P1.calendar"),
    (("sla", "targets", "P2", "resolution"), "soon", "sla.targets.P2.resolution"),
    (("lifecycle", "reopen_window_days"), -1, "lifecycle.reopen_window_days"),
    (("checklists", "closure"), ["resolution_notes", "dance"], "checklists.closure"),
    (("calendars", "office", "time_zone"), "Mars/Olympus", "calendars.office.time_zone"),
])
def test_bad_policy_is_refused_naming_the_key(path, value, field):
    sections = copy.deepcopy(default_sections())
    target = sections
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InvalidValue) as err:
        Policy.from_sections(sections)
    assert err.value.field == field


def test_category_check(policy):
    policy.check_category("Network", "VPN")
    with pytest.raises(InvalidValue) as err:
        policy.check_category("Plumbing", None)
    assert err.value.field == "category"
    with pytest.raises(InvalidValue) as err:
        policy.check_category("Network", "Printer")
    assert err.value.field == "subcategory"


def test_functional_escalation(policy):
    m = policy.functional
    assert m.group_for("Network", SupportLevel.L2) == "Network Support"
    assert m.group_for("Hardware", SupportLevel.L2) == "Desktop Support"
    assert m.next_level(SupportLevel.L1) == SupportLevel.L2
    with pytest.raises(Refused):
        m.next_level(SupportLevel.L3)


def test_hierarchic_escalation(policy):
    h = policy.hierarchic
    assert h.level_due(40) == 0 and h.level_due(80) == 2 and h.level_due(120) == 3
    assert h.next_level(0) == 1
    with pytest.raises(Refused):
        h.next_level(3)


def test_reopen_window():
    resolved = datetime(2026, 11, 1, tzinfo=UTC)
    assert reopen_within_window(resolved, resolved + timedelta(days=5), timedelta(days=5))
    assert not reopen_within_window(resolved, resolved + timedelta(days=5, seconds=1),
                                    timedelta(days=5))


def test_uuid7_is_versioned_unique_and_sorts_in_creation_order():
    ids = [uuid7() for _ in range(5000)]  # many share a millisecond
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    parsed = uuid.UUID(ids[0])
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    millis = int(ids[-1].replace("-", "")[:12], 16)
    assert abs(millis - time.time() * 1000) < 5_000


def test_uuid7_from_parts():
    made = uuid.UUID(uuid7_from(0x0123456789AB, (1 << 74) - 1))
    assert made.version == 7 and made.variant == uuid.RFC_4122
    assert made.hex.startswith("0123456789ab7fff")


@given(st.lists(st.tuples(st.sampled_from(["tick", "recv"]), st.integers(0, 50),
                          st.integers(0, 3)), max_size=40))
def test_hybrid_clock_is_strictly_increasing(events):
    wall = {"now": 100}
    clock = HybridClock("dev-a", wall=lambda: wall["now"])
    previous = clock.last
    for kind, jump, counter in events:
        wall["now"] += jump - 25  # the wall clock may go backwards
        if kind == "tick":
            stamp = clock.tick()
        else:
            remote = Stamp(wall["now"] + jump, counter, "dev-b")
            stamp = clock.receive(remote)
            assert stamp > remote
        assert stamp > previous
        assert Stamp.decode(stamp.encode()) == stamp
        previous = stamp
