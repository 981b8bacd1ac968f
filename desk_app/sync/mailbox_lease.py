"""The lease that lets one desk of a team poll a mailbox at a time (the team
database's ``desk.mailbox_lease``, through its two functions)."""

from dataclasses import dataclass
from datetime import datetime

import psycopg


@dataclass(frozen=True)
class Lease:
    """Who holds a mailbox's lease, and until when."""

    mailbox: str
    held: bool  # by the asking desk
    holder: str  # the device id
    holder_login: str
    expires_at: datetime


def take_lease(conn: psycopg.Connection, mailbox: str, device: str, seconds: int) -> Lease:
    """Take or renew the lease for ``seconds``; when another desk holds it and it has
    not run out, the result says who (``held`` False)."""
    holder, login, expires = conn.execute(
        "SELECT * FROM desk.take_mailbox_lease(%s, %s, %s)",
        (mailbox, device, seconds)).fetchone()
    return Lease(mailbox, holder == device, holder, login, expires)


def release_lease(conn: psycopg.Connection, mailbox: str, device: str) -> bool:
    """Give the lease up (when this desk holds it); True when it did."""
    return bool(conn.execute("SELECT desk.release_mailbox_lease(%s, %s)",
                             (mailbox, device)).fetchone()[0])
