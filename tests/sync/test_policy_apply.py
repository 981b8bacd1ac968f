"""A policy section pulled from the team database is applied only when it validates:
an invalid one must not break the desk (the last valid one is kept, and why is noted),
and sections that only validate together are applied together."""

import copy
import json

import pytest

from desk_app.core.merge import Change
from desk_app.services.intake import log_ticket
from desk_app.storage.database import database
from desk_app.storage.policy_store import read_sections, refused_sections
from desk_app.sync.incoming import apply_changes
from tests.conftest import new_ticket

STAMP = "{millis:013d}-000000-device-b"


def pulled(section: str, value, millis: int = 1_900_000_000_000) -> Change:
    return Change("policy_section", section, "value", json.dumps(value),
                  STAMP.format(millis=millis), "device-b", "boss")


def apply(*changes: Change) -> None:
    with database.atomic():
        apply_changes(list(changes))


@pytest.mark.parametrize(("section", "value", "field"), [
    ("team", {"name": "Desk", "time_zone": "Mars/Olympus"}, "policy team.time_zone"),
    ("lifecycle", [1, 2], "policy lifecycle"),
    ("lifecycle", None, "policy lifecycle"),
    ("lifecycle", {"reopen_window_days": 1e300}, "policy lifecycle.reopen_window_days"),
    ("sla", {"targets": {}}, "policy sla.targets"),
    ("no_such_section", {}, "policy no_such_section"),
])
def test_an_invalid_pulled_section_is_kept_out_and_noted(session, section, value, field,
                                                         caplog):
    before = read_sections()
    apply(pulled(section, value))
    assert read_sections() == before
    assert refused_sections()[section].startswith(field)
    assert "kept the last valid policy section" in caplog.text
    log_ticket(session, new_ticket())  # the desk still works
    stamp = database.execute_sql("SELECT hlc FROM sync_stamp WHERE row_id = ?",
                                 (section,)).fetchone()
    assert stamp is None  # a later valid value still wins


def test_a_valid_section_afterwards_is_applied_and_clears_the_note(session):
    apply(pulled("team", {"name": "Desk", "time_zone": "Mars/Olympus"}))
    assert "team" in refused_sections()
    apply(pulled("team", {"name": "Field desk", "time_zone": "Asia/Tokyo"}, 1_900_000_000_001))
    assert read_sections()["team"] == {"name": "Field desk", "time_zone": "Asia/Tokyo"}
    assert refused_sections() == {}
    assert session.policy.time_zone == "Asia/Tokyo"


def test_sections_that_only_validate_together_are_applied_together(session):
    """A calendar renamed, and the SLA targets moved to the new name, in one pull."""
    calendars = copy.deepcopy(read_sections()["calendars"])
    calendars["business"] = calendars.pop("office")
    sla = copy.deepcopy(read_sections()["sla"])
    for target in sla["targets"].values():
        if target["calendar"] == "office":
            target["calendar"] = "business"
    apply(pulled("calendars", calendars), pulled("sla", sla, 1_900_000_000_001))
    assert read_sections()["calendars"] == calendars and read_sections()["sla"] == sla
    assert refused_sections() == {}
    log_ticket(session, new_ticket())


def test_an_invalid_section_on_the_team_database_leaves_the_desk_working(clients, team_db):
    """Written past the desk-app (by hand, or by a broken client) with an admin login:
    the desk syncs without an error, keeps its valid section, says why, and a full
    verification does not keep "repairing" it in."""
    from desk_app.core.hlc import Stamp
    from desk_app.core.ids import uuid7
    from desk_app.sync.outgoing import send

    kim = clients("kim")
    kim.open()
    kim.sync()
    stamp = Stamp(team_db.scalar("SELECT (extract(epoch FROM now()) * 1000)::bigint"), 0,
                  "dev").encode()
    with team_db.login("admin_ada") as conn:
        send(conn, "dev", [{"op_id": uuid7(), "entity": "policy_section", "row_id": "team",
                            "field": "value", "value": {"name": "X", "time_zone": "Nowhere"},
                            "hlc": stamp}])
    before = read_sections()["team"]
    report = kim.sync(verify_all=True)
    assert read_sections()["team"] == before
    assert "unknown time zone 'Nowhere'" in refused_sections()["team"]
    assert not report.repaired
    log_ticket(kim.session, new_ticket())
    kim.sync(verify_all=True)
