"""Role x ticket action: the service, the window's enabled actions and the command line
agree on who may do what (and refuse everything to a deactivated technician).

One desk for the module, one technician per role (plus a deactivated administrator),
and one ticket per (technician, action), prepared in a state where the lifecycle allows
the action: so whether it is offered depends on the permission alone.
"""

from datetime import timedelta

import pytest

from desk_app.app import open_desk
from desk_app.cli import main
from desk_app.core.enums import Role
from desk_app.core.errors import PermissionDenied, Refused
from desk_app.core.permissions import allowed
from desk_app.paths import DATABASE_FILE
from desk_app.services import (
    admin,
    classification,
    details,
    escalation,
    links,
    major_review,
    problems,
    workflow,
)
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import technician_by_login, ticket_by_number
from desk_app.services.rehearsal import Rehearsal
from desk_app.services.satisfaction import record_satisfaction
from desk_app.services.session import Session, utc_now
from desk_app.services.ticket_actions import ACTIONS, action_permission, ticket_screen
from desk_app.services.worklog import add_worklog
from desk_app.storage.database import database, open_database
from tests.conftest import new_ticket

# login -> (role, active)
TECHNICIANS = {
    "sally": (Role.SERVICE_DESK, True),
    "sid": (Role.SUPPORT, True),
    "mia": (Role.INCIDENT_MANAGER, True),
    "alice": (Role.ADMINISTRATOR, True),  # opened the desk: its first administrator
    "gone": (Role.ADMINISTRATOR, False),
}

STATE = {"resume": "on_hold", "confirm": "resolved", "reject": "resolved",
         "record_satisfaction": "resolved",
            "close": "confirmed", "reopen": "resolved", "resolve": "in_progress",
         "work_problem": "problem", "major_review": "major"}


def _prepare(session: Session, action: str) -> str:
    """A ticket in which ``action`` is allowed by the lifecycle; returns its number."""
    number = log_ticket(session, new_ticket(
        detected_at=session.now() - timedelta(hours=1),
        type="problem" if STATE.get(action) == "problem" else "incident")).number
    match STATE.get(action):
        case "on_hold":
            workflow.hold(session, number, "awaiting_user")
        case "in_progress":
            workflow.start_work(session, number)
        case "resolved" | "confirmed" as state:
            workflow.resolve(session, number, "permanent", "fixed", "done",
                             knowledge="not_needed", problem_decision="not_needed")
            if state == "confirmed":
                workflow.confirm(session, number)
        case "major":
            classification.declare_major(session, number, True, "big", manager="alice")
    return number


# the service call of each action (run inside a rehearsal: nothing of it stays)
SERVICE = {
    "assign": lambda s, n: workflow.assign(s, n, group="Service Desk"),
    "start_work": lambda s, n: workflow.start_work(s, n),
    "escalate": lambda s, n: escalation.escalate_functional(s, n, "needs L2"),
    "escalate_hierarchic": lambda s, n: escalation.escalate_hierarchic(s, n, "at risk"),
    "hold": lambda s, n: workflow.hold(s, n, "awaiting_supplier"),
    "resume": lambda s, n: workflow.resume(s, n),
    "worklog": lambda s, n: add_worklog(s, n, "called the user"),
    "resolve": lambda s, n: workflow.resolve(s, n, "permanent", "fixed", "new profile"),
    "confirm": lambda s, n: workflow.confirm(s, n),
    "reject": lambda s, n: workflow.reject(s, n, "still broken"),
    "close": lambda s, n: workflow.close(s, n),
    "reopen": lambda s, n: workflow.reopen(s, n, "again"),
    "cancel": lambda s, n: workflow.cancel(s, n, "mislogged"),
    "link": lambda s, n: links.set_rfc(s, n, "RFC-1"),
    "categorise": lambda s, n: classification.categorise(s, n, "Network", "VPN"),
    "tick_checklist": lambda s, n: classification.tick_checklist(s, n, ["2"]),
    "reprioritise": lambda s, n: classification.reprioritise(s, n, "worse", impact="high"),
    "declare_major": lambda s, n: classification.declare_major(s, n, True, "big",
                                                               manager="alice"),
    "convert": lambda s, n: classification.convert(s, n, "request"),
    "edit_details": lambda s, n: details.update_details(s, n, {"summary": "VPN drops"}),
    "work_problem": lambda s, n: problems.work_problem(s, n, root_cause="Old certificate"),
    "major_review": lambda s, n: major_review.edit_review(s, n, detection="Found by a user"),
    "record_satisfaction": lambda s, n: record_satisfaction(s, n, 4, "quick"),
}

