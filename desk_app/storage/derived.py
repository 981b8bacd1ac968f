"""Ticket columns kept equal to what their history derives (counters, levels; see
:mod:`desk_app.core.field_units`), rewritten inside the caller's transaction."""

from collections.abc import Iterable

from desk_app.core.field_units import DERIVED, derived_values
from desk_app.storage.database import database

_CHUNK = 500
_COLUMNS = sorted(DERIVED)


def recount(ticket_ids: Iterable[str]) -> int:
    """Set the derived columns of these tickets from their history rows; returns how
    many tickets changed."""
    ids = sorted(set(ticket_ids))
    changed = 0
    fields = ", ".join("?" for _ in _COLUMNS)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        history: dict[str, list[dict]] = {i: [] for i in chunk}
        for ticket_id, field, old, new in database.execute_sql(
                f"SELECT ticket_id, field, old, new FROM history WHERE ticket_id IN ({marks}) "
                f"AND field IN ({fields})", [*chunk, *_COLUMNS]):
            history[ticket_id].append({"field": field, "old": old, "new": new})
        stored = {row[0]: dict(zip(_COLUMNS, row[1:], strict=True)) for row in
                  database.execute_sql(f"SELECT id, {', '.join(_COLUMNS)} FROM ticket "
                                       f"WHERE id IN ({marks})", chunk)}
        updates = []
        for ticket_id, current in stored.items():
            values = derived_values(history[ticket_id])
            if values != current:
                updates.append([*(values[c] for c in _COLUMNS), ticket_id])
        database.cursor().executemany(
            f"UPDATE ticket SET {', '.join(f'{c} = ?' for c in _COLUMNS)} WHERE id = ?",
            updates)
        changed += len(updates)
    return changed
