"""Problem management: root cause, workaround and the problem's status flow; the
known-error database; a fix that resolves the problem's open incidents."""

from typing import Any

from desk_app.core.enums import OPEN_STATUSES, ResolutionType, Status, TicketType
from desk_app.core.errors import InvalidValue
from desk_app.core.labels import with_article
from desk_app.core.permissions import Permission
from desk_app.core.problems import (
    TICKET_STATUS,
    ProblemStatus,
    check_problem_transition,
    problem_status,
)
from desk_app.core.validation import TEXT_MAX, check_length, required_text
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import TicketEdit
from desk_app.services.session import Session, activity, reads
from desk_app.services.sla_clock import mark_responded, restart_clock
from desk_app.services.workflow import move, resolve
from desk_app.storage.models import Ticket

FIX_CODE = "problem_fix"  # the resolution code of incidents a problem's fix resolved


def problem_by_number(number: str) -> Ticket:
    """The problem record ``number`` names, refusing any other ticket."""
    ticket = ticket_by_number(number)
    if ticket.type != TicketType.PROBLEM:
        raise InvalidValue("problem", f"{ticket.number} is {with_article(ticket.type)}, "
                                      "not a problem")
    return ticket


def open_incidents(problem: Ticket) -> list[Ticket]:
    """The problem's incidents that are still open, oldest first."""
    return list(Ticket.select().where((Ticket.problem == problem.id)
                                      & Ticket.status.in_([s.value for s in OPEN_STATUSES]))
                .order_by(Ticket.logged_at))


@activity(Permission.MANAGE_PROBLEMS)
def describe_problem(session: Session, number: str, root_cause: str | None = None,
                     workaround: str | None = None) -> Ticket:
    """Record what is known of a problem: its root cause and/or its workaround (an
    empty text clears it, except the workaround of a known error)."""
    problem = problem_by_number(number)
    edit = TicketEdit(session, problem)
    for name, text in (("root_cause", root_cause), ("workaround", workaround)):
        if text is not None:
            check_length(name, text.strip(), TEXT_MAX)
            edit.set(name, text.strip() or None)
    if problem_status(problem.problem_status) == ProblemStatus.KNOWN_ERROR \
            and not problem.workaround:
        raise InvalidValue("workaround", "a known error keeps its workaround (known-error "
                                         "rule); move it back to investigating first")
    return edit.save()


def _set_status(edit: TicketEdit, target: ProblemStatus) -> None:
    session, problem = edit.session, edit.ticket
    edit.set("problem_status", target.value)
    if target in (ProblemStatus.INVESTIGATING, ProblemStatus.KNOWN_ERROR):
        if problem.status in (Status.NEW, Status.ASSIGNED):
            move(edit, TICKET_STATUS[target])
            mark_responded(edit, session.now())
        elif problem.status in (Status.RESOLVED, Status.CLOSED):  # the fix did not hold
            move(edit, Status.IN_PROGRESS)
            restart_clock(edit, session.policy, session.now())
            edit.set("resolved_at", None)
            edit.set("closed_at", None)


@activity(Permission.MANAGE_PROBLEMS)
def investigate(session: Session, number: str) -> Ticket:
    """Start (or resume) looking for the problem's root cause."""
    problem = problem_by_number(number)
    check_problem_transition(problem_status(problem.problem_status),
                             ProblemStatus.INVESTIGATING)
    edit = TicketEdit(session, problem)
    _set_status(edit, ProblemStatus.INVESTIGATING)
    return edit.save()


@activity(Permission.MANAGE_PROBLEMS)
def mark_known_error(session: Session, number: str, workaround: str | None = None,
                     root_cause: str | None = None) -> Ticket:
    """Make the problem a known error: it enters the known-error database with its
    workaround (given now or recorded before; refused without one)."""
    problem = problem_by_number(number)
    edit = TicketEdit(session, problem)
    if root_cause is not None:
        edit.set("root_cause", required_text("root_cause", root_cause, TEXT_MAX))
    if workaround is not None:
        edit.set("workaround", required_text("workaround", workaround, TEXT_MAX))
    check_problem_transition(problem_status(problem.problem_status),
                             ProblemStatus.KNOWN_ERROR, workaround=problem.workaround)
    _set_status(edit, ProblemStatus.KNOWN_ERROR)
    return edit.save()


