"""The local SQLite database: created late, opened with the pragmas we rely on."""

import logging
from pathlib import Path

from peewee import SqliteDatabase
from playhouse.migrations import Runner

from desk_app.core.errors import DeskUnavailable

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# WAL for concurrent readers, foreign keys on, and synchronous=FULL: this file holds
# work that may not have reached the server yet, so a commit must survive power loss.
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,
    "busy_timeout": 10_000,
    "cache_size": -16_000,  # 16 MB a connection: the OS cache holds the rest
    "temp_store": 2,
}

database = SqliteDatabase(None)


def open_database(path: Path) -> SqliteDatabase:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not database.is_closed():
        database.close()
    database.init(str(path), pragmas=PRAGMAS)
    database.connect()
    runner = Runner(database, str(MIGRATIONS_DIR))
    refuse_newer_schema(runner, path)
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
