"""The watcher's due-time indexes: only open tickets (and resolved ones awaiting the
user) are in them, so a pass never reads a closed ticket. Each is keyed by what one
rule narrows by: the priority (each has its own targets and calendar), the management
level reached, then the due time."""

OPEN = "('new', 'assigned', 'in_progress', 'on_hold')"

STATEMENTS = [
    # response clocks still running: the response breach, warning and functional rules
    f"""CREATE INDEX ticket_watch_response ON ticket (priority, response_due)
        WHERE status IN {OPEN} AND responded_at IS NULL""",
    # resolution clocks: the breach, warning and the next management level
    f"""CREATE INDEX ticket_watch_resolution ON ticket
        (priority, hierarchic_level, resolution_due) WHERE status IN {OPEN}""",
    # resolved tickets waiting for the user's answer: the auto-close rule
    """CREATE INDEX ticket_awaiting_confirmation ON ticket (resolved_at, id)
        WHERE status = 'resolved' AND confirmation IS NULL""",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
