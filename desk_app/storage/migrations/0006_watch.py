"""The watcher's due-time indexes: only open tickets (and resolved ones awaiting the
user) are in them, so a pass never reads a closed ticket."""

OPEN = "('new', 'assigned', 'in_progress', 'on_hold')"

STATEMENTS = [
    # response clocks still running: the response breach, warning and functional rules
    f"""CREATE INDEX ticket_open_by_response_due ON ticket (response_due, id)
        WHERE status IN {OPEN} AND responded_at IS NULL""",
    # resolved tickets waiting for the user's answer: the auto-close rule
    """CREATE INDEX ticket_awaiting_confirmation ON ticket (resolved_at, id)
        WHERE status = 'resolved' AND confirmation IS NULL""",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
