"""What needs the acting technician now: the next deadline among their open tickets
and their group's unassigned ones (the "My day" queue lists them, by time left)."""

from dataclasses import dataclass
from datetime import datetime

from desk_app.services.session import Session, reads
from desk_app.storage.deadlines import next_due
from desk_app.storage.fields import from_millis, to_millis


@dataclass(frozen=True)
class Deadline:
    """The soonest target ahead: which ticket, which clock, when."""

    ticket_id: str
    number: str
    clock: str  # "response" or "resolution"
    due: datetime

    def left(self, now: datetime) -> str:
        """The time left at ``now``, like 1 h 05 min or 42 s (0 s once passed)."""
        seconds = max(0, int((self.due - now).total_seconds()))
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        if hours >= 24:
            return f"{hours // 24} d {hours % 24} h"
        if hours:
            return f"{hours} h {minutes:02d} min"
        return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


@reads
def next_deadline(session: Session) -> Deadline | None:
    """The next response or resolution target of "My day" (None when nothing is due)."""
    actor = session.actor
    found = next_due(actor.id, actor.group_id, to_millis(session.now()))
    if found is None:
        return None
    ticket_id, number, clock, due = found
    return Deadline(ticket_id, number, clock, from_millis(due))
