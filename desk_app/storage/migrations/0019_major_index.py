"""The major incidents logged in a period, found by index (the dashboard's major-incident
row and the report's block read them; a scan of every ticket cost a million-ticket desk
a second)."""

STATEMENTS = [
    "CREATE INDEX ticket_major_logged ON ticket (major, logged_at)",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
