"""People preferences and automatic assignment.

``technician_profile``: what a technician says about their own work (away until, the
policy calendar of their shift, skills as categories, events they do not want to hear
about, quiet hours); one row per technician, keyed by the technician's id, merged field
by field.

``assignment_pick``: each automatic assignment (group, technician, method), appended to
its ticket and merged by union; the last round-robin pick of a group is read from here,
so the rotation travels with sync (two offline desks may both pick; the newest wins as
the rotation's last).
"""

STATEMENTS = [
    """CREATE TABLE technician_profile (
        id TEXT NOT NULL PRIMARY KEY,
        away_until INTEGER,
        calendar TEXT,
        skills TEXT NOT NULL DEFAULT '[]',
        muted_events TEXT NOT NULL DEFAULT '[]',
        quiet_hours TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE assignment_pick (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        group_id TEXT NOT NULL,
        technician_id TEXT NOT NULL,
        method TEXT NOT NULL,
        at INTEGER NOT NULL)""",
    "CREATE INDEX assignment_pick_group_at ON assignment_pick (group_id, method, at)",
    "CREATE INDEX assignment_pick_ticket ON assignment_pick (ticket_id)",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
