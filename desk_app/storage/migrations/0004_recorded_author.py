"""Who the team database recorded as the author of a synced row: the login that pushed
it (the server takes it from the connection, whatever the row claims)."""

STATEMENTS = [
    """CREATE TABLE recorded_author (
        entity TEXT NOT NULL, row_id TEXT NOT NULL, author TEXT NOT NULL,
        PRIMARY KEY (entity, row_id)) WITHOUT ROWID""",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
