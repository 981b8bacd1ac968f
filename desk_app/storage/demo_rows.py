"""Which rows the demo made, and taking demo tickets out again with everything that
hangs on them (every row of the ticket, links to it, search index, queued changes)."""

from collections.abc import Iterable

from desk_app.core.mail_in_ids import import_id
from desk_app.storage.database import database
from desk_app.storage.models import ALL_MODELS, Ticket

DEMO_TICKET = "ticket"
DEMO_TECHNICIAN = "technician"
_CHUNK = 500


def mark_demo(entity: str, row_ids: Iterable[str]) -> None:
    """Mark rows of ``entity`` as made by the demo."""
    database.cursor().executemany(
        "INSERT OR IGNORE INTO demo_row (entity, row_id) VALUES (?, ?)",
        ((entity, row_id) for row_id in row_ids))


def demo_ticket_count() -> int:
    """How many demo tickets the desk holds."""
    return database.execute_sql(
        "SELECT COUNT(*) FROM demo_row d JOIN ticket t ON t.id = d.row_id "
        "WHERE d.entity = ?", (DEMO_TICKET,)).fetchone()[0]


def demo_ticket_ids() -> list[str]:
    """The ids of the desk's demo tickets."""
    return [row[0] for row in database.execute_sql(
        "SELECT d.row_id FROM demo_row d JOIN ticket t ON t.id = d.row_id "
        "WHERE d.entity = ?", (DEMO_TICKET,))]


def real_tickets_pointing_at(ticket_ids: list[str]) -> list[tuple[str, str]]:
    """(id, column) of tickets that are not demo but name a demo ticket as their parent
    or problem (a technician linked real work to a demo ticket)."""
    found = []
    for chunk in _chunks(ticket_ids):
        marks = ", ".join("?" for _ in chunk)
        for column in ("parent_id", "problem_id"):
            found += [(row[0], column) for row in database.execute_sql(
                f"SELECT id FROM ticket WHERE {column} IN ({marks}) AND id NOT IN "
                f"(SELECT row_id FROM demo_row WHERE entity = ?)", (*chunk, DEMO_TICKET))]
    return found


def delete_demo_tickets(ticket_ids: list[str]) -> None:
    """Delete these tickets and every row that belongs to them (inside the caller's
    transaction)."""
    database.execute_sql("CREATE TEMP TABLE IF NOT EXISTS gone (id TEXT PRIMARY KEY)")
    database.execute_sql("DELETE FROM temp.gone")
    database.cursor().executemany("INSERT INTO temp.gone (id) VALUES (?)",
                                  ((i,) for i in ticket_ids))
    gone = "(SELECT id FROM temp.gone)"
    for statement in (
            f"DELETE FROM ticket_search WHERE rowid IN (SELECT rowid FROM ticket "
            f"WHERE id IN {gone})",
            *(f"DELETE FROM {table} WHERE ticket_id IN {gone}" for table in _ticket_rows()),
            f"DELETE FROM link WHERE target_id IN {gone}",
            f"DELETE FROM outbox WHERE row_id IN {gone}",
            f"DELETE FROM sync_stamp WHERE row_id IN {gone}",
            f"UPDATE ticket SET parent_id = NULL, problem_id = NULL WHERE id IN {gone}",
            f"DELETE FROM ticket WHERE id IN {gone}",
            f"DELETE FROM demo_row WHERE entity = '{DEMO_TICKET}' AND row_id IN {gone}"):
        database.execute_sql(statement)
    database.execute_sql("DELETE FROM temp.gone")


def delete_unused_demo_technicians(keep: str) -> int:
    """Delete the demo's technicians no remaining ticket is assigned to or managed by
    (never ``keep``, the acting technician); returns how many."""
    rows = database.execute_sql(
        "SELECT d.row_id FROM demo_row d WHERE d.entity = ? AND d.row_id != ? "
        "AND NOT EXISTS (SELECT 1 FROM ticket t WHERE t.assignee_id = d.row_id "
        "OR t.major_manager_id = d.row_id)",
        (DEMO_TECHNICIAN, keep)).fetchall()
    for (row_id,) in rows:
        for statement in ("DELETE FROM outbox WHERE entity = 'technician' AND row_id = ?",
                          "DELETE FROM sync_stamp WHERE entity = 'technician' AND row_id = ?",
                          "DELETE FROM technician WHERE id = ?",
                          "DELETE FROM demo_row WHERE entity = 'technician' AND row_id = ?"):
            database.execute_sql(statement, (row_id,))
    return len(rows)


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _ticket_rows() -> list[str]:
    """Every table whose rows belong to a ticket (history, worklog, notifications, mail,
    files...): a ticket's rows go with it."""
    return [model._meta.table_name for model in ALL_MODELS
            if model is not Ticket and "ticket_id" in {f.column_name for f in
                                                        model._meta.sorted_fields}]


def record_demo_mail_arrivals(ticket_ids: list[str]) -> int:
    """Record the new demo tickets logged from email as opened by a mail (so the
    "Needs triage (from mail)" queue has its share); returns how many."""
    arrivals = []
    for part in _chunks(ticket_ids):
        arrivals += database.execute_sql(
            f"SELECT id, contact, logged_at FROM ticket WHERE status = 'new' "
            f"AND channel = 'email' AND id IN ({', '.join('?' for _ in part)})",
            part).fetchall()
    rows = []
    for ticket_id, contact, logged_at in arrivals:
        message_id = f"<demo.{ticket_id}@example.com>"
        rows.append((import_id(message_id), ticket_id, message_id, contact or "", "*",
                     "new", logged_at))
    database.cursor().executemany(
        "INSERT OR IGNORE INTO mail_import (id, ticket_id, message_id, sender, mailbox, "
        "outcome, at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)
