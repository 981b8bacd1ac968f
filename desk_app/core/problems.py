"""Problem records: the status flow and the known-error state.

A problem is new when raised, investigating while its cause is sought, a known error
once its root cause or a workaround is known (the known-error database is the
problems in that state), resolved when a fix is in place and closed at the end. A
known error needs its workaround written down; a resolved problem needs its root cause
and the fix.
"""

from enum import StrEnum

from desk_app.core.enums import Status
from desk_app.core.errors import InvalidValue, TransitionRefused


class ProblemStatus(StrEnum):
    NEW = "new"
    INVESTIGATING = "investigating"
    KNOWN_ERROR = "known_error"
    RESOLVED = "resolved"
    CLOSED = "closed"


P = ProblemStatus
ALLOWED_TRANSITIONS: dict[ProblemStatus, frozenset[ProblemStatus]] = {
    P.NEW: frozenset({P.INVESTIGATING, P.KNOWN_ERROR, P.RESOLVED}),
    P.INVESTIGATING: frozenset({P.KNOWN_ERROR, P.RESOLVED}),
    P.KNOWN_ERROR: frozenset({P.INVESTIGATING, P.RESOLVED}),
    P.RESOLVED: frozenset({P.CLOSED, P.INVESTIGATING}),  # back when the fix did not hold
    P.CLOSED: frozenset(),
}

# The ticket status a problem's status stands for (lists and SLA read the ticket's).
TICKET_STATUS: dict[ProblemStatus, Status] = {
    P.NEW: Status.NEW,
    P.INVESTIGATING: Status.IN_PROGRESS,
    P.KNOWN_ERROR: Status.IN_PROGRESS,
    P.RESOLVED: Status.RESOLVED,
    P.CLOSED: Status.CLOSED,
}

RULE = "problem flow: new -> investigating -> known error -> resolved -> closed"


def problem_status(stored: str | None) -> ProblemStatus:
    """A stored problem status; a problem raised before problems had one is new."""
    return ProblemStatus(stored) if stored else ProblemStatus.NEW


def check_problem_transition(current: ProblemStatus, target: ProblemStatus,
                             workaround: str | None = None, fix: str | None = None,
                             root_cause: str | None = None) -> None:
    """Refuse a change the problem flow does not allow, naming the rule: a known error
    needs a workaround, a resolved problem needs its root cause and its fix."""
    if target not in ALLOWED_TRANSITIONS[current]:
        allowed = ", ".join(s.value for s in ProblemStatus
                            if s in ALLOWED_TRANSITIONS[current]) or "nothing (closed)"
        raise TransitionRefused(
            "problem_status", f"a problem cannot go from {current.value} to "
                              f"{target.value} ({RULE}); allowed: {allowed}")
    if target == P.KNOWN_ERROR and not (workaround or "").strip():
        raise InvalidValue("workaround", "a known error needs its workaround written down "
                                         "(known-error rule)")
    if target == P.RESOLVED and not (root_cause or "").strip():
        raise InvalidValue("root_cause", "a problem is resolved once its root cause is "
                                         "known: record the root cause first")
    if target == P.RESOLVED and not (fix or "").strip():
        raise InvalidValue("fix", "a problem is resolved by a fix: describe it")
