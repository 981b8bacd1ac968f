"""The major-incident KPIs over the major incidents logged in a period (see
:mod:`desk_app.core.major_measures` for what each one measures)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from desk_app.core.enums import Status, TicketType
from desk_app.core.errors import InvalidValue
from desk_app.core.kpi_figures import Figure
from desk_app.core.major_measures import major_facts, major_figures, policy_rhythms
from desk_app.core.major_review import HistoryFact, ReviewStatus
from desk_app.services.session import Session, reads
from desk_app.storage.fields import to_millis
from desk_app.storage.models import History, MajorReview, MajorUpdate, Ticket
from desk_app.storage.ticket_queries import TicketFilter

_FIELDS = ("major", "major_update", "resolution_type", "status")


@reads
def major_kpis(session: Session, since: datetime | None = None,
               until: datetime | None = None) -> list[Figure]:
    """Time to declare, time to first update, updates sent on time, time to workaround
    and reviews completed, over major incidents logged in [since, until)."""
    if since and until and since >= until:
        raise InvalidValue("since", "must be before --until")
    # The same tickets as major_tiles' list behind the tiles: a cancelled "major" (logged
    # by mistake) and a stood-down one were not major incidents and count in no figure.
    query = Ticket.select(Ticket.id, Ticket.priority, Ticket.status, Ticket.detected_at,
                          Ticket.logged_at, Ticket.resolved_at) \
        .where((Ticket.type == TicketType.INCIDENT.value) & (Ticket.major == True)  # noqa: E712
               & (Ticket.status != Status.CANCELLED.value))
    if since:
        query = query.where(Ticket.logged_at >= since)
    if until:
        query = query.where(Ticket.logged_at < until)
    tickets = list(query)
    ids = [t.id for t in tickets]
    history: dict[str, list[HistoryFact]] = defaultdict(list)
    complete: set[str] = set()
    promises: dict[str, dict[datetime, datetime]] = defaultdict(dict)
    for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
        chunk = ids[start:start + 500]
        for ticket_id, at, field, new in (
                History.select(History.ticket, History.at, History.field, History.new)
                .where(History.ticket.in_(chunk) & History.field.in_(_FIELDS)).tuples()):
            history[ticket_id].append(HistoryFact(at, field, new))
        for ticket_id, at, promised in (
                MajorUpdate.select(MajorUpdate.ticket, MajorUpdate.at, MajorUpdate.next_update_at)
                .where(MajorUpdate.ticket.in_(chunk)
                       & MajorUpdate.next_update_at.is_null(False)).tuples()):
            promises[ticket_id][at] = promised
        complete.update(row[0] for row in MajorReview.select(MajorReview.ticket_id)
                        .where(MajorReview.ticket_id.in_(chunk)
                               & (MajorReview.status == ReviewStatus.COMPLETE.value)).tuples())
    facts = [major_facts(t.priority, t.status, t.detected_at, t.logged_at, t.resolved_at,
                         history[t.id], t.id in complete, promises[t.id]) for t in tickets]
    return major_figures(facts, policy_rhythms(session.policy.sections))


@dataclass(frozen=True)
class MajorTiles:
    """The major-incident figures of a dashboard period and the tickets behind them."""

    figures: list[Figure]
    tickets: TicketFilter


@reads
def major_tiles(session: Session, since: datetime, until: datetime) -> MajorTiles:
    """The dashboard's "Major incidents" row for incidents logged in [since, until):
    :func:`major_kpis` and the major incidents they are measured over."""
    return MajorTiles(major_kpis(session, since, until),
                      TicketFilter(types=(TicketType.INCIDENT.value,), major_only=True,
                                   not_cancelled=True,
                                   logged_between=(to_millis(since), to_millis(until))))
