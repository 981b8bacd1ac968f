"""The desk's work queues and the rows a ticket table shows.

A queue is a named filter. A table asks for the rowids of its queue in list order
(8 bytes a ticket) and then for the rows it is about to draw, so a queue of a million
tickets costs a compact array, never a million rows.
"""

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from desk_app.core.enums import PRIORITIES, Status
from desk_app.core.errors import InvalidValue
from desk_app.core.satisfaction import Answer, answer_of
from desk_app.core.sla_clock import resolution_clock
from desk_app.services.lookup import tickets_by_number_text
from desk_app.services.session import Session, reads
from desk_app.storage.fields import to_millis
from desk_app.storage.ticket_queries import (
    SlaWatch,
    TicketFilter,
    count_tickets,
    ticket_matches,
    ticket_rowid,
    ticket_rowids,
    tickets_by_rowid,
)

__all__ = ["QUEUES", "Jump", "Listing", "Queue", "QueueRow", "TicketFilter", "first_page",
           "home_queue", "listing_count", "listing_rowid", "queue_counts", "queue_filter",
           "queue_rowids", "queue_rows", "search_listing", "view_counts"]


@dataclass(frozen=True)
class Queue:
    """A named work queue and the order it is shown in by default."""

    key: str
    title: str
    sort: str = "resolution_due"
    descending: bool = False


QUEUES: tuple[Queue, ...] = (
    Queue("my_day", "My day"),  # what needs me now, by time left (breached first)
    Queue("my_work", "My work"),
    Queue("my_group", "My group"),
    Queue("unassigned", "Unassigned"),
    Queue("all_open", "All open"),
    Queue("major", "Major incidents"),
    Queue("needs_triage", "Needs triage (from mail)", "logged_at"),
    Queue("breaching", "Breaching soon / breached"),
    Queue("on_hold", "On hold"),
    Queue("awaiting_confirmation", "Resolved, awaiting confirmation", "updated_at"),
    Queue("all", "All tickets", "updated_at", descending=True),
)
QUEUE_BY_KEY = {queue.key: queue for queue in QUEUES}


@reads
def queue_filter(session: Session, key: str) -> TicketFilter:
    """The filter of queue ``key`` for the acting technician, at this moment."""
    actor = session.actor
    match key:
        case "my_day":
            return TicketFilter(open_only=True,
                                mine_or_my_group_unassigned=(actor.id, actor.group_id))
        case "my_work":
            return TicketFilter(open_only=True, assignee=actor.login)
        case "my_group":
            if not actor.group_id:  # no group: an empty queue, not every ticket
                return TicketFilter(open_only=True, nothing=True)
            return TicketFilter(open_only=True, group=actor.group.name)
        case "unassigned":
            return TicketFilter(open_only=True, unassigned=True)
        case "all_open":
            return TicketFilter(open_only=True)
        case "major":
            return TicketFilter(open_only=True, major_only=True)
        case "breaching":
            policy, now = session.policy, session.now()
            return TicketFilter(open_only=True, breaching=SlaWatch(to_millis(now), {
                p: to_millis(policy.sla.warning_horizon(p, now)) for p in PRIORITIES}))
        case "needs_triage":
            return TicketFilter(open_only=True, needs_triage=True)
        case "on_hold":
            return TicketFilter(statuses=(Status.ON_HOLD.value,))
        case "awaiting_confirmation":
            return TicketFilter(statuses=(Status.RESOLVED.value,))
        case "all":
            return TicketFilter()
    raise InvalidValue("queue", f"unknown queue {key!r}; queues: "
                       + ", ".join(q.key for q in QUEUES))


@reads
def queue_counts(session: Session) -> dict[str, int]:
    """How many tickets each queue holds."""
    return {queue.key: count_tickets(queue_filter(session, queue.key)) for queue in QUEUES}


def narrowed(base: TicketFilter, narrowing: TicketFilter) -> TicketFilter:
    """``base`` (a queue) further narrowed by what a filter bar sets; a narrowing that
    contradicts the queue (On hold narrowed to closed, My work to someone else) matches
    nothing."""
    changes: dict[str, Any] = {}
    nothing = base.nothing
    for name in ("statuses", "priorities", "types"):
        wanted, present = getattr(narrowing, name), getattr(base, name)
        if wanted:
            kept = tuple(v for v in wanted if not present or v in present)
            nothing = nothing or not kept
            changes[name] = kept or present
    if narrowing.satisfaction is not None:
        changes["satisfaction"] = narrowing.satisfaction
    for name in ("category", "group", "assignee", "search"):
        value, present = getattr(narrowing, name), getattr(base, name)
        if value:
            nothing = nothing or bool(present and present != value and name != "search")
            changes[name] = value
    return replace(base, nothing=nothing, **changes)


@dataclass(frozen=True)
class Jump:
    """A search that named a ticket by its number: the tickets it names, and the queue
    the first of them is in (the one searched from when it is there)."""

    ticket_id: str
    number: str
    queue: str
    status: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Listing:
    """What a table shows for a queue, a search and a filter bar: the filter, the queue
    it covers (``all`` for a search everywhere) and, for a number, the jump."""

    filter: TicketFilter
    scope: str
    jump: Jump | None = None


