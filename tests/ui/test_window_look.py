"""The window's look: the theme menu (remembered), icons on the toolbar and the queues,
the sync indicator first in the status bar opening its details, Help > About with the
database path (no longer in the status bar)."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desk_app.services.queues import QUEUES
from desk_app.ui import palette, theme
from desk_app.ui.main_window import MainWindow
from desk_app.ui.sync_details import SyncDetails
from desk_app.ui.window_state import WindowState
from tests.ui.conftest import settle


def _scheme() -> str:
    return "dark" if QGuiApplication.palette().color(QPalette.ColorRole.Window).name() \
        == palette.SURFACES["dark"].window else "light"


def test_the_theme_menu_switches_and_is_remembered(qtbot, worker, session, tmp_path):
    state_file = tmp_path / "state.json"
    window = MainWindow(worker, session, WindowState(state_file))
    qtbot.addWidget(window)
    try:
        assert window.theme_actions["system"].isChecked()
        window.theme_actions["dark"].trigger()
        assert _scheme() == "dark" and window.theme_actions["dark"].isChecked()
        window.save_layout()
        assert WindowState(state_file).value(theme.STATE_KEY) == "dark"
        window.close()
        again = MainWindow(worker, session, WindowState(state_file))
        qtbot.addWidget(again)
        assert again.theme_actions["dark"].isChecked() and _scheme() == "dark"
        again.theme_actions["light"].trigger()
        assert _scheme() == "light"
    finally:
        theme.theme_of(QApplication.instance(), "system")
        settle(qtbot, worker)


def test_toolbar_and_queues_have_icons(window):
    for action in (window.new_action, window.refresh_action, window.admin_action):
        assert not action.icon().isNull(), action.text()
    for row in range(len(QUEUES)):
        assert not window.queues.item(row).icon().isNull()


def test_the_sync_indicator_comes_first_and_opens_its_details(qtbot, worker, window):
    qtbot.waitUntil(lambda: window.team_sync.last is not None, timeout=10_000)
    indicator = window.team_sync.label
    bar = window.statusBar()
    assert indicator.isVisible()
    assert indicator.geometry().x() < window.who.geometry().x()
    assert indicator.geometry().x() <= 12  # first, at the left
    assert bar.currentMessage() == ""  # the database path moved to Help > About
    assert not indicator.icon().isNull()
    qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)
    details = window.findChild(SyncDetails, "sync_details")
    assert details is not None and details.isVisible()
    assert details.state.text() == "Local only"
    assert "this computer only" in details.advice.text()
    with qtbot.waitSignal(window.team_sync.outcome_ready, timeout=20_000):
        details.sync_now.click()
    details.close()


def test_about_shows_the_database_path_and_the_icon_licence(qtbot, worker, session,
                                                            tmp_path):
    window = MainWindow(worker, session, WindowState(tmp_path / "s.json"),
                        database_path="/data/desk.sqlite3")
    qtbot.addWidget(window)
    about = window.open_about()
    assert about.facts["database"].text() == "/data/desk.sqlite3"
    assert "MIT" in about.facts["icons"].text()
    assert about.facts["config"].text() and about.facts["logs"].text()
    about.close()
