"""Post-incident reviews of major incidents (one per ticket, its sections as text) and
their corrective actions (owner, due date, open or done). Both sync field by field."""

STATEMENTS = [
    """CREATE TABLE major_review (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL UNIQUE,
        detection TEXT NOT NULL DEFAULT '',
        communication TEXT NOT NULL DEFAULT '',
        team TEXT NOT NULL DEFAULT '',
        resources TEXT NOT NULL DEFAULT '',
        process TEXT NOT NULL DEFAULT '',
        reporting TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'draft',
        completed_at INTEGER,
        completed_by TEXT)""",
    """CREATE TABLE corrective_action (
        id TEXT NOT NULL PRIMARY KEY,
        review_id TEXT NOT NULL,
        ticket_id TEXT NOT NULL,
        text TEXT NOT NULL,
        owner TEXT NOT NULL,
        due TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        done_at INTEGER,
        done_by TEXT,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL)""",
    "CREATE INDEX corrective_action_review ON corrective_action (review_id)",
    "CREATE INDEX corrective_action_open ON corrective_action (status, due)",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
