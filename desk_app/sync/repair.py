"""Repair: make rows match the team database again, never losing local work.

For each row: the state the server's change log resolves to wins, except fields with
a local edit still pending (they are about to be pushed). A row or appended entry the
server lacks and that is not pending is queued again instead of being dropped.
"""

import json
from typing import Any

import psycopg

from desk_app.core.ids import uuid7
from desk_app.core.merge import resolve_rows, union_rows
from desk_app.storage.database import database
from desk_app.storage.meta import device_id, load_clock, save_clock
from desk_app.sync.entities import APPENDED, MUTABLE, Entity
from desk_app.sync.incoming import insert_rows
from desk_app.sync.verify import local_rows, server_changes


def _upsert(kind: Entity, row: dict[str, Any]) -> None:
    columns = [c for c in kind.columns if c in row]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != kind.key)
    value = [json.dumps(row[c], sort_keys=True)
             if kind.name == "policy_section" and c == "value" and not isinstance(row[c], str)
             else row[c] for c in columns]
    database.execute_sql(
        f"INSERT INTO {kind.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT ({kind.key}) DO UPDATE SET {updates}", value)


def _queue(entity: str, row_id: str, value: str | None, clock) -> None:
    database.execute_sql(
        "INSERT INTO outbox (op_id, entity, row_id, field, value, hlc, device_id) "
        "VALUES (?, ?, ?, NULL, ?, ?, ?)",
        (uuid7(), entity, row_id, value, clock.tick().encode(), device_id()))


def repair(conn: psycopg.Connection, rows: set[tuple[str, str]], device: str,
           cursor: tuple[str, int], force: bool = False) -> int:
    """Bring ``rows`` ((entity, id); a ticket covers its appended rows) in line with the
    team database in one local transaction. Returns how many rows were rewritten or
    queued again. ``force`` also takes the server's value for fields pending here."""
    fixed = 0
    with database.atomic():
        database.execute_sql("PRAGMA defer_foreign_keys = ON")
        clock = load_clock()
        pending_fields: dict[tuple[str, str], dict[str, Any]] = {}
        pending_new: set[tuple[str, str]] = set()
        pending_appended: set[str] = set()
        for entity, row_id, field, value in database.execute_sql(
                "SELECT entity, row_id, field, value FROM outbox ORDER BY hlc"):
            if field is not None:
                pending_fields.setdefault((entity, row_id), {})[field] = json.loads(value)
            elif entity in {k.name for k in APPENDED}:
                pending_appended.update(json.loads(value or "[]"))
            else:
                pending_new.add((entity, row_id))
        for kind in MUTABLE:
            ids = sorted(r for e, r in rows if e == kind.name)
            if not ids:
                continue
            states = resolve_rows(server_changes(conn, [kind.name], ids, device, cursor))
            local = {r[kind.key]: r for r in local_rows(kind.name, kind.key, ids)}
            for row_id in ids:
                state = states.get(row_id)
                known = state is not None and any(c in state.values for c in kind.columns)
                if known and (state.created or kind.name == "policy_section"):
                    values = {kind.key: row_id, **state.values}
                    if not force:
                        values.update(pending_fields.get((kind.name, row_id), {}))
                    if kind.name == "policy_section":
                        values.setdefault("updated_at", 0)
                        values.setdefault("updated_by", "sync")
                    _upsert(kind, values)
                    database.execute_sql(
                        "DELETE FROM sync_stamp WHERE entity = ? AND row_id = ?",
                        (kind.name, row_id))
                    database.cursor().executemany(
                        "INSERT INTO sync_stamp (entity, row_id, field, hlc) VALUES (?, ?, ?, ?)",
                        [(kind.name, row_id, f, h) for f, h in state.clocks.items()])
                    fixed += 1
                elif row_id in local and (kind.name, row_id) not in pending_new \
                        and kind.name != "policy_section":
                    _queue(kind.name, row_id, None, clock)
                    fixed += 1
            if kind.name == "policy_section":
                database.execute_sql(
                    "INSERT INTO meta (key, value) VALUES ('policy_revision', '1') "
                    "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
        tickets = sorted(r for e, r in rows if e == "ticket")
        if tickets:
            changes = server_changes(conn, [k.name for k in APPENDED], tickets, device, cursor)
            for kind in APPENDED:
                server = union_rows([c for c in changes if c.entity == kind.name])
                local = {r["id"]: r for r in local_rows(kind.name, "ticket_id", tickets)}
                fixed += insert_rows(kind, [r for i, r in server.items() if i not in local])
                lost: dict[str, list[str]] = {}
                for row_id, row in local.items():
                    if row_id not in server and row_id not in pending_appended \
                            and ("ticket", row["ticket_id"]) not in pending_new:
                        lost.setdefault(row["ticket_id"], []).append(row_id)
                for ticket_id, ids in lost.items():
                    _queue(kind.name, ticket_id, json.dumps(ids), clock)
                    fixed += len(ids)
        save_clock(clock)
    return fixed