@reads
def home_queue(session: Session, ticket_id: str, preferred: str | None = None) -> str:
    """The queue a ticket is in: ``preferred`` when it holds it, else the first queue
    of the list that does (All tickets holds every ticket)."""
    keys = [q.key for q in QUEUES]
    if preferred in keys:
        keys.remove(preferred)
        keys.insert(0, preferred)
    for key in keys:
        if key == "all" or ticket_matches(queue_filter(session, key), ticket_id):
            return key
    return "all"


@reads
def search_listing(session: Session, key: str, narrowing: TicketFilter,
                   everywhere: bool = True) -> Listing:
    """The listing of queue ``key`` narrowed by a filter bar. A search text covers every
    ticket when ``everywhere`` (else the queue); a search text that is a ticket number
    (``2697``, ``INC-2697``, an imported label) lists the tickets it names, wherever
    they are, and says which queue holds the first."""
    if narrowing.search:
        named = tickets_by_number_text(session, narrowing.search)
        if named:
            first = named[0]
            ids = tuple(t.id for t in named)
            return Listing(TicketFilter(ids=ids), "all", Jump(
                first.id, first.number, home_queue(session, first.id, key), first.status, ids))
    scope = "all" if narrowing.search and everywhere else key
    return Listing(narrowed(queue_filter(session, scope), narrowing), scope)


@reads
def view_counts(session: Session,
                views: Mapping[str, tuple[str, TicketFilter, bool]]) -> dict[str, int]:
    """How many tickets each saved view (name -> queue, narrowing, everywhere) lists."""
    return {name: count_tickets(search_listing(session, key, narrowing, everywhere).filter)
            for name, (key, narrowing, everywhere) in views.items()}


@reads
def first_page(session: Session, flt: TicketFilter, sort: str, descending: bool,
               limit: int = 100) -> list["QueueRow"]:
    """The first ``limit`` rows of a listing, before (and without) listing every id."""
    rowids = ticket_rowids(flt, sort, descending, limit=limit)
    rows = queue_rows(session, rowids)
    return [rows[rowid] for rowid in rowids if rowid in rows]


def listing_rowid(session: Session, ticket_id: str) -> int | None:
    """The rowid a listing holds ticket ``ticket_id`` by (None when it does not exist)."""
    del session
    return ticket_rowid(ticket_id)


def listing_count(session: Session, flt: TicketFilter) -> int:
    """How many tickets a listing holds."""
    del session
    return count_tickets(flt)


def queue_rowids(session: Session, flt: TicketFilter, sort: str,
                 descending: bool) -> array:
    """Every matching ticket's rowid, in list order."""
    del session
    return ticket_rowids(flt, sort, descending)


@reads
def queue_rows(session: Session, rowids: Sequence[int]) -> dict[int, "QueueRow"]:
    """The table rows of the given tickets, with their SLA state now."""
    return {rowid: queue_row(session, row) for rowid, row in tickets_by_rowid(rowids).items()}


@dataclass(frozen=True)
class QueueRow:
    """One line of a ticket table, ready to draw."""

    rowid: int
    id: str
    number: str
    type: str
    status: str
    hold_reason: str | None
    priority: str
    major: bool
    summary: str
    category: str | None
    subcategory: str | None
    group: str | None
    assignee: str | None
    assignee_name: str | None
    updated_at: datetime | None
    resolution_due: datetime | None
    time_left: timedelta | None  # to the resolution target; negative when overdue
    sla: str  # "running", "warning", "breached", "paused", "met", "missed"
    breached: bool = False  # the resolution target (also while paused or finished)
    satisfaction: Answer | None = None  # the user's answer, when there is one


def queue_row(session: Session, row: dict) -> QueueRow:
    """A stored list row as a table row, with its resolution clock evaluated now."""
    policy, now = session.policy, session.now()
    state = "running"
    time_left = None
    breached = False
    if row["priority"] in policy.sla.targets and row["logged_at"] is not None:
        clock = resolution_clock(
            policy.sla, priority=row["priority"], logged_at=row["logged_at"],
            due=row["resolution_due"], resolved_at=row["resolved_at"],
            stopped_since=row["sla_stopped_since"],
            on_hold=row["status"] == Status.ON_HOLD, now=now)
        breached = clock.breached
        if row["status"] in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED):
            state = "missed" if breached else "met"
        elif clock.paused:
            state = "paused"
        else:
            state = "breached" if breached else "warning" if clock.warning else "running"
            time_left = clock.due - now
    return QueueRow(
        rowid=row["rowid"], id=row["id"], number=row["number"], type=row["type"],
        status=row["status"], hold_reason=row["hold_reason"], priority=row["priority"],
        major=row["major"], summary=row["summary"], category=row["category"],
        subcategory=row["subcategory"], group=row["group"], assignee=row["assignee"],
        assignee_name=row["assignee_name"],
        updated_at=row["updated_at"], resolution_due=row["resolution_due"],
        time_left=time_left, sla=state, breached=breached,
        satisfaction=answer_of(row["satisfaction_score"], row.get("satisfaction_comment"),
                               row.get("satisfaction_at"), row.get("satisfaction_source")))
