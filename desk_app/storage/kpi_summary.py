"""The KPI sums of a period, read from the summary tables of migration 0017 (kept by
triggers), with the parts no trigger can keep read live:

- whole UTC days inside the period come from ``kpi_summary``; the partial days at its
  edges are summed from their ticket rows with the same expressions;
- open incidents already past their resolution target (their outcome depends on now)
  are added to ``sla_known``;
- incidents followed by a linked new incident within 30 days of their resolution and not
  reopened within 30 days of a resolution are added to ``recurred`` (the sums count every
  reopened incident), and reopened incidents whose every reopen came later than that
  (the late reopens of migration 0022's index) are taken out of it.

SQLite adds all of it up in one statement, per dimension key, week and month (a
dashboard's Python only turns the ~150 summed rows into its rows).

Bulk loads drop the triggers and rebuild the tables once (:func:`kpi_summary_rebuilt_after`).
"""

import importlib.util
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from desk_app.core.kpi_targets import RECURRENCE_DAYS
from desk_app.core.kpi_totals import TOTAL_FIELDS, KpiTotals
from desk_app.storage.database import MIGRATIONS_DIR, database
from desk_app.storage.sla_conditions import OPEN_STATUSES, open_past_target


def _schema_script(name: str = "0017_kpi_summary") -> Any:
    """A migration loaded from its file, as playhouse's Runner loads it (in the bundle
    the migrations are files, not importable modules): 0017's SQL is the one definition
    of the summary, which a rebuild and the live parts reuse; 0022's the one of a late
    reopen."""
    path = MIGRATIONS_DIR / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"desk_app_kpi_schema_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SCHEMA = _schema_script()
_REOPENS = _schema_script("0022_kpi_late_reopens")
DAY_MS: int = _SCHEMA.DAY_MS
DIMENSIONS: tuple[str, ...] = tuple(dim for dim, _ in _SCHEMA.DIMENSIONS)
_KEYS = [key.format(r="t") for dim, key in _SCHEMA.DIMENSIONS if dim != "all"]
_COUNTED = _SCHEMA.COUNTED.format(r="t")
_COLUMNS = ", ".join(f"SUM({c})" for c in _SCHEMA.COLUMNS)
assert tuple(_SCHEMA.COLUMNS) == TOTAL_FIELDS
assert _REOPENS.RECURRENCE_MS == RECURRENCE_DAYS * _SCHEMA.DAY_MS
AGE_BUCKETS = (("under 1 day", 0, 1), ("1-3 days", 1, 3), ("3-7 days", 3, 7),
               ("7-30 days", 7, 30), ("over 30 days", 30, None))


EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
LATEST_MS = 2**63 - 1  # no end (SQLite's largest integer)


def week_start(day: int) -> date:
    """The Monday starting the week of a UTC day number (1 January 1970 is day 0)."""
    return date.fromordinal(EPOCH_ORDINAL + day - (day + 3) % 7)


def month_start(day: int) -> date:
    """The first of the month of a UTC day number."""
    return date.fromordinal(EPOCH_ORDINAL + day).replace(day=1)


@dataclass
class KpiSums:
    """The sums of the incidents logged in a period: per dimension and key (dimension
    "all" has the one key ""), and per week (from Monday) and month of the UTC day of
    logging, by the bucket's first day. Each is a row of ints in
    :data:`~desk_app.core.kpi_totals.TOTAL_FIELDS` order (a dashboard turns some 150 of
    them into rows: :class:`KpiTotals` are made where arithmetic needs them)."""

    by_dim: dict[str, dict[str, list[int]]]
    by_week: dict[date, list[int]]
    by_month: dict[date, list[int]]

    @property
    def total(self) -> KpiTotals:
        """The sums of the whole period."""
        found = self.by_dim["all"].get("")
        return KpiTotals() if found is None else KpiTotals.of(found)


