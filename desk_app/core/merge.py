"""How changes from many devices merge into one state.

Scalar fields: last writer wins per field, by hybrid clock. Long texts that lose are
kept as conflict entries. Append-only rows (history, worklog, ticks, links) merge by
union on their ids. A whole new row carries the values it had when it was pushed;
every later field change carries its own clock.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

_CONFLICTS = uuid.UUID("9b0c8a31-2f4e-4e57-8d6a-0c1e5f7a9b22")


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


def union_rows(changes: list[Change]) -> dict[str, dict[str, Any]]:
    """Append-only rows from changes whose value is a list of rows: union by id."""
    rows: dict[str, dict[str, Any]] = {}
    for change in changes:
        for row in change.value:
            rows.setdefault(row["id"], row)
    return rows


def conflict_entry(ticket_id: str, field_name: str, losing_value: Any, losing_hlc: str,
                   at_millis: int) -> dict[str, Any]:
    """The history row that keeps a losing long text visible. Every device that sees
    the same conflict makes the same row (same id, same content), so they merge."""
    entry_id = str(uuid.uuid5(_CONFLICTS, f"{ticket_id}:{field_name}:{losing_hlc}"))
    return {"id": entry_id, "ticket_id": ticket_id, "at": at_millis, "by": "sync",
            "field": f"conflict: {field_name}", "old": losing_value, "new": None}
