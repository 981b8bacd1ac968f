"""On a team desk the technicians are the team's: roles, groups and active flags come
from the team database (a technician login's changes are refused there and rolled
back here), the desk acts as the login it syncs with, and the author shown is the one
the server recorded."""

import psycopg
import pytest

from desk_app.app import open_desk
from desk_app.core.errors import PermissionDenied, Refused
from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.services import admin, team_sync
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.ticket_view import ticket_view
from desk_app.services.worklog import add_worklog
from desk_app.storage.meta import set_meta
from desk_app.storage.models import Outbox, Technician
from desk_app.sync.outgoing import send
from desk_app.sync.server_schema import add_user
from tests.conftest import new_ticket


def _role(login: str) -> str:
    return Technician.get(Technician.login == login).role


def test_a_desk_joining_as_a_technician_drops_its_administrator_rights(clients):
    kim = clients("kim")
    kim.open()
    assert kim.session.role == "administrator"  # whoever creates a desk administers it
    admin.add_technician(kim.session, "bob", "Bob", "support", None)
    kim.sync()
    assert kim.session.role == "service_desk"
    with pytest.raises(PermissionDenied, match="manage people needs one of: administrator"):
        admin.add_technician(kim.session, "sam", "Sam", "support", None)
    boss = clients("boss", role="admin")
    boss.open()
    boss.sync()
    assert boss.session.role == "administrator"  # a team administrator keeps the rights
    assert _role("bob") == "support"  # a person the joining desk brought along
    assert _role("kim") == "service_desk"


def test_a_technician_desk_joins_without_managers_of_its_own_making(clients):
    """Only the team makes incident managers: a technician login's desk brings its
    people as service-desk technicians, and the server takes no manager from it."""
    kim = clients("kim")
    kim.open()
    admin.add_technician(kim.session, "eve", "Eve", "incident_manager", None)
    report = kim.sync()
    assert not report.warnings, report.warnings
    assert _role("eve") == "service_desk"
    boss = clients("boss", role="admin")
    boss.open()
    boss.sync()
    assert _role("eve") == "service_desk"


def test_a_second_desk_of_a_known_technician_joins_without_a_false_refusal(clients):
    """A technician's second laptop brings the people the team already has, unchanged:
    nothing of the desk's was refused, so sync says nothing about technicians."""
    first = clients("first", login="tech_kim")
    first.open()
    assert not first.sync().warnings
    second = clients("second", login="tech_kim")
    second.open()
    report = second.sync()
    assert not [w for w in report.warnings if "technicians:" in w], report.warnings
    assert _role("tech_kim") == "service_desk"


def test_a_technician_logins_change_to_technicians_is_refused_and_rolled_back(
        clients, team_db):
    boss, kim = clients("boss", role="admin"), clients("kim")
    boss.open()
    admin.add_technician(boss.session, "bob", "Bob", "support", None)
    boss.sync()
    with team_db.owner() as conn:  # the team takes the administrator role away
        add_user(conn, "boss", "technician", None)
    admin.update_technician(boss.session, "bob", role="incident_manager", active=False)
    assert _role("bob") == "incident_manager"
    report = boss.sync()
    assert any("technicians: boss is not an administrator of the team database" in w
               and "your changes to technicians were not shared" in w
               for w in report.warnings), report.warnings
    assert _role("bob") == "support"  # the team's row again
    assert Technician.get(Technician.login == "bob").active
    assert Outbox.select().count() == 0
    assert boss.sync().warnings == []  # refused once, not at every sync
    kim.open()
    kim.sync()
    assert _role("bob") == "support"


