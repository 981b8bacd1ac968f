"""Moving a ticket through its lifecycle: assign, work, hold, resolve, confirm, close,
reopen, cancel."""

from desk_app.core.checklists import unmet_closure_items
from desk_app.core.enums import (
    OPEN_STATUSES,
    CancelReason,
    Confirmation,
    HoldReason,
    LinkKind,
    ResolutionType,
    Status,
    TicketType,
    parse_enum,
)
from desk_app.core.errors import ChecklistIncomplete, InvalidValue, PermissionDenied, Refused
from desk_app.core.lifecycle import check_transition
from desk_app.core.permissions import MANAGERS, Permission
from desk_app.core.reopen import reopen_within_window
from desk_app.core.validation import TEXT_MAX, required_text
from desk_app.services import mail_out, major_children, major_updates
from desk_app.services.assignment import save_routed
from desk_app.services.intake import derived_ticket
from desk_app.services.knowledge import article_by_number, article_from_ticket, article_made_from
from desk_app.services.lookup import group_by_name, technician_by_login, ticket_by_number
from desk_app.services.recording import TicketEdit, record_new_row
from desk_app.services.review_gate import check_review_before_closure
from desk_app.services.satisfaction import record_satisfaction
from desk_app.services.session import Session, activity
from desk_app.services.sla_clock import (
    mark_resolution_breach,
    mark_responded,
    restart_clock,
    stop_clock,
)
from desk_app.services.worklog import write_worklog
from desk_app.storage.fields import to_millis
from desk_app.storage.models import Link, Ticket


def open_ticket(number: str) -> Ticket:
    """The ticket, refusing when it is no longer open."""
    ticket = ticket_by_number(number)
    if Status(ticket.status) not in OPEN_STATUSES:
        raise Refused("status", f"{ticket.number} is {ticket.status}, not open")
    return ticket


def resolved_ticket(number: str, action: str) -> Ticket:
    """The ticket, refusing unless it is resolved (awaiting the user's answer)."""
    ticket = ticket_by_number(number)
    if ticket.status != Status.RESOLVED:
        raise Refused("status", f"{ticket.number} is {ticket.status}; only a resolved "
                      f"ticket can be {action}")
    return ticket


def move(edit: TicketEdit, target: Status) -> None:
    """Change the status after the lifecycle allowed it."""
    current = Status(edit.ticket.status)
    if current != target:
        check_transition(current, target)
        edit.set("status", target.value)


@activity(Permission.ASSIGN)
def assign(session: Session, number: str, group: str | None = None,
           technician: str | None = None) -> Ticket:
    """Assign to a support group and/or a technician (the technician's group by default)."""
    if not group and not technician:
        raise InvalidValue("group", "name a group, a technician, or both")
    ticket = open_ticket(number)
    person = technician_by_login(technician) if technician else None
    if person is not None and not person.active:
        raise Refused("technician", f"{person.login} is no longer active")
    team = group_by_name(group) if group else (person.group if person else None)
    if person is not None and team is not None and person.group_id not in (None, team.id):
        raise Refused("technician", f"{person.login} is not a member of {team.name}")
    edit = TicketEdit(session, ticket)
    reassigned = ((team is not None and ticket.group_id not in (None, team.id))
                  or (person is not None and ticket.assignee_id not in (None, person.id)))
    if team is not None:
        edit.set("group", team)
        edit.set("support_level", team.level)
        if ticket.assignee_id and person is None and ticket.assignee.group_id != team.id:
            edit.set("assignee", None)
    if person is not None:
        edit.set("assignee", person)
    if reassigned:
        edit.count("reassignment_count")
    if Status(ticket.status) in (Status.NEW, Status.IN_PROGRESS) and edit.changes:
        move(edit, Status.ASSIGNED)
    if not edit.changes:
        return ticket
    ticket = save_routed(edit)
    mail_out.queue_mail(session, ticket, "assigned", f"{ticket.group_id}:"
                        f"{ticket.assignee_id}:{to_millis(session.now())}")
    return ticket


