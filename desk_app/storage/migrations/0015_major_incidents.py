"""Major incidents as a procedure: the manager and the bridge and the stakeholders to
keep informed are ticket fields (they merge field by field with the ticket; the three
bridge fields travel as one unit); the team, the timeline and the updates are rows
appended to the ticket, so they merge by union across desks. A team row records one
change of one technician's role on the team (an empty role: taken off it); the team
is the latest row of each technician."""

STATEMENTS = [
    "ALTER TABLE ticket ADD COLUMN major_manager_id TEXT REFERENCES technician (id)",
    "ALTER TABLE ticket ADD COLUMN major_bridge_link TEXT",
    "ALTER TABLE ticket ADD COLUMN major_bridge_phone TEXT",
    "ALTER TABLE ticket ADD COLUMN major_bridge_room TEXT",
    "ALTER TABLE ticket ADD COLUMN major_stakeholders TEXT",
    "CREATE INDEX ticket_major ON ticket (status) WHERE major = 1",
    """CREATE TABLE major_team_change (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        technician_id TEXT NOT NULL,
        role TEXT NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL)""",
    "CREATE INDEX major_team_change_ticket ON major_team_change (ticket_id, at)",
    """CREATE TABLE major_timeline_entry (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL)""",
    "CREATE INDEX major_timeline_entry_ticket ON major_timeline_entry (ticket_id, at)",
    """CREATE TABLE major_update (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        sequence INTEGER NOT NULL,
        status TEXT NOT NULL,
        impact TEXT NOT NULL,
        actions TEXT NOT NULL,
        workaround TEXT NOT NULL,
        next_update_at INTEGER,
        final INTEGER NOT NULL DEFAULT 0,
        at INTEGER NOT NULL,
        by TEXT NOT NULL)""",
    "CREATE INDEX major_update_ticket ON major_update (ticket_id, at)",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
