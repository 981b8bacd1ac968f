"""Incoming mail: one row per imported message, on the ticket it opened or replied to.
Its id derives from the Message-ID, so two desks importing the same message make one
row, and the message is never imported twice; ``outcome`` 'new' marks a ticket opened
by mail (it needs triage until someone takes it up)."""

STATEMENTS = [
    """CREATE TABLE mail_import (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        message_id TEXT NOT NULL,
        sender TEXT NOT NULL DEFAULT '',
        mailbox TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL,
        at INTEGER NOT NULL)""",
    "CREATE INDEX mail_import_ticket ON mail_import (ticket_id)",
    "CREATE INDEX mail_import_message ON mail_import (message_id)",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
