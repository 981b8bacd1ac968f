"""Find the records an activity names, refusing clearly when they do not exist."""

import re
from dataclasses import dataclass

from desk_app.core.enums import TicketType
from desk_app.core.errors import NotFound
from desk_app.core.numbers import is_ticket_number, normalised_number
from desk_app.services.session import Session, reads
from desk_app.storage.models import SupportGroup, Technician, Ticket
from desk_app.storage.ticket_queries import tickets_numbered

# digits, or a prefix and digits with or without the dash: 2697, INC-2697, inc002697
# "2697", "#2697", "INC-2697", "inc2697", "INC 2697", "INC #2697" (as mails write them)
_NUMBER_TEXT = re.compile(r"^(?:([A-Z]{2,6})(?:-|\s*#|\s+)?)?#?([0-9]{1,10})$")
PREFIXES = tuple(kind.prefix for kind in TicketType)


@dataclass(frozen=True)
class NumberedTicket:
    """A ticket a typed number names."""

    id: str
    number: str
    status: str


def number_candidates(text: str) -> tuple[str, ...]:
    """The ticket numbers a person may mean by ``text``: ``2697`` is INC-002697,
    REQ-002697 or PRB-002697 (so is ``#2697``); ``inc-2697`` and ``INC 2697`` are
    INC-002697; a number in one of the desk's
    shapes (also another system's imported label) is itself. Empty for other text."""
    normal = normalised_number(text)
    found: list[str] = [normal] if is_ticket_number(normal) else []
    shaped = _NUMBER_TEXT.match(normal)
    if shaped:
        prefix, digits = shaped.groups()
        value = int(digits)
        if value > 0 and (prefix is None or prefix in PREFIXES):
            for each in (prefix,) if prefix else PREFIXES:
                found.append(f"{each}-{value:06d}")
    return tuple(dict.fromkeys(found))


@reads
def tickets_by_number_text(session: Session, text: str) -> list[NumberedTicket]:
    """The tickets ``text`` names as a number (see :func:`number_candidates`), also by
    a number they once had; empty when ``text`` is not a number or names none."""
    del session
    candidates = number_candidates(text)
    return [NumberedTicket(*found) for found in tickets_numbered(candidates)]


def ticket_by_number(number: str) -> Ticket:
    """The ticket labelled ``number`` (or once labelled so, before a conversion)."""
    text = number.strip().upper()
    ticket = Ticket.get_or_none(Ticket.number == text)
    if ticket is None and text:
        former = tickets_numbered([text])  # through the search index, not the history
        if former:
            ticket = Ticket.get_by_id(former[0][0])
    if ticket is None:
        raise NotFound("number", f"no ticket {number!r}")
    return ticket


def technician_by_login(login: str) -> Technician:
    """The technician with this login."""
    found = Technician.get_or_none(Technician.login == login.strip())
    if found is None:
        raise NotFound("technician", f"no technician with login {login!r}")
    return found


def group_by_name(name: str) -> SupportGroup:
    """The support group with this name."""
    found = SupportGroup.get_or_none(SupportGroup.name == name.strip())
    if found is None:
        known = ", ".join(g.name for g in SupportGroup.select().order_by(SupportGroup.name))
        raise NotFound("group", f"no support group {name!r}; known: {known}")
    return found
