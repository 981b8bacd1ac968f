"""The post-incident review of a major incident: write its sections, complete it, track
its corrective actions, link its problem record, and read it with its factual timeline.

Each change writes the review or action row, a history row on the ticket (the review's
record) and the sync outbox rows in one activity. The review row's id derives from the
ticket's, so two desks that start the same review make one row; its fields merge one by
one (two technicians writing different sections both keep theirs)."""

import logging
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.enums import TicketType
from desk_app.core.errors import InvalidValue, NotFound, Refused
from desk_app.core.ids import natural_id, uuid7
from desk_app.core.labels import with_article
from desk_app.core.major_review import (
    SECTION_KEYS,
    SECTIONS,
    ActionStatus,
    HistoryFact,
    ReviewStatus,
    action_order,
    check_complete,
    check_editable,
    checked_action_text,
    checked_due,
    checked_sections,
    is_overdue,
    timeline,
)
from desk_app.core.permissions import Permission
from desk_app.services import links
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import queue_change, record_event
from desk_app.services.review_gate import review_required
from desk_app.services.session import Session, activity, reads
from desk_app.services.ticket_view import iso
from desk_app.storage.fields import to_millis
from desk_app.storage.models import CorrectiveAction, History, MajorReview, Technician, Ticket
from desk_app.storage.rows import insert_row

log = logging.getLogger(__name__)

REVIEW = MajorReview._meta.table_name
ACTION = CorrectiveAction._meta.table_name
_TIMELINE_FIELDS = ("major", "major_update", "resolution_type", "status")
ACTION_REF_LENGTH = 6  # an action is named by the end of its id (``a1b2c3``)


def review_id(ticket_id: str) -> str:
    """The review's id: the same on every desk for one ticket."""
    return natural_id("major_review", ticket_id)


def action_ref(action_id: str) -> str:
    """The short name of an action shown to people (the end of its id)."""
    return action_id.replace("-", "")[-ACTION_REF_LENGTH:]


def major_ticket(number: str) -> Ticket:
    """The major incident ``number`` names, or refuse naming why it has no review. A
    ticket stood down after its review was started keeps its review."""
    ticket = ticket_by_number(number)
    if ticket.type != TicketType.INCIDENT:
        raise Refused("number", f"{ticket.number} is {with_article(ticket.type)}; only "
                                "major incidents have a post-incident review")
    if not ticket.major and _review_row(ticket.id) is None:
        raise Refused("major", f"{ticket.number} is not a major incident")
    return ticket


def _review_row(ticket_id: str) -> MajorReview | None:
    return MajorReview.get_or_none(MajorReview.id == review_id(ticket_id))


def _today(session: Session) -> date:
    return session.now().astimezone(ZoneInfo(session.policy.time_zone)).date()


def _started(session: Session, ticket: Ticket) -> MajorReview:
    """The ticket's review, made now (as a draft) when it has none yet."""
    row = _review_row(ticket.id)
    if row is not None:
        return row
    row_id = review_id(ticket.id)
    insert_row(MajorReview, {"id": row_id, "ticket_id": ticket.id})
    queue_change(session, REVIEW, row_id, None, None)
    record_event(session, ticket, "review", None, ReviewStatus.DRAFT.value)
    return MajorReview.get_by_id(row_id)


def _set(session: Session, model: type, row_id: str, values: dict[str, Any]) -> None:
    """Write changed fields of one row and queue each on its own (so two desks' edits
    of different fields both survive)."""
    model.update({model._meta.columns[column]: value for column, value in values.items()}) \
        .where(model._meta.primary_key == row_id).execute()
    for column, value in values.items():
        queue_change(session, model._meta.table_name, row_id, column, value)


# --- the review ----------------------------------------------------------------------

@activity(Permission.WORKLOG)
def edit_review(session: Session, number: str, **sections: str | None) -> MajorReview:
    """Write sections of the review (detection, communication, team, resources,
    process, reporting); starts the review when it has none. Refused once complete."""
    ticket = major_ticket(number)
    texts = checked_sections(sections)
    row = _started(session, ticket)
    check_editable(row.status)
    changed = {name: text for name, text in texts.items() if getattr(row, name) != text}
    if changed:
        _set(session, MajorReview, row.id, changed)
        for name, text in changed.items():
            record_event(session, ticket, f"review_{name}", getattr(row, name) or None, text)
        log.info("%s review changed by %s: %s", ticket.number, session.login,
                 ", ".join(changed))
    return MajorReview.get_by_id(row.id)


