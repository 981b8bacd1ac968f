"""Reading notifications: the acting technician's list (newest first, with the unread
count), marking one or all read (read marks sync, so a notification read on one desk is
read on every desk of that person), and which new ones may pop up on the desktop now
(the technician's events and quiet hours)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from desk_app.core.errors import NotFound
from desk_app.core.notice_ids import read_mark_id
from desk_app.core.permissions import Permission
from desk_app.services.preferences import stored_preferences
from desk_app.services.recording import queue_appended
from desk_app.services.session import Session, activity, reads
from desk_app.storage.database import database
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.models import NotificationRead
from desk_app.storage.rows import insert_rows
from desk_app.storage.ticket_queries import TicketFilter, count_tickets

LIST_LIMIT = 50


@dataclass(frozen=True)
class NoticeItem:
    """One notification as the list shows it."""

    id: str
    ticket_id: str
    number: str
    event: str
    text: str
    at: datetime
    read: bool

    def as_dict(self) -> dict:
        """For JSON output."""
        return {"id": self.id, "ticket": self.number, "event": self.event, "text": self.text,
                "at": self.at.isoformat(), "read": self.read}


@dataclass(frozen=True)
class NoticeList:
    """The list of one technician's notifications and what the tray needs: the unread
    count, the breaching tickets assigned to them, whether it is quiet hours now, and
    the unread ones that may pop up."""

    items: tuple[NoticeItem, ...]
    unread: int
    breaching: int
    quiet: bool
    at: datetime

    @property
    def pop_ups(self) -> tuple[NoticeItem, ...]:
        """Unread notifications that may become desktop messages now."""
        return () if self.quiet else tuple(i for i in self.items if not i.read)


def _muted_sql(muted: frozenset[str], params: list) -> str:
    if not muted:
        return ""
    params.extend(sorted(muted))
    return f" AND n.event NOT IN ({', '.join('?' for _ in muted)})"


@reads
def my_notifications(session: Session, unread_only: bool = False,
                     limit: int = LIST_LIMIT) -> NoticeList:
    """The acting technician's notifications, newest first (events they turned off
    left out), with the unread count and their breaching tickets."""
    actor = session.actor
    prefs = stored_preferences(actor).notices()
    params: list = [actor.id]
    muted = _muted_sql(prefs.muted, params)
    base = ("FROM notification n LEFT JOIN notification_read r ON r.notification_id = n.id "
            f"WHERE n.technician_id = ?{muted}")
    unread = database.execute_sql(f"SELECT COUNT(*) {base} AND r.id IS NULL",
                                  params).fetchone()[0]
    rows = database.execute_sql(
        "SELECT n.id, n.ticket_id, t.number, n.event, n.text, n.at, r.id IS NOT NULL "
        f"{base.replace('WHERE', 'JOIN ticket t ON t.id = n.ticket_id WHERE', 1)}"
        f"{' AND r.id IS NULL' if unread_only else ''} "
        "ORDER BY n.at DESC, n.id DESC LIMIT ?", [*params, max(1, limit)])
    items = tuple(NoticeItem(i, t, number, event, text, from_millis(at), bool(read))
                  for i, t, number, event, text, at, read in rows)
    now = session.now()
    breaching = count_tickets(TicketFilter(open_only=True, assignee=actor.login,
                                           breached_at=to_millis(now)))
    local = now.astimezone().time()
    return NoticeList(items, unread, breaching, prefs.is_quiet(local), now)


@activity(Permission.EDIT_PROFILE)
def mark_read(session: Session, notification_ids: Sequence[str]) -> int:
    """Mark the acting technician's notifications read; returns how many were unread.
    An id that is not one of theirs is refused (nothing is marked)."""
    wanted = list(dict.fromkeys(i.strip() for i in notification_ids if i.strip()))
    if not wanted:
        return 0
    marks = ", ".join("?" for _ in wanted)
    rows = database.execute_sql(
        f"SELECT n.id, n.ticket_id, r.id FROM notification n LEFT JOIN notification_read r "
        f"ON r.notification_id = n.id WHERE n.technician_id = ? AND n.id IN ({marks})",
        [session.actor.id, *wanted]).fetchall()
    missing = set(wanted) - {row[0] for row in rows}
    if missing:
        raise NotFound("notification", f"no notification {sorted(missing)[0]!r} of yours")
    return _write_marks(session, [(n, t) for n, t, read in rows if read is None])


@activity(Permission.EDIT_PROFILE)
def mark_all_read(session: Session) -> int:
    """Mark every unread notification of the acting technician read."""
    rows = database.execute_sql(
        "SELECT n.id, n.ticket_id FROM notification n LEFT JOIN notification_read r "
        "ON r.notification_id = n.id WHERE n.technician_id = ? AND r.id IS NULL",
        [session.actor.id]).fetchall()
    return _write_marks(session, rows)


def _write_marks(session: Session, unread: list[tuple[str, str]]) -> int:
    at = session.now()
    rows = [{"id": read_mark_id(n), "ticket": t, "notification_id": n, "at": at}
            for n, t in unread]
    insert_rows(NotificationRead, rows)
    by_ticket: dict[str, list[str]] = {}
    for row in rows:
        by_ticket.setdefault(row["ticket"], []).append(row["id"])
    for ticket_id, ids in by_ticket.items():
        queue_appended(session, NotificationRead, ticket_id, ids)
    return len(rows)
