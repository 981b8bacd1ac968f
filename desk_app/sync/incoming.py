"""Changes from other devices coming in: merged into the local tables by the rules of
:mod:`desk_app.core.merge`, never over a newer local edit that is still pending; the
counters of every ticket touched are derived again from its merged history."""

import json
from collections.abc import Iterable
from typing import Any

from desk_app.core.field_units import DERIVED
from desk_app.core.hlc import Stamp
from desk_app.core.merge import Change, conflict_entry, row_order, wins
from desk_app.storage.database import database
from desk_app.storage.derived import recount
from desk_app.storage.policy_store import stored_section
from desk_app.storage.rows import rows_where_in
from desk_app.sync.entities import ENTITIES, Entity, entity
from desk_app.sync.policy_apply import apply_policy_sections


def stored_value(kind: Entity, column: str, value: Any) -> Any:
    """A value from the wire as the local table stores it (policy sections as JSON)."""
    return stored_section(value) if (kind.name, column) == ("policy_section", "value") \
        else value


def insert_rows(kind: Entity, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows we do not have yet (known columns only); returns how many were new."""
    columns = kind.columns
    sql = (f"INSERT OR IGNORE INTO {kind.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    before = database.execute_sql("SELECT total_changes()").fetchone()[0]
    database.cursor().executemany(
        sql, [tuple(stored_value(kind, c, row.get(c)) for c in columns) for row in rows])
    return database.execute_sql("SELECT total_changes()").fetchone()[0] - before


def merge_appended(kind: Entity, rows: list[dict[str, Any]]) -> int:
    """Insert appended rows by union; a row whose id is here with other content (a
    rule's entry made on two desks) replaces ours when it comes first by
    :func:`row_order`, as on every desk. Returns how many rows were new."""
    new = insert_rows(kind, rows)
    if new == len(rows):
        return new
    incoming = {row["id"]: {c: row.get(c) for c in kind.columns} for row in rows}
    for here in rows_where_in(kind.name, "id", list(incoming)):
        row = incoming[here["id"]]
        if row != here and row_order(row) < row_order(here):
            database.execute_sql(
                f"UPDATE {kind.name} SET {', '.join(f'{c} = ?' for c in kind.columns)} "
                "WHERE id = ?", [*(row[c] for c in kind.columns), here["id"]])
    return new


def _local_clock(kind: Entity, row_id: str, field: str) -> tuple[str | None, str | None, Any]:
    """(stamp of the applied value, stamp of our newest pending edit, its value)."""
    stamp = database.execute_sql(
        "SELECT hlc FROM sync_stamp WHERE entity = ? AND row_id = ? AND field = ?",
        (kind.name, row_id, field)).fetchone()
    pending = database.execute_sql(
        "SELECT hlc, value FROM outbox WHERE entity = ? AND row_id = ? AND field = ? "
        "ORDER BY hlc DESC LIMIT 1", (kind.name, row_id, field)).fetchone()
    return (stamp[0] if stamp else None, pending[0] if pending else None,
            json.loads(pending[1]) if pending else None)


def _set_field(kind: Entity, row_id: str, field: str, value: Any) -> None:
    database.execute_sql(f"UPDATE {kind.name} SET {field} = ? WHERE {kind.key} = ?",
                         (value, row_id))


# The history table and its owner column of each entity whose long texts can conflict.
_CONFLICT_HISTORY = {"ticket": ("history", "ticket_id"),
                     "knowledge_article": ("article_history", "article_id")}


def _record_conflict(kind: Entity, row_id: str, field: str, value: Any,
                     hlc: str) -> dict[str, Any]:
    table, owner_column = _CONFLICT_HISTORY[kind.name]
    row = conflict_entry(row_id, field, value, hlc, Stamp.decode(hlc).millis, owner_column)
    insert_rows(ENTITIES[table], [row])
    return row


def _stamp(kind: Entity, change: Change) -> None:
    database.execute_sql(
        "INSERT OR REPLACE INTO sync_stamp (entity, row_id, field, hlc) VALUES (?, ?, ?, ?)",
        (kind.name, change.row_id, change.field, change.hlc))


def _newer_policy(change: Change, waiting: dict[str, Change]) -> bool:
    """True when this pulled policy section is newer than the desk's and than one
    already waiting in this batch."""
    kind = ENTITIES["policy_section"]
    stamp, pending, _ = _local_clock(kind, change.row_id, change.field)
    earlier = waiting.get(change.row_id)
    return wins(change.hlc, max(filter(None, (stamp, pending, earlier and earlier.hlc)),
                                default=None))


def apply_field(kind: Entity, change: Change,
                former: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Merge one field change; returns conflict entries it made (to be pushed). A
    losing long text from one of this desk's ``former`` device ids is not kept as a
    conflict: it may be this desk's own edit, seen overwritten long ago (it took a new
    identity; its history has the text either way)."""
    if not _synced_column(kind, change.field):
        raise ValueError(f"field: {change.entity}.{change.field} is not a synced column")
    if kind.name == "ticket" and change.field in DERIVED:
        return []  # derived from the history (an older desk may still send it)
    stamp, pending, pending_value = _local_clock(kind, change.row_id, change.field)
    conflicts = []
    long_text = change.field in kind.long_text
    if wins(change.hlc, max(filter(None, (stamp, pending)), default=None)):
        if long_text and pending is not None and pending_value not in (None, "", change.value):
            conflicts.append(_record_conflict(kind, change.row_id, change.field,
                                              pending_value, pending))
        _set_field(kind, change.row_id, change.field, change.value)
        _stamp(kind, change)
    elif long_text and change.device not in former:
        current = database.execute_sql(
            f"SELECT {change.field} FROM {kind.name} WHERE {kind.key} = ?",
            (change.row_id,)).fetchone()
        if current is not None and change.value not in (None, "", current[0]):
            conflicts.append(_record_conflict(kind, change.row_id, change.field,
                                              change.value, change.hlc))
    return conflicts


def _synced_column(kind: Entity, field: str | None) -> bool:
    """Whether a field change to ``field`` of ``kind`` is one a desk applies."""
    return field in kind.columns and field != kind.key


def unknown_name(change: Change) -> str:
    """How a change this desk-app cannot apply is named: its table, or table.column."""
    return change.entity if change.entity not in ENTITIES else f"{change.entity}.{change.field}"


def now_known(name: str) -> bool:
    """Whether this desk-app syncs the table (or table.column) ``name`` names."""
    table, _, column = name.partition(".")
    kind = ENTITIES.get(table)
    return kind is not None and (not column or column in kind.columns)


def known_changes(changes: list[Change]) -> tuple[list[Change], list[Change]]:
    """Split pulled changes into those this desk-app can apply and those naming a table
    it does not sync or a column a synced table does not have (a newer desk-app's, or a
    damaged or hostile push). Those are skipped rather than let them stop every pull."""
    known, unknown = [], []
    for change in changes:
        kind = ENTITIES.get(change.entity)
        if kind is None or (change.field is not None and not kind.appended
                            and not _synced_column(kind, change.field)):
            unknown.append(change)
        else:
            known.append(change)
    return known, unknown


def apply_changes(changes: list[Change], former: frozenset[str] = frozenset()
                  ) -> tuple[list[dict[str, Any]], set[tuple[str, str]]]:
    """Apply pulled changes in log order (inside the caller's transaction; ``former``:
    this desk's earlier device ids). Returns the conflict entries made and the
    (entity, row id) pairs touched."""
    conflicts: list[dict[str, Any]] = []
    touched: set[tuple[str, str]] = set()
    to_recount: set[str] = set()
    policy: dict[str, Change] = {}  # applied together at the end, when they validate
    for change in changes:
        kind = entity(change.entity)
        if kind.name == "policy_section" and change.field == "value":
            if _newer_policy(change, policy):
                policy[change.row_id] = change
            touched.add((kind.name, change.row_id))
        elif kind.appended:
            merge_appended(kind, change.value)
            touched.add(("ticket", change.row_id))
            if kind.name == "history":
                to_recount.add(change.row_id)
        elif change.field is None:
            insert_rows(kind, [change.value])
            touched.add((kind.name, change.row_id))
        else:
            conflicts += apply_field(kind, change, former)
            touched.add((kind.name, change.row_id))
        if kind.name == "ticket" and change.field is None:
            to_recount.add(change.row_id)
    recount(to_recount)
    written = apply_policy_sections({key: c.value for key, c in policy.items()})
    for key in written:
        _stamp(ENTITIES["policy_section"], policy[key])
    return conflicts, touched
