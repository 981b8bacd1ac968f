import pytest

from desk_app.core.enums import Status
from desk_app.core.errors import TransitionRefused
from desk_app.core.lifecycle import (
    ALLOWED_TRANSITIONS,
    allowed_from,
    check_transition,
    lifecycle_violations,
)


def test_every_status_has_a_row():
    assert set(ALLOWED_TRANSITIONS) == set(Status)


@pytest.mark.parametrize(("current", "target"), [
    (Status.NEW, Status.ASSIGNED), (Status.ASSIGNED, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Status.ON_HOLD), (Status.ON_HOLD, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Status.RESOLVED), (Status.RESOLVED, Status.CLOSED),
    (Status.RESOLVED, Status.IN_PROGRESS), (Status.NEW, Status.CANCELLED),
])
def test_allowed(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [
    (Status.NEW, Status.CLOSED), (Status.CANCELLED, Status.IN_PROGRESS),
    (Status.RESOLVED, Status.ON_HOLD), (Status.CLOSED, Status.RESOLVED),
    (Status.ON_HOLD, Status.CLOSED),
])
def test_refused_names_what_is_allowed(current, target):
    with pytest.raises(TransitionRefused) as err:
        check_transition(current, target)
    assert err.value.field == "status"
    for allowed in allowed_from(current):
        assert allowed.value in err.value.message
    if not allowed_from(current):
        assert "final state" in err.value.message


VALID = {"id": "t", "number": "INC-000001", "status": "on_hold",
         "hold_reason": "awaiting_user", "responded_at": 2_000, "resolved_at": None,
         "closed_at": None, "sla_stopped_since": 3_000, "sla_stopped_ms": 500,
         "logged_at": 1_000, "updated_at": 4_000, "resolution_due": 90_000}


def _pauses(reason):
    return reason == "awaiting_user"


@pytest.mark.parametrize(("change", "rule"), [
    ({"status": "closed"}, "resolved_at is set exactly"),
    ({"status": "resolved", "hold_reason": None, "resolved_at": 3_000}, None),
    ({"status": "resolved", "resolved_at": 3_000}, "hold_reason is set exactly"),
    ({"status": "closed", "hold_reason": None, "resolved_at": 3_000}, "closed_at is set"),
    ({"sla_stopped_since": None}, "stopped exactly when awaiting_user"),
    ({"hold_reason": "awaiting_change"}, "stopped exactly when awaiting_change"),
    ({"status": "in_progress", "hold_reason": None}, "clock runs while in_progress"),
    ({"status": "new", "hold_reason": None, "sla_stopped_since": None},
     "a new ticket has no response"),
    ({"sla_stopped_ms": 5_000}, "stopped time fits"),
    ({"resolution_due": 500}, "resolution is due after logging"),
])
def test_lifecycle_violations_name_the_broken_rule(change, rule):
    broken = lifecycle_violations({**VALID, **change}, _pauses)
    if rule is None:
        assert broken == []
    else:
        assert any(rule in text for text in broken), broken
        assert all(text.startswith("INC-000001: ") for text in broken)


def test_a_valid_ticket_breaks_nothing():
    assert lifecycle_violations(VALID, _pauses) == []
