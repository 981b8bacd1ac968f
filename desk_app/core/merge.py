"""How changes from many devices merge into one state.

Scalar fields: last writer wins per field, by hybrid clock; fields that belong
together (:mod:`desk_app.core.field_units`) are sent together under one clock, so they
win together. Long texts that lose are kept as conflict entries. Append-only rows
(history, worklog, ticks, links) merge by union on their ids; two rows with one id
(entries made on several desks with the same deterministic id) keep the earlier.
Counters and levels are derived from the merged history. A whole new row carries the
values it had when it was pushed; every later field change carries its own clock.
"""

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from desk_app.core.field_units import derived_values

_CONFLICTS = uuid.UUID("9b0c8a31-2f4e-4e57-8d6a-0c1e5f7a9b22")
_ENTRIES = uuid.UUID("3d6f0b52-8a1e-4c7d-9e25-b41f07c2d8a6")


@dataclass(frozen=True)
class Change:
    """One change as the team database stores it."""

    entity: str
    row_id: str
    field: str | None  # None: a whole new row (or, for appended entities, new rows)
    value: Any
    hlc: str
    device: str = ""
    author: str = ""


@dataclass
class RowState:
    """A mutable row as the merged changes leave it: the values its first whole-row
    change carried, overlaid by the winning change of each field."""

    base: dict[str, Any] = field(default_factory=dict)
    created: str | None = None
    clocks: dict[str, str] = field(default_factory=dict)
    changed: dict[str, Any] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, Any]:
        return {**self.base, **self.changed}


def wins(incoming: str, current: str | None) -> bool:
    """Whether a change stamped ``incoming`` replaces a value stamped ``current``
    (encoded stamps sort like the stamps; the device id breaks ties)."""
    return current is None or incoming > current


def apply_change(state: RowState, change: Change) -> None:
    """Merge one change of a mutable row into ``state``; the result does not depend on
    the order changes arrive in."""
    if change.field is None:
        if state.created is None or change.hlc < state.created:
            state.created, state.base = change.hlc, dict(change.value)
        return
    if wins(change.hlc, state.clocks.get(change.field)):
        state.changed[change.field] = change.value
        state.clocks[change.field] = change.hlc


def resolve_rows(changes: list[Change]) -> dict[str, RowState]:
    """The merged state of every mutable row the changes touch, by row id."""
    rows: dict[str, RowState] = {}
    for change in changes:
        apply_change(rows.setdefault(change.row_id, RowState()), change)
    return rows


def row_order(row: Mapping[str, Any]) -> tuple[Any, str]:
    """Which of two appended rows with the same id every device keeps: the smaller."""
    return row.get("at") or 0, json.dumps(row, sort_keys=True, default=str)


def union_rows(changes: list[Change]) -> dict[str, dict[str, Any]]:
    """Append-only rows from changes whose value is a list of rows: union by id (of
    rows sharing an id, the one :func:`row_order` puts first)."""
    rows: dict[str, dict[str, Any]] = {}
    for change in changes:
        for row in change.value:
            kept = rows.get(row["id"])
            if kept is None or row_order(row) < row_order(kept):
                rows[row["id"]] = row
    return rows


def with_derived(values: dict[str, Any], history: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A merged ticket's values with its counters and levels derived from its merged
    history rows."""
    return {**values, **derived_values(history)}


def history_by_ticket(history_changes: list[Change]) -> dict[str, list[dict[str, Any]]]:
    """The merged history rows of each ticket (union of the history changes)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in union_rows(history_changes).values():
        rows.setdefault(row["ticket_id"], []).append(row)
    return rows


def entry_id(ticket_id: str, rule: str, threshold: str) -> str:
    """The id of an entry a time-driven rule makes (a breach, an escalation at a
    threshold, an auto-close): every desk running the rule makes the same id, so the
    union keeps one."""
    return str(uuid.uuid5(_ENTRIES, f"{ticket_id}:{rule}:{threshold}"))


def conflict_entry(ticket_id: str, field_name: str, losing_value: Any, losing_hlc: str,
                   at_millis: int, owner_column: str = "ticket_id") -> dict[str, Any]:
    """The history row that keeps a losing long text visible. Every device that sees
    the same conflict makes the same row (same id, same content), so they merge.
    ``owner_column`` names the row's owner (``article_id`` for an article's history)."""
    entry_id = str(uuid.uuid5(_CONFLICTS, f"{ticket_id}:{field_name}:{losing_hlc}"))
    return {"id": entry_id, owner_column: ticket_id, "at": at_millis, "by": "sync",
            "field": f"conflict: {field_name}", "old": losing_value, "new": None}