@activity(Permission.START_WORK)
def start_work(session: Session, number: str) -> Ticket:
    """Take the ticket up: In Progress, assigned to the acting technician if nobody is."""
    ticket = open_ticket(number)
    if Status(ticket.status) == Status.ON_HOLD:
        raise Refused("status", f"{ticket.number} is on hold; resume it instead")
    if Status(ticket.status) == Status.IN_PROGRESS:
        raise Refused("status", f"{ticket.number} is already in progress")
    edit = TicketEdit(session, ticket)
    if ticket.assignee_id is None:
        edit.set("assignee", session.actor)
        if session.actor.group_id and ticket.group_id is None:
            edit.set("group", session.actor.group)
    move(edit, Status.IN_PROGRESS)
    mark_responded(edit, session.now())
    return edit.save()


@activity(Permission.HOLD)
def hold(session: Session, number: str, reason: str, note: str = "") -> Ticket:
    """Put on hold, or change why a ticket is on hold; the resolution clock stops for the
    reasons the policy says pause and runs for the others."""
    hold_reason = parse_enum(HoldReason, "reason", reason)
    ticket = open_ticket(number)
    edit = TicketEdit(session, ticket)
    move(edit, Status.ON_HOLD)
    edit.set("hold_reason", hold_reason.value)
    mark_responded(edit, session.now())
    if session.policy.sla.pauses(hold_reason):
        stop_clock(edit, session.now())
    else:
        restart_clock(edit, session.policy, session.now())
    awaiting_now = hold_reason == HoldReason.AWAITING_USER and "hold_reason" in edit.changes
    edit.save()
    if note.strip():
        write_worklog(session, ticket, note.strip())
    if awaiting_now:
        mail_out.queue_mail(session, ticket, "awaiting_user", str(to_millis(session.now())))
    return ticket


@activity(Permission.HOLD)
def resume(session: Session, number: str) -> Ticket:
    """Take a ticket off hold; a paused clock restarts with its due time moved."""
    ticket = ticket_by_number(number)
    if ticket.status != Status.ON_HOLD:
        raise Refused("status", f"{ticket.number} is {ticket.status}, not on hold")
    edit = TicketEdit(session, ticket)
    move(edit, Status.IN_PROGRESS)
    edit.set("hold_reason", None)
    restart_clock(edit, session.policy, session.now())
    return edit.save()


@activity(Permission.RESOLVE)
def resolve(session: Session, number: str, resolution_type: str, code: str, notes: str,
            may_recur: bool = False, knowledge: str | None = None,
            problem_decision: str | None = None, problem_reason: str | None = None,
            publish_knowledge: bool = False, article: str | None = None) -> Ticket:
    """Resolve with a workaround or a permanent fix; the user is asked to confirm.

    The closure decisions (knowledge, problem record) may be given now, so that the
    ticket can auto-close when the user does not answer within the grace period.
    ``publish_knowledge`` writes a draft article from the resolution (title, symptoms,
    solution from the ticket); the decision "knowledge updated" then links it.
    ``problem_reason``: an incident manager's reason why no problem record is needed.
    """
    kind = parse_enum(ResolutionType, "type", resolution_type)
    code, notes = required_text("code", code), required_text("notes", notes, TEXT_MAX)
    ticket = open_ticket(number)
    major_updates.check_resolvable(session, ticket)
    edit = TicketEdit(session, ticket)
    at = session.now()
    move(edit, Status.RESOLVED)
    edit.set("hold_reason", None)
    edit.set("resolution_type", kind.value)
    edit.set("resolution_code", code)
    edit.set("resolution_notes", notes)
    edit.set("may_recur", may_recur)
    edit.set("resolved_at", at)
    edit.set("resolved_by", session.login)
    edit.set("confirmation", None)
    if ticket.assignee_id is None:
        edit.set("assignee", session.actor)
    mark_responded(edit, at)
    restart_clock(edit, session.policy, at)  # a pause ending at resolution moves the due time
    mark_resolution_breach(edit, at)
    stop_clock(edit, at)
    if publish_knowledge:  # from the ticket as this resolution leaves it
        article_from_ticket(session, ticket)
    set_closure_decisions(edit, knowledge, problem_decision, problem_reason, article)
    edit.save()
    mail_out.queue_mail(session, ticket, "resolved", str(to_millis(at)))
    if ticket.major:  # its open children are resolved with it, each on its own
        major_updates.final_update_on_resolve(session, ticket)
        for child in major_children.open_children(ticket.id):
            resolve(session, child.number, resolution_type, code, notes, may_recur=may_recur)
    return ticket