# the command of each action
COMMAND = {
    "assign": ["assign", "{n}", "--group", "Service Desk"],
    "start_work": ["start", "{n}"],
    "escalate": ["escalate", "{n}", "--reason", "needs L2"],
    "escalate_hierarchic": ["escalate", "{n}", "--hierarchic", "--reason", "at risk"],
    "hold": ["hold", "{n}", "--reason", "awaiting_supplier"],
    "resume": ["resume", "{n}"],
    "worklog": ["note", "{n}", "called the user"],
    "resolve": ["resolve", "{n}", "--type", "permanent", "--code", "fixed",
                "--notes", "new profile"],
    "confirm": ["confirm", "{n}"],
    "reject": ["reject", "{n}", "--reason", "still broken"],
    "close": ["close", "{n}"],
    "reopen": ["reopen", "{n}", "--reason", "again"],
    "cancel": ["cancel", "{n}", "--reason", "mislogged"],
    "link": ["link", "{n}", "--rfc", "RFC-1"],
    "categorise": ["categorise", "{n}", "--category", "Network", "--subcategory", "VPN"],
    "tick_checklist": ["checklist", "{n}", "--tick", "2"],
    "reprioritise": ["reprioritise", "{n}", "--impact", "high", "--reason", "worse"],
    "declare_major": ["major", "declare", "{n}", "--manager", "alice", "--reason", "big"],
    "convert": ["convert", "{n}", "--to", "request"],
    "edit_details": ["edit", "{n}", "--summary", "VPN drops"],
    "work_problem": ["problem", "{n}", "--root-cause", "Old certificate"],
    "major_review": ["review", "edit", "{n}", "--detection", "Found by a user"],
    "record_satisfaction": ["satisfaction", "{n}", "4", "--comment", "quick"],
}


def _offered(view, action: str) -> bool:
    """Whether the ticket view lets a person start ``action``."""
    menu = {"link": "set_rfc"}.get(action, action)
    if menu in view.ticket_actions:
        shown = view.ticket_actions[menu]
        return shown.isVisible() and shown.isEnabled()
    if action == "categorise":
        return view.details.category.isEnabled()
    if action == "tick_checklist":
        return any(box.isEnabled() for box in view.checklists.ticks.values())
    return not view.details.detail_inputs["summary"].isReadOnly()  # edit_details


@pytest.fixture(scope="module")
def parity_desk(tmp_path_factory, qapp):
    """The module's desk: technicians, tickets, and a ticket view to show them in."""
    from desk_app.ui.ticket_view import TicketView

    folder = tmp_path_factory.mktemp("parity") / "desk"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Europe/London")
        desk = open_desk(folder, login="alice")
        first = desk.session
        for login, (role, _active) in TECHNICIANS.items():
            if login != "alice":
                admin.add_technician(first, login, login.title(), role.value, "Service Desk")
        sessions = {login: Session(technician_by_login(login), utc_now)
                    for login in TECHNICIANS}
        tickets = {(login, action): _prepare(first, action)
                   for login in TECHNICIANS for action in ACTIONS}
        for login, (_role, active) in TECHNICIANS.items():
            if not active:
                admin.update_technician(first, login, active=False)
        view = TicketView()
        yield folder, sessions, tickets, view
        view.deleteLater()
        desk.close()


def test_every_action_has_a_service_call_and_a_command():
    assert set(SERVICE) == set(ACTIONS)
    assert set(COMMAND) == set(ACTIONS)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("login", TECHNICIANS)
def test_service_window_and_command_line_agree(parity_desk, capsys, login, action):
    folder, sessions, tickets, view = parity_desk
    role, active = TECHNICIANS[login]
    expected = active and allowed(role, action_permission(action))
    session, number = sessions[login], tickets[(login, action)]
    if database.database != str(folder / DATABASE_FILE):  # another module's desk
        open_database(folder / DATABASE_FILE)

    view.show_ticket(ticket_screen(session, ticket_by_number(number).id))
    offered = _offered(view, action)

    rehearsal = Rehearsal()
    rehearsal.begin()
    try:
        SERVICE[action](session, number)
        service_allows = True
    except PermissionDenied:
        service_allows = False
    except Refused as refusal:
        pytest.fail(f"{action} by {login} refused for another reason: {refusal}")
    finally:
        rehearsal.end()

    assert (service_allows, offered) == (expected, expected), (login, action)
    args = [part.format(n=number) for part in COMMAND[action]]
    code = main(["--data-dir", str(folder), "--as", login, *args])
    err = capsys.readouterr().err
    refused = "refused: role:" in err or f"technician {login} is deactivated" in err
    assert (code == 0, refused) == (expected, not expected), (login, action, code, err)
