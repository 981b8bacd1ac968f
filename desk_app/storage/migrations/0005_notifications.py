"""Notifications: what the desk tells a technician (assigned, warning, breach, escalated,
major incident, user reply), and the marks that say one has been read. Both belong to a
ticket and merge by union: a notification's id derives from ticket, event, threshold and
technician, so two desks that notice the same thing make one; a read mark's id derives
from the notification, so reading it on two desks makes one."""

STATEMENTS = [
    """CREATE TABLE notification (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        technician_id TEXT NOT NULL,
        event TEXT NOT NULL,
        at INTEGER NOT NULL,
        text TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX notification_technician_at ON notification (technician_id, at)",
    "CREATE INDEX notification_ticket ON notification (ticket_id)",
    """CREATE TABLE notification_read (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        notification_id TEXT NOT NULL,
        at INTEGER NOT NULL)""",
    "CREATE INDEX notification_read_notification ON notification_read (notification_id)",
    "CREATE INDEX notification_read_ticket ON notification_read (ticket_id)",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