@activity(Permission.DECLARE_MAJOR)
def complete_review(session: Session, number: str, **sections: str | None) -> MajorReview:
    """Mark the review complete (incident managers); refused, naming the empty
    sections, while any is empty. ``sections`` (a form's last typing) are written
    first, in the same transaction: a refusal keeps none of it."""
    ticket = major_ticket(number)
    if sections:
        edit_review(session, number, **sections)
    row = _review_row(ticket.id)
    texts = {key: getattr(row, key) for key in SECTION_KEYS} if row is not None else {}
    if row is not None and row.status == ReviewStatus.COMPLETE:
        raise Refused("review", f"the review of {ticket.number} is already complete")
    check_complete(texts)
    _set(session, MajorReview, row.id, {"status": ReviewStatus.COMPLETE.value,
                                        "completed_at": to_millis(session.now()),
                                        "completed_by": session.login})
    record_event(session, ticket, "review", ReviewStatus.DRAFT.value,
                 ReviewStatus.COMPLETE.value)
    log.info("%s review completed by %s", ticket.number, session.login)
    return MajorReview.get_by_id(row.id)


@activity(Permission.LINK)
def link_review_problem(session: Session, number: str, problem_number: str | None = None,
                        create: bool = False) -> Ticket:
    """Link the review's problem record (the incident's own link): an existing problem
    by its number, or a new one raised from the incident (``create``). Returns the
    problem record."""
    ticket = major_ticket(number)
    if (problem_number is None) == (not create):
        raise InvalidValue("problem", "give a problem number or ask to create one")
    if create:
        return links.raise_problem(session, ticket.number)
    links.link_problem(session, ticket.number, problem_number)
    return ticket_by_number(problem_number)


@activity(Permission.WORKLOG)
def write_review(session: Session, number: str, sections: dict[str, str | None],
                 problem_number: str | None = None,
                 create_problem: bool = False) -> MajorReview | None:
    """Write sections and link the problem record (an existing one, or a new one with
    ``create_problem``) in one step: a refusal of either keeps none of it. Returns the
    review (None when only a problem was linked to a review not started)."""
    if sections:
        edit_review(session, number, **sections)
    if problem_number is not None or create_problem:
        link_review_problem(session, number, problem_number, create=create_problem)
    return _review_row(major_ticket(number).id)


# --- corrective actions --------------------------------------------------------------

def _owner(login: str | None) -> str:
    login = (login or "").strip()
    if not login:
        raise InvalidValue("owner", "name the technician who owns the action")
    person = Technician.get_or_none(Technician.login == login)
    if person is None:
        raise NotFound("owner", f"no technician {login!r}")
    if not person.active:
        raise InvalidValue("owner", f"technician {login} is deactivated")
    return person.login


def action_by_ref(ticket: Ticket, ref: str) -> CorrectiveAction:
    """The action of the ticket's review whose id ends with ``ref`` (at least 4
    characters, or the whole id); refused naming ``action`` when none or several do."""
    text = (ref or "").strip().lower().replace("-", "")
    if len(text) < 4:
        raise InvalidValue("action", "give the action's reference (at least 4 characters)")
    found = [action for action in CorrectiveAction.select()
             .where(CorrectiveAction.ticket_id == ticket.id)
             if action.id.replace("-", "").endswith(text)]
    if not found:
        raise NotFound("action", f"no corrective action {ref!r} on {ticket.number}")
    if len(found) > 1:
        raise InvalidValue("action", f"{ref!r} names several actions; give more of it")
    return found[0]


@activity(Permission.WORKLOG)
def add_action(session: Session, number: str, text: str, owner: str,
               due: str | date) -> CorrectiveAction:
    """Add a corrective action (what, whose, due by; the date is today or later)."""
    ticket = major_ticket(number)
    text, owner_login = checked_action_text(text), _owner(owner)
    due_date = checked_due(due, _today(session))
    review = _started(session, ticket)
    action_id = uuid7()
    insert_row(CorrectiveAction, {
        "id": action_id, "review_id": review.id, "ticket_id": ticket.id, "text": text,
        "owner": owner_login, "due": due_date.isoformat(), "status": ActionStatus.OPEN.value,
        "done_at": None, "done_by": None, "created_at": session.now(),
        "created_by": session.login})
    queue_change(session, ACTION, action_id, None, None)
    record_event(session, ticket, "corrective_action", None,
                 f"{action_ref(action_id)}: {text} ({owner_login}, due {due_date.isoformat()})")
    return CorrectiveAction.get_by_id(action_id)


