"""Full-text search (FTS5) over number, summary, description and worklog."""

import importlib.util
import re
from contextlib import contextmanager

from desk_app.storage.database import MIGRATIONS_DIR, database

_WORD = re.compile(r"[^\s\"]+")


def fts_query(text: str) -> str | None:
    """A user's search text as a safe FTS5 query: every word must match, the last one
    as a prefix (so results follow typing). ``None`` when there is nothing to search."""
    words = _WORD.findall(text)
    if not words:
        return None
    phrases = [f'"{w}"' for w in words]
    phrases[-1] += "*"
    return " AND ".join(phrases)


def _search_triggers() -> list[str]:
    spec = importlib.util.spec_from_file_location(
        "initial_schema", MIGRATIONS_DIR / "0001_initial.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SEARCH_TRIGGERS


@contextmanager
def search_index_rebuilt_after(first_new_rowid: int):
    """For bulk loads inside one transaction: drop the per-row index triggers, and when
    the block ends index every ticket from ``first_new_rowid`` on in one statement."""
    triggers = _search_triggers()
    for name in ("ticket_search_insert", "ticket_search_update", "ticket_search_worklog"):
        database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
        database.execute_sql(
            """INSERT INTO ticket_search (rowid, number, summary, description, worklog)
               SELECT t.rowid, t.number, t.summary, t.description,
                      COALESCE((SELECT group_concat(w.note, ' ') FROM worklog w
                                WHERE w.ticket_id = t.id), '')
               FROM ticket t WHERE t.rowid >= ?""", (first_new_rowid,))
    finally:
        for statement in triggers:
            database.execute_sql(statement)


def next_ticket_rowid() -> int:
    """The rowid the next inserted ticket will get (at least)."""
    return database.execute_sql("SELECT COALESCE(MAX(rowid), 0) + 1 FROM ticket").fetchone()[0]
