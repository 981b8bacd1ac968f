"""Sync bookkeeping: per-field clocks of applied changes, a faster outbox look-up,
former ticket numbers searchable, and groups and technicians keyed by their natural
key so that devices which create the same one offline agree on its id."""

import uuid

_NATURAL = uuid.UUID("6f1d2a4e-5b7c-4d8e-9f00-1a2b3c4d5e6f")  # as desk_app.core.ids

STATEMENTS = [
    """CREATE TABLE sync_stamp (
        entity TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, hlc TEXT NOT NULL,
        PRIMARY KEY (entity, row_id, field)) WITHOUT ROWID""",
    "CREATE INDEX outbox_row ON outbox (entity, row_id, field)",
    # A ticket's former numbers (renumbered temporary numbers, conversions) stay
    # searchable: they join the number column of the search index.
    """CREATE TRIGGER ticket_search_alias AFTER INSERT ON history
        WHEN new.field = 'number' AND new.old IS NOT NULL BEGIN
        UPDATE ticket_search SET number = number || ' ' || new.old
        WHERE rowid = (SELECT rowid FROM ticket WHERE id = new.ticket_id);
    END""",
]


def _natural(kind, key):
    return str(uuid.uuid5(_NATURAL, f"{kind}:{key}"))


def _rekey(db, table, kind, key_column, references):
    for old, key in db.execute_sql(f"SELECT id, {key_column} FROM {table}").fetchall():
        new = _natural(kind, key)
        if new == old:
            continue
        for other, column in references:
            db.execute_sql(f"UPDATE {other} SET {column} = ? WHERE {column} = ?", (new, old))
        db.execute_sql(f"UPDATE {table} SET id = ? WHERE id = ?", (new, old))


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
    # Appended rows were queued one by one under their own id; they are now queued
    # under their ticket, with the ids as value.
    for table in ("worklog", "checklist_tick", "link", "history"):
        db.execute_sql(
            f"""UPDATE outbox SET value = json_array(row_id),
                   row_id = (SELECT ticket_id FROM {table} WHERE id = outbox.row_id)
                WHERE entity = ? AND field IS NULL AND value IS NULL""", (table,))
    db.execute_sql("PRAGMA defer_foreign_keys = ON")
    _rekey(db, "support_group", "group", "name",
           [("technician", "group_id"), ("ticket", "group_id")])
    _rekey(db, "technician", "technician", "login", [("ticket", "assignee_id")])
