"""Ids of notifications and their read marks, derived from what they are about, so
every desk that notices the same thing (or reads the same notification) makes the same
row and the union keeps one."""

import uuid

_NOTIFICATIONS = uuid.UUID("5f0c2a52-8c1e-4d7a-9a43-3b6f0e2d9c11")
_READ_MARKS = uuid.UUID("0b7e4d36-2f55-4c8e-8e0a-6a1d9f3c7b24")


def notification_id(ticket_id: str, event: str, key: str, technician_id: str) -> str:
    """The id of the notification of ``event`` on a ticket for one technician; ``key``
    tells apart repeats of one event (a threshold, a history row id, a message id)."""
    return str(uuid.uuid5(_NOTIFICATIONS, f"{ticket_id}:{event}:{key}:{technician_id}"))


def read_mark_id(notification: str) -> str:
    """The id of the mark that says ``notification`` has been read."""
    return str(uuid.uuid5(_READ_MARKS, notification))