@activity(Permission.CONFIRM)
def confirm(session: Session, number: str, score: object | None = None,
            comment: str | None = None) -> Ticket:
    """Record that the user confirmed the resolution, with the user's satisfaction
    (``score`` 1-5 and an optional ``comment``) when the technician asked for it; a
    refused answer refuses the whole confirmation."""
    ticket = resolved_ticket(number, "confirmed")
    if score is None and comment is not None and comment.strip():
        raise InvalidValue("score", "a comment goes with a score from 1 to 5")
    if score is not None:
        ticket = record_satisfaction(session, number, score, comment)
    edit = TicketEdit(session, ticket)
    edit.set("confirmation", Confirmation.CONFIRMED.value)
    return edit.save()


@activity(Permission.CONFIRM)
def reject(session: Session, number: str, reason: str) -> Ticket:
    """Record that the user rejected the resolution: the ticket reopens."""
    reason = required_text("reason", reason, TEXT_MAX)
    ticket = resolved_ticket(number, "rejected")
    edit = TicketEdit(session, ticket)
    edit.set("confirmation", Confirmation.REJECTED.value)
    edit.save()
    return _reopen_same(session, ticket, f"Resolution rejected by the user: {reason}")


@activity(Permission.CLOSE)
def close(session: Session, number: str, knowledge: str | None = None,
          problem_decision: str | None = None, problem_reason: str | None = None,
          article: str | None = None) -> Ticket:
    """Close after the closure checklist is satisfied; refuses naming every unmet item."""
    ticket = ticket_by_number(number)
    edit = TicketEdit(session, ticket)
    set_closure_decisions(edit, knowledge, problem_decision, problem_reason, article)
    close_checked(edit)
    return edit.save()


def close_checked(edit: TicketEdit) -> None:
    """Move to Closed if the closure checklist is met, else refuse naming every unmet
    item. No answer from the user within the grace period counts as auto-closed."""
    ticket, session = edit.ticket, edit.session
    check_transition(Status(ticket.status), Status.CLOSED)
    major_children.check_parent_resolved(ticket)
    unmet = unmet_closure_items(closure_facts(ticket, session),
                                session.policy.closure_checklist)
    if unmet:
        raise ChecklistIncomplete("closure_checklist", unmet)
    check_review_before_closure(ticket, session.policy)
    if ticket.confirmation is None:
        edit.set("confirmation", Confirmation.AUTO_CLOSED.value)
    move(edit, Status.CLOSED)
    edit.set("closed_at", session.now())
    # one closure mail per resolution: desks auto-closing it alike (a rule) make the
    # same mail, and give it to the desk that sent the resolution mail
    mail_out.queue_mail(session, ticket, "closed",
                        str(to_millis(ticket.resolved_at)) if ticket.resolved_at else "closed",
                        owner=mail_out.resolution_mail_owner(ticket) if edit.rule else None)


def set_closure_decisions(edit: TicketEdit, knowledge: str | None,
                          problem_decision: str | None, problem_reason: str | None = None,
                          article: str | None = None) -> None:
    """Record the knowledge and problem-record decisions of the closure checklist.

    "knowledge updated" links ``article`` (a number), else the article written from
    this ticket's resolution, if any. A ticket the closure rule asks a problem record
    for (workaround, may recur, P1) closes without one only with ``problem_reason``,
    which only an incident manager may give (checked here, whatever the caller)."""
    if article is not None:
        knowledge = knowledge or "updated"
        if knowledge != "updated":
            raise InvalidValue("article", "an article is linked when knowledge was updated")
    if knowledge is not None:
        if knowledge not in ("updated", "not_needed"):
            raise InvalidValue("knowledge", "must be updated or not_needed")
        edit.set("knowledge", knowledge)
        linked = article_by_number(article) if article is not None \
            else article_made_from(edit.ticket.id) if knowledge == "updated" else None
        edit.set("article_id", linked.id if linked is not None else None)
    if problem_decision is not None:
        if problem_decision != "not_needed":
            raise InvalidValue("problem_decision",
                               "must be not_needed; link or raise a problem instead")
        edit.set("problem_decision", problem_decision)
    if problem_reason is not None:
        reason = required_text("problem_reason", problem_reason, TEXT_MAX)
        if edit.session.role not in MANAGERS:
            raise PermissionDenied(
                "problem_reason", "only an incident manager may close a workaround, "
                f"a P1, a major incident or a possible recurrence without a problem record "
                f"(you are "
                f"{edit.session.role.value}); link or raise a problem instead")
        edit.set("problem_decision", "not_needed")
        edit.set("problem_reason", reason)


