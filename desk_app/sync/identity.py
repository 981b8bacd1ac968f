"""Which device a desk is to the team database.

A desk file copied to a second computer, or restored from a backup, still carries its
device id. Sync never pulls changes stamped with its own device, so two live copies
would never see each other's work and a restored desk would never get back what it had
pushed after the backup. Each desk therefore counts the changes the server stored for
it; when the server holds more changes of this device than the desk ever pushed,
another copy pushed as this device (or the desk went back in time): the desk takes a
new device identity and resyncs fully (the old device's changes are pulled like
anyone's, and every row is verified against the server and repaired), losing nothing:
its pending work stays in the outbox and goes out under the new identity.
"""

import json

import psycopg

from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.storage.database import database
from desk_app.storage.meta import device_id, get_meta, set_meta
from desk_app.sync.numbers import drop_team_blocks


def _pushed_key(device: str) -> str:
    return f"pushed_changes:{device}"


def pushed_count(device: str) -> int | None:
    """How many changes the server stored from this desk as ``device`` (None: the desk
    joined before it counted them)."""
    value = get_meta(_pushed_key(device))
    return int(value) if value is not None else None


def set_pushed_count(device: str, count: int) -> None:
    """Store the count (inside the caller's transaction)."""
    set_meta(_pushed_key(device), str(count))


def add_pushed(device: str, count: int) -> None:
    """Count changes the server acknowledged as new (inside the caller's transaction)."""
    database.execute_sql(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
        "SET value = CAST(value AS INTEGER) + excluded.value", (_pushed_key(device), count))


def server_count(conn: psycopg.Connection, device: str) -> int:
    """How many changes the team database holds from ``device``."""
    return conn.execute("SELECT count(*) FROM desk.change WHERE device_id = %s",
                        (device,)).fetchone()[0]


def outbox_ops() -> list[str]:
    """The op ids still in the outbox (pushed or not: an acknowledgement can be lost)."""
    return [r[0] for r in database.execute_sql("SELECT op_id FROM outbox")]


def stored_unacknowledged(conn: psycopg.Connection, device: str, ops: list[str]) -> int:
    """How many of the server's changes from ``device`` are pushes of these outbox
    entries (a new ticket's rows go as ``op_id:...:table``): stored, but the desk stopped
    before it counted them."""
    if not ops:
        return 0
    return conn.execute(
        "SELECT count(*) FROM desk.change WHERE device_id = %s "
        "AND split_part(op_id, ':', 1) = ANY(%s)", (device, ops)).fetchone()[0]


def hold_device(conn: psycopg.Connection, device: str) -> None:
    """Wait for any other sync of this device (another process on the same desk, or a
    copy) to finish; the lock lasts as long as the connection."""
    conn.execute("SELECT pg_advisory_lock(hashtext('desk-app device ' || %s))", (device,))


def former_devices() -> frozenset[str]:
    """The device ids this desk had before it took a new identity."""
    return frozenset(json.loads(get_meta("former_device_ids") or "[]"))


def take_new_identity() -> str:
    """Become a new device (inside the caller's transaction): a new device id, the
    pending changes restamped as this device's, no number blocks (the other copy
    spends the same ones). Returns the new id.

    The pull cursor stays: from it on, the old device's changes now arrive like
    anyone's; those before it that this desk never took (another copy's) are found by
    the full verification the sync then runs, and repaired. Pulling the whole log
    again instead would replay every edit this desk has long seen overwritten."""
    old = device_id()
    new = uuid7()
    set_meta("device_id", new)
    former = json.loads(get_meta("former_device_ids") or "[]")
    set_meta("former_device_ids", json.dumps([*former, old]))
    set_pushed_count(new, 0)
    rows = database.execute_sql("SELECT op_id, hlc FROM outbox").fetchall()
    database.cursor().executemany(
        "UPDATE outbox SET hlc = ?, device_id = ? WHERE op_id = ?",
        [(_as_device(hlc, new), new, op) for op, hlc in rows])
    last = get_meta("hlc")
    if last:
        set_meta("hlc", _as_device(last, new))
    drop_team_blocks()
    return new


def _as_device(hlc: str, device: str) -> str:
    stamp = Stamp.decode(hlc)
    return Stamp(stamp.millis, stamp.counter, device).encode()
