"""Ids of what an incoming message makes, derived from its Message-ID: every desk that
imports the same message computes the same ticket, worklog, import and attachment
ids, so the
union of their work after sync keeps one of each."""

import uuid

_INCOMING = uuid.UUID("3b8f0d52-6c1e-4a7d-9e25-8f4a1c07b6d9")


def _derived(kind: str, message_id: str) -> str:
    return str(uuid.uuid5(_INCOMING, f"{kind}:{message_id.strip().lower()}"))


def import_id(message_id: str) -> str:
    """The id of the record that ``message_id`` was imported."""
    return _derived("import", message_id)


def ticket_id_for(message_id: str) -> str:
    """The id of the ticket a new message opens."""
    return _derived("ticket", message_id)


def worklog_id_for(message_id: str) -> str:
    """The id of the worklog entry a reply becomes."""
    return _derived("worklog", message_id)


def attachment_id_for(message_id: str, position: int) -> str:
    """The id of the attachment row of a message's file at ``position`` (0-based)."""
    return _derived(f"attachment:{position}", message_id)


def skipped_note_id_for(message_id: str) -> str:
    """The id of the worklog entry naming the files of a message that were not kept."""
    return _derived("skipped", message_id)
