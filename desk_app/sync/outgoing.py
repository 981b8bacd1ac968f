"""Our changes on their way out: the outbox read as the team database's change
records, in an order the receivers can apply, and trimmed once acknowledged."""

import json
from dataclasses import dataclass, replace
from typing import Any

import psycopg

from desk_app.storage.database import database
from desk_app.sync.entities import APPENDED, ENTITIES, Entity, entity


@dataclass(frozen=True)
class Pending:
    """One outbox entry."""

    op_id: str
    entity: str
    row_id: str
    field: str | None
    value: str | None
    hlc: str
    covers: tuple[str, ...] = ()  # a new ticket's appended entries, sent with it


def pending_count() -> int:
    """How many of our changes wait to be pushed."""
    return database.execute_sql("SELECT COUNT(*) FROM outbox").fetchone()[0]


def read_pending() -> list[Pending]:
    """Every outbox entry, in push order: new rows first (groups, technicians, then
    tickets, each ticket after the tickets it refers to), then everything else in the
    order it happened. A new ticket is sent with every row it has, so the entries of
    rows appended to it since go with it (``covers``) rather than on their own."""
    entries = [Pending(*row) for row in database.execute_sql(
        "SELECT op_id, entity, row_id, field, value, hlc FROM outbox ORDER BY hlc, op_id")]
    kinds = {name: entity(name) for name in {e.entity for e in entries}}
    appended = {name for name, kind in kinds.items() if kind.appended}
    created = [e for e in entries if e.field is None and e.entity not in appended]
    new_tickets = {e.row_id for e in created if e.entity == "ticket"}
    covered: dict[str, list[str]] = {}
    rest = []
    for e in entries:
        if e.entity in appended:
            if e.field is None and e.row_id in new_tickets:
                covered.setdefault(e.row_id, []).append(e.op_id)
            else:
                rest.append(e)
        elif e.field is not None:
            rest.append(e)
    created = [replace(e, covers=tuple(covered[e.row_id]))
               if e.entity == "ticket" and e.row_id in covered else e for e in created]
    created.sort(key=lambda e: kinds[e.entity].rank)
    return _referred_first(created) + rest


