"""Sync in the desktop client: its own thread, the status bar, "Sync now", the team
database settings, and a failing server that never stops local work."""

from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton

from desk_app.services import team_sync as service
from desk_app.services.intake import log_ticket
from desk_app.sync.engine import SyncStatus
from desk_app.sync.server_schema import SCHEMA_VERSION
from desk_app.ui import team_sync
from desk_app.ui.team_sync import advice, indicator_state, status_text
from tests.conftest import new_ticket
from tests.ui.conftest import open_dialog, settle, submit


def _set_remote(qtbot, worker, session, url):
    worker.submit(lambda: service.set_remote(session, url))
    settle(qtbot, worker)


def _sync(qtbot, window):
    with qtbot.waitSignal(window.team_sync.outcome_ready, timeout=20_000) as done:
        window.team_sync.sync_now_action.trigger()
    return done.args[0]


def test_status_bar_without_a_team_database_says_local_only(qtbot, window):
    qtbot.waitUntil(lambda: window.team_sync.last is not None, timeout=10_000)
    assert window.team_sync.label.text() == "Local only"
    assert window.team_sync.label.property("chip") == "muted"


def test_sync_now_then_an_action_in_the_window_syncs_by_itself(
        qtbot, worker, window, session, team_db, memory_keyring):
    logged = []
    worker.submit(lambda: log_ticket(session, new_ticket(summary="Logged on this desk")),
                  logged.append)
    _set_remote(qtbot, worker, session, team_db.remote_url("tech_kim"))
    outcome = _sync(qtbot, window)
    assert outcome.state == "up to date"
    assert window.team_sync.label.text().startswith("Up to date · last sync ")
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE entity = 'ticket' AND "
                          "value->>'summary' = 'Logged on this desk'") == 1

    window.team_sync._after_change.setInterval(50)
    with qtbot.waitSignal(window.ticket_shown, timeout=10_000):
        window.show_ticket(logged[0].id)
    with qtbot.waitSignal(window.team_sync.outcome_ready, timeout=20_000,
                          check_params_cb=lambda o: o.report is not None):
        submit(qtbot, worker, open_dialog(qtbot, worker, window, "worklog"),
               note="Written in the window", minutes=5)
    assert team_db.scalar("SELECT count(*) FROM desk.change, json_array_elements(value) r "
                          "WHERE entity = 'worklog' "
                          "AND r->>'note' = 'Written in the window'") == 1
    assert window.team_sync.last.status.pending == 0


def test_an_unreachable_server_shows_offline_and_local_work_goes_on(qtbot, worker, window,
                                                                   session):
    _set_remote(qtbot, worker, session, "postgresql://kim@127.0.0.1:1/desk")
    window.team_sync._after_change.stop()
    window.team_sync._after_change.setInterval(600_000)
    outcome = _sync(qtbot, window)
    assert outcome.state == "offline"
    assert window.team_sync.label.text() == "Offline · nothing waiting"
    assert window.team_sync.label.property("chip") == "warning"
    done = []
    worker.submit(lambda: log_ticket(session, new_ticket(summary="Offline work")), done.append)
    settle(qtbot, worker)
    assert done and done[0].number
    outcome = _sync(qtbot, window)
    assert outcome.status.pending > 0
    assert f"{outcome.status.pending} change" in window.team_sync.label.text()
    details = window.team_sync.show_details()
    assert details.state.text() == "Offline"
    assert "kept here" in details.advice.text()
    assert details.pending.text() == str(outcome.status.pending)
    details.close()


def test_the_settings_form_keeps_the_password_in_the_keyring_and_tests(
        qtbot, worker, window, session, team_db, memory_keyring, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))
    dialog = window.team_sync.edit_settings()
    assert dialog.inputs["password"].echoMode() == QLineEdit.EchoMode.Password
    settings = team_db.settings("tech_kim")
    submit(qtbot, window.team_sync.worker, dialog, host=settings.host, port=str(settings.port),
           database=settings.database, user="tech_kim", sslmode="disable", password="typed-pw")
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert f"reachable, schema version {SCHEMA_VERSION}" in shown[0]
    assert list(memory_keyring.passwords.values()) == ["typed-pw"]
    stored = []
    worker.submit(service.remote_settings, stored.append)
    settle(qtbot, worker)
    assert stored[0].user == "tech_kim" and "typed-pw" not in stored[0].to_json()


def test_status_texts():
    def outcome(state, pending, last="2026-11-23T09:00:00+00:00", reason=None):
        return service.BackgroundSync(state, SyncStatus(pending, last, reason, "x"),
                                      reason=reason)

    assert status_text(outcome("up to date", 0)).startswith("Up to date · last sync ")
    assert status_text(outcome("up to date", 2)) == "Up to date · 2 changes waiting"
    assert status_text(outcome("offline", 1, None)) == "Offline · 1 change waiting"
    assert status_text(outcome("offline", 0, None)) == "Offline · nothing waiting"
    assert status_text(outcome("error", 3, reason="clock: too far")) == \
        "Sync error · 3 changes waiting"
    assert status_text(outcome("local", 0)) == "Local only"
    assert "clock: too far" in advice(outcome("error", 3, reason="clock: too far"))
    assert "Team database" in advice(outcome("local", 0))
    assert "network" in advice(outcome("offline", 1))
    assert [indicator_state(outcome(state, pending)) for state, pending in (
        ("up to date", 0), ("up to date", 1), ("offline", 0), ("error", 0), ("local", 0))] \
        == ["up to date", "waiting", "offline", "error", "local"]
    assert team_sync.EVERY_MS == 60_000  # "every minute"


def test_leave_team_in_the_settings_makes_the_desk_local_only(
        qtbot, worker, window, session, team_db, memory_keyring, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box))
    _set_remote(qtbot, worker, session, team_db.remote_url("tech_kim"))
    assert _sync(qtbot, window).state == "up to date"
    dialog = window.team_sync.edit_settings()
    leave = dialog.findChild(QPushButton, "leave_team")
    assert leave is not None and leave.isVisible()
    leave.click()
    confirm = shown.pop()
    assert confirm.objectName() == "leave_team_confirm"
    with qtbot.waitSignal(window.team_sync.outcome_ready, timeout=20_000):
        confirm.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.team_sync.label.text() == "Local only", timeout=10_000)
    assert "left the team database" in shown[-1].text()
    stored = []
    worker.submit(service.remote_settings, stored.append)
    settle(qtbot, worker)
    assert stored == [None]


def test_a_local_desk_never_shows_syncing(qtbot, worker, window):
    shown = []
    window.team_sync.label.setText = lambda text, _set=window.team_sync.label.setText: (
        shown.append(text), _set(text))[1]
    window.team_sync.know_team(False)
    with qtbot.waitSignal(window.team_sync.outcome_ready, timeout=10_000):
        window.team_sync.sync()
    assert "Syncing…" not in shown and window.team_sync.label.text() == "Local only"


def test_a_team_desk_shows_syncing_while_it_syncs(qtbot, window):
    window.team_sync.last = None  # the first sync of a team desk ...
    window.team_sync.running = True  # ... started before the desk's facts arrived
    window.team_sync.know_team(True)
    assert window.team_sync.label.text() == "Syncing…"
    window.team_sync.running = False
