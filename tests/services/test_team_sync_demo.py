"""Connecting a desk to a team database when it holds demo tickets: refused (with the
count) unless they are removed first or explicitly included; a refusal changes nothing."""

import pytest

from desk_app.core.errors import Refused
from desk_app.services import first_run, team_sync
from desk_app.services.demo import write_demo_tickets
from desk_app.services.intake import log_ticket
from desk_app.storage.demo_rows import demo_ticket_count
from desk_app.storage.models import Ticket
from tests.conftest import new_ticket

URL = "postgresql://kim@db.example.org/desk"


def test_connecting_refuses_with_the_count_and_changes_nothing(session):
    write_demo_tickets(session, 40)
    with pytest.raises(team_sync.DemoTicketsHeld) as held:
        team_sync.set_remote(session, URL)
    assert held.value.count == 40 and held.value.field == "demo"
    assert "40 demo tickets" in held.value.message
    assert team_sync.remote_settings() is None and demo_ticket_count() == 40
    with pytest.raises(team_sync.DemoTicketsHeld):
        team_sync.set_remote_from_form(session, "db", 5432, "desk", "kim", "prefer", "")
    assert team_sync.remote_settings() is None


def test_remove_takes_them_out_and_connects(session):
    real = log_ticket(session, new_ticket())
    write_demo_tickets(session, 40)
    settings = team_sync.set_remote(session, URL, demo_tickets="remove")
    assert settings.host == "db.example.org"
    assert team_sync.remote_settings() == settings
    assert [t.id for t in Ticket.select()] == [real.id]


def test_include_connects_and_keeps_them(session):
    write_demo_tickets(session, 40)
    team_sync.set_remote_from_form(session, "db", "5432", "desk", "kim", "prefer", "",
                                   demo_tickets="include")
    assert team_sync.remote_settings() is not None and demo_ticket_count() == 40


def test_a_desk_without_demo_tickets_connects_without_a_choice(session):
    log_ticket(session, new_ticket())
    assert team_sync.set_remote(session, URL).database == "desk"


def test_when_the_rest_fails_the_removal_is_undone(session, monkeypatch):
    write_demo_tickets(session, 40)

    def no_keyring(*_args):
        raise Refused("password", "no keyring on this computer")

    monkeypatch.setattr(team_sync, "store_password", no_keyring)
    with pytest.raises(Refused, match="keyring"):
        team_sync.set_remote(session, URL.replace("kim@", "kim:pw@"), demo_tickets="remove")
    assert demo_ticket_count() == 40 and team_sync.remote_settings() is None


def test_an_unknown_choice_is_refused(session):
    with pytest.raises(Refused, match="refuse, remove, include"):
        team_sync.set_remote(session, URL, demo_tickets="maybe")


def test_the_first_run_wizard_cannot_connect_a_desk_with_demo_tickets(session):
    """The wizard only runs on a new database (no demo tickets yet); should one hold
    them, the team page's save is refused like any other connection."""
    write_demo_tickets(session, 10)
    choices = first_run.FirstRunChoices(
        "Alice", team=first_run.TeamDatabaseForm("db", "5432", "desk", "kim"))
    with pytest.raises(team_sync.DemoTicketsHeld):
        first_run.complete_first_run(session, choices)
    assert team_sync.remote_settings() is None
