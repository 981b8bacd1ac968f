"""Repair: make rows match the team database again, never losing local work.

For each row: the state the server's change log resolves to wins, except fields with
a local edit still pending (they are about to be pushed). A row or appended entry the
server lacks and that is not pending is queued again instead of being dropped.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from desk_app.core.hlc import HybridClock
from desk_app.core.merge import Change, RowState, resolve_rows, union_rows
from desk_app.storage.database import database
from desk_app.storage.derived import recount
from desk_app.storage.meta import load_clock, save_clock, system_millis
from desk_app.storage.outbox import outbox_entry, queue
from desk_app.storage.policy_store import note_policy_changed, read_sections
from desk_app.storage.rows import rows_where_in
from desk_app.sync.entities import APPENDED, MUTABLE, Entity, entity
from desk_app.sync.incoming import merge_appended, stored_value
from desk_app.sync.local import LocalRunner, run_here
from desk_app.sync.policy_apply import apply_policy_sections
from desk_app.sync.server_log import server_changes


def _upsert(kind: Entity, row: dict[str, Any]) -> None:
    columns = [c for c in kind.columns if c in row]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != kind.key)
    value = [stored_value(kind, c, row[c]) for c in columns]
    database.execute_sql(
        f"INSERT INTO {kind.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT ({kind.key}) DO UPDATE SET {updates}", value)


@dataclass
class _Pending:
    """What the outbox holds: local work repair must keep."""

    fields: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    new_rows: set[tuple[str, str]] = field(default_factory=set)
    appended: set[str] = field(default_factory=set)

    @classmethod
    def read(cls) -> "_Pending":
        pending = cls()
        for entity_name, row_id, field_name, value in database.execute_sql(
                "SELECT entity, row_id, field, value FROM outbox ORDER BY hlc"):
            if field_name is not None:
                pending.fields.setdefault((entity_name, row_id), {})[field_name] = \
                    json.loads(value)
            elif entity(entity_name).appended:
                pending.appended.update(json.loads(value))
            else:
                pending.new_rows.add((entity_name, row_id))
        return pending


def repair(conn: psycopg.Connection, rows: set[tuple[str, str]], device: str,
           cursor: tuple[str, int], force: bool = False,
           device_millis: Callable[[], int] = system_millis,
           local: LocalRunner = run_here) -> int:
    """Bring ``rows`` ((entity, id); a ticket covers its appended rows) in line with the
    team database: the server's side is read first, then one local transaction (run by
    ``local`` on the database's owner) rewrites them. Returns how many rows were
    rewritten or queued again. ``force`` also takes the server's value for fields
    pending here."""
    mutable = {kind.name: sorted(r for e, r in rows if e == kind.name) for kind in MUTABLE}
    states = {name: resolve_rows(server_changes(conn, [name], ids, device, cursor))
              for name, ids in mutable.items() if ids}
    tickets = sorted(r for e, r in rows if e == "ticket")
    appended = server_changes(conn, [k.name for k in APPENDED], tickets, device, cursor) \
        if tickets else []

    def rewrite() -> int:
        with database.atomic():
            database.execute_sql("PRAGMA defer_foreign_keys = ON")
            clock = load_clock(device_millis)
            pending = _Pending.read()
            fixed = sum(_repair_mutable(kind, mutable[kind.name], states.get(kind.name, {}),
                                        pending, clock, force) for kind in MUTABLE)
            fixed += _repair_appended(tickets, appended, pending, clock)
            recount(tickets)
            save_clock(clock)
        return fixed

    return local(rewrite)


def _repair_mutable(kind: Entity, ids: list[str], states: dict[str, RowState],
                    pending: _Pending, clock: HybridClock, force: bool) -> int:
    if not ids:
        return 0
    fixed = 0
    local = {r[kind.key] for r in rows_where_in(kind.name, kind.key, ids)}
    policy = kind.name == "policy_section"
    for row_id in ids:
        state = states.get(row_id)
        known = state is not None and any(c in state.values for c in kind.columns)
        if known and (state.created or policy):
            values = {kind.key: row_id, **state.values}
            if not force:
                values.update(pending.fields.get((kind.name, row_id), {}))
            if policy:
                values.setdefault("updated_at", 0)
                values.setdefault("updated_by", "sync")
                if row_id not in apply_policy_sections({row_id: values.get("value")}):
                    continue  # the last valid section is kept (the reason is noted)
                values["value"] = read_sections()[row_id]
            _upsert(kind, values)
            database.execute_sql("DELETE FROM sync_stamp WHERE entity = ? AND row_id = ?",
                                 (kind.name, row_id))
            database.cursor().executemany(
                "INSERT INTO sync_stamp (entity, row_id, field, hlc) VALUES (?, ?, ?, ?)",
                [(kind.name, row_id, f, h) for f, h in state.clocks.items()])
            fixed += 1
        elif row_id in local and (kind.name, row_id) not in pending.new_rows and not policy:
            queue([outbox_entry(clock, kind.name, row_id)])  # the server never got it
            fixed += 1
    if policy:
        note_policy_changed()
    return fixed


def _repair_appended(tickets: list[str], changes: list[Change], pending: _Pending,
                     clock: HybridClock) -> int:
    if not tickets:
        return 0
    fixed = 0
    for kind in APPENDED:
        server = union_rows([c for c in changes if c.entity == kind.name])
        local = {r["id"]: r for r in rows_where_in(kind.name, "ticket_id", tickets)}
        fixed += merge_appended(kind, list(server.values()))
        lost: dict[str, list[str]] = {}
        for row_id, row in local.items():
            if row_id not in server and row_id not in pending.appended \
                    and ("ticket", row["ticket_id"]) not in pending.new_rows:
                lost.setdefault(row["ticket_id"], []).append(row_id)
        queue(outbox_entry(clock, kind.name, ticket_id, None, ids)
              for ticket_id, ids in lost.items())
        fixed += sum(len(ids) for ids in lost.values())
    return fixed
