"""Who the team database recorded as a row's author (the login that pushed it), kept
next to the row's own claim so the desk shows the recorded one."""

import json
from collections.abc import Iterable

from desk_app.storage.database import database

RESOLVED = "ticket.resolved_by"  # the entity name a ticket's resolution is recorded under
CHILD_TABLES = ("history", "worklog", "checklist_tick", "link")


def record_first(authors: Iterable[tuple[str, str, str]]) -> None:
    """Record (entity, row id, login) unless the row has a recorded author already (the
    first change that brought a row is the one that counts)."""
    database.cursor().executemany(
        "INSERT OR IGNORE INTO recorded_author (entity, row_id, author) VALUES (?, ?, ?)",
        list(authors))


def record_latest(authors: Iterable[tuple[str, str, str]]) -> None:
    """Record (entity, row id, login), replacing what was recorded (a field's winner)."""
    database.cursor().executemany(
        "INSERT OR REPLACE INTO recorded_author (entity, row_id, author) VALUES (?, ?, ?)",
        list(authors))


def record_ticket_rows(ticket_ids: list[str], login: str) -> None:
    """``login`` pushed these new tickets with every row they had: record it for the
    tickets and those rows (rows recorded before keep their author)."""
    if not ticket_ids:
        return
    record_first(("ticket", t, login) for t in ticket_ids)
    ids = json.dumps(ticket_ids)
    for table in CHILD_TABLES:
        database.execute_sql(
            f"INSERT OR IGNORE INTO recorded_author (entity, row_id, author) "
            f"SELECT '{table}', id, ? FROM {table} "
            f"WHERE ticket_id IN (SELECT value FROM json_each(?))", (login, ids))


def ticket_authors(ticket_id: str) -> tuple[str | None, str | None]:
    """The recorded authors of a ticket's logging and of its resolution."""
    found = dict(database.execute_sql(
        "SELECT entity, author FROM recorded_author WHERE row_id = ? AND entity IN (?, ?)",
        (ticket_id, "ticket", RESOLVED)).fetchall())
    return found.get("ticket"), found.get(RESOLVED)


def recorded_authors(entity: str, row_ids: list[str]) -> dict[str, str]:
    """The recorded author of each of ``row_ids`` that has one."""
    if not row_ids:
        return {}
    marks = ", ".join("?" for _ in row_ids)
    return dict(database.execute_sql(
        f"SELECT row_id, author FROM recorded_author WHERE entity = ? AND row_id IN ({marks})",
        [entity, *row_ids]).fetchall())
