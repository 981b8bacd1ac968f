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


def test_the_watchers_notifications_read_well_in_the_bell_and_follow_preferences(
        qtbot, worker, session, clock):
    from PySide6.QtCore import Qt

    from desk_app.services.notifications import my_notifications
    from desk_app.services.preferences import set_preferences
    from desk_app.services.watch import watch_pass
    from desk_app.services.workflow import assign, start_work
    from desk_app.ui.notification_bell import NotificationCenter

    ticket = log_ticket(session, new_ticket(impact="high", urgency="medium"))  # P2
    assign(session, ticket.number, technician="alice")
    start_work(session, ticket.number)
    clock.advance(hours=7)  # past 75 % of the 8 h resolution target
    watch_pass(session)
    clock.advance(days=1)
    watch_pass(session)
    center = NotificationCenter(worker, session)
    qtbot.addWidget(center.bell)
    center.refresh()
    settle(qtbot, worker)
    rows = {i.event: i for i in center.model.items}
    assert {"warning", "breach"} <= set(rows)
    assert rows["breach"].text == f"{ticket.number}: resolution target missed"
    assert rows["warning"].text == f"{ticket.number}: 75% of the resolution target used"
    for row in range(center.model.rowCount()):
        index = center.model.index(row, 0)
        assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
        assert "_" not in index.data().split("\n")[-1]  # the event reads as words
    set_preferences(session, events_off=["warning"])
    center.refresh()
    settle(qtbot, worker)
    assert "warning" not in {i.event for i in center.model.items}
    assert my_notifications(session).breaching == 1  # the tray's badge
