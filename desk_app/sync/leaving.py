"""A desk leaving its team database (``remote unset``) and, later, joining one again.

Leaving keeps every ticket and makes the desk standalone: the team's number blocks go
(numbers continue past the highest on the desk), the desk takes a new device identity
(whatever team it joins next has never seen it), and everything the server bookkept
for it is forgotten. Its next join then pushes all its tickets, as any standalone
desk's: numbers another desk holds there are renumbered, the old ones kept findable.
"""

from desk_app.core.enums import TicketType
from desk_app.storage.database import database
from desk_app.storage.meta import get_meta, load_clock, save_clock, set_meta
from desk_app.storage.numbering import ensure_standalone_blocks, skip_past
from desk_app.storage.outbox import outbox_entry, queue
from desk_app.sync.identity import take_new_identity

# What the desk knew about its team database, forgotten when it leaves.
_TEAM_KEYS = ("remote", "server_id", "sync_cursor", "last_sync", "last_error",
              "clock_offset_ms", "hlc_received", "numbering")
LEFT_TEAM = "left_team"


def leave_team() -> int:
    """Make the desk standalone (inside the caller's transaction); returns how many
    changes were still waiting to be pushed (they stay, for the next team)."""
    take_new_identity()
    database.execute_sql(
        f"DELETE FROM meta WHERE key IN ({', '.join('?' for _ in _TEAM_KEYS)}) "
        "OR key LIKE 'pushed_changes:%'", _TEAM_KEYS)
    set_meta(LEFT_TEAM, "1")
    ensure_standalone_blocks(tuple(t.prefix for t in TicketType))
    skip_past([r[0] for r in database.execute_sql("SELECT number FROM ticket")])
    return database.execute_sql("SELECT count(*) FROM outbox").fetchone()[0]


def queue_everything_again(wall) -> None:
    """On joining after leaving another team: queue every ticket and knowledge article
    (with its history rows) not already queued as new (a new ticket goes with all its
    rows), inside the caller's transaction."""
    if get_meta(LEFT_TEAM) is None:
        return
    clock = load_clock(wall)
    queue(outbox_entry(clock, "ticket", row[0]) for row in database.execute_sql(
        "SELECT id FROM ticket WHERE id NOT IN (SELECT row_id FROM outbox "
        "WHERE entity = 'ticket' AND field IS NULL)").fetchall())
    for table in ("knowledge_article", "article_history"):  # in this order: history refers
        queue(outbox_entry(clock, table, row[0]) for row in database.execute_sql(
            f"SELECT id FROM {table} WHERE id NOT IN (SELECT row_id FROM outbox "
            "WHERE entity = ? AND field IS NULL)", (table,)).fetchall())
    save_clock(clock)
    database.execute_sql("DELETE FROM meta WHERE key = ?", (LEFT_TEAM,))
