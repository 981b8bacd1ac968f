"""The next SLA deadline among the open tickets assigned to a technician or waiting
unassigned in their group (the status bar's countdown of "My day")."""

from desk_app.storage.database import database
from desk_app.storage.ticket_queries import OPEN_SQL

_MINE = "(t.assignee_id = ? OR (t.assignee_id IS NULL AND t.group_id = ?))"


def next_due(technician_id: str, group_id: str | None, now: int
             ) -> tuple[str, str, str, int] | None:
    """(ticket id, number, "response" or "resolution", due epoch millis) of the soonest
    target still ahead of ``now`` whose clock runs, or None."""
    found = []
    for clock, extra in (("response", "t.responded_at IS NULL"),
                         ("resolution", "t.sla_stopped_since IS NULL")):
        row = database.execute_sql(
            f"SELECT t.id, t.number, t.{clock}_due FROM ticket t WHERE {OPEN_SQL} "
            f"AND {_MINE} AND {extra} AND t.{clock}_due > ? "
            f"ORDER BY t.{clock}_due LIMIT 1", (technician_id, group_id, now)).fetchone()
        if row is not None:
            found.append((row[0], row[1], clock, row[2]))
    return min(found, key=lambda f: f[3]) if found else None
