"""Ticket lists for queues, the CLI and the desktop client: filtering and sorting in SQL,
keyset pagination, never every row.

The SQL is assembled from fixed fragments (column names come from a whitelist, values
are always bound parameters): on this hot path building it through the ORM cost
several times what SQLite needs to answer it.
"""

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import Column

from desk_app.core.errors import InvalidValue
from desk_app.core.satisfaction_filter import ScoreRange
from desk_app.storage.database import database
from desk_app.storage.fields import from_millis
from desk_app.storage.models import Ticket
from desk_app.storage.search import fts_query
from desk_app.storage.sla_conditions import (
    resolution_at_risk_or_breached,
    resolution_breached,
    sla_outcome_known,
)

# Literal values, spelled as in the partial index ticket_open_by_due, so that SQLite can
# prove the index applies (it cannot with bound parameters).
OPEN_SQL = "t.status IN ('new', 'assigned', 'in_progress', 'on_hold')"
TICKET_ROWID = Column(Ticket._meta.table, "rowid")

SORT_COLUMNS = {name: f"t.{name}" for name in (
    "resolution_due", "response_due", "number", "priority", "status", "logged_at",
    "updated_at", "summary", "category", "satisfaction_score")}
SORT_COLUMNS["satisfaction"] = SORT_COLUMNS.pop("satisfaction_score")
# sort keys whose empty values come last in either direction: (ascending, descending)
EMPTY_LAST = {"satisfaction": ("COALESCE(t.satisfaction_score, 6)",
                               "COALESCE(t.satisfaction_score, 0)")}

LIST_COLUMNS = ("t.id AS id", "t.number AS number", "t.type AS type", "t.status AS status",
                "t.priority AS priority", "t.major AS major", "t.summary AS summary",
                "t.category AS category", "g.name AS \"group\"", "p.login AS assignee",
                "p.name AS assignee_name",
                "t.resolution_due AS resolution_due",
                "t.sla_stopped_since AS sla_stopped_since", "t.hold_reason AS hold_reason",
                "t.logged_at AS logged_at", "t.updated_at AS updated_at",
                "t.satisfaction_score AS satisfaction_score")
TIME_COLUMNS = ("resolution_due", "sla_stopped_since", "logged_at", "updated_at",
                "responded_at", "resolved_at", "response_due", "satisfaction_at")
JOINS = ("LEFT JOIN support_group g ON g.id = t.group_id "
         "LEFT JOIN technician p ON p.id = t.assignee_id")
FROM = f"FROM ticket t {JOINS}"


@dataclass(frozen=True)
class SlaWatch:
    """A moment (epoch millis) and, per priority, its warning horizon (epoch millis)."""

    now: int
    horizons: Mapping[str, int]


@dataclass
class TicketFilter:
    """What a queue or a search narrows the tickets to. Empty means no restriction.

    ``breached_at`` (epoch millis) keeps tickets whose resolution target is breached at
    that moment; ``breaching`` keeps those breached or at risk at its moment
    (the rules of :mod:`desk_app.core.sla_clock`, in :mod:`desk_app.storage.sla_conditions`).
    """

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
    ids: Sequence[str] = ()  # only these tickets (a jump to numbered tickets)
    breached_at: int | None = None
    breaching: SlaWatch | None = None
    nothing: bool = False  # matches no ticket (a queue or narrowing that cannot match)
    needs_triage: bool = False  # opened by mail and not yet taken up (still new)
    # (technician id, group id or None): assigned to them, or unassigned in their group
    mine_or_my_group_unassigned: tuple[str, str | None] | None = None
    # The KPI dashboard's "tickets behind it" (times are epoch millis, [start, end)):
    logged_between: tuple[int, int] | None = None
    resolved_between: tuple[int, int] | None = None
    service: str | None = None
    channel: str | None = None
    ci: str | None = None
    unset: Sequence[str] = ()  # of UNSETTABLE: columns that must be empty (no category...)
    not_cancelled: bool = False
    resolved: bool | None = None  # True: resolved (or closed); False: not yet resolved
    ever_resolved: bool = False  # resolved now, or reopened after a resolution
    sla_known_at: int | None = None  # resolution target's outcome known at this moment
    reopened: bool = False
    rated: bool = False  # has a satisfaction answer
    satisfaction: ScoreRange | None = None  # answers in this range (or no answer)
    detected: bool = False  # detection time known
    worked: bool = False  # has worklog time spent
    worked_by: str | None = None  # has worklog time spent by this login
    worked_by_group: str | None = None  # ... by a member of this group (name; "": of none)


