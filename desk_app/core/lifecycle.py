"""The incident lifecycle: which status may follow which, and the invariants every
stored ticket keeps.

The table is explicit so that a refusal can say exactly what is allowed instead.
"""

from collections.abc import Callable, Mapping
from typing import Any

from desk_app.core.enums import HoldReason, Status
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


def lifecycle_violations(ticket: Mapping[str, Any],
                         pauses: Callable[[HoldReason], bool]) -> list[str]:
    """The lifecycle invariants a ticket breaks (none for a valid one), whatever made
    it: activities on one desk or any merge of several. ``ticket`` holds the stored
    columns (times as epoch millis); ``pauses`` says whether a hold reason stops the
    resolution clock."""
    status = Status(ticket["status"])
    stopped = ticket["sla_stopped_since"] is not None
    broken = []

    def rule(holds: bool, text: str) -> None:
        if not holds:
            broken.append(f"{ticket.get('number', ticket.get('id'))}: {text}")

    rule((ticket["resolved_at"] is not None) == (status in (S.RESOLVED, S.CLOSED)),
         f"resolved_at is set exactly when resolved or closed (status {status.value})")
    rule((ticket["closed_at"] is not None) == (status == S.CLOSED),
         f"closed_at is set exactly when closed (status {status.value})")
    rule((ticket["hold_reason"] is not None) == (status == S.ON_HOLD),
         f"hold_reason is set exactly when on hold (status {status.value})")
    if status in (S.RESOLVED, S.CLOSED, S.CANCELLED):
        rule(stopped, f"the resolution clock is stopped once {status.value}")
    elif status == S.ON_HOLD:
        rule(stopped == pauses(HoldReason(ticket["hold_reason"])),
             f"the clock is stopped exactly when {ticket['hold_reason']} pauses it")
    else:
        rule(not stopped, f"the resolution clock runs while {status.value}")
    rule(status != S.NEW or ticket["responded_at"] is None, "a new ticket has no response")
    logged = ticket["logged_at"]
    rule(ticket["resolution_due"] >= logged, "resolution is due after logging")
    rule(ticket["responded_at"] is None or ticket["responded_at"] >= logged,
         "the response comes after logging")
    rule(ticket["updated_at"] >= logged, "the update comes after logging")
    rule(0 <= ticket["sla_stopped_ms"] <= ticket["updated_at"] - logged + 1,
         "the stopped time fits between logging and the last update")
    return broken
