"""Look-ups of imported mail: cheap existence checks on the hot path of an import
(one small query, not a model's whole row)."""

from desk_app.storage.database import database


def any_row_exists(import_id: str, ticket_id: str, worklog_id: str) -> bool:
    """True when the import record, the ticket or the worklog entry a message would
    make is here already (imported here, or brought by sync)."""
    return database.execute_sql(
        "SELECT EXISTS (SELECT 1 FROM mail_import WHERE id = ?) "
        "OR EXISTS (SELECT 1 FROM ticket WHERE id = ?) "
        "OR EXISTS (SELECT 1 FROM worklog WHERE id = ?)",
        (import_id, ticket_id, worklog_id)).fetchone()[0] == 1


def ticket_of_messages(message_ids: list[str]) -> str | None:
    """The ticket id the latest of these imported messages is on, if any."""
    if not message_ids:
        return None
    marks = ", ".join("?" for _ in message_ids)
    row = database.execute_sql(
        f"SELECT ticket_id FROM mail_import WHERE message_id IN ({marks}) "
        "ORDER BY at DESC LIMIT 1", message_ids).fetchone()
    return row[0] if row else None


def technician_with_email(address: str) -> bool:
    """Whether ``address`` (lower case) is a technician's mail address."""
    if not address:
        return False
    return database.execute_sql(
        "SELECT 1 FROM technician WHERE lower(trim(email)) = ? LIMIT 1",
        (address,)).fetchone() is not None
