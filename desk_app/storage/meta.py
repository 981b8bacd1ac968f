"""Small per-database facts: the device id, the hybrid clock's last stamp."""

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


def load_clock() -> HybridClock:
    """The device's hybrid clock, continuing from its last stored stamp."""
    stored = dict(database.execute_sql(
        "SELECT key, value FROM meta WHERE key IN ('device_id', 'hlc')").fetchall())
    device = stored.get("device_id") or device_id()
    last = stored.get("hlc")
    return HybridClock(device, Stamp.decode(last) if last else None)


def save_clock(clock: HybridClock) -> None:
    """Persist the clock's last stamp (inside the activity's transaction)."""
    database.execute_sql("INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?)",
                         (clock.last.encode(),))