def closure_facts(ticket: Ticket, session: Session) -> dict:
    """What the closure checklist rules look at."""
    return {
        "resolution_notes": ticket.resolution_notes,
        "resolution_code": ticket.resolution_code,
        "resolution_type": ticket.resolution_type,
        "confirmation": ticket.confirmation,
        "resolved_at": ticket.resolved_at,
        "priority": ticket.priority,
        "major": ticket.major,
        "may_recur": ticket.may_recur,
        "problem_id": ticket.problem_id,
        "problem_decision": ticket.problem_decision,
        "problem_reason": ticket.problem_reason,
        "knowledge": ticket.knowledge,
        "now": session.now(),
        "auto_close_grace": session.policy.auto_close_grace,
    }


@activity(Permission.REOPEN)
def reopen(session: Session, number: str, reason: str) -> tuple[Ticket, bool]:
    """Reopen: inside the reopen window the same ticket returns to In Progress; after it a
    new incident is logged and linked to the old one. Returns (ticket, same_ticket)."""
    reason = required_text("reason", reason, TEXT_MAX)
    ticket = ticket_by_number(number)
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise Refused("status", f"{ticket.number} is {ticket.status}; only resolved or "
                      "closed tickets can be reopened")
    if reopen_within_window(ticket.resolved_at, session.now(), session.policy.reopen_window):
        return _reopen_same(session, ticket, f"Reopened: {reason}"), True
    successor = derived_ticket(
        session, ticket, TicketType(ticket.type),
        description=f"Recurrence of {ticket.number} (past its reopen window): {reason}\n\n"
                    f"{ticket.description}")
    record_new_row(session, Link, {"ticket": successor.id, "kind": LinkKind.FOLLOWS.value,
                                   "target": ticket.id, "at": session.now(),
                                   "by": session.login})
    return successor, False


# The closure decisions a reopen clears: the next resolution is decided afresh.
REOPEN_CLEARS = ("problem_decision", "problem_reason", "knowledge", "article_id")


def _reopen_same(session: Session, ticket: Ticket, note: str) -> Ticket:
    edit = TicketEdit(session, ticket)
    move(edit, Status.IN_PROGRESS)
    edit.count("reopen_count")
    restart_clock(edit, session.policy, session.now())
    edit.set("resolved_at", None)
    edit.set("closed_at", None)
    edit.set("confirmation", None)
    for decision in REOPEN_CLEARS:  # decided for the earlier resolution, not the next
        edit.set(decision, None)
    edit.save()
    write_worklog(session, ticket, note)
    return ticket


@activity(Permission.CANCEL)
def cancel(session: Session, number: str, reason: str, note: str = "",
           duplicate_of: str | None = None) -> Ticket:
    """Cancel a mis-logged or duplicate ticket, with the reason."""
    why = parse_enum(CancelReason, "reason", reason)
    ticket = open_ticket(number)
    original = None
    if why == CancelReason.DUPLICATE:
        if not duplicate_of:
            raise InvalidValue("duplicate_of", "name the ticket this one duplicates")
        original = ticket_by_number(duplicate_of)
        if original.id == ticket.id:
            raise InvalidValue("duplicate_of", "a ticket cannot duplicate itself")
    edit = TicketEdit(session, ticket)
    move(edit, Status.CANCELLED)
    edit.set("cancel_reason", why.value)
    edit.set("hold_reason", None)
    stop_clock(edit, session.now())
    edit.save()
    if original is not None:
        record_new_row(session, Link, {"ticket": ticket.id, "kind": LinkKind.DUPLICATE_OF.value,
                                       "target": original.id, "at": session.now(),
                                       "by": session.login})
    if note.strip():
        write_worklog(session, ticket, f"Cancelled ({why.value}): {note.strip()}")
    return ticket
