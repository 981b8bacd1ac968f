"""Authors as the team database recorded them: the login that pushed each change (the
server takes it from the connection), for pulled rows and for our own pushed ones."""

import json

from desk_app.core.merge import Change
from desk_app.storage.authorship import (
    RESOLVED,
    record_first,
    record_latest,
    record_ticket_rows,
)
from desk_app.storage.database import database
from desk_app.sync.entities import entity
from desk_app.sync.outgoing import Pending


def record_pulled(changes: list[Change]) -> None:
    """Record the authors of applied pulled changes (inside the caller's transaction):
    new appended rows and tickets by the first change that brought them; a ticket's
    resolution by the change whose value won."""
    resolved_won = _resolutions_applied(changes)
    first: list[tuple[str, str, str]] = []
    latest: list[tuple[str, str, str]] = []
    for change in changes:
        if not change.author:
            continue
        if entity(change.entity).appended:
            first += [(change.entity, row["id"], change.author) for row in change.value]
        elif change.entity == "ticket" and change.field is None:
            first.append(("ticket", change.row_id, change.author))
        elif (change.row_id, change.hlc) in resolved_won:
            latest.append((RESOLVED, change.row_id, change.author))
    record_first(first)
    record_latest(latest)


def _resolutions_applied(changes: list[Change]) -> set[tuple[str, str]]:
    """(ticket id, clock) of the pulled resolutions that are now the ticket's."""
    ids = sorted({c.row_id for c in changes if (c.entity, c.field) == ("ticket", "resolved_by")})
    if not ids:
        return set()
    return set(database.execute_sql(
        "SELECT row_id, hlc FROM sync_stamp WHERE entity = 'ticket' "
        "AND field = 'resolved_by' AND row_id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),)).fetchall())


def record_pushed(entries: list[Pending], login: str) -> None:
    """``login`` pushed ``entries`` (inside the caller's transaction): it is their
    recorded author (rows recorded before keep theirs)."""
    first: list[tuple[str, str, str]] = []
    tickets: list[str] = []
    resolved: list[tuple[str, str, str]] = []
    for e in entries:
        if entity(e.entity).appended:
            first += [(e.entity, row_id, login) for row_id in json.loads(e.value)]
        elif e.entity == "ticket" and e.field is None:
            tickets.append(e.row_id)
        elif (e.entity, e.field) == ("ticket", "resolved_by"):
            resolved.append((RESOLVED, e.row_id, login))
    record_first(first)
    record_ticket_rows(tickets, login)
    record_latest(resolved)
