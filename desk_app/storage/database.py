"""The local SQLite database: created late, opened with the pragmas we rely on."""

import logging
from pathlib import Path

from peewee import SqliteDatabase
from playhouse.migrations import Runner

from desk_app.core.errors import DeskUnavailable

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# How long a writer waits for another process's write transaction (a CLI import next to
# the window, two commands at once) before giving up: long enough for a big import.
BUSY_TIMEOUT_MS = 300_000

# WAL for concurrent readers, foreign keys on, and synchronous=FULL: this file holds
# work that may not have reached the server yet, so a commit must survive power loss.
# busy_timeout comes first: switching a new file to WAL already needs to wait its turn.
PRAGMAS = {
    "busy_timeout": BUSY_TIMEOUT_MS,
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,
    "cache_size": -16_000,  # 16 MB a connection: the OS cache holds the rest
    "temp_store": 2,
}

# Every write transaction starts BEGIN IMMEDIATE: it takes the write lock before its
# first read, so it waits (busy_timeout) for another writer instead of failing with
# "database is locked" when that writer commits between our read and our write, which
# WAL cannot resolve for a deferred transaction.
database = SqliteDatabase(None, lock_type="IMMEDIATE")


def open_database(path: Path) -> SqliteDatabase:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not database.is_closed():
        database.close()
    database.init(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000)
    database.connect()
    runner = Runner(database, str(MIGRATIONS_DIR))
    refuse_newer_schema(runner, path)
    with database.atomic():  # several first starts at once: one migrates, the others wait
        applied = runner.up()
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    return database


def refuse_newer_schema(runner: Runner, path: Path) -> None:
    """Refuse (and close) a database whose migration history lists migrations this
    version does not know: a newer desk-app wrote it, and this one would damage it."""
    unknown = sorted(set(runner.applied()) - {m.name for m in runner.migrations()})
    if unknown:
        database.close()
        raise DeskUnavailable(
            f"{path} was written by a newer desk-app ({', '.join(unknown)} unknown to "
            "this version)", "install the newer version to open it")


def close_database() -> None:
    """Close the connection (checkpointing the WAL)."""
    if not database.is_closed():
        database.close()
