"""The local SQLite database: created late, opened with the pragmas we rely on."""

import logging
from pathlib import Path

from peewee import SqliteDatabase
from playhouse.migrations import Runner

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
    applied = Runner(database, str(MIGRATIONS_DIR)).up()
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    return database


def close_database() -> None:
    """Close the connection (checkpointing the WAL)."""
    if not database.is_closed():
        database.close()
