"""Listings by satisfaction: the filter keeps what its condition says, the order puts
unrated tickets last both ways, and a ticket's position agrees with the listing."""

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.core.satisfaction_filter import ScoreRange, score_range
from desk_app.storage.database import database
from desk_app.storage.models import Ticket
from desk_app.storage.ticket_queries import (
    TicketFilter,
    count_tickets,
    list_tickets,
    listing_position,
    ticket_rowids,
)

DAY = datetime(2026, 11, 2, 9, tzinfo=UTC)
TICKETS = 8
CONDITIONS = ["none", "rated", "1", "3", "5", "<=2", ">=4", "<3", ">3", "2-4"]


def _tickets() -> dict[int, str]:
    """Eight resolved tickets (rowid -> id), scores set by each example."""
    for n in range(TICKETS):
        Ticket.create(number=f"INC-{n:06d}", type="incident", status="resolved",
                      impact="low", urgency="low", priority="P4", summary=f"t{n}",
                      logged_at=DAY, updated_at=DAY, resolved_at=DAY)
    return dict(database.execute_sql("SELECT rowid, id FROM ticket").fetchall())


def _rate(ids: dict[int, str], scores: list[int | None]) -> dict[int, int | None]:
    by_rowid = dict(zip(sorted(ids), scores, strict=True))
    for rowid, score in by_rowid.items():
        database.execute_sql("UPDATE ticket SET satisfaction_score = ? WHERE rowid = ?",
                             (score, rowid))
    return by_rowid


SCORES = st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=TICKETS,
                  max_size=TICKETS)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scores=SCORES, condition=st.sampled_from(CONDITIONS))
def test_the_filter_keeps_the_tickets_its_condition_keeps(desk, scores, condition):
    ids = _tickets() if not Ticket.select().exists() else dict(
        database.execute_sql("SELECT rowid, id FROM ticket").fetchall())
    by_rowid = _rate(ids, scores)
    wanted = score_range(condition)
    flt = TicketFilter(satisfaction=wanted)
    kept = {rowid for rowid, score in by_rowid.items() if wanted.keeps(score)}
    assert set(ticket_rowids(flt, "number")) == kept
    assert count_tickets(flt) == len(kept)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scores=SCORES, descending=st.booleans())
def test_sorting_puts_unrated_last_both_ways_and_positions_agree(desk, scores, descending):
    ids = _tickets() if not Ticket.select().exists() else dict(
        database.execute_sql("SELECT rowid, id FROM ticket").fetchall())
    by_rowid = _rate(ids, scores)
    listed = list(ticket_rowids(TicketFilter(), "satisfaction", descending))
    shown = [by_rowid[rowid] for rowid in listed]
    rated = [score for score in shown if score is not None]
    assert shown == rated + [None] * (len(shown) - len(rated))  # unrated last
    assert rated == sorted(rated, reverse=descending)
    for index, rowid in enumerate(listed):
        assert listing_position(TicketFilter(), "satisfaction", descending,
                                ids[rowid]) == (rowid, index)
    page = list_tickets(TicketFilter(), "satisfaction", descending, limit=TICKETS)
    assert [row["satisfaction_score"] for row in page] == shown


def test_a_condition_narrows_a_queue_and_carries_the_score(desk):
    ids = _tickets()
    _rate(ids, [1, 2, 3, 4, 5, None, None, 2])
    rows = list_tickets(TicketFilter(statuses=("resolved",),
                                     satisfaction=ScoreRange(high=2)), "number")
    assert [(row["number"], row["satisfaction_score"]) for row in rows] == [
        ("INC-000000", 1), ("INC-000001", 2), ("INC-000007", 2)]
