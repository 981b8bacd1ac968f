"""After a watcher pass that routed a ticket to the person at the desk, the window
shows it: "My day" lists it, the status bar counts down to it, the bell tells it."""

from desk_app.services import admin
from desk_app.services.intake import log_ticket

from ..conftest import new_ticket
from .conftest import settle


def test_my_day_the_countdown_and_the_bell_follow_a_watcher_assignment(
        qtbot, worker, window, session, clock):
    section = dict(session.policy.sections["escalation"])
    admin.change_policy(session, {
        "escalation": section | {"functional_at_percent": {"P3": 50}},
        "assignment": {"groups": {"Network Support": "round_robin"}}})
    admin.update_technician(session, "alice", group="Network Support")  # L2 of Network
    ticket = log_ticket(session, new_ticket())  # P3 at the Service Desk (L1)
    window.queues.select("my_day")
    window.refresh()
    settle(qtbot, worker)
    assert window.model.rowCount() == 0
    assert ticket.number not in window.deadline.text()
    clock.advance(hours=2)  # 50 % of the 4 h response target
    with qtbot.waitSignal(window.watch_schedule.changed, timeout=10_000):
        window.watch_schedule.run_now()
    settle(qtbot, worker)
    assert window.model.rowCount() == 1
    assert window.deadline.text().startswith(f"Next: {ticket.number} response in")
    assert "assigned" in [i.event for i in window.notices.model.items]
