"""Attachments: files on a ticket (appended rows, synced; the content is stored by its
SHA-256 in the data folder and in the team database), and the local record of which
contents each team database (by its server id) already holds."""

STATEMENTS = [
    """CREATE TABLE attachment (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        sha256 TEXT NOT NULL,
        name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        source TEXT NOT NULL)""",
    "CREATE INDEX attachment_ticket ON attachment (ticket_id)",
    "CREATE INDEX attachment_sha256 ON attachment (sha256)",
    """CREATE TABLE attachment_sent (
        sha256 TEXT NOT NULL,
        server_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (sha256, server_id)) WITHOUT ROWID""",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
