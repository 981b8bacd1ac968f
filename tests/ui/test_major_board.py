"""The major-incident board: everything about the major incident on one screen, the
countdown to the next update turning red once missed, the quick timeline entry, the
children attached and detached, and the way in from a major ticket."""

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desk_app.services.major_board import major_board
from desk_app.ui.major_models import ROW_ROLE
from tests.ui.conftest import settle
from tests.ui.majors import BRIDGE, running_major


def _board(qtbot, worker, window, number=None):
    board = window.open_major_board(number)
    qtbot.addWidget(board)
    settle(qtbot, worker)
    return board


def _texts(model, column):
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_board_shows_the_major_incident_whole(qtbot, worker, window, session,
                                                  qtmodeltester):
    major = running_major(session)
    board = _board(qtbot, worker, window)  # nothing named: the first active one
    assert board.number == major.number
    assert _texts(board.majors, 0) == [f"{major.number} {board.current.board.priority}"]
    assert major.number in board.title.text() and "Email is down" in board.title.text()
    team = board.team_label.text()
    assert "Alice" in team or "alice" in team
    assert "Ben Carter (ben) · Commander" in team
    assert "Cleo Diaz (cleo) · Communications" in team
    assert f"href='{BRIDGE}'" in board.bridge_label.text()
    assert board.bridge_label.openExternalLinks()
    assert "+44 20 7946 0000" in board.bridge_label.text()
    assert "Ops room 2" in board.bridge_label.text()
    affected = board.affected_label.text()
    for name in ("Service: Email", "CI: EXCH-01", "CI: LAPTOP-17"):
        assert name in affected
    assert "cio@example.com" in board.stakeholders_label.text()
    assert _texts(board.children, 0) == [major.child]
    assert _texts(board.timeline, 2) == ["Restarted the transport service"]
    assert _texts(board.timeline, 3) == ["alice"]
    for model in (board.majors, board.timeline, board.children):
        qtmodeltester.check(model)


def test_the_countdown_turns_red_once_the_update_is_missed(qtbot, worker, window, session,
                                                           clock):
    running_major(session)
    board = _board(qtbot, worker, window)
    due = board.current.board.next_update_due
    assert due is not None
    clock.current = due - (due - clock.current) / 2
    board.tick()
    assert board.clocks["next_update"].property("value").startswith("in ")
    assert board.clocks["next_update"].property("tone") in ("success", "warning")
    clock.current = due + (board.current.missed_after * 2)
    board.tick()
    assert board.clocks["next_update"].property("value").startswith("MISSED")
    assert board.clocks["next_update"].property("tone") == "danger"
    assert board.clocks["declared"].property("value").endswith("ago")


def test_a_quick_entry_is_added_with_enter_timestamped_and_by_whom(qtbot, worker, window,
                                                                   session, clock):
    major = running_major(session)
    board = _board(qtbot, worker, window, major.number)
    board.entry_kind.setCurrentIndex(board.entry_kind.findData("decision"))
    board.entry_text.setText("Fail over to the second data centre")
    with qtbot.waitSignal(board.loaded, timeout=5_000):
        qtbot.keyClick(board.entry_text, Qt.Key.Key_Return)
    settle(qtbot, worker)
    last = board.timeline.index(board.timeline.rowCount() - 1, 0).data(ROW_ROLE)
    assert (last.kind, last.text, last.by) == ("decision", "Fail over to the second data "
                                               "centre", "alice")
    assert last.at == clock.current
    assert board.entry_text.text() == ""
    stored = major_board(session, major.number).timeline
    assert [t.text for t in stored][-1] == "Fail over to the second data centre"


def test_an_empty_quick_entry_is_refused_on_the_line_and_adds_nothing(qtbot, worker, window,
                                                                      session):
    major = running_major(session)
    board = _board(qtbot, worker, window, major.number)
    board.entry_text.setText("   ")
    qtbot.keyClick(board.entry_text, Qt.Key.Key_Return)
    settle(qtbot, worker)
    assert board.entry_error.isVisibleTo(board) and "text" in board.entry_error.text()
    assert board.entry_text.property("invalid")
    assert len(major_board(session, major.number).timeline) == 1


def test_children_are_attached_and_detached_from_the_board(qtbot, worker, window, session):
    from desk_app.services.intake import log_ticket
    from tests.conftest import new_ticket

    major = running_major(session)
    other = log_ticket(session, new_ticket(summary="Webmail times out", service="Email"))
    board = _board(qtbot, worker, window, major.number)
    dialog = board.open_attach()
    qtbot.addWidget(dialog)
    dialog.inputs["child"].setText(f"{other.number}, {major.number}")  # itself: refused
    dialog.buttons.accepted.emit()
    settle(qtbot, worker)
    assert dialog.isVisible() and dialog.inputs["child"].property("invalid")
    assert major_board(session, major.number).children[-1].number == major.child
    dialog.inputs["child"].setText(other.number)
    dialog.buttons.accepted.emit()
    settle(qtbot, worker)
    assert not dialog.isVisible()
    assert _texts(board.children, 0) == [major.child, other.number]
    board.children_table.selectRow(0)
    board.detach_button.click()
    settle(qtbot, worker)
    assert _texts(board.children, 0) == [other.number]
    assert [c.number for c in major_board(session, major.number).children] == [other.number]