def _split(since_ms: int, until_ms: int) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """Whole days [first, last) inside the period, and the partial edges in millis."""
    first, last = -(-since_ms // DAY_MS), until_ms // DAY_MS
    if first >= last:
        return (0, 0), [(since_ms, until_ms)]
    edges = [(since_ms, first * DAY_MS), (last * DAY_MS, until_ms)]
    return (first, last), [(a, b) for a, b in edges if a < b]


_KEY_NAMES = [f"k{i}" for i in range(len(_KEYS))]
_VALUE_NAMES = [f"v{i}" for i in range(len(TOTAL_FIELDS))]
_SUMS = ", ".join(f"SUM({v})" for v in _VALUE_NAMES)


def _ticket_rows(values: list[str], where: str) -> str:
    """One row per ticket of ``where``: its keys k0..k5, UTC day of logging, and
    ``values`` as v0.. (in TOTAL_FIELDS order)."""
    keys = ", ".join(f"{k} AS {n}" for k, n in zip(_KEYS, _KEY_NAMES, strict=True))
    columns = ", ".join(f"{v} AS {n}" for v, n in zip(values, _VALUE_NAMES, strict=True))
    return f"SELECT {keys}, t.logged_at / {DAY_MS} AS day, {columns} FROM ticket t {where}"


def _only(column: str, value: str = "1") -> list[str]:
    return [value if name == column else "0" for name in TOTAL_FIELDS]


def _sums_sql(ticket_rows: list[str]) -> str:
    """The whole days' sums from ``kpi_summary`` and the ``ticket_rows`` (each a
    :func:`_ticket_rows` statement) added up in one statement: per dimension and key,
    per week (its Monday's day number) and month ("YYYY-MM-01"), and dimension "all"."""
    named = ", ".join(f"SUM({c}) AS {v}" for c, v in
                      zip(_SCHEMA.COLUMNS, _VALUE_NAMES, strict=True))
    parts = [f"SELECT dim, key, NULL AS day, {named} FROM kpi_summary "
             "WHERE dim != 'all' AND day >= ? AND day < ? GROUP BY dim, key",
             f"SELECT NULL, NULL, day, {_COLUMNS} FROM kpi_summary "
             "WHERE dim = 'all' AND day >= ? AND day < ? GROUP BY day"]
    parts += [f"SELECT '{dim}', {k}, NULL, {_SUMS} FROM s GROUP BY {k}"
              for dim, k in zip(DIMENSIONS[1:], _KEY_NAMES, strict=True)]
    parts.append(f"SELECT NULL, NULL, day, {_SUMS} FROM s GROUP BY day")
    return (f"WITH s AS MATERIALIZED ({' UNION ALL '.join(ticket_rows)}), "
            f"f AS MATERIALIZED ({' UNION ALL '.join(parts)}) "
            f"SELECT dim, key, {_SUMS} FROM f WHERE dim IS NOT NULL GROUP BY dim, key "
            f"UNION ALL SELECT 'week', day - (day + 3) % 7, {_SUMS} FROM f "
            "WHERE dim IS NULL GROUP BY 2 "
            "UNION ALL SELECT 'month', strftime('%Y-%m-01', day * 86400, 'unixepoch'), "
            f"{_SUMS} FROM f WHERE dim IS NULL GROUP BY 2 "
            f"UNION ALL SELECT 'all', '', {_SUMS} FROM f WHERE dim IS NULL "
            "HAVING COUNT(*) > 0")


_SHARE_VALUES = [f"({share.format(r='t')})" for _, share in _SCHEMA.SHARES]
EDGE_ROWS = _ticket_rows(
    _SHARE_VALUES, f"WHERE {_COUNTED} AND t.logged_at >= ? AND t.logged_at < ?")
# Open incidents past their resolution target at now: their SLA outcome is known (missed).
BREACHED_ROWS = _ticket_rows(
    _only("sla_known"),
    f"INDEXED BY kpi_open_ticket WHERE {open_past_target(0)[0]} "
    "AND t.type = 'incident' AND t.logged_at >= ? AND t.logged_at < ?")


def kpi_sums(since_ms: int, until_ms: int, now_ms: int) -> KpiSums:
    """Every KPI sum of the incidents logged in [since, until), at ``now``."""
    (first, last), edges = _split(since_ms, until_ms)
    edges += [(0, 0)] * (2 - len(edges))  # (an empty range: no tickets)
    within = RECURRENCE_DAYS * DAY_MS
    params = (*edges[0], *edges[1], now_ms, now_ms, since_ms, until_ms,
              since_ms, until_ms, within, since_ms, until_ms, within, since_ms, until_ms,
              first, last, first, last)
    by_dim: dict[str, dict] = {dim: {} for dim in DIMENSIONS}
    by_week, by_month = {}, {}
    for kind, key, *values in database.execute_sql(SUMS_SQL, params):
        if kind == "week":
            by_week[_day_date(key)] = values
        elif kind == "month":
            by_month[_month_date(key)] = values
        else:
            by_dim[kind][key] = values
    return KpiSums(by_dim, by_week, by_month)


@lru_cache(maxsize=1024)
def _day_date(day: int) -> date:
    return date.fromordinal(EPOCH_ORDINAL + day)


@lru_cache(maxsize=256)
def _month_date(first: str) -> date:
    return date.fromisoformat(first)


# The tickets whose every reopen came more than 30 days after the resolution it reopened
# (as many late reopens as reopens; a reopen the history does not hold counts as within).
# Not correlated: SQLite reads the (usually empty) index once a statement.
ALL_REOPENS_LATE = (
    "SELECT h.ticket_id FROM history h INDEXED BY kpi_late_reopen "
    f"JOIN ticket x ON x.id = h.ticket_id WHERE {_REOPENS.LATE.format(h='h.')} "
    "GROUP BY h.ticket_id HAVING x.reopen_count <= COUNT(*)")


def _no_reopen_within(ticket: str) -> str:
    """Ticket ``ticket`` (an alias) was never reopened within 30 days of a resolution."""
    return f"({ticket}.reopen_count = 0 OR {ticket}.id IN ({ALL_REOPENS_LATE}))"


# Incidents (o) that a link (either way, related or follows) ties to a new incident (n,
# not cancelled: a cancelled duplicate is no recurrence) on the same CI and category
# logged after o's resolution and within 30 days of it (CROSS JOIN: read from the
# links, never scan the tickets).
LINKED_RECURRENCES = f"""
    SELECT o.id FROM link l
    CROSS JOIN ticket o ON o.id = l.{{old}}
    CROSS JOIN ticket n ON n.id = l.{{new}}
    WHERE l.kind IN ('related', 'follows') AND o.logged_at >= ? AND o.logged_at < ?
      AND {_COUNTED.replace('t.', 'o.')} AND o.resolved_at IS NOT NULL
      AND {_COUNTED.replace('t.', 'n.')} AND n.logged_at > o.resolved_at
      AND n.logged_at <= o.resolved_at + ? AND n.ci IS o.ci AND n.category IS o.category
      AND {_no_reopen_within('o')}"""
LINKED_RECURRENCES = (LINKED_RECURRENCES.format(old="target_id", new="ticket_id")
                      + " UNION " + LINKED_RECURRENCES.format(old="ticket_id", new="target_id"))
# (o counted, logged in the period, resolved and not reopened within 30 days: those
# reopens are in the sums)
RECURRED_ROWS = _ticket_rows(_only("recurred"), f"WHERE t.id IN ({LINKED_RECURRENCES})")
# Reopened incidents whose every reopen came late: the sums count them as recurred
# (a trigger sees the reopen count, not the history), so they are taken out.
LATE_REOPENED_ROWS = _ticket_rows(
    _only("recurred", "-1"),
    f"WHERE t.id IN ({ALL_REOPENS_LATE}) AND {_COUNTED} "
    "AND t.logged_at >= ? AND t.logged_at < ? AND t.reopen_count > 0")
SUMS_SQL = _sums_sql([EDGE_ROWS, EDGE_ROWS, BREACHED_ROWS, RECURRED_ROWS,
                      LATE_REOPENED_ROWS])


def backlog_by_age(since_ms: int, until_ms: int, now_ms: int) -> dict[str, int]:
    """Open incidents logged in [since, until) by age at ``now`` (AGE_BUCKETS)."""
    cases = " ".join(f"WHEN t.logged_at > ? THEN {i}" for i, (_, _, high) in
                     enumerate(AGE_BUCKETS) if high is not None)
    params = [now_ms - high * DAY_MS for _, _, high in AGE_BUCKETS if high is not None]
    counts = dict(database.execute_sql(
        f"SELECT CASE {cases} ELSE {len(AGE_BUCKETS) - 1} END, COUNT(*) FROM ticket t "
        f"INDEXED BY kpi_open_ticket WHERE t.status IN {OPEN_STATUSES} "
        "AND t.type = 'incident' AND t.logged_at >= ? AND t.logged_at < ? GROUP BY 1",
        (*params, since_ms, until_ms)).fetchall())
    return {label: counts.get(i, 0) for i, (label, _, _) in enumerate(AGE_BUCKETS)}


def age_bounds(label: str, now_ms: int) -> tuple[int, int]:
    """The logging times [start, end) of an age bucket at ``now``. The youngest has no
    end: a ticket logged after now (by a device whose clock runs ahead) is in it, as
    :func:`backlog_by_age` counts it."""
    for name, low, high in AGE_BUCKETS:
        if name == label:
            start = 0 if high is None else now_ms - high * DAY_MS + 1
            return start, now_ms - low * DAY_MS + 1 if low else LATEST_MS
    raise KeyError(label)


def time_by_login(since_ms: int, until_ms: int) -> dict[str, tuple[int, int]]:
    """Worklog (minutes, entries) per author on the tickets logged in [since, until)
    (authors with entries only)."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    (first, last), edges = _split(since_ms, until_ms)
    rows: list[tuple] = []
    if first < last:
        rows += database.execute_sql(
            "SELECT login, SUM(minutes), SUM(entries) FROM kpi_time WHERE day >= ? "
            "AND day < ? GROUP BY login", (first, last)).fetchall()
    for start, end in edges:
        rows += database.execute_sql(
            "SELECT w.by, SUM(w.minutes), COUNT(*) FROM ticket t JOIN worklog w "
            "ON w.ticket_id = t.id WHERE t.logged_at >= ? AND t.logged_at < ? "
            "AND w.minutes != 0 GROUP BY w.by", (start, end)).fetchall()
    for login, minutes, entries in rows:
        found[login][0] += minutes
        found[login][1] += entries
    # (a deleted demo ticket leaves its authors' rows at zero: no entry, no row)
    return {login: (m, e) for login, (m, e) in found.items() if e}


def top_tickets_by_time(since_ms: int, until_ms: int, limit: int = 20) -> list[dict]:
    """The tickets logged in [since, until) with the most worklog time, most first."""
    cursor = database.execute_sql(
        "SELECT t.id, t.number, t.summary, k.minutes, k.entries FROM kpi_ticket_time k "
        "INDEXED BY kpi_ticket_time_minutes JOIN ticket t ON t.id = k.ticket_id "
        "WHERE k.minutes > 0 AND t.logged_at >= ? AND t.logged_at < ? "
        "ORDER BY k.minutes DESC, k.ticket_id DESC LIMIT ?", (since_ms, until_ms, limit))
    return [{"id": i, "number": n, "summary": s, "minutes": m, "entries": e}
            for i, n, s, m, e in cursor]


def names() -> tuple[dict[str, str], dict[str, tuple[str, str, str | None]]]:
    """Group names by id, and technicians (login, name, group name) by id."""
    groups = dict(database.execute_sql("SELECT id, name FROM support_group").fetchall())
    people = {i: (login, name, groups.get(group)) for i, login, name, group in
              database.execute_sql("SELECT id, login, name, group_id FROM technician")}
    return groups, people


def rebuild_kpi_summary() -> None:
    """Refill the summary tables from the tickets (in the caller's transaction)."""
    _SCHEMA.rebuild(database)


@contextmanager
def kpi_summary_rebuilt_after() -> Iterator[None]:
    """For bulk loads inside one transaction: drop the summary triggers, and rebuild the
    tables once when the block ends (the triggers are put back as the schema has them)."""
    triggers = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND name LIKE 'kpi\\_%' ESCAPE '\\'").fetchall()
    for name, _ in triggers:
        database.execute_sql(f"DROP TRIGGER {name}")
    try:
        yield
        rebuild_kpi_summary()
    finally:
        for _, statement in triggers:
            database.execute_sql(statement)


def first_incident_logged() -> int | None:
    """When the first incident was logged (epoch millis), if any."""
    return database.execute_sql("SELECT MIN(logged_at) FROM ticket "
                                "WHERE type = 'incident'").fetchone()[0]
