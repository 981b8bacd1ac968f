"""The major-incident and weekly-report policy sections through the administration
services: administrators only, checked as ``policy set`` checks them, all or nothing."""

import copy

import pytest

from desk_app.core.admin_changes import AdministrationChanges, StagedChangeRefused
from desk_app.core.errors import PermissionDenied
from desk_app.services.admin import (
    add_technician,
    administration_data,
    change_policy,
    save_administration,
)
from desk_app.services.lookup import technician_by_login
from desk_app.services.session import Session
from desk_app.storage.models import Outbox
from desk_app.storage.policy_store import read_sections

PROCEDURE = {"incident_manager": "alice", "missed_after": "10m",
             "final_update_on_resolve": "require",
             "updates": {"P1": {"first": "10m", "every": "20m"}}}
SCHEDULE = {"enabled": True, "recipients": ["boss@example.com"], "weekday": "fri", "hour": 17}
REVIEW = {"required": False}


def _changes(**sections) -> AdministrationChanges:
    return AdministrationChanges(sections or {"major_procedure": PROCEDURE,
                                              "report_schedule": SCHEDULE,
                                              "major_review": REVIEW})


@pytest.mark.parametrize("role", ["service_desk", "support", "incident_manager"])
def test_only_administrators_read_or_save_these_sections(session, role):
    add_technician(session, "bob", "Bob", role, None)
    bob = Session(technician_by_login("bob"), session.now_fn)
    before, outbox = copy.deepcopy(read_sections()), Outbox.select().count()
    with pytest.raises(PermissionDenied):
        administration_data(bob)
    with pytest.raises(PermissionDenied):
        save_administration(bob, _changes())
    with pytest.raises(PermissionDenied):
        change_policy(bob, {"report_schedule": SCHEDULE})
    assert read_sections() == before and Outbox.select().count() == outbox


def test_an_administrator_saves_all_three_in_one_activity(session):
    summary = save_administration(session, _changes())
    stored = read_sections()
    assert stored["major_procedure"] == PROCEDURE
    assert stored["report_schedule"] == SCHEDULE and stored["major_review"] == REVIEW
    assert "Report schedule weekday: mon -> fri" in summary
    assert "Major review required: True -> False" in summary
    sent = {key for (key,) in Outbox.select(Outbox.row_id)
            .where(Outbox.entity == "policy_section").tuples()}
    assert {"major_procedure", "report_schedule", "major_review"} <= sent


@pytest.mark.parametrize(("section", "value", "field"), [
    ("report_schedule", SCHEDULE | {"recipients": ["boss at example"]},
     "policy report_schedule.recipients[0]"),
    ("report_schedule", SCHEDULE | {"recipients": []}, "policy report_schedule.recipients"),
    ("report_schedule", SCHEDULE | {"hour": 24}, "policy report_schedule.hour"),
    ("report_schedule", SCHEDULE | {"weekday": "monday"}, "policy report_schedule.weekday"),
    ("major_procedure", PROCEDURE | {"updates": {}}, "policy major_procedure.updates"),
    ("major_procedure", PROCEDURE | {"updates": {"P1": {"first": "0m", "every": "1h"}}},
     "policy major_procedure.updates.P1.first"),
    ("major_procedure", PROCEDURE | {"missed_after": "8d"}, "policy major_procedure.missed_after"),
    ("major_procedure", PROCEDURE | {"final_update_on_resolve": "maybe"},
     "policy major_procedure.final_update_on_resolve"),
    ("major_review", {"required": "yes"}, "policy major_review.required"),
])
def test_a_bad_value_names_its_field_and_saves_none_of_the_staged_changes(session, section,
                                                                         value, field):
    before, outbox = copy.deepcopy(read_sections()), Outbox.select().count()
    staged = {"major_procedure": PROCEDURE, "report_schedule": SCHEDULE,
              "major_review": REVIEW} | {section: value}
    with pytest.raises(StagedChangeRefused) as refused:
        save_administration(session, _changes(**staged))
    assert refused.value.field == field
    assert read_sections() == before and Outbox.select().count() == outbox
