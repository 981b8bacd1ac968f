"""The first-run wizard: local or team database (tested before going on), the profile,
demo tickets; saved at Finish, or refused naming the field with nothing saved."""

import socket

import pytest
from PySide6.QtWidgets import QWizard

from desk_app.services import team_sync
from desk_app.services.lookup import technician_by_login
from desk_app.services.queues import TicketFilter, listing_count
from desk_app.services.reference import desk_reference
from desk_app.sync.server_schema import SCHEMA_VERSION
from desk_app.ui.first_run_wizard import DEMO, PROFILE, TEAM, WELCOME, FirstRunWizard
from tests.ui.conftest import settle


@pytest.fixture
def wizard(qtbot, worker, session):
    box = {}
    worker.submit(lambda: desk_reference(session), lambda ref: box.setdefault("ref", ref))
    settle(qtbot, worker)
    shown = FirstRunWizard(None, worker, session, box["ref"])
    qtbot.addWidget(shown)
    shown.show()
    return shown


def on_worker(qtbot, worker, work):
    box = {}
    worker.submit(work, lambda result: box.setdefault("r", result),
                  lambda error: box.setdefault("r", error))
    settle(qtbot, worker)
    return box["r"]


def finish(qtbot, worker, wizard):
    with qtbot.waitSignal(wizard.completed, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    settle(qtbot, worker)


def test_local_desk_with_profile_and_demo_tickets(qtbot, worker, wizard, session):
    assert wizard.currentId() == WELCOME and wizard.welcome.local.isChecked()
    wizard.next()
    assert wizard.currentId() == PROFILE  # no team page for a local desk
    wizard.profile.name.clear()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # name required
    wizard.profile.name.setText("Dana Whitfield")
    wizard.profile.email.setText("dana@example.com")
    wizard.profile.group.setCurrentIndex(wizard.profile.group.findData("Service Desk"))
    wizard.next()
    assert wizard.currentId() == DEMO and wizard.demo.demo.isEnabled()
    wizard.demo.demo.setChecked(True)
    finish(qtbot, worker, wizard)
    assert not wizard.isVisible()
    person = on_worker(qtbot, worker, lambda: technician_by_login(session.login))
    assert (person.name, person.email, person.group.name) == (
        "Dana Whitfield", "dana@example.com", "Service Desk")
    assert on_worker(qtbot, worker, lambda: listing_count(session, TicketFilter())) == 200
    assert on_worker(qtbot, worker, team_sync.remote_settings) is None


def test_a_refused_profile_names_the_field_and_saves_nothing(qtbot, worker, wizard, session):
    wizard.next()
    wizard.profile.name.setText("Dana")
    wizard.profile.email.setText("not an address")
    wizard.next()
    wizard.demo.demo.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    settle(qtbot, worker)
    assert wizard.isVisible() and "email" in wizard.demo.error.text()
    assert wizard.profile.email.property("invalid") is True
    assert on_worker(qtbot, worker, lambda: listing_count(session, TicketFilter())) == 0
    assert on_worker(qtbot, worker, lambda: technician_by_login(session.login).name) != "Dana"
    wizard.back()  # fix it and finish
    wizard.profile.email.setText("dana@example.com")
    wizard.next()
    finish(qtbot, worker, wizard)
    assert on_worker(qtbot, worker, lambda: technician_by_login(session.login).name) == "Dana"


def _type_team(wizard, settings, **overrides):
    values = {"host": settings.host, "port": str(settings.port), "database": settings.database,
              "user": settings.user, "password": "kim-secret"} | overrides
    for name, value in values.items():
        wizard.team.inputs[name].setText(value)
    sslmode = wizard.team.inputs["sslmode"]
    sslmode.setCurrentIndex(sslmode.findData("disable"))


def _test_connection(qtbot, wizard):
    with qtbot.waitSignal(wizard.team.tested, timeout=20_000) as tested:
        wizard.team.test_button.click()
    return tested.args[0]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_team_database_must_pass_its_test_and_says_what_is_wrong(qtbot, worker, wizard,
                                                                 session, team_db,
                                                                 memory_keyring):
    wizard.welcome.team.setChecked(True)
    wizard.next()
    assert wizard.currentId() == TEAM
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # not tested yet
    wizard.team.test_button.click()  # nothing typed: refused naming the field
    settle(qtbot, worker)
    assert "host: is required" in wizard.team.result.text()
    assert wizard.team.inputs["host"].property("invalid") is True

    _type_team(wizard, team_db.settings("tech_kim"), host="127.0.0.1", port=str(_closed_port()))
    check = _test_connection(qtbot, wizard)
    assert not check.reachable and "Not connected" in wizard.team.result.text()
    assert "127.0.0.1" in wizard.team.result.text() and not next_button.isEnabled()

    _type_team(wizard, team_db.settings("tech_kim"), database="no_such_desk")
    _test_connection(qtbot, wizard)
    assert "no_such_desk" in wizard.team.result.text() and not next_button.isEnabled()

    _type_team(wizard, team_db.settings("tech_kim"))
    check = _test_connection(qtbot, wizard)
    assert check.reachable and check.schema_version == SCHEMA_VERSION
    assert wizard.team.result.text().startswith("Connected.") and next_button.isEnabled()
    wizard.team.inputs["port"].setText("1")  # a change asks for a new test
    assert not next_button.isEnabled()
    _type_team(wizard, team_db.settings("tech_kim"))
    _test_connection(qtbot, wizard)

    wizard.next()
    wizard.profile.name.setText("Kim Tanaka")
    wizard.next()
    assert not wizard.demo.demo.isEnabled() and "every colleague" in wizard.demo.note.text()
    finish(qtbot, worker, wizard)
    stored = on_worker(qtbot, worker, team_sync.remote_settings)
    assert (stored.database, stored.user) == (team_db.name, "tech_kim")
    assert list(memory_keyring.passwords.values()) == ["kim-secret"]
    assert "kim-secret" not in stored.to_json()
