"""Small per-database facts: the device id, the hybrid clock's last stamp and the
device clock's measured offset from the team server."""

import time
from collections.abc import Callable

from desk_app.core.hlc import HybridClock, Stamp
from desk_app.core.ids import uuid7
from desk_app.storage.database import database
from desk_app.storage.models import Meta


def get_meta(key: str) -> str | None:
    """The stored value of ``key``, if any."""
    row = Meta.get_or_none(Meta.key == key)
    return row.value if row else None


def set_meta(key: str, value: str) -> None:
    """Store ``value`` under ``key``."""
    Meta.insert(key=key, value=value).on_conflict_replace().execute()


def device_id() -> str:
    """This install's device id, made once."""
    value = get_meta("device_id")
    if value is None:
        value = uuid7()
        set_meta("device_id", value)
    return value


def system_millis() -> int:
    """The device's wall clock in Unix milliseconds."""
    return int(time.time() * 1000)


def load_clock(wall: Callable[[], int] = system_millis) -> HybridClock:
    """The device's hybrid clock, continuing from its last stored stamp.

    ``wall`` is the device clock; the offset measured against the team server at the
    last connect is taken off it, so stamps follow the server's time."""
    stored = dict(database.execute_sql(
        "SELECT key, value FROM meta WHERE key IN ('device_id', 'hlc', 'clock_offset_ms')"
    ).fetchall())
    device = stored.get("device_id") or device_id()
    last = stored.get("hlc")
    offset = int(stored.get("clock_offset_ms") or 0)
    return HybridClock(device, Stamp.decode(last) if last else None,
                       wall=(lambda: wall() - offset) if offset else wall)


def save_clock(clock: HybridClock) -> None:
    """Persist the clock's last stamp (inside the activity's transaction)."""
    database.execute_sql("INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?)",
                         (clock.last.encode(),))
