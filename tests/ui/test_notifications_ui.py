"""The bell, its list, the tray controller and the next-deadline countdown."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from desk_app.core.permissions import Permission
from desk_app.services.admin import add_technician, update_technician
from desk_app.services.intake import log_ticket
from desk_app.services.notifications import my_notifications
from desk_app.services.notify import notify
from desk_app.services.preferences import set_preferences
from desk_app.services.session import activity
from desk_app.storage.models import NotificationRead
from desk_app.ui.notification_bell import NotificationCenter
from desk_app.ui.notification_list import NotificationModel, time_ago
from desk_app.ui.tray import TrayController, badged
from tests.conftest import new_ticket
from tests.ui.conftest import settle


@activity(Permission.HOUSEKEEPING)
def tell(session, ticket, event, key):
    return notify(session, ticket, event, key, [session.actor.id],
                  f"{ticket.number} {event.replace('_', ' ')}")[0]


@pytest.fixture
def told(session, clock):
    """Two notifications for alice: a warning, then (5 minutes later) a breach."""
    ticket = log_ticket(session, new_ticket())
    warning = tell(session, ticket, "warning", "75")
    clock.advance(minutes=5)
    breach = tell(session, ticket, "breach", "100")
    return ticket, warning, breach


def test_time_ago_reads_like_a_person_says_it(clock):
    now = clock()
    assert [time_ago(now - timedelta(seconds=s), now) for s in (5, 300, 7200, 200000)] == [
        "just now", "5 min ago", "2 h ago", "2 d ago"]


def test_the_model_passes_the_model_tester(qtmodeltester, session, told):
    model = NotificationModel()
    model.set_list(my_notifications(session))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    first = model.index(0, 0)
    assert first.data().startswith(f"{told[0].number} breach\nBreach · just now")
    assert first.data(Qt.ItemDataRole.FontRole).bold()  # unread
    assert not first.data(Qt.ItemDataRole.DecorationRole).isNull()


def test_the_bell_counts_unread_and_a_click_opens_the_ticket_and_marks_it_read(
        qtbot, worker, session, told):
    ticket, warning, _breach = told
    center = NotificationCenter(worker, session)
    qtbot.addWidget(center.bell)
    center.refresh()
    settle(qtbot, worker)
    assert center.bell.badge_text() == "2"
    assert "2 unread" in center.bell.toolTip()
    center.bell.click()
    settle(qtbot, worker)
    popup = center.popup
    assert popup.isVisible() and popup.stack.currentWidget() is popup.list
    rect = popup.list.visualRect(center.model.index(1, 0))  # the warning
    with qtbot.waitSignal(center.open_ticket) as opened:
        qtbot.mouseClick(popup.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    settle(qtbot, worker)
    assert opened.args == [ticket.id]
    assert [m.notification_id for m in NotificationRead.select()] == [warning]
    assert center.bell.badge_text() == "1" and not popup.isVisible()
    center.show_popup()
    settle(qtbot, worker)
    assert popup.mark_all.isEnabled()
    popup.mark_all.click()
    settle(qtbot, worker)
    assert center.bell.badge_text() == "" and not popup.mark_all.isEnabled()
    assert NotificationRead.select().count() == 2


def test_an_empty_list_says_so(qtbot, worker, session):
    center = NotificationCenter(worker, session)
    qtbot.addWidget(center.bell)
    center.show_popup()
    settle(qtbot, worker)
    assert center.popup.stack.currentWidget() is center.popup.empty
    center.popup.hide()


def test_turned_off_events_leave_the_bell_and_list(qtbot, worker, session, told):
    set_preferences(session, events_off=["warning"])
    center = NotificationCenter(worker, session)
    qtbot.addWidget(center.bell)
    center.refresh()
    settle(qtbot, worker)
    assert center.bell.badge_text() == "1"
    assert [i.event for i in center.model.items] == ["breach"]


def test_the_tray_shows_only_new_notifications_outside_quiet_hours(qtbot, session, clock,
                                                                   told):
    tray = TrayController(QIcon(), available=lambda: False)  # offscreen: no tray
    assert tray.tray is None
    assert tray.update(my_notifications(session)) == []  # the first list: only seen
    ticket = told[0]
    clock.advance(minutes=1)
    new = tell(session, ticket, "escalated", "L2")
    with qtbot.waitSignal(tray.message_shown) as shown:
        fresh = tray.update(my_notifications(session))
    assert [i.id for i in fresh] == [new]
    assert shown.args == [f"{ticket.number}: escalated", f"{ticket.number} escalated",
                          ticket.id]
    assert tray.update(my_notifications(session)) == []  # shown once
    with qtbot.waitSignal(tray.open_ticket) as opened:
        tray._message_clicked()
    assert opened.args == [ticket.id]
    set_preferences(session, quiet_hours="22:00-07:00")
    clock.current = clock().replace(hour=23)
    tell(session, ticket, "major_incident", "declared")
    assert tray.update(my_notifications(session)) == []  # quiet: no pop-up
    assert "quiet hours" in tray.tooltip(my_notifications(session))


def test_the_tray_badge_counts_breached_tickets(qtbot, session, clock):
    from desk_app.services.workflow import assign

    ticket = log_ticket(session, new_ticket(impact="high", urgency="high"))
    assign(session, ticket.number, technician="alice")
    clock.advance(hours=5)
    tray = TrayController(QIcon(), available=lambda: True)  # a real icon when there is one
    notices = my_notifications(session)
    tray.update(notices)
    assert tray.breaching == 1 and "1 of your tickets breached" in tray.tooltip(notices)
    tray.hide()
    base = QIcon(badged(QIcon(), 0))
    assert base.isNull() and not badged(QIcon(), 3).isNull()


def test_the_window_has_the_bell_and_counts_down_to_the_next_deadline(
        qtbot, worker, session, clock, window):
    update_technician(session, "alice", group="Infrastructure")  # where a P1 goes (L3)
    ticket = log_ticket(session, new_ticket(impact="high", urgency="high"))  # 15 min
    add_technician(session, "dana", "Dana", "support", "Service Desk")
    tell(session, ticket, "breach", "100")
    window.refresh()
    settle(qtbot, worker)
    assert window.notices.bell.isVisible() and window.notices.bell.badge_text() == "1"
    assert window.deadline.text() == f"Next: {ticket.number} response in 15 min 00 s"
    clock.advance(minutes=3, seconds=30)
    window.deadline.tick()
    assert window.deadline.text().endswith("in 11 min 30 s")
    with qtbot.waitSignal(window.ticket_shown) as shown:
        window.notices.open_notification(window.notices.model.items[0].id, ticket.id)
    assert shown.args[0]["id"] == ticket.id
    settle(qtbot, worker)
    assert window.notices.bell.badge_text() == ""
    assert window.queues.current_key is not None


def test_preferences_are_edited_in_my_profile(qtbot, worker, session, window):
    from desk_app.services.preferences import preferences_of
    from tests.ui.conftest import submit

    dialog = window.open_profile()
    qtbot.addWidget(dialog)
    submit(qtbot, worker, dialog, name="Alice Moreau", skills="Network, Plumbing")
    assert dialog.isVisible() and "Plumbing" in dialog.error.text()
    assert preferences_of(session).skills == () and "Alice Moreau" not in window.who.text()
    submit(qtbot, worker, dialog, skills="Network", calendar="office",
           quiet_hours="22:00-07:00", away_until="2026-12-24 09:00", notify_warning=False)
    assert not dialog.isVisible()
    prefs = preferences_of(session)
    assert (prefs.skills, prefs.calendar, prefs.quiet_hours, prefs.events_off) == (
        ("Network",), "office", "22:00-07:00", ("warning",))
    assert prefs.away_until.isoformat().startswith("2026-12-24T09:00")
    settle(qtbot, worker)
    again = window.open_profile()  # shows what is stored
    qtbot.addWidget(again)
    assert again.values()["quiet_hours"] == "22:00-07:00"
    assert again.values()["notify_warning"] is False and again.values()["notify_breach"]


def test_an_administrator_edits_a_technicians_preferences(qtbot, worker, session, window):
    from desk_app.services.preferences import preferences_of
    from tests.ui.conftest import submit

    add_technician(session, "dana", "Dana", "support", "Service Desk")
    with qtbot.waitSignal(window.admin_opened) as opened:
        window.admin_action.trigger()
    admin = opened.args[0]
    qtbot.addWidget(admin)
    settle(qtbot, worker)
    page = admin.technicians
    page.table.selectRow([p["login"] for p in page._people].index("dana"))
    page.preferences_button.click()
    settle(qtbot, worker)
    dialog = admin.preferences_dialog
    assert dialog is not None and dialog.isVisible() and "dana" in dialog.windowTitle()
    submit(qtbot, worker, dialog, away_until="someday")
    assert dialog.isVisible() and "someday" in dialog.error.text()
    submit(qtbot, worker, dialog, away_until="2026-12-01 08:00", calendar="office")
    assert not dialog.isVisible()
    prefs = preferences_of(session, "dana")
    assert prefs.calendar == "office" and prefs.away_until is not None
    assert preferences_of(session).calendar is None  # not the administrator's own


def test_the_administration_edits_assignment_per_group(qtbot, worker, session, window):
    with qtbot.waitSignal(window.admin_opened) as opened:
        window.admin_action.trigger()
    admin = opened.args[0]
    qtbot.addWidget(admin)
    settle(qtbot, worker)
    page = next(p for p in admin.pages if type(p).__name__ == "AssignmentPage")
    assert admin.staged().policy == {}  # nothing changed by opening it
    page.methods["Network Support"].setCurrentIndex(
        page.methods["Network Support"].findData("least_open"))
    page.weights["P1"].setValue(6)
    staged = admin.staged().policy["assignment"]
    assert staged["groups"]["Network Support"] == "least_open"
    assert staged["weights"]["P1"] == 6
    admin.save_button.click()
    settle(qtbot, worker)
    if admin.confirm_box is not None and admin.confirm_box.isVisible():
        admin.confirm_box.save_button.click()
        settle(qtbot, worker)
    assert session.policy.sections["assignment"]["groups"]["Network Support"] == "least_open"


def test_the_countdown_is_empty_when_nothing_is_due_and_says_days_when_far(qtbot, clock):
    from desk_app.services.my_day import Deadline
    from desk_app.ui.deadline_label import DeadlineLabel

    label = DeadlineLabel(clock)
    qtbot.addWidget(label)
    label.set_deadline(None)
    assert label.text() == "" and not label.timer.isActive()
    label.set_deadline(Deadline("t", "INC-000009", "resolution",
                                clock() + timedelta(days=2, hours=3)))
    assert label.text() == "Next: INC-000009 resolution in 2 d 3 h" and label.timer.isActive()
    clock.advance(days=3)
    label.tick()
    assert label.text().endswith("in 0 s")  # passed: the next read brings the next one
