"""Find the records an activity names, refusing clearly when they do not exist."""

from desk_app.core.errors import NotFound
from desk_app.storage.models import History, SupportGroup, Technician, Ticket


def ticket_by_number(number: str) -> Ticket:
    """The ticket labelled ``number`` (or once labelled so, before a conversion)."""
    text = number.strip().upper()
    ticket = Ticket.get_or_none(Ticket.number == text)
    if ticket is None:
        former = (History.select(History.ticket).where(
            (History.field == "number") & (History.old == text)).first())
        if former is not None:
            ticket = Ticket.get_by_id(former.ticket_id)
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
