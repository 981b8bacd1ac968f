"""The sync outbox: our changes waiting to be pushed to the team database."""

import json
from collections.abc import Iterable
from typing import Any

from desk_app.core.hlc import HybridClock
from desk_app.core.ids import uuid7
from desk_app.storage.models import Outbox
from desk_app.storage.rows import columns_of, insert_rows

NEW = object()  # the value of an entry that announces new rows rather than a field


def outbox_entry(clock: HybridClock, entity: str, row_id: str, field: str | None = None,
                 value: Any = NEW, hlc: str | None = None) -> dict[str, Any]:
    """One outbox row, stamped by ``clock`` (or with ``hlc``, a stamp it issued, when
    several changes must carry one clock). A field change carries its value (JSON);
    a new row has no field and no value; appended rows of a ticket (history,
    worklog...) have no field and the list of their ids as value."""
    return {"op_id": uuid7(), "entity": entity, "row_id": row_id, "field": field,
            "value": None if value is NEW else json.dumps(value),
            "hlc": hlc or clock.tick().encode(), "device_id": clock.device}


def as_row(entry: dict[str, Any]) -> tuple:
    """An outbox entry as a tuple in column order (for bulk writers)."""
    return tuple(entry[column] for column in columns_of(Outbox))


def queue(entries: Iterable[dict[str, Any]]) -> None:
    """Write outbox rows (inside the caller's transaction)."""
    insert_rows(Outbox, entries)
