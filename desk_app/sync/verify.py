"""After a sync: does our synced copy match the team database? Counts and a hash per
table over the rows the sync touched (or every row, for a full check), compared with
the state the server's change log resolves to. Rows with changes still pending here
are left out: they are about to differ."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from desk_app.core.merge import history_by_ticket, resolve_rows, union_rows, with_derived
from desk_app.storage.database import database
from desk_app.storage.policy_store import refused_sections
from desk_app.storage.rows import rows_where_in
from desk_app.sync.entities import APPENDED, MUTABLE, Entity, owner
from desk_app.sync.local import LocalRunner, run_here
from desk_app.sync.server_log import server_changes


@dataclass
class TableCheck:
    """Rows compared in one table: count and hash on each side, and (only when those
    differ) which rows."""

    local_count: int = 0
    server_count: int = 0
    local_hash: str = ""
    server_hash: str = ""
    differing: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return (self.local_count, self.local_hash) == (self.server_count, self.server_hash)

    @classmethod
    def of(cls, local: dict[str, str], server: dict[str, str],
           group_of: dict[str, str] | None = None) -> "TableCheck":
        """Compare canonical rows by id; ``group_of`` names what a differing row is
        reported as (its ticket, for appended rows)."""
        check = cls(len(local), len(server), _digest(local.values()), _digest(server.values()))
        if not check.matches:
            group_of = group_of or {}
            check.differing = sorted({group_of.get(k, k) for k in local.keys() | server.keys()
                                      if local.get(k) != server.get(k)})
        return check


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


def _pending_rows() -> set[tuple[str, str]]:
    return {owner(entity, row_id) for entity, row_id in
            database.execute_sql("SELECT DISTINCT entity, row_id FROM outbox")}


def _digest(texts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for text in sorted(texts):
        h.update(text.encode())
        h.update(b"\n")
    return h.hexdigest()


def verify(conn: psycopg.Connection, touched: set[tuple[str, str]], device: str,
           cursor: tuple[str, int], local: LocalRunner = run_here) -> Verification:
    """Compare the touched rows ((entity, id) pairs; a ticket pair covers its appended
    rows too) with the team database as of ``cursor`` plus our own pushes. The server
    is read first; then one local step (``local`` runs it on the database's owner) reads
    our rows together with what is pending, so work done meanwhile in the window, still
    pending, is left out of the comparison rather than counted as a difference."""
    pending = local(_pending_rows)
    wanted = {kind.name: sorted(r for e, r in touched if e == kind.name
                                and (e, r) not in pending) for kind in MUTABLE}
    server: dict[str, dict[str, str]] = {}
    for kind in MUTABLE:
        if wanted[kind.name]:
            server[kind.name] = _server_rows(conn, kind, wanted[kind.name], device, cursor)
    tickets = sorted(r for e, r in touched if e == "ticket" and (e, r) not in pending)
    appended = union_by_kind(server_changes(conn, [k.name for k in APPENDED], tickets,
                                            device, cursor)) if tickets else {}

    def ours() -> tuple[set[tuple[str, str]], dict[str, dict[str, str]], list, set[str]]:
        here = {kind.name: {row[kind.key]: canonical(kind, row)
                            for row in rows_where_in(kind.name, kind.key, wanted[kind.name])}
                for kind in MUTABLE if wanted[kind.name]}
        children = {kind.name: rows_where_in(kind.name, "ticket_id", tickets)
                    for kind in APPENDED} if tickets else {}
        return _pending_rows(), here, children, set(refused_sections())

    pending_now, here, children, refused = local(ours)
    result = Verification()
    for kind in MUTABLE:
        if not wanted[kind.name]:
            continue
        local_rows, theirs = here[kind.name], server[kind.name]
        if kind.name == "policy_section":
            # sections exist on every desk: compare the changed ones, except those kept
            # out as invalid
            local_rows = {k: v for k, v in local_rows.items()
                          if k in theirs and k not in refused}
            theirs = {k: v for k, v in theirs.items() if k not in refused}
        moved = {r for e, r in pending_now if e == kind.name}  # changed here meanwhile
        result.tables[kind.name] = TableCheck.of(
            {k: v for k, v in local_rows.items() if k not in moved},
            {k: v for k, v in theirs.items() if k not in moved})
    if tickets:
        busy = {r for e, r in pending_now if e == "ticket"}  # appended to meanwhile
        for kind in APPENDED:
            rows = {i: r for i, r in appended.get(kind.name, {}).items()
                    if r["ticket_id"] not in busy}
            mine = [r for r in children[kind.name] if r["ticket_id"] not in busy]
            ticket_of = {r["id"]: r["ticket_id"] for r in [*mine, *rows.values()]}
            result.tables[kind.name] = TableCheck.of(
                {r["id"]: canonical(kind, r) for r in mine},
                {i: canonical(kind, r) for i, r in rows.items()}, ticket_of)
    return result


def _server_rows(conn: psycopg.Connection, kind: Entity, ids: list[str], device: str,
                 cursor: tuple[str, int]) -> dict[str, str]:
    """The canonical rows the server's change log resolves ``ids`` of ``kind`` to."""
    states = resolve_rows(server_changes(conn, [kind.name], ids, device, cursor))
    history = history_by_ticket(server_changes(conn, ["history"], ids, device, cursor)) \
        if kind.name == "ticket" else {}
    server = {}
    for row_id, state in states.items():
        if kind.name == "policy_section":
            server[row_id] = canonical(kind, {"key": row_id, **state.values})
        elif kind.name == "ticket" and state.created is not None:
            server[row_id] = canonical(kind, with_derived(state.values, history.get(row_id, [])))
        elif state.created is not None:
            server[row_id] = canonical(kind, state.values)
    return server


def union_by_kind(changes: list) -> dict[str, dict[str, dict[str, Any]]]:
    """Appended rows from the server's changes, by table, unioned by id."""
    return {kind.name: union_rows([c for c in changes if c.entity == kind.name])
            for kind in APPENDED}
