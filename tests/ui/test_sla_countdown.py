"""The ticket view's live countdown decides "breached" by the one rule, as time passes."""

from datetime import datetime

from desk_app.services import workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.ticket_view import ticket_view
from desk_app.ui.sla_bar import SlaBar
from tests.conftest import LONDON, new_ticket


def friday_p2(session, clock) -> str:
    clock.current = datetime(2026, 11, 27, 10, 0, tzinfo=LONDON)  # due Friday 18:00
    return log_ticket(session, new_ticket(impact="high", urgency="medium")).number


def countdown(qtbot, session, number) -> SlaBar:
    label = SlaBar("Resolution")
    qtbot.addWidget(label)
    view = ticket_view(session, ticket_by_number(number), detail=False)
    label.show_clock(view["sla"]["resolution"])
    return label


def test_a_p2_due_at_18_counts_as_breached_at_19_and_all_weekend(qtbot, session, clock):
    number = friday_p2(session, clock)
    clock.current = datetime(2026, 11, 27, 17, 0, tzinfo=LONDON)
    label = countdown(qtbot, session, number)  # loaded while it still ran in time
    label.tick(datetime(2026, 11, 27, 18, 0, tzinfo=LONDON))
    assert label.property("state") != "breached"
    for moment in (datetime(2026, 11, 27, 19, 0), datetime(2026, 11, 28, 12, 0),
                   datetime(2026, 11, 30, 7, 59)):
        label.tick(moment.replace(tzinfo=LONDON))
        assert label.property("state") == "breached"
        assert label.text().startswith("Breached ")


def test_resolved_at_18_30_shows_missed(qtbot, session, clock):
    number = friday_p2(session, clock)
    clock.current = datetime(2026, 11, 27, 18, 30, tzinfo=LONDON)
    workflow.resolve(session, number, "permanent", "solved", "Fixed")
    label = countdown(qtbot, session, number)
    assert label.property("state") == "missed"


def test_a_paused_clock_shows_paused_and_stays_breached_when_paused_late(qtbot, session,
                                                                         clock):
    number = friday_p2(session, clock)
    clock.current = datetime(2026, 11, 27, 19, 0, tzinfo=LONDON)
    workflow.hold(session, number, "awaiting_user")
    label = countdown(qtbot, session, number)
    assert label.text() == "Paused" and label.property("state") == "breached"
