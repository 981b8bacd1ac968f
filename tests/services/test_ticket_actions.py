"""The actions a screen offers agree with what the activities accept."""

import pytest

from desk_app.core.errors import ChecklistIncomplete, Refused
from desk_app.services import escalation, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.rehearsal import Rehearsal
from desk_app.services.ticket_actions import available_actions
from desk_app.services.worklog import add_worklog

from ..conftest import new_ticket

ATTEMPTS = {
    "start_work": lambda s, n: workflow.start_work(s, n),
    "resume": lambda s, n: workflow.resume(s, n),
    "hold": lambda s, n: workflow.hold(s, n, "awaiting_supplier"),
    "escalate": lambda s, n: escalation.escalate_functional(s, n, "needs L2"),
    "escalate_hierarchic": lambda s, n: escalation.escalate_hierarchic(s, n, "at risk"),
    "worklog": lambda s, n: add_worklog(s, n, "called the user"),
    "resolve": lambda s, n: workflow.resolve(s, n, "permanent", "fixed", "new profile"),
    "confirm": lambda s, n: workflow.confirm(s, n),
    "reject": lambda s, n: workflow.reject(s, n, "still broken"),
    "close": lambda s, n: workflow.close(s, n),
    "reopen": lambda s, n: workflow.reopen(s, n, "again"),
    "cancel": lambda s, n: workflow.cancel(s, n, "mislogged"),
}

STATES = {
    "new": [],
    "in_progress": [workflow.start_work],
    "on_hold": [lambda s, n: workflow.hold(s, n, "awaiting_user")],
    "resolved": [lambda s, n: workflow.resolve(s, n, "permanent", "fixed", "done")],
    "closed": [lambda s, n: workflow.resolve(s, n, "permanent", "fixed", "done"),
               workflow.confirm,
               lambda s, n: workflow.close(s, n, knowledge="not_needed")],
    "cancelled": [lambda s, n: workflow.cancel(s, n, "mislogged")],
}


@pytest.mark.parametrize("state", STATES)
def test_an_offered_action_is_accepted_and_a_refused_one_is_refused(session, state):
    number = log_ticket(session, new_ticket()).number
    for step in STATES[state]:
        step(session, number)
    assert ticket_by_number(number).status == state
    offered = available_actions(session, ticket_by_number(number))
    for action, attempt in ATTEMPTS.items():
        rehearsal = Rehearsal()
        rehearsal.begin()
        try:
            attempt(session, number)
            accepted = True
        except ChecklistIncomplete as error:
            # the close dialog can settle every item but the user's answer
            accepted = "user confirmed" not in str(error)
        except Refused:
            accepted = False
        finally:
            rehearsal.end()
        assert accepted == (offered[action] is None), (state, action, offered[action])


def test_close_waits_for_the_users_answer_or_the_grace_period(session, clock):
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "permanent", "fixed", "done")
    reason = available_actions(session, ticket_by_number(number))["close"]
    assert reason is not None and "not confirmed" in reason
    clock.advance(days=30)  # far past the auto-close grace period
    assert available_actions(session, ticket_by_number(number))["close"] is None
    other = log_ticket(session, new_ticket()).number
    workflow.resolve(session, other, "permanent", "fixed", "done")
    workflow.confirm(session, other)
    assert available_actions(session, ticket_by_number(other))["close"] is None