def test_a_major_ticket_opens_its_board_and_the_board_reserves_a_review_place(
        qtbot, worker, window, session):
    major = running_major(session)
    window.refresh()
    settle(qtbot, worker)
    window.show_ticket(major.id)
    settle(qtbot, worker)
    added = []
    window.major_board_created.connect(
        lambda board: added.append(board.add_section("Review", QWidget())))
    action = window.view.ticket_actions["major_board"]
    assert action.isEnabled()
    action.trigger()
    settle(qtbot, worker)
    board = window.major_board
    qtbot.addWidget(board)
    assert board.isVisible() and board.number == major.number
    assert [board.tabs.tabText(index) for index in added] == ["Review"]
    window.open_major_board(major.number)  # the same board again: created once
    assert len(added) == 1
    opened = []
    button = board.add_action("Review…", opened.append)
    assert button.isEnabled()
    button.click()
    assert opened == [major.number]


def test_the_board_fits_a_laptop_screen(qtbot, worker, window, session):
    running_major(session)
    board = _board(qtbot, worker, window)
    hint = board.minimumSizeHint()
    assert board.width() <= 1366 and board.height() <= 768 - 60
    assert hint.width() <= 1366 and hint.height() <= 768 - 60


def test_the_side_facts_show_every_line(qtbot, worker, window, session):
    running_major(session)
    board = _board(qtbot, worker, window)
    labels = (board.team_label, board.bridge_label, board.affected_label,
              board.stakeholders_label)

    def every_line_shown() -> bool:
        return all(label.height() >= label.heightForWidth(label.width()) for label in labels)

    qtbot.waitUntil(every_line_shown, timeout=3_000)  # once laid out, every line shows
    assert board.team_label.text().count("<br>") == 2  # the manager and two members


def test_durations_read_as_minutes_and_seconds_or_hours_and_minutes():
    from desk_app.ui.major_clocks import span

    assert span(timedelta(minutes=12, seconds=5)) == "12 min 05 s"
    assert span(timedelta(seconds=-59)) == "0 min 59 s"
    assert span(timedelta(hours=1, minutes=5, seconds=59)) == "1 h 05 min"


def test_the_board_reloads_when_the_watcher_finds_the_update_due(qtbot, worker, window,
                                                                 session, clock):
    from desk_app.services.major_incidents import log_entry

    major = running_major(session)
    board = _board(qtbot, worker, window, major.number)
    qtbot.waitUntil(lambda: getattr(window, "watch_schedule", None) is not None,
                    timeout=5_000)
    clock.current = board.current.board.next_update_due + timedelta(minutes=1)
    log_entry(session, major.number, "note", "Told the CIO by phone")  # another desk, say
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        window.watch_schedule.run_now()  # the update is due: a notification
    settle(qtbot, worker)
    assert _texts(board.timeline, 2)[-1] == "Told the CIO by phone"
    assert board.clocks["next_update"].property("tone") == "danger"


def test_the_sla_clocks_read_as_the_tickets_own(qtbot, worker, window, session, clock):
    from desk_app.services.workflow import start_work

    major = running_major(session)
    board = _board(qtbot, worker, window, major.number)
    assert board.clocks["response"].property("value").endswith(")")  # "… left (09:10)"
    assert "left" in board.clocks["response"].property("value")
    start_work(session, major.number)  # the first response
    with qtbot.waitSignal(board.loaded, timeout=5_000):
        board.reload()
    assert board.clocks["response"].property("value") == "Met"
    assert board.clocks["response"].property("tone") == "success"
    clock.current = board.current.board.resolution_due + timedelta(minutes=3)
    board.tick()
    assert board.clocks["resolution"].property("value").startswith("Breached")
    assert board.clocks["resolution"].property("tone") == "danger"


def test_with_no_major_incident_the_board_says_so(qtbot, worker, window):
    board = _board(qtbot, worker, window)
    assert board.empty.isVisibleTo(board) and board.majors.rowCount() == 0
    assert not board.update_button.isEnabled() and not board.entry_text.isEnabled()
    assert board.clocks["next_update"].property("value") == "–"


def test_the_desk_menu_opens_the_board_and_the_board_opens_tickets(qtbot, worker, window,
                                                                   session):
    major = running_major(session)
    action = next(a for a in window.actions() if a.text() == "Major incident &board…")
    action.trigger()
    settle(qtbot, worker)
    board = window.major_board
    qtbot.addWidget(board)
    assert board.isVisible() and board.number == major.number
    with qtbot.waitSignal(window.ticket_shown, timeout=5_000) as shown:
        board.ticket_button.click()
    assert shown.args[0]["number"] == major.number
    with qtbot.waitSignal(window.ticket_shown, timeout=5_000) as shown:
        board.children_table.doubleClicked.emit(board.children.index(0, 0))
    assert shown.args[0]["number"] == major.child


