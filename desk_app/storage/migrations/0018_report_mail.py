"""The scheduled report mail (the weekly KPI report): one row per report key, queued by
the watcher, local to the desk (the team database's claim decides which desk sends it;
the row only keeps this desk's part: queued, sent, failed, or sent by another desk)."""

STATEMENTS = [
    """CREATE TABLE report_mail (
        id TEXT NOT NULL PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        message_id TEXT NOT NULL,
        recipients TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued',
        detail TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX report_mail_state ON report_mail (state, at)",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
