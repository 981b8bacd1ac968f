"""Our changes on their way out: the outbox read as the team database's change
records, in an order the receivers can apply, and trimmed once acknowledged."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg

from desk_app.storage.database import database
from desk_app.sync.entities import APPENDED, ENTITIES, entity

_PLACEHOLDERS = 500  # ids per IN (...) query


@dataclass(frozen=True)
class Pending:
    """One outbox entry."""

    op_id: str
    entity: str
    row_id: str
    field: str | None
    value: str | None
    hlc: str


def pending_count() -> int:
    """How many of our changes wait to be pushed."""
    return database.execute_sql("SELECT COUNT(*) FROM outbox").fetchone()[0]


def read_pending() -> list[Pending]:
    """Every outbox entry, in push order: new rows first (groups, technicians, then
    tickets, each ticket after the tickets it refers to), then everything else in the
    order it happened."""
    entries = [Pending(*row) for row in database.execute_sql(
        "SELECT op_id, entity, row_id, field, value, hlc FROM outbox ORDER BY hlc, op_id")]
    created = [e for e in entries if e.field is None and not entity(e.entity).appended]
    rest = [e for e in entries if not (e.field is None and not entity(e.entity).appended)]
    created.sort(key=lambda e: entity(e.entity).rank)
    return _referred_first(created) + rest


def _referred_first(created: list[Pending]) -> list[Pending]:
    tickets = {e.row_id: e for e in created if e.entity == "ticket"}
    if not tickets:
        return created
    refers: dict[str, list[str]] = {}
    for chunk in _chunks(list(tickets)):
        for row_id, problem, parent in database.execute_sql(
                f"SELECT id, problem_id, parent_id FROM ticket WHERE id IN ({_marks(chunk)})",
                chunk):
            refers[row_id] = [r for r in (problem, parent) if r in tickets and r != row_id]
    ordered: list[Pending] = []
    placed: set[str] = set()

    def place(row_id: str, trail: set[str]) -> None:
        if row_id in placed or row_id in trail:
            return
        for target in refers.get(row_id, []):
            place(target, trail | {row_id})
        placed.add(row_id)
        ordered.append(tickets[row_id])

    others = [e for e in created if e.entity != "ticket"]
    for e in created:
        if e.entity == "ticket":
            place(e.row_id, set())
    return others + ordered


def _marks(items: list) -> str:
    return ", ".join("?" for _ in items)


def _chunks(items: list, size: int = _PLACEHOLDERS) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _rows(table: str, column: str, keys: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(keys):
        cursor = database.execute_sql(
            f"SELECT * FROM {table} WHERE {column} IN ({_marks(chunk)})", chunk)
        names = [d[0] for d in cursor.description]
        rows += [dict(zip(names, row, strict=True)) for row in cursor]
    return rows


def change_records(entries: list[Pending]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The change records pushing ``entries`` sends, and for each record's op id the
    outbox entry it came from. A new ticket goes with every row it has by then."""
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    children: dict[tuple[str, str], list[dict[str, Any]]] = {}
    new_rows: dict[str, list[str]] = {}
    appended_ids: dict[str, list[str]] = {}
    for e in entries:
        kind = entity(e.entity)
        if kind.appended:
            appended_ids.setdefault(e.entity, []).extend(json.loads(e.value or "[]")
                                                         or [e.row_id])
        elif e.field is None:
            new_rows.setdefault(e.entity, []).append(e.row_id)
    for name, keys in new_rows.items():
        kind = ENTITIES[name]
        for row in _rows(name, kind.key, keys):
            by_key[(name, row[kind.key])] = row
        if name == "ticket":
            for child in APPENDED:
                for row in _rows(child.name, "ticket_id", keys):
                    children.setdefault((child.name, row["ticket_id"]), []).append(row)
    appended: dict[str, dict[str, dict[str, Any]]] = {
        name: {row["id"]: row for row in _rows(name, "id", ids)}
        for name, ids in appended_ids.items()}

    records: list[dict[str, Any]] = []
    origin: dict[str, str] = {}

    def add(op_id: str, source: Pending, entity_name: str, row_id: str, field: str | None,
            value: Any) -> None:
        records.append({"op_id": op_id, "entity": entity_name, "row_id": row_id,
                        "field": field, "value": value, "hlc": source.hlc})
        origin[op_id] = source.op_id

    for e in entries:
        kind = entity(e.entity)
        if kind.appended:
            rows = [appended[e.entity][i] for i in json.loads(e.value or "[]") or [e.row_id]
                    if i in appended[e.entity]]
            if rows:
                add(e.op_id, e, e.entity, rows[0]["ticket_id"], None, rows)
            else:
                origin[e.op_id] = e.op_id  # rolled back elsewhere: nothing to send
        elif e.field is None:
            row = by_key.get((e.entity, e.row_id))
            if row is None:
                origin[e.op_id] = e.op_id
                continue
            add(e.op_id, e, e.entity, e.row_id, None, row)
            if e.entity == "ticket":
                for child in APPENDED:
                    rows = children.get((child.name, e.row_id))
                    if rows:
                        add(f"{e.op_id}:{child.name}", e, child.name, e.row_id, None, rows)
        else:
            add(e.op_id, e, e.entity, e.row_id, e.field, json.loads(e.value))
    return records, origin


def send(conn: psycopg.Connection, device: str, records: list[dict[str, Any]]) -> int:
    """Push change records in one short server transaction: COPY into the session's
    staging table, then ``desk.push_staged`` checks and appends them (a record already
    there, same device and op id, is skipped). Returns how many were new."""
    with conn.transaction():
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS push_stage (op_id text, entity text, "
                     "row_id text, field text, value text, hlc text)")
        with conn.cursor().copy("COPY push_stage FROM STDIN") as copy:
            for r in records:
                copy.write_row((r["op_id"], r["entity"], r["row_id"], r["field"],
                                json.dumps(r["value"]), r["hlc"]))
        return conn.execute("SELECT desk.push_staged(%s)", (device,)).fetchone()[0]


def acknowledge(op_ids: list[str], entries: list[Pending]) -> None:
    """Forget pushed outbox entries and remember the clock of each pushed field
    change (inside the caller's transaction)."""
    database.cursor().executemany(
        """INSERT INTO sync_stamp (entity, row_id, field, hlc) VALUES (?, ?, ?, ?)
           ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc
           WHERE excluded.hlc > sync_stamp.hlc""",
        [(e.entity, e.row_id, e.field, e.hlc) for e in entries if e.field is not None])
    database.cursor().executemany("DELETE FROM outbox WHERE op_id = ?",
                                  [(op,) for op in op_ids])