# TicketFilter.unset names -> the column that must be empty
UNSETTABLE = {"category": "t.category", "service": "t.service", "ci": "t.ci",
              "channel": "t.channel", "group": "t.group_id", "assignee": "t.assignee_id",
              "technician": "t.assignee_id"}


def _in(column: str, values: Sequence[str], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def _where(flt: TicketFilter) -> tuple[str, list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    if flt.nothing:
        conditions.append("0")
    if flt.open_only:
        conditions.append(OPEN_SQL)
    if flt.statuses:
        conditions.append(_in("t.status", flt.statuses, params))
    if flt.priorities:
        conditions.append(_in("t.priority", flt.priorities, params))
    if flt.types:
        conditions.append(_in("t.type", flt.types, params))
    for column, value in (("t.category", flt.category), ("g.name", flt.group),
                          ("p.login", flt.assignee)):
        if value:
            conditions.append(f"{column} = ?")
            params.append(value)
    if flt.ids:
        conditions.append(_in("t.id", flt.ids, params))
    _kpi_conditions(flt, conditions, params)
    if flt.unassigned:
        conditions.append("t.assignee_id IS NULL")
    if flt.mine_or_my_group_unassigned is not None:
        me, group = flt.mine_or_my_group_unassigned
        conditions.append("(t.assignee_id = ? OR (t.assignee_id IS NULL AND t.group_id = ?))")
        params.extend((me, group))
    if flt.major_only:
        conditions.append("t.major = 1")
    if flt.needs_triage:
        conditions.append("t.status = 'new' AND EXISTS (SELECT 1 FROM mail_import m "
                          "WHERE m.ticket_id = t.id AND m.outcome = 'new')")
    if flt.breached_at is not None:
        condition, bound = resolution_breached(flt.breached_at)
        conditions.append(condition)
        params.extend(bound)
    if flt.breaching is not None:
        condition, bound = resolution_at_risk_or_breached(flt.breaching.now,
                                                          flt.breaching.horizons)
        conditions.append(condition)
        params.extend(bound)
    if flt.search is not None:
        query = fts_query(flt.search)
        if query is None:
            raise InvalidValue("search", "nothing to search for")
        conditions.append("t.rowid IN (SELECT rowid FROM ticket_search "
                          "WHERE ticket_search MATCH ?)")
        params.append(query)
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), params


def _kpi_conditions(flt: TicketFilter, conditions: list[str], params: list[Any]) -> None:
    for column, value in (("t.service", flt.service), ("t.channel", flt.channel),
                          ("t.ci", flt.ci)):
        if value:
            conditions.append(f"{column} = ?")
            params.append(value)
    for column, between in (("t.logged_at", flt.logged_between),
                            ("t.resolved_at", flt.resolved_between)):
        if between is not None:
            conditions.append(f"{column} >= ? AND {column} < ?")
            params.extend(between)
    for name in flt.unset:
        if name not in UNSETTABLE:
            raise InvalidValue("unset", f"cannot filter on an empty {name!r}; choose from "
                               + ", ".join(UNSETTABLE))
        conditions.append(f"{UNSETTABLE[name]} IS NULL")
    if flt.not_cancelled:
        conditions.append("t.status != 'cancelled'")
    if flt.resolved is not None:
        conditions.append("t.resolved_at IS " + ("NOT NULL" if flt.resolved else "NULL"))
    if flt.ever_resolved:
        conditions.append("(t.resolved_at IS NOT NULL OR t.reopen_count > 0)")
    if flt.sla_known_at is not None:
        condition, bound = sla_outcome_known(flt.sla_known_at)
        conditions.append(condition)
        params.extend(bound)
    if flt.reopened:
        conditions.append("t.reopen_count > 0")
    if flt.rated:
        conditions.append("t.satisfaction_score IS NOT NULL")
    if flt.satisfaction is not None:
        if flt.satisfaction.unrated:
            conditions.append("t.satisfaction_score IS NULL")
        else:
            conditions.append("t.satisfaction_score BETWEEN ? AND ?")
            params.extend((flt.satisfaction.low, flt.satisfaction.high))
    if flt.detected:
        conditions.append("t.detected_at IS NOT NULL")
    if flt.worked:
        conditions.append("EXISTS (SELECT 1 FROM worklog w WHERE w.ticket_id = t.id "
                          "AND w.minutes != 0)")
    if flt.worked_by:
        conditions.append("EXISTS (SELECT 1 FROM worklog w WHERE w.ticket_id = t.id "
                          "AND w.minutes != 0 AND w.by = ?)")
        params.append(flt.worked_by)
    if flt.worked_by_group:
        conditions.append("EXISTS (SELECT 1 FROM worklog w JOIN technician wp "
                          "ON wp.login = w.by JOIN support_group wg ON wg.id = wp.group_id "
                          "WHERE w.ticket_id = t.id AND w.minutes != 0 AND wg.name = ?)")
        params.append(flt.worked_by_group)
    elif flt.worked_by_group == "":
        conditions.append("EXISTS (SELECT 1 FROM worklog w LEFT JOIN technician wp "
                          "ON wp.login = w.by LEFT JOIN support_group wg "
                          "ON wg.id = wp.group_id WHERE w.ticket_id = t.id "
                          "AND w.minutes != 0 AND wg.id IS NULL)")


def _source(flt: TicketFilter, sort: str, joins: bool = True) -> str:
    table = "FROM ticket t"
    if flt.open_only and sort == "resolution_due":
        # the queue view: walk the partial index instead of sorting every open ticket
        table += " INDEXED BY ticket_open_by_due"
    return f"{table} {JOINS}" if joins or flt.group or flt.assignee else table


def _sort_column(sort: str, descending: bool = False) -> str:
    column = SORT_COLUMNS.get(sort)
    if column is None:
        raise InvalidValue("sort", f"cannot sort by {sort!r}; choose from "
                           + ", ".join(SORT_COLUMNS))
    if sort in EMPTY_LAST:
        return EMPTY_LAST[sort][descending]
    return column


def list_tickets(flt: TicketFilter, sort: str = "resolution_due", descending: bool = False,
                 limit: int = 50, after: tuple[Any, str] | None = None) -> list[dict]:
    """One page of tickets as dicts. ``after`` is the (sort value, id) of the last row
    of the previous page (keyset pagination: page N costs what page 1 costs)."""
    column = _sort_column(sort, descending)
    if not 1 <= limit <= 10_000:
        raise InvalidValue("limit", "must be between 1 and 10000")
    where, params = _where(flt)
    if after is not None:
        where += (" AND " if where else " WHERE ") + \
            f"({column}, t.id) {'<' if descending else '>'} (?, ?)"
        params.extend(after)
    direction = "DESC" if descending else "ASC"
    sql = (f"SELECT {', '.join(LIST_COLUMNS)} {_source(flt, sort)}{where} "
           f"ORDER BY {column} {direction}, t.id {direction} LIMIT ?")
    return _rows(database.execute_sql(sql, [*params, limit]))


def _rows(cursor: Any) -> list[dict]:
    names = [d[0] for d in cursor.description]
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        row["major"] = bool(row["major"])
        for key in TIME_COLUMNS:
            if row.get(key) is not None:
                row[key] = from_millis(row[key])
        rows.append(row)
    return rows


def ticket_rowids(flt: TicketFilter, sort: str = "resolution_due",
                  descending: bool = False, limit: int | None = None) -> array:
    """The rowids of the matching tickets in list order (all, or the first ``limit``),
    as a compact array (8 bytes a ticket): what a table needs to reach any row without
    loading the rows."""
    column = _sort_column(sort, descending)
    where, params = _where(flt)
    source = _source(flt, sort, joins=False)
    direction = "DESC" if descending else "ASC"
    sql = f"SELECT t.rowid {source}{where} ORDER BY {column} {direction}, t.id {direction}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    cursor = database.execute_sql(sql, params)
    ids = array("q")
    while chunk := cursor.fetchmany(50_000):
        ids.extend(rowid for (rowid,) in chunk)
    return ids


ROW_DETAIL_COLUMNS = ("t.rowid AS rowid", "t.responded_at AS responded_at",
                      "t.resolved_at AS resolved_at", "t.sla_stopped_ms AS sla_stopped_ms",
                      "t.subcategory AS subcategory", "t.response_due AS response_due",
                      "t.resolution_breached AS resolution_breached",
                      "t.satisfaction_comment AS satisfaction_comment",
                      "t.satisfaction_at AS satisfaction_at",
                      "t.satisfaction_source AS satisfaction_source")


def tickets_by_rowid(rowids: Sequence[int]) -> dict[int, dict]:
    """The list rows (plus what the SLA state needs) of the given tickets, by rowid."""
    if not rowids:
        return {}
    found: dict[int, dict] = {}
    for start in range(0, len(rowids), 500):
        chunk = list(rowids[start:start + 500])
        cursor = database.execute_sql(
            f"SELECT {', '.join(LIST_COLUMNS + ROW_DETAIL_COLUMNS)} {FROM} "
            f"WHERE t.rowid IN ({', '.join('?' for _ in chunk)})", chunk)
        for row in _rows(cursor):
            found[row["rowid"]] = row
    return found


def page_key(row: dict, sort: str) -> tuple[Any, str]:
    """The ``after`` value that continues a listing past ``row``."""
    return Ticket._meta.fields[sort].db_value(row[sort]), row["id"]


def count_tickets(flt: TicketFilter) -> int:
    """How many tickets match (for queue counts). Groups and technicians are joined only
    when the filter names one: a count of every ticket is then an index scan."""
    where, params = _where(flt)
    source = FROM if flt.group or flt.assignee else "FROM ticket t"
    return database.execute_sql(f"SELECT COUNT(*) {source}{where}", params).fetchone()[0]


def search_ranked(text: str, limit: int = 50, any_word: bool = False,
                  open_only: bool = False) -> list[dict]:
    """Tickets matching ``text`` (every word, or any word), best match first (bm25)."""
    query = fts_query(text, any_word)
    if query is None:
        raise InvalidValue("search", "nothing to search for")
    cursor = database.execute_sql(
        """SELECT t.id, t.number, t.type, t.status, t.priority, t.summary
           FROM ticket_search s JOIN ticket t ON t.rowid = s.rowid
           WHERE ticket_search MATCH ?""" + (f" AND {OPEN_SQL}" if open_only else "")
        + " ORDER BY s.rank LIMIT ?", (query, limit))
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def ticket_matches(flt: TicketFilter, ticket_id: str) -> bool:
    """Whether ticket ``ticket_id`` is one the filter keeps (one index look-up)."""
    where, params = _where(flt)
    where += (" AND " if where else " WHERE ") + "t.id = ?"
    return database.execute_sql(f"SELECT 1 {FROM}{where}", [*params, ticket_id]).fetchone() \
        is not None


def listing_position(flt: TicketFilter, sort: str, descending: bool,
                     ticket_id: str) -> tuple[int, int] | None:
    """(rowid, index) of ticket ``ticket_id`` in the listing ``ticket_rowids`` gives for
    the same arguments, or None when the filter does not keep it. Counts only the rows
    ordered before it (SQLite puts NULLs first ascending, last descending)."""
    column = _sort_column(sort, descending)
    if not ticket_matches(flt, ticket_id):
        return None
    rowid, value = database.execute_sql(
        f"SELECT t.rowid, {column} FROM ticket t WHERE t.id = ?", (ticket_id,)).fetchone()
    where, params = _where(flt)
    if descending:
        before = (f"({column} IS NOT NULL OR t.id > ?)" if value is None
                  else f"({column} > ? OR ({column} = ? AND t.id > ?))")
    else:
        before = (f"({column} IS NULL AND t.id < ?)" if value is None
                  else f"({column} IS NULL OR {column} < ? OR ({column} = ? AND t.id < ?))")
    where += (" AND " if where else " WHERE ") + before
    params += [ticket_id] if value is None else [value, value, ticket_id]
    source = _source(flt, sort, joins=False)
    index = database.execute_sql(f"SELECT COUNT(*) {source}{where}", params).fetchone()[0]
    return rowid, index


def tickets_numbered(numbers: Sequence[str]) -> list[tuple[str, str, str]]:
    """(id, number, status) of the tickets labelled with one of ``numbers``, or, when none is,
    of those once labelled so (a temporary or converted number kept in the history)."""
    if not numbers:
        return []
    marks = ", ".join("?" for _ in numbers)
    found = database.execute_sql(
        f"SELECT id, number, status FROM ticket WHERE number IN ({marks}) "
        "ORDER BY number",
        list(numbers)).fetchall()
    if not found:  # former numbers are kept in the search index's number column
        phrases = " OR ".join(f'"{number}"' for number in numbers if '"' not in number)
        found = database.execute_sql(
            "SELECT t.id, t.number, t.status FROM ticket_search s "
            "JOIN ticket t ON t.rowid = s.rowid WHERE ticket_search MATCH ? "
            "ORDER BY t.number", (f"number : ({phrases})",)).fetchall()
    return [(ticket_id, number, status) for ticket_id, number, status in found]


def ticket_rowid(ticket_id: str) -> int | None:
    """The rowid of ticket ``ticket_id`` (what a table's id array holds), if it exists."""
    row = database.execute_sql("SELECT rowid FROM ticket WHERE id = ?", (ticket_id,)).fetchone()
    return row[0] if row else None


def newest_rowid() -> int:
    """The highest ticket rowid (0 on an empty desk): tickets made later have higher."""
    return database.execute_sql("SELECT COALESCE(MAX(rowid), 0) FROM ticket").fetchone()[0]


def tickets_after(rowid: int) -> list[str]:
    """Ids of the tickets added since ``rowid`` was the newest."""
    return [r[0] for r in database.execute_sql("SELECT id FROM ticket WHERE rowid > ?",
                                               (rowid,))]
