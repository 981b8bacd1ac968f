"""The service catalogue and configuration items. Both are keyed by their name (case
folded), merge field by field, and give meaning to the ticket's free-text ``service``
and ``ci`` columns, which stay as they are; the ticket indexes on them make a CI's or
a service's history and the related-ticket suggestion quick."""

STATEMENTS = [
    """CREATE TABLE service (
        id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        criticality TEXT NOT NULL DEFAULT 'medium',
        owner_group TEXT,
        calendar TEXT,
        major_priorities TEXT NOT NULL DEFAULT '',
        sla_targets TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        retired INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE configuration_item (
        id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL DEFAULT '',
        serial TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        service TEXT,
        notes TEXT NOT NULL DEFAULT '',
        retired INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX configuration_item_service ON configuration_item (service)",
    "CREATE INDEX ticket_ci ON ticket (ci COLLATE NOCASE, logged_at) WHERE ci IS NOT NULL",
    """CREATE INDEX ticket_service ON ticket (service COLLATE NOCASE, logged_at)
        WHERE service IS NOT NULL""",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
