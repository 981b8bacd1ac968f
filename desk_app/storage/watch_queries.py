"""The watcher's reads: only tickets whose clocks may have something due, found through
the partial due-time indexes (open tickets by resolution due time, running response
clocks by response due time, resolved tickets awaiting the user by resolution time).
A closed ticket is never read.

Times are epoch milliseconds. Each clock's query narrows by one horizon per priority:
a ticket due later than its priority's horizon has nothing due yet.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from desk_app.storage.database import database

OPEN_SQL = "status IN ('new', 'assigned', 'in_progress', 'on_hold')"
FACT_COLUMNS = ("id", "number", "priority", "status", "support_level", "hierarchic_level",
                "logged_at", "response_due", "resolution_due", "responded_at",
                "resolved_at", "sla_stopped_since", "response_breached",
                "resolution_breached")
_SELECT = f"SELECT {', '.join(FACT_COLUMNS)} FROM ticket"


def _by_priority(column: str, horizons: Mapping[str, int]) -> tuple[str, list[Any]]:
    """``column`` at or before its priority's horizon (one range of the index, up to the
    latest horizon, then the per-priority test on the rows in it)."""
    params: list[Any] = [max(horizons.values())]
    cases = []
    for priority, millis in sorted(horizons.items()):
        cases.append("WHEN ? THEN ?")
        params += [priority, millis]
    return (f"{column} <= ? AND {column} <= CASE priority {' '.join(cases)} ELSE -1 END",
            params)


def _rows(sql: str, params: Sequence[Any]) -> list[dict]:
    cursor = database.execute_sql(sql, list(params))
    return [dict(zip(FACT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def resolution_candidates(horizons: Mapping[str, int], levels: int) -> list[dict]:
    """Open tickets due by their priority's horizon whose resolution rules are not all
    done (the breach recorded and every management level reached)."""
    if not horizons:
        return []
    narrow, params = _by_priority("resolution_due", horizons)
    return _rows(f"{_SELECT} INDEXED BY ticket_open_by_due WHERE {OPEN_SQL} AND {narrow} "
                 "AND NOT (resolution_breached = 1 AND hierarchic_level >= ?)",
                 [*params, levels])


def response_candidates(horizons: Mapping[str, int],
                        functional_priorities: Sequence[str]) -> list[dict]:
    """Open tickets nobody responded to, due by their priority's horizon, whose
    response rules are not all done (breach recorded, and no functional rule left)."""
    if not horizons:
        return []
    narrow, params = _by_priority("response_due", horizons)
    marks = ", ".join("?" for _ in functional_priorities) or "NULL"
    return _rows(f"{_SELECT} INDEXED BY ticket_open_by_response_due WHERE {OPEN_SQL} "
                 f"AND responded_at IS NULL AND {narrow} AND (response_breached = 0 OR "
                 "(support_level = 'L1' AND status IN ('new', 'assigned') "
                 f"AND priority IN ({marks})))", [*params, *functional_priorities])


def first_beyond(clock: str, priority: str, horizon: int) -> dict | None:
    """The running ``clock`` ("response" or "resolution") of ``priority`` due soonest
    after ``horizon``: where the next rule of that priority will come due."""
    if clock == "response":
        source, running = "ticket_open_by_response_due", "responded_at IS NULL"
    else:
        source, running = "ticket_open_by_due", "sla_stopped_since IS NULL"
    rows = _rows(f"{_SELECT} INDEXED BY {source} WHERE {OPEN_SQL} AND {running} "
                 f"AND {clock}_due > ? AND priority = ? ORDER BY {clock}_due LIMIT 1",
                 [horizon, priority])
    return rows[0] if rows else None


def awaiting_closure(grace_ended: int) -> list[tuple[str, int]]:
    """(id, resolved_at) of resolved tickets without the user's answer, resolved at or
    before ``grace_ended``."""
    return database.execute_sql(
        "SELECT id, resolved_at FROM ticket INDEXED BY ticket_awaiting_confirmation "
        "WHERE status = 'resolved' AND confirmation IS NULL AND resolved_at <= ? "
        "ORDER BY resolved_at", (grace_ended,)).fetchall()


def next_awaiting_closure(grace_ended: int) -> int | None:
    """The earliest resolution time after ``grace_ended`` of a ticket awaiting the
    user (its grace ends next)."""
    row = database.execute_sql(
        "SELECT MIN(resolved_at) FROM ticket INDEXED BY ticket_awaiting_confirmation "
        "WHERE status = 'resolved' AND confirmation IS NULL AND resolved_at > ?",
        (grace_ended,)).fetchone()
    return row[0] if row else None


def existing_ids(table: str, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` are rows of ``table`` already (history, notification)."""
    if table not in ("history", "notification"):
        raise ValueError(f"not an appended table: {table!r}")
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        found.update(r[0] for r in database.execute_sql(
            f"SELECT id FROM {table} WHERE id IN ({', '.join('?' for _ in chunk)})", chunk))
    return found


def group_members(group_id: str | None) -> list[str]:
    """Ids of the active technicians of a support group."""
    if group_id is None:
        return []
    return [r[0] for r in database.execute_sql(
        "SELECT id FROM technician WHERE group_id = ? AND active = 1 ORDER BY login",
        (group_id,))]


def technician_ids(logins: Sequence[str]) -> dict[str, str]:
    """login -> id of the given active technicians."""
    if not logins:
        return {}
    marks = ", ".join("?" for _ in logins)
    return dict(database.execute_sql(
        f"SELECT login, id FROM technician WHERE login IN ({marks}) AND active = 1",
        list(logins)).fetchall())
