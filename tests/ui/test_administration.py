"""Administration: policy edits take effect on the next ticket; only administrators."""

from desk_app.services.admin import add_technician
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import technician_by_login
from desk_app.services.session import Session
from desk_app.ui.main_window import MainWindow
from desk_app.ui.window_state import WindowState
from tests.conftest import new_ticket
from tests.ui.conftest import settle


def _admin(qtbot, worker, window):
    with qtbot.waitSignal(window.admin_opened) as opened:
        window.admin_action.trigger()
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    settle(qtbot, worker)
    return dialog


def test_matrix_and_sla_edits_apply_to_a_newly_logged_ticket(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    matrix = dialog.pages[0]
    assert matrix.cells[("medium", "medium")].currentText() == "P3"
    matrix.cells[("medium", "medium")].setCurrentText("P2")
    sla = dialog.pages[1]
    sla.targets.table.item(1, 2).setText("6h")  # P2 resolution
    sla.targets.table.item(1, 3).setText("24x7")
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save_policy()
    settle(qtbot, worker)
    assert sorted(saved.args[0]) == ["priority_matrix", "sla"]
    ticket = log_ticket(session, new_ticket(impact="medium", urgency="medium"))
    assert ticket.priority == "P2"
    assert (ticket.resolution_due - ticket.logged_at).total_seconds() == 6 * 3600


def test_a_policy_that_does_not_validate_is_refused_naming_the_key(qtbot, worker, window,
                                                                   session):
    dialog = _admin(qtbot, worker, window)
    dialog.pages[1].targets.table.item(0, 1).setText("soon")  # P1 response
    dialog.save_policy()
    settle(qtbot, worker)
    assert dialog.error.isVisible()
    assert "sla.targets.P1.response" in dialog.error.text()
    assert dialog.pages[1].targets.table.item(0, 1).text() == "soon"  # kept for fixing
    assert session.policy.sla.targets["P1"].response_text == "15m"  # nothing changed


def test_the_screens_use_the_policy_schema(qtbot, worker, window, session):
    """An unknown team time zone (every command would fail with it), a target no
    calendar can reach and an escalation group the desk does not have are refused."""
    dialog = _admin(qtbot, worker, window)
    lifecycle = dialog.pages[-1]
    for edit, words in (
            (lambda: lifecycle.time_zone.setText("Mars/Olympus"),
             "policy team.time_zone: unknown time zone 'Mars/Olympus'"),
            (lambda: dialog.pages[1].targets.table.item(3, 2).setText("400bd"),
             "policy sla.targets.P4.resolution: must be a positive duration of at most "
             "365 days"),
            (lambda: dialog.pages[5].functional.table.item(0, 1).setText("Nobody"),
             "no support group 'Nobody'")):
        dialog.reload()
        settle(qtbot, worker)
        edit()
        dialog.save_policy()
        settle(qtbot, worker)
        assert dialog.error.isVisible() and words in dialog.error.text()
    assert session.policy.time_zone == "Europe/London"
    assert session.policy.sla.targets["P4"].resolution_text == "5bd"


def test_groups_and_technicians_are_managed(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    groups = dialog.groups
    groups.name.setText("Field Service")
    groups.level.setCurrentIndex(groups.level.findData("L2"))
    groups.findChild(type(dialog.buttons.buttons()[0]), "add_group").click()
    settle(qtbot, worker)
    assert "Field Service" in [row[0] for row in groups.table.rows()]
    people = dialog.technicians
    people.login.setText("sam")
    people.name.setText("Sam Field")
    people.role.setCurrentIndex(people.role.findData("support"))
    people.group.setCurrentIndex(people.group.findData("Field Service"))
    people.findChild(type(dialog.buttons.buttons()[0]), "add_technician").click()
    settle(qtbot, worker)
    assert ["sam", "Sam Field", "", "support", "Field Service", "yes"] in people.table.rows()


def test_a_non_administrator_cannot_open_administration(qtbot, worker, session, tmp_path):
    add_technician(session, "bob", "Bob", "support", None)
    session = Session(technician_by_login("bob"), session.now_fn)
    main = MainWindow(worker, session, WindowState(tmp_path / "s.json"))
    qtbot.addWidget(main)
    main.show()
    main.start()
    settle(qtbot, worker)
    assert not main.admin_action.isEnabled()
    assert "Only administrators" in main.admin_action.toolTip()
    assert main.open_admin() is None
    # and the service refuses even if a dialog were built
    from desk_app.ui.admin.admin_dialog import AdminDialog

    dialog = AdminDialog(main, worker, session)
    qtbot.addWidget(dialog)
    settle(qtbot, worker)
    assert not dialog.error.isHidden() and "administrator" in dialog.error.text()
