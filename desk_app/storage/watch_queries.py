"""The watcher's reads: only tickets whose clocks may have something due, found through
the partial due-time indexes (open tickets by resolution due time, running response
clocks by response due time, resolved tickets awaiting the user by resolution time).
A closed ticket is never read.

Times are epoch milliseconds. A rule's horizon (per priority) is the latest due time
at which it can be due now: a ticket due later has nothing due for that rule, so each
query walks one short range of an index and returns only tickets with a rule to apply
(a warning already recorded is looked up in the ticket's own history).
"""

from collections.abc import Sequence
from typing import Any

from desk_app.storage.database import database

OPEN_SQL = "status IN ('new', 'assigned', 'in_progress', 'on_hold')"
FACT_COLUMNS = ("id", "number", "priority", "status", "support_level", "hierarchic_level",
                "logged_at", "response_due", "resolution_due", "responded_at",
                "resolved_at", "sla_stopped_since", "response_breached",
                "resolution_breached")
_SELECT = f"SELECT {', '.join(FACT_COLUMNS)} FROM ticket"


def _rows(sql: str, params: Sequence[Any]) -> list[dict]:
    cursor = database.execute_sql(sql, list(params))
    return [dict(zip(FACT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def _no_warning(clock: str) -> str:
    """The ticket has no warning of ``clock`` recorded (its history, by ticket)."""
    return ("NOT EXISTS (SELECT 1 FROM history h WHERE h.ticket_id = ticket.id "
            f"AND h.field = 'sla_warning' AND h.new LIKE '{clock} %')")


def _first(limit: int | None, column: str) -> tuple[str, list[Any]]:
    """The ``limit`` soonest due (all when None): the index's own order."""
    return ("", []) if limit is None else (f" ORDER BY {column} LIMIT ?", [limit])


def resolution_candidates(priority: str, level: int, next_level: int, warning: int,
                          now: int, limit: int | None = None) -> list[dict]:
    """Open tickets of ``priority`` at management ``level`` with a resolution rule that
    may be due: due by ``next_level`` (the next level's horizon; -1 when none), a breach
    not yet recorded, or due by ``warning`` (the warning horizon) and not yet warned.
    ``limit``: only that many, the soonest due first."""
    tail, bound = _first(limit, "resolution_due")
    return _rows(
        f"{_SELECT} INDEXED BY ticket_watch_resolution WHERE {OPEN_SQL} AND priority = ? "
        "AND hierarchic_level = ? AND resolution_due <= ? AND (resolution_due <= ? "
        "OR (resolution_breached = 0 AND resolution_due < COALESCE(sla_stopped_since, ?)) "
        "OR (resolution_breached = 0 AND sla_stopped_since IS NULL AND resolution_due <= ? "
        f"AND {_no_warning('resolution')})){tail}",
        [priority, level, max(next_level, warning, now), next_level, now, warning, *bound])


def response_candidates(priority: str, functional: int, warning: int,
                        now: int, limit: int | None = None) -> list[dict]:
    """Open tickets of ``priority`` nobody responded to with a response rule that may be
    due: a breach not yet recorded, due by ``warning`` and not yet warned, or untouched
    at L1 and due by ``functional`` (the functional rule's horizon; -1 when none).
    ``limit``: only that many, the soonest due first."""
    tail, bound = _first(limit, "response_due")
    return _rows(
        f"{_SELECT} INDEXED BY ticket_watch_response WHERE {OPEN_SQL} "
        "AND responded_at IS NULL AND priority = ? AND response_due <= ? AND ("
        "(response_breached = 0 AND response_due < ?) "
        f"OR (response_breached = 0 AND response_due <= ? AND {_no_warning('response')}) "
        "OR (support_level = 'L1' AND status IN ('new', 'assigned') AND response_due <= ?))"
        f"{tail}", [priority, max(functional, warning, now), now, warning, functional, *bound])


def first_beyond(clock: str, priority: str, horizon: int, level: int = 0) -> dict | None:
    """The running ``clock`` ("response" or "resolution", then at management ``level``)
    of ``priority`` due soonest after ``horizon``: where its next rule comes due."""
    if clock == "response":
        rows = _rows(f"{_SELECT} INDEXED BY ticket_watch_response WHERE {OPEN_SQL} "
                     "AND responded_at IS NULL AND priority = ? AND response_due > ? "
                     "ORDER BY response_due LIMIT 1", [priority, horizon])
    else:
        rows = _rows(f"{_SELECT} INDEXED BY ticket_watch_resolution WHERE {OPEN_SQL} "
                     "AND priority = ? AND hierarchic_level = ? AND resolution_due > ? "
                     "AND sla_stopped_since IS NULL ORDER BY resolution_due LIMIT 1",
                     [priority, level, horizon])
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