@activity(Permission.WORKLOG)
def edit_action(session: Session, number: str, ref: str, text: str | None = None,
                owner: str | None = None, due: str | date | None = None) -> CorrectiveAction:
    """Change an open action's text, owner or due date (a new date is today or later)."""
    ticket = major_ticket(number)
    action = action_by_ref(ticket, ref)
    if action.status == ActionStatus.DONE:
        raise Refused("action", f"action {action_ref(action.id)} is done; it no longer changes")
    wanted: dict[str, Any] = {}
    if text is not None:
        wanted["text"] = checked_action_text(text)
    if owner is not None:
        wanted["owner"] = _owner(owner)
    if due is not None:
        wanted["due"] = checked_due(due, _today(session)).isoformat()
    changed = {k: v for k, v in wanted.items() if getattr(action, k) != v}
    if changed:
        _set(session, CorrectiveAction, action.id, changed)
        record_event(session, ticket, "corrective_action", None,
                     f"{action_ref(action.id)} changed: "
                     + ", ".join(f"{k} {v}" for k, v in changed.items()))
    return CorrectiveAction.get_by_id(action.id)


@activity(Permission.WORKLOG)
def mark_action_done(session: Session, number: str, ref: str) -> CorrectiveAction:
    """Record that an action is done (now, by the acting technician)."""
    ticket = major_ticket(number)
    action = action_by_ref(ticket, ref)
    if action.status == ActionStatus.DONE:
        raise Refused("action", f"action {action_ref(action.id)} is already done")
    _set(session, CorrectiveAction, action.id, {"status": ActionStatus.DONE.value,
                                                "done_at": to_millis(session.now()),
                                                "done_by": session.login})
    record_event(session, ticket, "corrective_action", None,
                 f"{action_ref(action.id)} done")
    return CorrectiveAction.get_by_id(action.id)


# --- reading it ----------------------------------------------------------------------

def _timeline(ticket: Ticket, zone: ZoneInfo) -> list[dict[str, Any]]:
    facts = [HistoryFact(at, field, new) for at, field, new in
             History.select(History.at, History.field, History.new)
             .where((History.ticket == ticket.id) & History.field.in_(_TIMELINE_FIELDS))
             .tuples()]
    return [{"key": point.key, "label": point.label, "at": iso(point.at, zone)}
            for point in timeline(ticket.detected_at, ticket.logged_at, ticket.resolved_at,
                                  facts)]


def _actions(ticket: Ticket, zone: ZoneInfo, today: date) -> list[dict[str, Any]]:
    rows = list(CorrectiveAction.select().where(CorrectiveAction.ticket_id == ticket.id))
    rows.sort(key=lambda a: (*action_order(a.status, a.due, today), a.created_at, a.id))
    return [{"id": a.id, "ref": action_ref(a.id), "text": a.text, "owner": a.owner,
             "due": a.due, "status": a.status, "overdue": is_overdue(a.status, a.due, today),
             "done_at": iso(a.done_at, zone), "done_by": a.done_by} for a in rows]


@reads
def review_view(session: Session, number: str) -> dict[str, Any]:
    """The review as the CLI and the form show it: the ticket, the sections (empty
    ones as ""), status, who completed it, the problem record, the factual timeline
    and the corrective actions (overdue first)."""
    ticket = major_ticket(number)
    zone = ZoneInfo(session.policy.time_zone)
    row = _review_row(ticket.id)
    problem = ticket.problem.number if ticket.problem_id else ticket.problem_ref
    return {
        "number": ticket.number, "summary": ticket.summary, "priority": ticket.priority,
        "ticket_status": ticket.status, "major": bool(ticket.major),
        "status": row.status if row else ReviewStatus.DRAFT.value,
        "started": row is not None,
        "sections": {s.key: (getattr(row, s.key) if row else "") for s in SECTIONS},
        "completed_at": iso(row.completed_at, zone) if row else None,
        "completed_by": row.completed_by if row else None,
        "problem": problem,
        "timeline": _timeline(ticket, zone),
        "actions": _actions(ticket, zone, _today(session)),
        "required": review_required(session.policy.sections),
    }

