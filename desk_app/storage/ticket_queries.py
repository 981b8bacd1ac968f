"""Ticket lists for queues, the CLI and the desktop client: filtering and sorting in SQL,
keyset pagination, never every row."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, SQL, Column, Tuple

from desk_app.core.errors import InvalidValue
from desk_app.storage.database import database
from desk_app.storage.models import SupportGroup, Technician, Ticket
from desk_app.storage.search import fts_query

# Literal values, spelled as in the partial index ticket_open_by_due, so that SQLite can
# prove the index applies (it cannot with bound parameters).
OPEN_CONDITION = Ticket.status.in_(SQL("('new', 'assigned', 'in_progress', 'on_hold')"))
TICKET_ROWID = Column(Ticket._meta.table, "rowid")

SORT_COLUMNS = {
    "resolution_due": Ticket.resolution_due,
    "response_due": Ticket.response_due,
    "number": Ticket.number,
    "priority": Ticket.priority,
    "status": Ticket.status,
    "logged_at": Ticket.logged_at,
    "updated_at": Ticket.updated_at,
    "summary": Ticket.summary,
    "category": Ticket.category,
}

LIST_COLUMNS = (Ticket.id, Ticket.number, Ticket.type, Ticket.status, Ticket.priority,
                Ticket.major, Ticket.summary, Ticket.category, SupportGroup.name.alias("group"),
                Technician.login.alias("assignee"), Ticket.resolution_due,
                Ticket.sla_stopped_since, Ticket.hold_reason, Ticket.logged_at,
                Ticket.updated_at)


@dataclass
class TicketFilter:
    """What a queue or a search narrows the tickets to. Empty means no restriction."""

    open_only: bool = False
    statuses: Sequence[str] = ()
    priorities: Sequence[str] = ()
    types: Sequence[str] = ()
    category: str | None = None
    group: str | None = None
    assignee: str | None = None
    unassigned: bool = False
    major_only: bool = False
    search: str | None = None
    extra: list[Any] = field(default_factory=list)


def _where(flt: TicketFilter) -> list[Any]:
    conditions: list[Any] = list(flt.extra)
    if flt.open_only:
        conditions.append(OPEN_CONDITION)
    if flt.statuses:
        conditions.append(Ticket.status.in_(list(flt.statuses)))
    if flt.priorities:
        conditions.append(Ticket.priority.in_(list(flt.priorities)))
    if flt.types:
        conditions.append(Ticket.type.in_(list(flt.types)))
    if flt.category:
        conditions.append(Ticket.category == flt.category)
    if flt.group:
        conditions.append(SupportGroup.name == flt.group)
    if flt.assignee:
        conditions.append(Technician.login == flt.assignee)
    if flt.unassigned:
        conditions.append(Ticket.assignee.is_null())
    if flt.major_only:
        conditions.append(Ticket.major == True)  # noqa: E712 (SQL, not Python)
    if flt.search is not None:
        query = fts_query(flt.search)
        if query is None:
            raise InvalidValue("search", "nothing to search for")
        conditions.append(TICKET_ROWID.in_(SQL(
            "(SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?)", [query])))
    return conditions


def _base(columns: Sequence[Any], flt: TicketFilter):
    query = (Ticket.select(*columns)
             .join(SupportGroup, JOIN.LEFT_OUTER, on=(Ticket.group == SupportGroup.id))
             .switch(Ticket)
             .join(Technician, JOIN.LEFT_OUTER, on=(Ticket.assignee == Technician.id)))
    conditions = _where(flt)
    if conditions:
        query = query.where(*conditions)
    return query


def list_tickets(flt: TicketFilter, sort: str = "resolution_due", descending: bool = False,
                 limit: int = 50, after: tuple[Any, str] | None = None) -> list[dict]:
    """One page of tickets as dicts. ``after`` is the (sort value, id) of the last row
    of the previous page (keyset pagination: page N costs what page 1 costs)."""
    column = SORT_COLUMNS.get(sort)
    if column is None:
        raise InvalidValue("sort", f"cannot sort by {sort!r}; choose from "
                           + ", ".join(SORT_COLUMNS))
    if not 1 <= limit <= 10_000:
        raise InvalidValue("limit", "must be between 1 and 10000")
    query = _base(LIST_COLUMNS, flt)
    if after is not None:
        key = Tuple(column, Ticket.id)
        query = query.where(key < Tuple(*after) if descending else key > Tuple(*after))
    order = (column.desc(), Ticket.id.desc()) if descending else (column, Ticket.id)
    return list(query.order_by(*order).limit(limit).dicts())


def page_key(row: dict, sort: str) -> tuple[Any, str]:
    """The ``after`` value that continues a listing past ``row``."""
    value = row[sort]
    db_value = SORT_COLUMNS[sort].db_value(value)
    return db_value, row["id"]


def count_tickets(flt: TicketFilter) -> int:
    """How many tickets match (for queue counts)."""
    return _base([Ticket.id], flt).count()


def search_ranked(text: str, limit: int = 50) -> list[dict]:
    """Tickets matching ``text``, best match first (bm25 over the FTS index)."""
    query = fts_query(text)
    if query is None:
        raise InvalidValue("search", "nothing to search for")
    cursor = database.execute_sql(
        """SELECT t.id, t.number, t.type, t.status, t.priority, t.summary
           FROM ticket_search s JOIN ticket t ON t.rowid = s.rowid
           WHERE ticket_search MATCH ? ORDER BY s.rank LIMIT ?""", (query, limit))
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
