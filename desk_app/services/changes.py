"""What an operation changed, so a screen redraws only that (Anki's ``OpChanges``).

A ticket operation records which queues the ticket was in before and after, in the
same run on the database's owner; the window then moves each queue's count by the
difference and fetches the one row, instead of recounting every queue and re-reading
every row id of the listing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from desk_app.services.queues import QUEUES, QueueRow, queue_filter, queue_rows
from desk_app.services.session import Session
from desk_app.storage.ticket_queries import (
    TicketFilter,
    listing_position,
    newest_rowid,
    ticket_matches,
    ticket_rowid,
    tickets_after,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What changed. ``count_deltas`` moves queue counts by the given amount; a change
    the window cannot redraw piecemeal (policy, people, a sync) sets ``everything``."""

    tickets: frozenset[str] = frozenset()
    count_deltas: Mapping[str, int] = field(default_factory=dict)
    policy: bool = False
    people: bool = False
    everything: bool = False
    result: Any = None  # what the operation itself returned


def queues_holding(session: Session, ticket_id: str) -> frozenset[str]:
    """The keys of the queues ticket ``ticket_id`` is in now."""
    return frozenset(q.key for q in QUEUES
                     if ticket_matches(queue_filter(session, q.key), ticket_id))


def ticket_operation(session: Session, ticket_id: str | None,
                     work: Callable[[], T], created: Callable[[T], str] | None = None
                     ) -> Changes:
    """Run ``work`` (an activity on ticket ``ticket_id``, or one that creates a ticket,
    whose id ``created`` reads from its result) and say what it changed: that ticket and
    any ticket the activity created besides (a reopen that opens a linked incident)."""
    before = {ticket_id: queues_holding(session, ticket_id)} if ticket_id else {}
    newest = newest_rowid()
    result = work()
    changed = set(before) | set(tickets_after(newest))
    if created is not None:
        changed.add(created(result))
    deltas: dict[str, int] = {}
    for changed_id in changed:
        was, now = before.get(changed_id, frozenset()), queues_holding(session, changed_id)
        for key in was ^ now:
            deltas[key] = deltas.get(key, 0) + (key in now) - (key in was)
    return Changes(frozenset(changed), {k: d for k, d in deltas.items() if d}, result=result)


@dataclass(frozen=True)
class ListingUpdate:
    """Where a changed ticket now sits in a listing: ``index`` None when the listing
    no longer holds it; ``row`` its fresh table row."""

    ticket_id: str
    rowid: int | None
    index: int | None
    row: QueueRow | None


def listing_update(session: Session, flt: TicketFilter, sort: str, descending: bool,
                   ticket_id: str) -> ListingUpdate:
    """The position and row of one changed ticket in a listing (two index look-ups and
    a count of the rows before it)."""
    found = listing_position(flt, sort, descending, ticket_id)
    if found is None:
        return ListingUpdate(ticket_id, ticket_rowid(ticket_id), None, None)
    rowid, index = found
    return ListingUpdate(ticket_id, rowid, index, queue_rows(session, [rowid]).get(rowid))
