"""Completing the first run: all inputs checked before anything is written."""

import keyring
import keyring.backends.fail
import pytest

from desk_app.core.errors import Refused
from desk_app.services import team_sync
from desk_app.services.first_run import (
    DEMO_TICKETS,
    FirstRunChoices,
    TeamDatabaseForm,
    add_demo_tickets,
    complete_first_run,
)
from desk_app.services.lookup import technician_by_login
from desk_app.services.queues import TicketFilter, listing_count

TEAM = TeamDatabaseForm("db.example.invalid", "5432", "desk", "kim", "prefer", "s3cret")


def test_local_desk_with_demo_tickets(session):
    assert complete_first_run(session, FirstRunChoices("Ann Lee", "ann@example.com",
                                                       "Service Desk", demo=True)) is None
    assert technician_by_login(session.login).name == "Ann Lee"
    assert add_demo_tickets(session) == DEMO_TICKETS
    assert listing_count(session, TicketFilter()) == DEMO_TICKETS


def test_team_desk_keeps_the_password_in_the_keyring(session, memory_keyring):
    settings = complete_first_run(session, FirstRunChoices("Kim", team=TEAM))
    assert team_sync.remote_settings() == settings
    assert list(memory_keyring.passwords.values()) == ["s3cret"]
    with pytest.raises(Refused) as refused:
        add_demo_tickets(session)
    assert refused.value.field == "demo" and listing_count(session, TicketFilter()) == 0


@pytest.mark.parametrize(("choices", "field"), [
    (FirstRunChoices("", team=TEAM), "name"),
    (FirstRunChoices("Kim", "kim at home", team=TEAM), "email"),
    (FirstRunChoices("Kim", team=TeamDatabaseForm("", "5432", "desk", "kim")), "host"),
    (FirstRunChoices("Kim", team=TeamDatabaseForm("db", "post", "desk", "kim")), "port"),
    (FirstRunChoices("Kim", team=TeamDatabaseForm("db", "70000", "desk", "kim")), "port"),
    (FirstRunChoices("Kim", team=TEAM, demo=True), "demo"),
    (FirstRunChoices("Kim", group="Nobody's Group"), "group"),
])
def test_refusals_name_the_field_and_write_nothing(session, memory_keyring, choices, field):
    before = technician_by_login(session.login).name
    with pytest.raises(Refused) as refused:
        complete_first_run(session, choices)
    assert refused.value.field == field
    assert technician_by_login(session.login).name == before
    assert team_sync.remote_settings() is None
    assert memory_keyring.passwords == {}  # the password is not kept either


def test_no_keyring_refuses_the_password_and_saves_nothing(session):
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with pytest.raises(Refused) as refused:
            complete_first_run(session, FirstRunChoices("Kim", team=TEAM))
    finally:
        keyring.set_keyring(previous)
    assert refused.value.field == "password" and team_sync.remote_settings() is None
    assert technician_by_login(session.login).name != "Kim"
