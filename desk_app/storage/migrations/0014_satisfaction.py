"""User satisfaction on a ticket: the reporter's 1-5 score and comment, when it was
given and how (recorded by a technician at confirmation, or read from a reply to the
closed mail). Ticket fields, so they sync with the ticket like any other field."""

STATEMENTS = [
    "ALTER TABLE ticket ADD COLUMN satisfaction_score INTEGER",
    "ALTER TABLE ticket ADD COLUMN satisfaction_comment TEXT",
    "ALTER TABLE ticket ADD COLUMN satisfaction_at INTEGER",
    "ALTER TABLE ticket ADD COLUMN satisfaction_source TEXT",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
