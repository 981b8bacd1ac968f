"""Ticket numbers that stay unique across devices.

Online, a device reserves blocks of numbers from the team database and spends them
offline. When its blocks run out offline it issues temporary numbers
(``INC-T<device>-0001``); the next sync renumbers those from a fresh block and the old
number stays findable (history keeps it; search indexes it). Before a new ticket is
pushed its number is claimed on the server, before any block is reserved: the claim
moves the server's counter past every number a desk has, so no block ever holds one.
A number someone else already holds (two desks that worked standalone, the same file
imported twice, two copies of one desk) or that lies in another device's block is
renumbered too.
"""

from collections.abc import Mapping

import psycopg

from desk_app.core.enums import TicketType
from desk_app.core.ids import uuid7
from desk_app.storage.database import database
from desk_app.storage.meta import set_meta
from desk_app.storage.models import NumberBlock
from desk_app.storage.numbering import SIX_DIGIT_LAST, WHOLE_RANGE, take_number
from desk_app.sync.local import LocalRunner, run_here

BLOCK_SIZE = 100
MAX_BLOCK = 100_000  # the most reserve_numbers hands out at once
LOW_WATER = 25  # reserve another block when fewer numbers than this are left


def prefixes() -> tuple[str, ...]:
    return tuple(t.prefix for t in TicketType)


def leave_standalone() -> None:
    """A desk joining a team gives up the whole-range blocks of its standalone days
    (inside the caller's transaction)."""
    NumberBlock.delete().where((NumberBlock.first == WHOLE_RANGE[0])
                               & NumberBlock.last.in_((SIX_DIGIT_LAST, WHOLE_RANGE[1]))
                               ).execute()
    set_meta("numbering", "team")


def numbers_left(prefix: str) -> int:
    row = database.execute_sql(
        "SELECT COALESCE(SUM(last - next + 1), 0) FROM number_block "
        "WHERE prefix = ? AND next <= last", (prefix,)).fetchone()
    return row[0]


def top_up(conn: psycopg.Connection, device: str, block_size: int = BLOCK_SIZE,
           local: LocalRunner = run_here, needed: Mapping[str, int] | None = None) -> int:
    """Reserve blocks until every prefix has enough numbers for a while offline, plus
    ``needed`` more (tickets about to be renumbered); ``local`` runs the local steps on
    the database's owner. Returns how many blocks were reserved."""
    reserved = 0
    for prefix in prefixes():
        target = min(LOW_WATER, block_size) + (needed or {}).get(prefix, 0)
        while (left := local(lambda p=prefix: numbers_left(p))) < target:
            size = min(max(block_size, target - left), MAX_BLOCK)
            first = conn.execute("SELECT desk.reserve_numbers(%s, %s, %s)",
                                 (device, prefix, size)).fetchone()[0]
            local(lambda p=prefix, f=first, n=size: _add_block(p, f, n))
            reserved += 1
    return reserved


def _add_block(prefix: str, first: int, size: int) -> None:
    with database.atomic():
        NumberBlock.create(id=uuid7(), prefix=prefix, first=first, last=first + size - 1,
                           next=first)


def renumber(ticket_id: str, old: str, login: str, at_millis: int) -> str | None:
    """Give a not yet pushed ticket a number from our blocks, keeping ``old`` as an
    alias (a history row, which search indexes; the ticket's creation, still pending,
    carries it). Returns the new number, or None when no block has one left."""
    new = take_number(old[:3])
    if new is None:
        return None
    database.execute_sql("UPDATE ticket SET number = ? WHERE id = ?", (new, ticket_id))
    database.execute_sql(
        "INSERT INTO history (id, ticket_id, at, by, field, old, new) "
        "VALUES (?, ?, ?, ?, 'number', ?, ?)", (uuid7(), ticket_id, at_millis, login, old, new))
    return new


def unpushed_tickets() -> list[tuple[str, str]]:
    """(id, number) of the tickets whose creation waits in the outbox."""
    return database.execute_sql(
        "SELECT t.id, t.number FROM outbox o JOIN ticket t ON t.id = o.row_id "
        "WHERE o.entity = 'ticket' AND o.field IS NULL").fetchall()


def claim(conn: psycopg.Connection, device: str,
          tickets: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Claim the numbers of new tickets on the server (which moves its counter past
    them, so no block reserved later holds one); returns the (id, number) pairs whose
    number another ticket holds already or that lie in another device's block."""
    taken: list[tuple[str, str]] = []
    for start in range(0, len(tickets), 5000):
        chunk = tickets[start:start + 5000]
        taken += conn.execute(
            "SELECT ticket_id, number FROM desk.claim_numbers(%s, %s, %s)",
            (device, [t[0] for t in chunk], [t[1] for t in chunk])).fetchall()
    return taken


def drop_team_blocks() -> None:
    """Forget every number block (inside the caller's transaction): a desk that takes a
    new device identity or leaves its team may no longer spend its team blocks (a copy
    of it spends the same ones)."""
    NumberBlock.delete().execute()
