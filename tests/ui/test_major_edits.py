"""Changing a running major incident from its board: manager, team, bridge and
stakeholders, each refused on its field with nothing written."""

from PySide6.QtWidgets import QPushButton

from desk_app.services.major_board import major_board
from tests.ui.conftest import settle, submit
from tests.ui.majors import BRIDGE, running_major


def _board(qtbot, worker, window, session):
    major = running_major(session)
    window.load_reference()  # ben and cleo are offered
    settle(qtbot, worker)
    board = window.open_major_board(major.number)
    qtbot.addWidget(board)
    settle(qtbot, worker)
    return major, board


def _edit(qtbot, board, what):
    with qtbot.waitSignal(board.dialog_opened) as opened:
        board.edit(what)
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    return dialog


def test_the_manager_is_handed_over(qtbot, worker, window, session):
    major, board = _board(qtbot, worker, window, session)
    dialog = _edit(qtbot, board, "manager")
    submit(qtbot, worker, dialog, manager="ben")
    assert not dialog.isVisible()
    assert major_board(session, major.number).manager.login == "ben"
    assert "<b>Ben Carter</b> (ben) · manager" in board.team_label.text()


def test_the_team_changes_and_a_member_is_taken_off(qtbot, worker, window, session):
    major, board = _board(qtbot, worker, window, session)
    dialog = _edit(qtbot, board, "team")
    assert dialog.team.members() == [("ben", "commander"), ("cleo", "communications")]
    line = dialog.team.rows[0][0]
    line.findChild(QPushButton).click()  # Remove ben
    dialog.team.add_row("alice", "resolver")
    assert dialog.changes() == {"ben": None, "alice": "resolver"}
    dialog.buttons.accepted.emit()
    settle(qtbot, worker)
    assert not dialog.isVisible()
    team = {(m.login, m.role) for m in major_board(session, major.number).team}
    assert team == {("cleo", "communications"), ("alice", "resolver")}


def test_an_unchanged_team_is_refused_on_the_team(qtbot, worker, window, session):
    _major, board = _board(qtbot, worker, window, session)
    dialog = _edit(qtbot, board, "team")
    dialog.buttons.accepted.emit()
    settle(qtbot, worker)
    assert dialog.isVisible() and dialog.team.property("invalid")
    assert "team" in dialog.error.text()
    dialog.reject()


def test_bridge_and_stakeholders_change_and_a_bad_address_is_refused(qtbot, worker, window,
                                                                     session):
    major, board = _board(qtbot, worker, window, session)
    bridge = _edit(qtbot, board, "bridge")
    assert bridge.inputs["bridge_link"].text() == BRIDGE
    submit(qtbot, worker, bridge, bridge_room="War room")
    assert major_board(session, major.number).bridge_room == "War room"
    assert "Room: War room" in board.bridge_label.text()
    people = _edit(qtbot, board, "stakeholders")
    submit(qtbot, worker, people, stakeholders="cio@example.com\nnot an address")
    assert people.isVisible() and people.inputs["stakeholders"].property("invalid")
    assert major_board(session, major.number).stakeholders == ["cio@example.com"]
    submit(qtbot, worker, people, stakeholders="cio@example.com\ncfo@example.com")
    assert not people.isVisible()
    assert major_board(session, major.number).stakeholders == ["cio@example.com",
                                                               "cfo@example.com"]


def test_one_person_on_two_rows_is_refused_on_the_team(qtbot, worker, window, session):
    major, board = _board(qtbot, worker, window, session)
    dialog = _edit(qtbot, board, "team")
    dialog.team.add_row("ben", "resolver")  # ben is the commander already
    dialog.buttons.accepted.emit()
    settle(qtbot, worker)
    assert dialog.isVisible() and dialog.team.property("invalid")
    assert "ben is on the team twice" in dialog.error.text()
    team = {(m.login, m.role) for m in major_board(session, major.number).team}
    assert team == {("ben", "commander"), ("cleo", "communications")}
    dialog.reject()
