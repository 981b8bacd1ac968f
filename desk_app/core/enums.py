"""The closed vocabularies of the incident process."""

from enum import StrEnum
from typing import TypeVar

from desk_app.core.errors import InvalidValue

E = TypeVar("E", bound=StrEnum)


class TicketType(StrEnum):
    INCIDENT = "incident"
    REQUEST = "request"
    PROBLEM = "problem"

    @property
    def prefix(self) -> str:
        """The label prefix of the human ticket number (INC, REQ, PRB)."""
        return {"incident": "INC", "request": "REQ", "problem": "PRB"}[self.value]


class Status(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """True while work on the ticket is still expected."""
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD})


class HoldReason(StrEnum):
    AWAITING_USER = "awaiting_user"
    AWAITING_SUPPLIER = "awaiting_supplier"
    AWAITING_CHANGE = "awaiting_change"
    AWAITING_PROBLEM = "awaiting_problem"


class Level(StrEnum):
    """Impact and urgency take these three values."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


PRIORITIES = ("P1", "P2", "P3", "P4")


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    WALK_IN = "walk-in"
    EVENT = "event"
    TECHNICIAN = "technician"


class ResolutionType(StrEnum):
    WORKAROUND = "workaround"
    PERMANENT = "permanent"


class Confirmation(StrEnum):
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    AUTO_CLOSED = "auto_closed"


class Role(StrEnum):
    SERVICE_DESK = "service_desk"
    SUPPORT = "support"
    INCIDENT_MANAGER = "incident_manager"
    ADMINISTRATOR = "administrator"


class SupportLevel(StrEnum):
    L1 = "L1"
    L2 = "L2"
    L3 = "L3"


class WorklogKind(StrEnum):
    NOTE = "note"
    PHONE = "phone"
    EMAIL = "email"
    VISIT = "visit"


class LinkKind(StrEnum):
    RELATED = "related"
    FOLLOWS = "follows"  # a new incident logged because the old one was past its reopen window
    DUPLICATE_OF = "duplicate_of"


class CancelReason(StrEnum):
    MISLOGGED = "mislogged"
    DUPLICATE = "duplicate"


def parse_enum(enum: type[E], field: str, value: object) -> E:
    """Return ``value`` as a member of ``enum`` or refuse naming ``field`` and the choices."""
    text = str(value).strip().lower().replace(" ", "_")
    for member in enum:
        if member.value.lower() == text or member.value.lower() == text.replace("_", "-"):
            return member
    choices = ", ".join(m.value for m in enum)
    raise InvalidValue(field, f"{value!r} is not one of: {choices}")