def test_a_team_desk_acts_as_the_login_it_syncs_with(clients, monkeypatch):
    amy, ben = clients("amy"), clients("ben")
    ben.open()
    ben.sync()
    amy.open()
    amy.sync()
    amy.close()
    with pytest.raises(Refused, match="works for its team as amy, the login it syncs with; "
                                      "it cannot act as ben"):
        open_desk(amy.folder, login="ben")
    monkeypatch.setenv("DESK_APP_TECHNICIAN", "someone_else")
    desk = open_desk(amy.folder)  # the environment's default yields to the team login
    try:
        assert desk.session.login == "amy"
        log_ticket(desk.session, new_ticket())
        with pytest.raises(Refused, match="changes made as amy wait to be sent"):
            team_sync.set_remote(desk.session, amy.team.remote_url("ben"))
        team_sync.sync_now(desk.session)
        team_sync.set_remote(desk.session, amy.team.remote_url("ben"))
    finally:
        desk.close()
    desk = open_desk(amy.folder)
    try:
        assert desk.session.login == "ben"  # with ben's login, the desk works as ben
        amy.team.add_login("cy")  # a login no desk has worked as yet
        team_sync.set_remote(desk.session, amy.team.remote_url("cy"))
    finally:
        desk.close()
    desk = open_desk(amy.folder)
    try:
        assert (desk.session.login, desk.session.role) == ("cy", "service_desk")
        assert team_sync.sync_now(desk.session).warnings == []  # the team learns of cy
    finally:
        desk.close()
    assert amy.team.scalar("SELECT count(*) FROM desk.change WHERE entity = 'technician' "
                           "AND value ->> 'login' = 'cy' AND author = 'cy'") == 1


def test_the_sync_logins_own_role_follows_its_team_administrator_membership(
        clients, team_db):
    """A desk switched to a team administrator's login gets the administrator's rights
    (and the team learns of it); a login the team stops administering loses them."""
    kim = clients("kim")
    kim.open()
    kim.sync()
    team_db.add_login("boss", "admin")
    team_sync.set_remote(kim.session, team_db.remote_url("boss"))
    kim.close()

    def role_after_sync() -> str:
        desk = open_desk(kim.folder)
        try:
            assert desk.session.login == "boss"
            assert not team_sync.sync_now(desk.session).warnings
        finally:
            desk.close()
        desk = open_desk(kim.folder)
        try:
            return desk.session.role
        finally:
            desk.close()

    assert role_after_sync() == "administrator"
    assert team_db.scalar("SELECT value::text FROM desk.change WHERE entity = 'technician' "
                          "AND field = 'role' AND author = 'boss'") == '"administrator"'
    with team_db.owner() as conn:  # the team takes the administrator role away
        add_user(conn, "boss", "technician", None)
    assert role_after_sync() == "service_desk"


def test_the_author_shown_is_the_one_the_server_recorded(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    desk = open_desk(amy.folder, login="alex", now_fn=amy.now)  # before the team
    try:
        number = log_ticket(desk.session, new_ticket(summary="Before the team")).number
        set_meta("remote", team_db.settings("amy").to_json())
        team_sync.sync_now(desk.session)  # joins as amy...
        assert desk.session.login == "amy"  # ...and works as amy from then on
        add_worklog(desk.session, number, "Right after joining")
    finally:
        desk.close()
    amy.open()
    ticket = ticket_by_number(number)
    with team_db.login("tech_kim") as conn:  # a client claiming someone else's name
        now = conn.execute("SELECT (extract(epoch FROM now()) * 1000)::bigint").fetchone()[0]
        row = {"id": uuid7(), "ticket_id": ticket.id, "at": now, "by": "admin_ada",
               "kind": "note", "note": "Forged", "minutes": 0}
        send(conn, "forger", [{"op_id": uuid7(), "entity": "worklog", "row_id": ticket.id,
                               "field": None, "value": [row], "hlc": Stamp(now, 0, "f").encode()}])
    add_worklog(amy.session, number, "Mine", minutes=5)
    amy.sync()
    for desk in (amy, ben):
        desk.open()
        desk.sync()
        view = ticket_view(desk.session, ticket_by_number(number))
        assert (view["logged_by"], view["claimed_logged_by"]) == ("amy", "alex")
        assert {h["by"] for h in view["history"]} == {"amy"}
        notes = {w["note"]: (w["by"], w.get("claimed_by")) for w in view["worklog"]}
        assert notes["Forged"] == ("tech_kim", "admin_ada")
        assert notes["Mine"] == notes["Right after joining"] == ("amy", None)


def test_a_refused_change_leaves_the_log_untouched(team_db):
    with team_db.login("tech_kim") as conn, pytest.raises(psycopg.Error):
        send(conn, "dev", [{"op_id": uuid7(), "entity": "technician", "row_id": "x",
                            "field": "active", "value": False,
                            "hlc": Stamp(1, 0, "dev").encode()}])
    assert team_db.scalar("SELECT count(*) FROM desk.change") == 0
