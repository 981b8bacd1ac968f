"""Message-IDs of the mail the desk sends, and how a reply is traced back to its ticket.

A Message-ID is derived from the ticket, the event and a key (e.g. the history row that
caused it), so two desks that would send the same notice compute the same id and the
mail goes out once. The ticket's id is part of the id, so a reply's In-Reply-To or
References header finds the ticket even when the subject lost its number.
"""

import re
import uuid

from desk_app.core.numbers import is_ticket_number

_MESSAGES = uuid.UUID("9d3c6a1e-47b2-4f0e-a5c8-2e71b0d94f63")
_OURS = re.compile(
    r"<desk\.[0-9a-f]{32}\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@[^>\s]+>",
    re.IGNORECASE)
_TAGGED = re.compile(r"\[([A-Z][A-Z0-9-]{2,30})\]")


def message_id(ticket_id: str, event: str, key: str, domain: str) -> str:
    """The Message-ID (with angle brackets) of the mail about ``event`` on a ticket;
    ``domain`` is the sending address's domain."""
    digest = uuid.uuid5(_MESSAGES, f"{ticket_id}:{event}:{key}").hex
    return f"<desk.{digest}.{ticket_id}@{domain}>"


def ticket_ids_in(header_value: str | None) -> list[str]:
    """The ticket ids named by our Message-IDs in an In-Reply-To or References header,
    most recent first."""
    if not header_value:
        return []
    return [match.lower() for match in reversed(_OURS.findall(header_value))]


def subject_tag(number: str) -> str:
    """How a ticket number is written in the subject of our mail: ``[INC-000123]``."""
    return f"[{number}]"


def numbers_in_subject(subject: str | None) -> list[str]:
    """The ticket numbers tagged in a subject (``[INC-000123]``), first first."""
    return [tag for tag in _TAGGED.findall(subject or "") if is_ticket_number(tag)]
