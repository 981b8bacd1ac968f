"""The shape of the demo's open backlog: where each ticket stands now (status, owner,
level, clock, hold reason), the showcase every demo starts with, and how to count
business time back from now."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from desk_app.core.calendar import BusinessCalendar
from desk_app.core.enums import SupportLevel


@dataclass(frozen=True)
class Slot:
    """Where a backlog ticket stands now. ``owner``: "none" (unassigned), "actor" (the
    acting technician), "group" (a colleague in the actor's group) or "team" (someone in
    the group the ticket is at); ``clock``: "fresh", "warning" or "breached"."""

    status: str
    owner: str = "team"
    level: SupportLevel = SupportLevel.L1
    clock: str = "fresh"
    hold_reason: str | None = None
    role: str = ""  # "major" or "child"


L1, L2, L3 = SupportLevel.L1, SupportLevel.L2, SupportLevel.L3
# The backlog every demo starts with (in this order when the demo is smaller), so that
# each queue, hold reason and clock state is there whatever the seed.
SHOWCASE: tuple[Slot, ...] = (
    Slot("in_progress", "team", L3, "fresh", role="major"),
    Slot("new", "none", role="child"), Slot("in_progress", "actor", role="child"),
    Slot("new", "none", role="child"), Slot("assigned", "group", role="child"),
    Slot("new", "none"), Slot("new", "none"), Slot("new", "none", clock="warning"),
    Slot("in_progress", "actor"), Slot("in_progress", "actor", clock="warning"),
    Slot("in_progress", "actor", clock="breached"), Slot("assigned", "actor"),
    Slot("on_hold", "actor", hold_reason="awaiting_user"),
    Slot("in_progress", "group"), Slot("in_progress", "group", clock="breached"),
    Slot("in_progress", "team", L2), Slot("in_progress", "team", L2, "warning"),
    Slot("in_progress", "team", L2, "breached"), Slot("in_progress", "team", L3),
    Slot("on_hold", "team", L2, hold_reason="awaiting_supplier"),
    Slot("on_hold", "team", L2, "breached", hold_reason="awaiting_change"),
    Slot("on_hold", "team", L3, hold_reason="awaiting_problem"),
    Slot("resolved", "actor"), Slot("resolved", "team", L2), Slot("resolved", "team"),
)
# The rest of the backlog: (slot, weight)
MORE: tuple[tuple[Slot, int], ...] = (
    (Slot("new", "none"), 8), (Slot("assigned", "team"), 8), (Slot("in_progress"), 20),
    (Slot("in_progress", clock="warning"), 4), (Slot("in_progress", clock="breached"), 4),
    (Slot("in_progress", "actor"), 4), (Slot("in_progress", "group"), 6),
    (Slot("in_progress", "team", L2), 10), (Slot("in_progress", "team", L2, "breached"), 3),
    (Slot("in_progress", "team", L3), 3),
    (Slot("on_hold", hold_reason="awaiting_user"), 6),
    (Slot("on_hold", "team", L2, hold_reason="awaiting_supplier"), 3),
    (Slot("on_hold", "team", L2, hold_reason="awaiting_change"), 2),
    (Slot("resolved"), 10), (Slot("resolved", "team", L2), 4),
)


def business_before(calendar: BusinessCalendar, end: datetime,
                    duration: timedelta) -> datetime:
    """The moment ``duration`` of working time before ``end`` (the inverse of
    :meth:`BusinessCalendar.add`)."""
    remaining = duration
    moment = end
    day = end.astimezone(calendar.zone).date()
    for _ in range(3_700):
        for start, stop in reversed(calendar.intervals_on(day)):
            if start >= end:
                continue
            available = min(stop, end) - start
            moment = min(stop, end)
            if remaining <= available:
                return moment - remaining
            remaining -= available
            moment = start
        day -= timedelta(days=1)
    return moment
