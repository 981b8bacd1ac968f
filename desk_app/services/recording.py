"""Writes a change the way the data rules demand: the row, one history row per
changed field, and the sync outbox rows, all in the running activity's transaction."""

import logging
from datetime import datetime
from enum import Enum
from typing import Any

from peewee import Model

from desk_app.core.field_units import DERIVED, unit_of
from desk_app.core.ids import uuid7
from desk_app.core.merge import entry_id
from desk_app.services.session import Session
from desk_app.storage.derived import recount
from desk_app.storage.fields import to_millis
from desk_app.storage.models import History, Technician, Ticket
from desk_app.storage.outbox import NEW, outbox_entry, queue
from desk_app.storage.rows import insert_row, insert_rows, rows_where_in

log = logging.getLogger(__name__)

# Fields kept off the history: bookkeeping, not facts about the incident.
UNTRACKED = frozenset({"updated_at", "sla_stopped_ms", "sla_stopped_since"})


def history_text(value: Any) -> str | None:
    """How a value reads in the history: logins and group names, ISO times."""
    if value is None:
        return None
    if isinstance(value, Technician):
        return value.login
    if isinstance(value, Model):
        return getattr(value, "name", None) or getattr(value, "number", None) or value.id
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _stored(value: Any) -> Any:
    if isinstance(value, Model):
        return value.get_id()
    if isinstance(value, datetime):
        return to_millis(value)
    if isinstance(value, Enum):
        return value.value
    return value


def queue_change(session: Session, entity: str, row_id: str, field: str | None,
                 value: Any) -> None:
    """Queue a new row (``field`` None) or a changed field of a people, group or
    policy row for sync."""
    queue([outbox_entry(session.hlc, entity, row_id, field, NEW if field is None else value)])


def queue_appended(session: Session, model: type[Model], ticket_id: str,
                   row_ids: list[str]) -> None:
    """Queue appended rows of one ticket (history, worklog...) for sync: one outbox
    entry naming them all."""
    if row_ids:
        queue([outbox_entry(session.hlc, model._meta.table_name, ticket_id, None, row_ids)])


def record_new_row(session: Session, model: type[Model], values: dict[str, Any]) -> Model:
    """Insert an append-only row of a ticket (worklog, link, tick...) and queue it for
    sync. A row whose given id is here already (a rule's entry another desk made) is
    left as it is."""
    row = model(**values)
    if values.get("id") and model.get_or_none(model._meta.primary_key == values["id"]):
        return row
    insert_row(model, row.__data__)
    queue_appended(session, model, row.__data__["ticket"], [row.get_id()])
    return row


def record_new_ticket(session: Session, values: dict[str, Any]) -> Ticket:
    """Insert a ticket with one history row per field it starts with (a new ticket is
    pushed with every row it has by then, so only the ticket is queued)."""
    ticket = Ticket(**values)
    insert_row(Ticket, ticket.__data__)
    at = session.now()
    insert_rows(History, [
        {"id": uuid7(), "ticket": ticket.id, "at": at, "by": session.login, "field": name,
         "old": None, "new": history_text(value)}
        for name, value in values.items()
        if name not in UNTRACKED and name != "id" and value not in (None, "", False, 0)
    ])
    queue([outbox_entry(session.hlc, "ticket", ticket.id)])
    log.info("%s logged by %s (%s, %s)", ticket.number, session.login,
             history_text(ticket.type), history_text(ticket.priority))
    return ticket


