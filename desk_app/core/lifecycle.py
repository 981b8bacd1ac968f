"""The incident lifecycle: which status may follow which.

The table is explicit so that a refusal can say exactly what is allowed instead.
"""

from desk_app.core.enums import Status
from desk_app.core.errors import TransitionRefused

S = Status

ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.NEW: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD, S.RESOLVED, S.CANCELLED}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.ON_HOLD, S.RESOLVED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.ASSIGNED, S.ON_HOLD, S.RESOLVED, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CANCELLED}),
    # Resolved -> In Progress is a reopen or a user's rejection of the resolution.
    S.RESOLVED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    # A closed ticket may still be reopened inside the reopen window (see reopen.py).
    S.CLOSED: frozenset({S.IN_PROGRESS}),
    S.CANCELLED: frozenset(),
}


def allowed_from(status: Status) -> list[Status]:
    """The statuses a ticket in ``status`` may move to, in lifecycle order."""
    allowed = ALLOWED_TRANSITIONS[status]
    return [s for s in Status if s in allowed]


def check_transition(current: Status, target: Status) -> None:
    """Refuse a status change the lifecycle does not allow, saying what is allowed."""
    if target in ALLOWED_TRANSITIONS[current]:
        return
    allowed = ", ".join(s.value for s in allowed_from(current)) or "nothing (final state)"
    raise TransitionRefused(
        "status", f"cannot go from {current.value} to {target.value}; allowed: {allowed}"
    )