def test_choosing_another_major_in_the_list_shows_its_board(qtbot, worker, window, session):
    from desk_app.services.intake import log_ticket
    from desk_app.services.major_incidents import declare
    from tests.conftest import new_ticket

    first = running_major(session)
    second = log_ticket(session, new_ticket(summary="VPN down for all home workers"))
    declare(session, second.number, "cleo", "Nobody can work from home")
    board = _board(qtbot, worker, window, first.number)
    assert board.majors.rowCount() == 2
    row = next(r for r in range(2) if board.majors.row_at(r).number == second.number)
    with qtbot.waitSignal(board.loaded, timeout=5_000):
        board.major_list.selectRow(row)
    settle(qtbot, worker)
    assert board.number == second.number
    assert "<b>Cleo Diaz</b> (cleo) · manager" in board.team_label.text()
    assert board.children.rowCount() == 0


def test_a_theme_switch_draws_the_priority_in_the_new_tones(qtbot, worker, window, session,
                                                            qapp):
    from desk_app.ui.palette import tone
    from desk_app.ui.theme import theme_of

    running_major(session)
    board = _board(qtbot, worker, window)
    priority = board.current.board.priority
    before = theme_of(qapp).choice
    try:
        theme_of(qapp).choose("dark")
        qtbot.waitUntil(lambda: tone(priority, "dark").text in board.title.text(),
                        timeout=3_000)
        theme_of(qapp).choose("light")
        qtbot.waitUntil(lambda: tone(priority, "light").text in board.title.text(),
                        timeout=3_000)
    finally:
        theme_of(qapp).choose(before)


def test_a_closed_board_reads_again_when_shown(qtbot, worker, window, session):
    from desk_app.services.major_incidents import log_entry

    major = running_major(session)
    board = _board(qtbot, worker, window, major.number)
    board.close()
    log_entry(session, major.number, "note", "Vendor engaged")
    board.reload()  # closed: nothing read now
    settle(qtbot, worker)
    assert "Vendor engaged" not in _texts(board.timeline, 2)
    with qtbot.waitSignal(board.loaded, timeout=5_000):
        window.open_major_board()
    assert _texts(board.timeline, 2)[-1] == "Vendor engaged"


def test_the_board_opens_the_post_incident_review_of_its_major(qtbot, worker, window,
                                                               session):
    from PySide6.QtWidgets import QDialog, QPushButton

    major = running_major(session)
    board = _board(qtbot, worker, window, major.number)
    (button,) = [b for b in board.findChildren(QPushButton)
                 if b.text() == "Post-incident review…"]
    assert button.isEnabled()
    button.click()
    settle(qtbot, worker)
    forms = [d for d in window.findChildren(QDialog)
             if d.objectName() == "dialog_major_review"]
    assert len(forms) == 1 and major.number in forms[0].windowTitle()
    forms[0].close()


def test_a_stored_link_that_is_not_a_call_link_is_shown_but_never_clickable():
    from types import SimpleNamespace

    from desk_app.ui.major_board import MajorBoardWindow

    board = SimpleNamespace(bridge_link="file:///bin/sh", bridge_phone=None,
                            bridge_room=None)
    assert MajorBoardWindow._bridge_html(board) == "file:///bin/sh"
    board.bridge_link = "https://meet.example.com/mi"
    assert "<a href='https://meet.example.com/mi'>" in MajorBoardWindow._bridge_html(board)


def test_a_closed_majors_entry_line_and_update_button_are_off_and_say_why(
        qtbot, worker, window, session):
    from desk_app.services import workflow

    major = running_major(session)
    board = _board(qtbot, worker, window, major.number)
    assert board.entry_text.isEnabled() and board.entry_kind.isEnabled()
    workflow.cancel(session, major.number, "mislogged")
    with qtbot.waitSignal(board.loaded, timeout=5_000):
        board.reload()
    settle(qtbot, worker)
    assert not board.entry_text.isEnabled() and not board.entry_kind.isEnabled()
    said = board.entry_text.placeholderText()
    assert "timeline of a closed major incident is final" in said
    assert said == board.entry_text.toolTip()
    assert not board.update_button.isEnabled()  # no update for a cancelled major either
    assert board.update_button.toolTip() == said


def test_the_board_says_when_the_policys_incident_manager_is_not_active(qtbot, worker,
                                                                       window, session):
    from desk_app.services import admin
    from desk_app.services.intake import log_ticket
    from tests.conftest import new_ticket

    admin.add_technician(session, "mia", "Mia Major", "incident_manager", None)
    admin.change_policy(session, {"major_procedure": {"incident_manager": "mia"}})
    major = log_ticket(session, new_ticket(impact="high", urgency="high")).number
    admin.update_technician(session, "mia", active=False)
    board = _board(qtbot, worker, window, major)
    assert ("incident manager mia is not an active technician; using alice"
            in board.team_label.text())
