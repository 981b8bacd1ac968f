"""Outgoing mail: the mail a desk queued for a reporter and its outcome (both appended
rows of a ticket, merged by union, ids derived from the Message-ID so every desk agrees
on them), this desk's attempts at sending (local only: the backoff is nobody else's
business), and the per-ticket "do not email the reporter" switch (syncs with the ticket)."""

STATEMENTS = [
    """CREATE TABLE mail_message (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        event TEXT NOT NULL,
        message_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL)""",
    "CREATE INDEX mail_message_ticket ON mail_message (ticket_id)",
    "CREATE INDEX mail_message_device ON mail_message (device_id, at)",
    """CREATE TABLE mail_outcome (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        mail_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        at INTEGER NOT NULL,
        detail TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX mail_outcome_mail ON mail_outcome (mail_id)",
    "CREATE INDEX mail_outcome_ticket ON mail_outcome (ticket_id)",
    """CREATE TABLE mail_attempt (
        mail_id TEXT NOT NULL PRIMARY KEY,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '')""",
    "ALTER TABLE ticket ADD COLUMN no_email INTEGER NOT NULL DEFAULT 0",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
