"""The major-incident KPIs through the services, on tickets worked with an injected
clock so every figure has a known answer."""

from datetime import datetime

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.core.permissions import Permission
from desk_app.services import classification, major_review, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.major_kpis import major_kpis
from desk_app.services.recording import record_event
from desk_app.services.reporting import report
from desk_app.services.session import activity
from tests.conftest import LONDON, new_ticket
from tests.services.test_major_review import FILLED


@activity(Permission.WORKLOG)
def _update_sent(session, number):
    """A sent update as the major-incident procedure records it."""
    record_event(session, ticket_by_number(number), "major_update", None, "#: status")


def _worked(session, clock):
    """A: detected 08:30, logged 09:00 (P2), declared 09:10, updates 09:30 (due 09:40,
    on time) and 10:40 (due 10:30, late), workaround 11:00 (resolving sends the final
    update: due 11:10, on time), review complete.
    B: logged 11:00 as a P1 (major at logging), detected 10:50, no update yet."""
    a = log_ticket(session, new_ticket(impact="high", urgency="medium")).number
    clock.advance(minutes=10)
    classification.declare_major(session, a, True, "Everyone is affected", manager="alice")
    clock.advance(minutes=20)
    _update_sent(session, a)
    clock.advance(minutes=70)
    _update_sent(session, a)
    clock.advance(minutes=20)
    workflow.resolve(session, a, "workaround", "Solved (work around)", "Rerouted traffic")
    major_review.edit_review(session, a, **FILLED)
    major_review.complete_review(session, a)
    log_ticket(session, new_ticket(summary="Printer jam"))  # not major: not counted
    b = log_ticket(session, new_ticket(impact="high", urgency="high",
                                       detected_at=datetime(2026, 11, 23, 10, 50,
                                                            tzinfo=LONDON))).number
    assert ticket_by_number(b).major
    return a, b


def test_the_five_figures_have_their_known_values(session, clock):
    _worked(session, clock)
    figures = {f.key: f for f in major_kpis(session)}
    assert (figures["time_to_declare"].value, figures["time_to_declare"].count) == (25.0, 2)
    assert (figures["time_to_first_update"].value,
            figures["time_to_first_update"].count) == (20.0, 1)
    assert (figures["updates_on_time"].value, figures["updates_on_time"].count) == (66.7, 3)
    assert (figures["time_to_workaround"].value,
            figures["time_to_workaround"].count) == (150.0, 1)
    assert (figures["reviews_completed"].value,
            figures["reviews_completed"].count) == (100.0, 1)


def test_the_period_is_by_logging_time(session, clock):
    _worked(session, clock)
    until = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    figures = {f.key: f for f in major_kpis(session, until=until)}
    assert (figures["time_to_declare"].value, figures["time_to_declare"].count) == (40.0, 1)
    later = {f.key: f for f in major_kpis(session, since=until)}
    assert later["time_to_declare"].value == 10.0 and later["reviews_completed"].count == 0
    with pytest.raises(InvalidValue) as err:
        major_kpis(session, since=until, until=until)
    assert err.value.field == "since"


def test_the_report_carries_a_major_incidents_block(session, clock):
    _worked(session, clock)
    block = report(session)["major_incidents"]
    assert [row["key"] for row in block] == ["time_to_declare", "time_to_first_update",
                                             "updates_on_time", "time_to_workaround",
                                             "reviews_completed"]
    assert block[2] == {"key": "updates_on_time", "label": "Updates sent on time",
                        "value": 66.7, "unit": "percent", "target": 90.0, "count": 3,
                        "rating": "red"}


def test_an_update_later_than_its_predecessor_promised_is_not_on_time(session, clock):
    from datetime import timedelta

    from desk_app.services.major_updates import send_update

    number = log_ticket(session, new_ticket(impact="high", urgency="medium")).number  # P2
    classification.declare_major(session, number, True, "Everyone", manager="alice")
    clock.advance(minutes=20)  # first due at 30
    send_update(session, number, "Investigating", "All", "Failing over", "Webmail",
                clock() + timedelta(minutes=10))  # promised sooner than the hourly rhythm
    clock.advance(minutes=15)  # 5 minutes after the promise
    send_update(session, number, "Still on it", "All", "Failing over", "Webmail",
                clock() + timedelta(minutes=30))
    figures = {f.key: f for f in major_kpis(session)}
    assert (figures["updates_on_time"].value, figures["updates_on_time"].count) == (50.0, 2)


def test_a_cancelled_or_stood_down_major_counts_in_no_figure_nor_behind_the_tiles(session, clock):
    """The tiles' figures and the list of tickets behind them are the same tickets: a
    "major" cancelled as logged by mistake, or stood down, was not a major incident."""
    from datetime import timedelta

    from desk_app.services.major_incidents import stand_down
    from desk_app.services.major_kpis import major_tiles
    from desk_app.storage.ticket_queries import count_tickets, list_tickets

    start = clock()
    a, b = _worked(session, clock)
    wrong = log_ticket(session, new_ticket(impact="high", urgency="medium")).number
    clock.advance(minutes=5)
    classification.declare_major(session, wrong, True, "Looked big", manager="alice")
    clock.advance(minutes=5)
    _update_sent(session, wrong)
    workflow.cancel(session, wrong, "mislogged")
    small = log_ticket(session, new_ticket(impact="high", urgency="medium")).number
    classification.declare_major(session, small, True, "Looked big", manager="alice")
    _update_sent(session, small)
    stand_down(session, small, "Only one mailbox")
    tiles = major_tiles(session, start - timedelta(days=1), clock() + timedelta(days=1))
    assert sorted(row["number"] for row in list_tickets(tiles.tickets)) == sorted([a, b])
    figures = {f.key: f for f in tiles.figures}
    assert figures["time_to_declare"].count == count_tickets(tiles.tickets) == 2
    assert (figures["time_to_declare"].value, figures["time_to_first_update"].count,
            figures["updates_on_time"].count) == (25.0, 1, 3)
