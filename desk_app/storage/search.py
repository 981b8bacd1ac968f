"""Full-text search (FTS5) over number, summary, description, worklog and resolution
notes."""

import re
from contextlib import contextmanager

from desk_app.storage.database import database

_WORD = re.compile(r"[^\s\"]+")


def fts_query(text: str, any_word: bool = False) -> str | None:
    """A user's search text as a safe FTS5 query: every word (or, with ``any_word``, any
    word) must match, the last one as a prefix (so results follow typing). ``None`` when
    there is nothing to search."""
    words = _WORD.findall(text)
    if not words:
        return None
    phrases = [f'"{w}"' for w in words]
    phrases[-1] += "*"
    return (" OR " if any_word else " AND ").join(phrases)


@contextmanager
def search_index_rebuilt_after(first_new_rowid: int):
    """For bulk loads inside one transaction: drop the per-row index triggers, and when
    the block ends index every ticket from ``first_new_rowid`` on in one statement.

    The triggers are put back exactly as the schema defines them now, whichever
    migration last changed them."""
    triggers = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND name LIKE 'ticket\\_search\\_%' ESCAPE '\\'").fetchall()
    for name, _ in triggers:
        database.execute_sql(f"DROP TRIGGER {name}")
    try:
        yield
        database.execute_sql(
            """INSERT INTO ticket_search (rowid, number, summary, description, worklog,
                                         resolution)
               SELECT t.rowid, t.number, t.summary, t.description,
                      COALESCE((SELECT group_concat(w.note, ' ') FROM worklog w
                                WHERE w.ticket_id = t.id), ''),
                      COALESCE(t.resolution_notes, '')
               FROM ticket t WHERE t.rowid >= ?""", (first_new_rowid,))
    finally:
        for _, statement in triggers:
            database.execute_sql(statement)


def next_ticket_rowid() -> int:
    """The rowid the next inserted ticket will get (at least)."""
    return database.execute_sql("SELECT COALESCE(MAX(rowid), 0) + 1 FROM ticket").fetchone()[0]