def _referred_first(created: list[Pending]) -> list[Pending]:
    tickets = {e.row_id: e for e in created if e.entity == "ticket"}
    if not tickets:
        return created
    refers = {row_id: [r for r in (problem_id, parent_id) if r in tickets and r != row_id]
              for row_id, problem_id, parent_id in database.execute_sql(
                  "SELECT id, problem_id, parent_id FROM ticket "
                  "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(tickets)),))}
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


class JsonText(str):
    """A value already encoded as JSON: sent as it is."""


def change_records(entries: list[Pending]) -> list[dict[str, Any]]:
    """The change records pushing ``entries`` sends. A new ticket goes with every row
    it has by then; an entry whose rows are gone sends nothing. Values come as
    :class:`JsonText`: SQLite writes the rows as JSON, field values go as queued."""
    new_rows: dict[str, list[str]] = {}
    appended_ids: dict[str, list[str]] = {}
    for e in entries:
        if entity(e.entity).appended:
            appended_ids.setdefault(e.entity, []).extend(json.loads(e.value))
        elif e.field is None:
            new_rows.setdefault(e.entity, []).append(e.row_id)
    by_key = {(name, key): row for name, keys in new_rows.items()
              for key, row in _json_rows(ENTITIES[name], ENTITIES[name].key, keys)}
    tickets = new_rows.get("ticket", [])
    children = {(child.name, ticket_id): rows for child in APPENDED
                for ticket_id, rows in _json_rows(child, "ticket_id", tickets, grouped=True)}
    appended = {name: dict(_json_rows(ENTITIES[name], "id", ids))
                for name, ids in appended_ids.items()}

    records: list[dict[str, Any]] = []

    def add(op_id: str, source: Pending, field: str | None, value: str,
            entity_name: str | None = None) -> None:
        records.append({"op_id": op_id, "entity": entity_name or source.entity,
                        "row_id": source.row_id, "field": field, "value": JsonText(value),
                        "hlc": source.hlc})

    for e in entries:
        if entity(e.entity).appended:
            rows = [appended[e.entity][i] for i in json.loads(e.value)
                    if i in appended[e.entity]]
            if rows:
                add(e.op_id, e, None, f"[{','.join(rows)}]")
        elif e.field is None:
            if (e.entity, e.row_id) not in by_key:
                continue
            add(e.op_id, e, None, by_key[(e.entity, e.row_id)])
            for child in APPENDED if e.entity == "ticket" else ():
                if (child.name, e.row_id) in children:
                    add(f"{e.op_id}:{child.name}", e, None,
                        children[(child.name, e.row_id)], child.name)
        else:
            add(e.op_id, e, e.field, e.value)
    return records


def _json_rows(kind: Entity, column: str, keys: list[str],
               grouped: bool = False) -> list[tuple[str, str]]:
    """(``column``, the row as JSON text) for every row of ``kind`` whose ``column`` is
    one of ``keys``; ``grouped``: (``column``, a JSON array of those rows) per key. The
    JSON is written by SQLite, keyed by column name like the row read as a dict."""
    if not keys:
        return []
    row = _json_object(kind.columns)
    value, group = (f"json_group_array({row})", f" GROUP BY {column}") if grouped \
        else (row, "")
    return database.execute_sql(
        f"SELECT {column}, {value} FROM {kind.name} "
        f"WHERE {column} IN (SELECT value FROM json_each(?)){group}",
        (json.dumps(keys),)).fetchall()


_PAIRS_PER_CALL = 63  # SQLite functions take up to 127 arguments


def _json_object(columns: tuple[str, ...]) -> str:
    # Keys go in jsonb's own order (shorter first, then bytewise), so a value reads the
    # same whether the log keeps it as json (as sent, from version 4) or jsonb (before).
    # A table wider than one call's arguments gets its further columns appended in that
    # order by json_insert (which adds new keys at the end; json_patch would drop nulls).
    ordered = sorted(columns, key=lambda c: (len(c.encode()), c.encode()))
    first, rest = ordered[:_PAIRS_PER_CALL], ordered[_PAIRS_PER_CALL:]
    expression = "json_object(" + ", ".join(f"'{c}', {c}" for c in first) + ")"
    while rest:
        chunk, rest = rest[:_PAIRS_PER_CALL], rest[_PAIRS_PER_CALL:]
        expression = (f"json_insert({expression}, "
                      + ", ".join(f"'$.{c}', {c}" for c in chunk) + ")")
    return expression


def send(conn: psycopg.Connection, device: str, records: list[dict[str, Any]]) -> int:
    """Push change records in one short server transaction: binary COPY into the
    session's staging table, then ``desk.push_staged`` checks and appends them (a record already
    there, same device and op id, is skipped). A value is JSON-encoded unless it is
    :class:`JsonText` already. Returns how many were new."""
    with conn.transaction():
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS push_stage (op_id text, entity text, "
                     "row_id text, field text, value text, hlc text)")
        with conn.cursor().copy("COPY push_stage FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["text"] * 6)
            for r in records:
                value = r["value"]
                copy.write_row((r["op_id"], r["entity"], r["row_id"], r["field"],
                                value if isinstance(value, JsonText) else json.dumps(value),
                                r["hlc"]))
        return conn.execute("SELECT desk.push_staged(%s)", (device,)).fetchone()[0]


def acknowledge(entries: list[Pending]) -> None:
    """Forget pushed outbox entries and remember the clock of each pushed field
    change (inside the caller's transaction)."""
    database.cursor().executemany(
        """INSERT INTO sync_stamp (entity, row_id, field, hlc) VALUES (?, ?, ?, ?)
           ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc
           WHERE excluded.hlc > sync_stamp.hlc""",
        [(e.entity, e.row_id, e.field, e.hlc) for e in entries if e.field is not None])
    forget([op for e in entries for op in (e.op_id, *e.covers)])


def forget(op_ids: list[str]) -> None:
    """Drop outbox entries (inside the caller's transaction)."""
    database.cursor().executemany("DELETE FROM outbox WHERE op_id = ?",
                                  [(op,) for op in op_ids])
