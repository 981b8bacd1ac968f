"""Declaring a major incident from the ticket's actions: manager, team with roles,
bridge, stakeholders and reason; refusals on the field they name with nothing written;
the typing kept as a draft; standing down with a reason."""

from desk_app.services.major_board import major_board
from desk_app.storage.models import Ticket
from desk_app.ui.drafts import DraftStore
from desk_app.ui.major_declare import DeclareDialog
from tests.ui.conftest import open_dialog, settle, submit
from tests.ui.majors import BRIDGE, running_major, team_people


def _shown_incident(qtbot, worker, window, session):
    from desk_app.services.intake import log_ticket
    from tests.conftest import new_ticket

    team_people(session)
    window.load_reference()  # the new technicians are offered
    ticket = log_ticket(session, new_ticket(summary="Payroll system down"))
    window.refresh()
    settle(qtbot, worker)
    window.show_ticket(ticket.id)
    settle(qtbot, worker)
    return ticket


def _declare_dialog(qtbot, worker, window) -> DeclareDialog:
    dialog = open_dialog(qtbot, worker, window, "declare_major")
    qtbot.addWidget(dialog)
    assert isinstance(dialog, DeclareDialog)
    return dialog


def test_declaring_with_manager_team_bridge_and_stakeholders(qtbot, worker, window, session):
    ticket = _shown_incident(qtbot, worker, window, session)
    dialog = _declare_dialog(qtbot, worker, window)
    assert dialog.manager.login() == "alice"  # the person declaring, to start with
    dialog.manager.choose("ben")
    dialog.team.add_row("cleo", "communications")
    dialog.team.add_row("alice", "commander")
    dialog.bridge_link.setText(BRIDGE)
    dialog.bridge_phone.setText("+44 20 7946 0000")
    dialog.bridge_room.setText("Ops room 2")
    dialog.stakeholders.setPlainText("cio@example.com\nhr-lead@example.com\n")
    dialog.reason.setPlainText("Nobody can be paid today")
    dialog.ok.click()
    settle(qtbot, worker)
    assert not dialog.isVisible()
    board = major_board(session, ticket.number)
    assert board.major and board.manager.login == "ben"
    assert {(m.login, m.role) for m in board.team} == {("cleo", "communications"),
                                                       ("alice", "commander")}
    assert (board.bridge_link, board.bridge_phone, board.bridge_room) == (
        BRIDGE, "+44 20 7946 0000", "Ops room 2")
    assert board.stakeholders == ["cio@example.com", "hr-lead@example.com"]
    assert board.reason == "Nobody can be paid today"
    assert window.view.data["major"]  # the ticket shown again, now major


def test_refusals_are_shown_on_their_field_and_write_nothing(qtbot, worker, window, session):
    ticket = _shown_incident(qtbot, worker, window, session)
    dialog = _declare_dialog(qtbot, worker, window)
    dialog.manager.choose(None)  # no manager
    dialog.reason.setPlainText("Payroll down")
    dialog.stakeholders.setPlainText("cio@example.com")
    dialog.ok.click()
    settle(qtbot, worker)
    assert dialog.isVisible()
    assert dialog.manager.property("invalid") and "manager" in dialog.error.text()
    assert not Ticket.get_by_id(ticket.id).major
    dialog.manager.choose("ben")
    dialog.stakeholders.setPlainText("cio at example")
    dialog.ok.click()
    settle(qtbot, worker)
    assert dialog.stakeholders.property("invalid") and "stakeholders" in dialog.error.text()
    assert not dialog.manager.property("invalid")
    assert dialog.reason.toPlainText() == "Payroll down"  # nothing typed is lost
    assert not Ticket.get_by_id(ticket.id).major
    dialog.team.add_row("nobody-here", "resolver")
    dialog.stakeholders.setPlainText("cio@example.com")
    dialog.ok.click()
    settle(qtbot, worker)
    assert dialog.team.property("invalid") and "team" in dialog.error.text()
    assert not Ticket.get_by_id(ticket.id).major
    dialog.reject()


def test_a_declaration_that_died_comes_back_filled(qtbot, worker, window, session):
    _shown_incident(qtbot, worker, window, session)
    dialog = _declare_dialog(qtbot, worker, window)
    dialog.team.add_row("cleo", "communications")
    dialog.bridge_room.setText("Ops room 2")
    dialog.reason.setPlainText("Nobody can be paid today")
    qtbot.waitUntil(lambda: DraftStore().load(dialog.draft_key) is not None, timeout=3_000)
    dialog.hide()
    dialog.deleteLater()  # the app died with the dialog open
    again = _declare_dialog(qtbot, worker, window)
    assert again.restored.isVisibleTo(again)
    assert again.team.members() == [("cleo", "communications")]
    assert again.bridge_room.text() == "Ops room 2"
    assert again.reason.toPlainText() == "Nobody can be paid today"
    again.reject()
    assert DraftStore().load(again.draft_key) is None


def test_standing_down_asks_for_the_reason(qtbot, worker, window, session):
    major = running_major(session)
    window.refresh()
    settle(qtbot, worker)
    window.show_ticket(major.id)
    settle(qtbot, worker)
    assert window.view.ticket_actions["declare_major"].text() == "Stand down major incident…"
    dialog = open_dialog(qtbot, worker, window, "declare_major")
    qtbot.addWidget(dialog)
    submit(qtbot, worker, dialog, reason="Mail flows again through the backup relay")
    assert not dialog.isVisible()
    board = major_board(session, major.number)
    assert not board.major and board.reason == "Mail flows again through the backup relay"


def test_one_person_on_two_team_rows_is_refused(qtbot, worker, window, session):
    ticket = _shown_incident(qtbot, worker, window, session)
    dialog = _declare_dialog(qtbot, worker, window)
    dialog.manager.choose("ben")
    dialog.reason.setPlainText("Payroll down")
    dialog.team.add_row("cleo", "commander")
    dialog.team.add_row("cleo", "communications")
    dialog.ok.click()
    settle(qtbot, worker)
    assert dialog.isVisible() and dialog.team.property("invalid")
    assert "cleo is on the team twice" in dialog.error.text()
    assert not Ticket.get_by_id(ticket.id).major
    dialog.reject()