@activity(Permission.MANAGE_PROBLEMS)
def resolve_problem(session: Session, number: str, fix: str,
                    resolve_incidents: bool = True) -> tuple[Ticket, list[Ticket]]:
    """Resolve the problem with a permanent fix and, when ``resolve_incidents``, each of
    its open incidents with that fix as its resolution, all as one activity. Incidents
    are resolved through :func:`desk_app.services.workflow.resolve`, so whatever it
    does at resolution (the SLA stop, telling the reporter once mail is there) happens
    for each. Returns the problem and the incidents resolved."""
    problem = problem_by_number(number)
    check_problem_transition(problem_status(problem.problem_status), ProblemStatus.RESOLVED,
                             fix=fix, root_cause=problem.root_cause)
    fix = required_text("fix", fix, TEXT_MAX)
    edit = TicketEdit(session, problem)
    edit.set("problem_status", ProblemStatus.RESOLVED.value)
    edit.save()
    resolve(session, problem.number, ResolutionType.PERMANENT.value, FIX_CODE, fix)
    resolved = []
    for incident in open_incidents(problem) if resolve_incidents else []:
        resolve(session, incident.number, ResolutionType.PERMANENT.value, FIX_CODE,
                f"Fixed by {problem.number}: {fix}")
        resolved.append(incident)
    return ticket_by_number(problem.number), resolved


@activity(Permission.MANAGE_PROBLEMS)
def close_problem(session: Session, number: str) -> Ticket:
    """Close a resolved problem."""
    problem = problem_by_number(number)
    check_problem_transition(problem_status(problem.problem_status), ProblemStatus.CLOSED)
    edit = TicketEdit(session, problem)
    edit.set("problem_status", ProblemStatus.CLOSED.value)
    move(edit, Status.CLOSED)
    edit.set("closed_at", session.now())
    return edit.save()


def incident_rows(problem: Ticket) -> list[dict[str, Any]]:
    """The problem's incidents as plain data, oldest first."""
    return [{"number": t.number, "status": t.status, "priority": t.priority,
             "summary": t.summary}
            for t in Ticket.select().where(Ticket.problem == problem.id)
            .order_by(Ticket.logged_at)]


def problem_row(problem: Ticket) -> dict[str, Any]:
    """A problem as a list shows it: number, status, texts and how many incidents."""
    return {"number": problem.number, "problem_status": problem_status(
                problem.problem_status).value,
            "summary": problem.summary, "priority": problem.priority,
            "root_cause": problem.root_cause, "workaround": problem.workaround,
            "incidents": Ticket.select().where(Ticket.problem == problem.id).count()}


@reads
def list_problems(session: Session, known_errors: bool = False) -> list[dict[str, Any]]:
    """Every problem (newest first), or only the known errors: the known-error
    database (problems in that state with their workaround)."""
    del session
    query = Ticket.select().where(Ticket.type == TicketType.PROBLEM.value)
    if known_errors:
        query = query.where(Ticket.problem_status == ProblemStatus.KNOWN_ERROR.value)
    return [problem_row(t) for t in query.order_by(Ticket.logged_at.desc())]


STEPS = ("investigating", "known_error", "resolved", "closed")


@activity(Permission.MANAGE_PROBLEMS)
def work_problem(session: Session, number: str, root_cause: str | None = None,
                 workaround: str | None = None, step: str | None = None,
                 fix: str | None = None, resolve_incidents: bool = True) -> Ticket:
    """Record the root cause and/or workaround and take one step of the problem flow
    (``step``: investigating, known_error, resolved with ``fix``, closed), as one
    activity: the problem form's and the ``problem`` command's single step."""
    if step is not None and step not in STEPS:
        raise InvalidValue("step", f"{step!r} is not one of: {', '.join(STEPS)}")
    if step == "known_error":
        return mark_known_error(session, number, workaround=workaround or None,
                                root_cause=root_cause or None)
    if root_cause is not None or workaround is not None:
        describe_problem(session, number, root_cause=root_cause, workaround=workaround)
    if step == "investigating":
        investigate(session, number)
    elif step == "resolved":
        resolve_problem(session, number, fix or "", resolve_incidents=resolve_incidents)
    elif step == "closed":
        close_problem(session, number)
    return problem_by_number(number)
