"""Copies of the desk file: a backup taken with SQLite's online backup (a consistent
copy while the window or another command writes), and a restore that checks the file
first and keeps the current desk aside.

A restored desk (or a copy on a second computer) carries the device id of the desk it
came from; the next sync recognises that (:mod:`desk_app.sync.identity`).
"""

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desk_app.core.errors import InvalidValue, Refused
from desk_app.storage.database import MIGRATIONS_DIR

_DESK_TABLES = {"meta", "ticket", "schema_migration", "outbox", "policy_section"}


@dataclass(frozen=True)
class DeskFile:
    """What a desk file holds, as far as a restore cares."""

    path: Path
    device_id: str
    tickets: int
    team_database: bool


def known_migrations() -> set[str]:
    """The names of the local schema migrations this version knows."""
    return {p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py")}


def backup_database(source: sqlite3.Connection, target: Path) -> Path:
    """Copy the open database ``source`` into the new file ``target`` (a folder: a
    dated file in it) with SQLite's online backup; returns the file written."""
    if target.is_dir():
        target = target / f"desk-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    if target.exists():
        raise Refused("path", f"{target} exists already; name a new file")
    if target.parent.exists() and not target.parent.is_dir():
        raise InvalidValue("path", f"{target.parent} is a file, not a folder")
    if not target.parent.is_dir():
        raise InvalidValue("path", f"the folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise InvalidValue("path", f"cannot write in the folder {target.parent} "
                           "(read-only, or not yours)")
    return _copy_into(source, target)


def _copy_into(source: sqlite3.Connection, target: Path) -> Path:
    """Write ``source`` into the new (or just claimed, empty) file ``target``."""
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # one step: a consistent snapshot of the desk
        # One self-contained file, readable where nothing may be written next to it.
        copy.execute("PRAGMA journal_mode = delete")
    except sqlite3.Error:
        copy.close()
        target.unlink(missing_ok=True)
        raise
    copy.close()
    return target


def read_desk_file(path: Path) -> DeskFile:
    """Check that ``path`` is a desk this version can open (refused otherwise, naming
    why) and say what it holds."""
    if not path.is_file():
        raise InvalidValue("path", f"{path} is not a file")
    if not os.access(path, os.R_OK):
        raise InvalidValue("path", f"cannot read {path} (permission denied)")
    try:
        with _read_only(path) as con:
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not _DESK_TABLES.issubset(tables):
                raise InvalidValue("path", f"{path} is not a desk-app database")
            unknown = {r[0] for r in con.execute("SELECT name FROM schema_migration")} \
                - known_migrations()
            if unknown:
                raise InvalidValue("path", f"{path} was written by a newer desk-app "
                                   f"({', '.join(sorted(unknown))} unknown to this version)")
            meta = dict(con.execute(
                "SELECT key, value FROM meta WHERE key IN ('device_id', 'server_id')"))
            tickets = con.execute("SELECT count(*) FROM ticket").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise InvalidValue("path", f"{path} is not a desk-app database ({error})") from None
    return DeskFile(path, meta.get("device_id", ""), tickets, "server_id" in meta)


def _claim_aside(desk: Path) -> Path:
    """A new, empty file next to ``desk`` for the desk as it was, claimed atomically:
    two restores in the same second (or at once) each keep their own copy."""
    stem = f"{desk.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}"
    for attempt in range(1, 1000):
        aside = desk.with_name(stem if attempt == 1 else f"{stem}-{attempt}")
        try:
            os.close(os.open(aside, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return aside
    raise Refused("path", f"too many copies named {stem}* next to {desk}")


class _read_only:
    """A backup opened for reading. A WAL-mode file in a folder where its -shm file
    cannot be made (read-only media, no write access) is read as immutable: a backup
    is not being written."""

    def __init__(self, path: Path) -> None:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        try:
            self.con = sqlite3.connect(uri, uri=True)
            self.con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            self.con = sqlite3.connect(f"{uri}&immutable=1", uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self.con

    def __exit__(self, *exc) -> None:
        self.con.close()


def check_restore(backup: Path, desk: Path) -> DeskFile:
    """Refuse (changing nothing) a ``backup`` that cannot replace ``desk``: not a desk
    this version opens, or the desk itself; else say what it holds."""
    found = read_desk_file(backup)
    if desk.exists() and backup.resolve() == desk.resolve():
        raise InvalidValue("path", f"{backup} is the desk itself")
    return found


def restore_database(backup: Path, desk: Path) -> Path | None:
    """Replace the desk at ``desk`` by ``backup`` (checked first with
    :func:`check_restore`), through SQLite's backup (a process that has the desk open
    sees the restored one, never half of it). The current desk is first copied aside
    (returned, None when there was none)."""
    aside = None
    if desk.exists():
        aside = _claim_aside(desk)
        current = sqlite3.connect(desk)
        try:
            _copy_into(current, aside)
        finally:
            current.close()
    desk.parent.mkdir(parents=True, exist_ok=True)
    with _read_only(backup) as source:
        target = sqlite3.connect(desk, timeout=300)
        try:
            source.backup(target)
        finally:
            target.close()
    return aside