class TicketEdit:
    """Collects field changes of one ticket and writes them with :meth:`save`.

    ``rule`` names a time-driven rule and its threshold (housekeeping: a breach, a
    management level, the auto-close of one resolution): its history rows then get ids
    every desk running the rule makes alike, so they merge into one. ``at`` is when a
    rule's change happened (a breach at its due time), if not now.
    """

    def __init__(self, session: Session, ticket: Ticket, rule: str | None = None,
                 at: datetime | None = None) -> None:
        self.session = session
        self.ticket = ticket
        self.rule = rule
        self.at = at
        self.changes: dict[str, tuple[Any, Any]] = {}

    def set(self, field: str, value: Any) -> None:
        """Change ``field`` to ``value`` (no-op when it already has that value)."""
        old = getattr(self.ticket, field)
        if _stored(old) == _stored(value):
            return
        first_old = self.changes[field][0] if field in self.changes else old
        self.changes[field] = (first_old, value)
        setattr(self.ticket, field, value)

    def count(self, field: str) -> None:
        """Record one step of a counter (its value is derived from these steps)."""
        self.set(field, getattr(self.ticket, field) + 1)

    def save(self) -> Ticket:
        """Write the ticket, its history and its outbox rows."""
        if not self.changes:
            return self.ticket
        session, ticket = self.session, self.ticket
        at = session.now()
        ticket.updated_at = at
        columns = {Ticket._meta.fields[name]: _stored(new)
                   for name, (_, new) in self.changes.items()}
        columns[Ticket.updated_at] = to_millis(at)
        Ticket.update(columns).where(Ticket.id == ticket.id).execute()
        history = [
            {"id": self._history_id(name), "ticket": ticket.id, "at": self.at or at,
             "by": session.login, "field": name, "old": history_text(old),
             "new": history_text(new)}
            for name, (old, new) in self.changes.items() if name not in UNTRACKED
        ]
        if self.rule is not None:  # another desk's run of the rule may be here already
            here = {row["id"] for row in rows_where_in("history", "id",
                                                       [row["id"] for row in history])}
            history = [row for row in history if row["id"] not in here]
        insert_rows(History, history)
        queue_appended(session, History, ticket.id, [row["id"] for row in history])
        stamp = session.hlc.tick().encode()  # a unit's fields must win or lose together
        queue(outbox_entry(session.hlc, "ticket", ticket.id, column, value, hlc=stamp)
              for column, value in self._outgoing().items())
        if DERIVED & {Ticket._meta.fields[name].column_name for name in self.changes}:
            recount([ticket.id])
            derived = Ticket.select(*(Ticket._meta.columns[c] for c in sorted(DERIVED))) \
                .where(Ticket.id == ticket.id).dicts().get()
            for name, value in derived.items():
                setattr(ticket, name, value)
        log.info("%s changed by %s: %s", ticket.number, session.login, _field_names(self.changes))
        self.changes = {}
        return ticket

    def _history_id(self, field: str) -> str:
        return uuid7() if self.rule is None else entry_id(self.ticket.id, self.rule, field)

    def _outgoing(self) -> dict[str, Any]:
        """Column -> value of every field to send: each changed column with every
        column of its unit, never a derived column, and the update time."""
        data = self.ticket.__data__
        outgoing: dict[str, Any] = {}
        for name in self.changes:
            for column in unit_of(Ticket._meta.fields[name].column_name):
                if column not in DERIVED:
                    outgoing[column] = _stored(data.get(Ticket._meta.columns[column].name))
        outgoing["updated_at"] = _stored(self.ticket.updated_at)
        return outgoing


def _field_names(changes: dict[str, tuple[Any, Any]]) -> str:
    """Which fields changed (values only for the status: what tickets say stays out of
    the log)."""
    return ", ".join(f"status {history_text(old)} -> {history_text(new)}" if name == "status"
                     else name for name, (old, new) in changes.items())


def record_event(session: Session, ticket: Ticket, field: str, old: Any, new: Any,
                 row_id: str | None = None, at: datetime | None = None) -> None:
    """A history row for something that is not a ticket column (a checklist tick, the
    reason of a priority change...). A rule's row passes its ``row_id`` (the same on
    every desk; kept once) and when it happened (``at``)."""
    if row_id is not None and History.get_or_none(History.id == row_id) is not None:
        return
    row_id = row_id or uuid7()
    insert_row(History, {"id": row_id, "ticket": ticket.id, "at": at or session.now(),
                         "by": session.login, "field": field, "old": history_text(old),
                         "new": history_text(new)})
    queue_appended(session, History, ticket.id, [row_id])
