import pytest

from desk_app.core.enums import Status
from desk_app.core.errors import TransitionRefused
from desk_app.core.lifecycle import ALLOWED_TRANSITIONS, allowed_from, check_transition


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
