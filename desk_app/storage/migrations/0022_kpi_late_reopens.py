"""Reopens that came more than 30 days after the resolution they reopened, found by a
partial index over the history (recurrence within 30 days counts a reopen only inside
those 30 days; with a reopen window over 30 days a reopen can come later).

A reopen of the same ticket clears its resolution time: its history row has field
``resolved_at``, ``old`` the resolution it reopens (ISO text, as the history writes
times) and ``new`` empty, ``at`` the reopen. The index holds only the late ones, so a
desk whose reopen window is the default 5 days reads an empty index.

desk_app.storage.kpi_summary loads this file (as playhouse's Runner loads it) and reads
LATE from it, so the query and the index's condition are the one text SQLite matches.
"""

RECURRENCE_MS = 30 * 86_400_000
# {h}: the history row's alias and a dot ("h."), or nothing
RESOLVED_MS = "CAST(round((julianday({h}old) - 2440587.5) * 86400000) AS INTEGER)"
LATE = (f"{{h}}field = 'resolved_at' AND {{h}}new IS NULL AND {{h}}old IS NOT NULL "
        f"AND {{h}}at - {RESOLVED_MS} > {RECURRENCE_MS}")
STATEMENTS = [
    f"CREATE INDEX kpi_late_reopen ON history (ticket_id) WHERE {LATE.format(h='')}",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
