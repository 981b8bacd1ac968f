"""After a sync: does our synced copy match the team database? Counts and a hash per
table over the rows the sync touched (or every row, for a full check), compared with
the state the server's change log resolves to. Rows with changes still pending here
are left out: they are about to differ."""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg

from desk_app.core.merge import Change, resolve_rows, union_rows
from desk_app.storage.database import database
from desk_app.sync.entities import APPENDED, ENTITIES, MUTABLE, Entity

_CHUNK = 500


@dataclass
class TableCheck:
    """Rows compared in one table: count and hash on each side."""

    local_count: int = 0
    server_count: int = 0
    local_hash: str = ""
    server_hash: str = ""
    differing: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return not self.differing and self.local_count == self.server_count


@dataclass
class Verification:
    tables: dict[str, TableCheck] = field(default_factory=dict)

    @property
    def matches(self) -> bool:
        return all(t.matches for t in self.tables.values())

    def mismatched(self) -> dict[str, list[str]]:
        """Table -> row ids (ticket ids for appended tables) that differ."""
        return {name: t.differing for name, t in self.tables.items() if not t.matches}


def canonical(kind: Entity, row: dict[str, Any]) -> str:
    """A row as text both sides produce alike (known columns, sorted, JSON)."""
    values = {c: _plain(row.get(c)) for c in kind.columns}
    if kind.name == "policy_section":
        values = {"key": values["key"], "value": _policy_value(values["value"])}
    return json.dumps(values, sort_keys=True, separators=(",", ":"))


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _policy_value(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def local_rows(table: str, column: str, keys: list[str]) -> list[dict[str, Any]]:
    rows = []
    for chunk in _chunks(keys):
        cursor = database.execute_sql(
            f"SELECT * FROM {table} WHERE {column} IN ({', '.join('?' for _ in chunk)})",
            chunk)
        names = [d[0] for d in cursor.description]
        rows += [dict(zip(names, r, strict=True)) for r in cursor]
    return rows


def server_changes(conn: psycopg.Connection, entities: Iterable[str], row_ids: list[str],
                    device: str, cursor: tuple[str, int]) -> list[Change]:
    changes = []
    for chunk in _chunks(row_ids, 2000):
        for entity, row_id, field_name, value, hlc in conn.execute(
                """SELECT entity, row_id, field, value, hlc FROM desk.change
                   WHERE entity = ANY(%s) AND row_id = ANY(%s)
                     AND ((txid, seq) <= (%s::xid8, %s) OR device_id = %s)""",
                (list(entities), chunk, cursor[0], cursor[1], device)):
            changes.append(Change(entity, row_id, field_name, value, hlc))
    return changes


def _pending_rows() -> set[tuple[str, str]]:
    pending = set()
    for entity, row_id in database.execute_sql("SELECT DISTINCT entity, row_id FROM outbox"):
        kind = ENTITIES.get(entity)
        pending.add(("ticket" if kind and kind.appended else entity, row_id))
    return pending


def _digest(texts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for text in sorted(texts):
        h.update(text.encode())
        h.update(b"\n")
    return h.hexdigest()


def _compare(check: TableCheck, local: dict[str, str], server: dict[str, str],
             group_of: dict[str, str] | None = None) -> None:
    check.local_count += len(local)
    check.server_count += len(server)
    check.local_hash = _digest(local.values())
    check.server_hash = _digest(server.values())
    for key in set(local) | set(server):
        if local.get(key) != server.get(key):
            check.differing.append(group_of.get(key, key) if group_of else key)


def verify(conn: psycopg.Connection, touched: set[tuple[str, str]], device: str,
           cursor: tuple[str, int]) -> Verification:
    """Compare the touched rows ((entity, id) pairs; a ticket pair covers its appended
    rows too) with the team database as of ``cursor`` plus our own pushes."""
    result = Verification()
    pending = _pending_rows()
    for kind in MUTABLE:
        ids = sorted(r for e, r in touched if e == kind.name and (e, r) not in pending)
        check = result.tables.setdefault(kind.name, TableCheck())
        if not ids:
            continue
        found = local_rows(kind.name, kind.key, ids)
        local = {row[kind.key]: canonical(kind, row) for row in found}
        states = resolve_rows(server_changes(conn, [kind.name], ids, device, cursor))
        server = {}
        for row_id, state in states.items():
            if kind.name == "policy_section":
                server[row_id] = canonical(kind, {"key": row_id, **state.values})
            elif state.created is not None:
                server[row_id] = canonical(kind, state.values)
        if kind.name == "policy_section":  # sections exist on every desk; compare changed ones
            local = {k: v for k, v in local.items() if k in server}
        _compare(check, local, server)
    tickets = sorted(r for e, r in touched if e == "ticket" and (e, r) not in pending)
    if tickets:
        changes = server_changes(conn, [k.name for k in APPENDED], tickets, device, cursor)
        for kind in APPENDED:
            rows = union_rows([c for c in changes if c.entity == kind.name])
            server = {i: canonical(kind, r) for i, r in rows.items()}
            here = local_rows(kind.name, "ticket_id", tickets)
            local = {r["id"]: canonical(kind, r) for r in here}
            owner = {r["id"]: r["ticket_id"] for r in here}
            owner.update({i: r["ticket_id"] for i, r in rows.items()})
            _compare(result.tables.setdefault(kind.name, TableCheck()), local, server, owner)
    return result
