"""The post-incident review through the services: sections, completion, corrective
actions, the factual timeline, the problem link, and the closure rule."""

import pytest

from desk_app.core.errors import InvalidValue, MissingFields, NotFound, PermissionDenied, Refused
from desk_app.core.permissions import Permission
from desk_app.services import admin, classification, major_review, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import record_event
from desk_app.services.session import Session, activity
from desk_app.storage.database import database
from tests.conftest import new_ticket

FILLED = {"detection": "Monitoring alarm at 08:31; a synthetic check would have caught it.",
          "communication": "Stakeholders told by mail within 12 minutes.",
          "team": "Commander, comms lead, two network resolvers.",
          "resources": "Vendor engineer on site in 40 minutes.",
          "process": "Resolution SLA missed by 20 minutes: waited on the vendor.",
          "reporting": "Report sent to the service owner."}


def everything():
    """Every row an activity could write, as stored."""
    return {table: sorted(database.execute_sql(f"SELECT * FROM {table}").fetchall())
            for table in ("ticket", "history", "major_review", "corrective_action", "outbox")}


@pytest.fixture
def major(session, clock):
    number = log_ticket(session, new_ticket(impact="high", urgency="medium")).number
    clock.advance(minutes=5)
    classification.declare_major(session, number, True, "Whole VPN down", manager="alice")
    return number


@activity(Permission.WORKLOG)
def _update_sent(session, number):
    """A sent update as the "major" branch records it (a history row)."""
    record_event(session, ticket_by_number(number), "major_update", None, "first update")


def test_sections_are_written_and_read_back_with_a_history_row_each(session, major):
    major_review.edit_review(session, major, detection="Found by monitoring",
                             team="Commander and two resolvers")
    view = major_review.review_view(session, major)
    assert view["status"] == "draft" and view["started"]
    assert view["sections"]["detection"] == "Found by monitoring"
    assert view["sections"]["communication"] == ""
    fields = [row[0] for row in database.execute_sql(
        "SELECT field FROM history WHERE field LIKE 'review%'")]
    assert sorted(fields) == ["review", "review_detection", "review_team"]


def test_an_unknown_section_or_a_normal_ticket_is_refused_and_nothing_is_written(session, major):
    other = log_ticket(session, new_ticket()).number
    before = everything()
    with pytest.raises(InvalidValue) as err:
        major_review.edit_review(session, major, blame="Bob")
    assert err.value.field == "blame"
    with pytest.raises(Refused) as err:
        major_review.edit_review(session, other, detection="x")
    assert err.value.field == "major"
    assert everything() == before


def test_complete_needs_every_section_and_names_the_empty_ones(session, major):
    major_review.edit_review(session, major, **{**FILLED, "resources": "  ", "reporting": ""})
    before = everything()
    with pytest.raises(MissingFields) as err:
        major_review.complete_review(session, major)
    assert err.value.fields == ["resources", "reporting"]
    assert "Resources" in err.value.message and "Reporting" in err.value.message
    assert everything() == before
    major_review.edit_review(session, major, **FILLED)
    done = major_review.complete_review(session, major)
    assert (done.status, done.completed_by) == ("complete", "alice")
    with pytest.raises(Refused) as err:
        major_review.edit_review(session, major, detection="changed my mind")
    assert err.value.field == "review"


def test_a_review_never_started_cannot_be_completed(session, major):
    before = everything()
    with pytest.raises(MissingFields) as err:
        major_review.complete_review(session, major)
    assert err.value.field == "detection"
    assert everything() == before


def test_only_incident_managers_complete_a_review(session, clock, major):
    admin.add_technician(session, "sam", "Sam", "support", "Service Desk")
    sam = Session(admin.technician_by_login("sam"), clock)
    major_review.edit_review(sam, major, **FILLED)  # anyone writes it
    with pytest.raises(PermissionDenied):
        major_review.complete_review(sam, major)


def test_timeline_reads_the_history_and_says_what_is_not_recorded(session, clock, major):
    view = major_review.review_view(session, major)
    moments = {point["key"]: point["at"] for point in view["timeline"]}
    assert moments["detected"].startswith("2026-11-23T08:30")
    assert moments["logged"].startswith("2026-11-23T09:00")
    assert moments["declared"].startswith("2026-11-23T09:05")
    assert moments["first_update"] is None and moments["workaround"] is None
    clock.advance(minutes=10)
    _update_sent(session, major)
    clock.advance(minutes=30)
    workflow.resolve(session, major, "workaround", "Solved (work around)", "Rerouted")
    moments = {p["key"]: p["at"] for p in major_review.review_view(session, major)["timeline"]}
    assert moments["first_update"].startswith("2026-11-23T09:15")
    assert moments["workaround"].startswith("2026-11-23T09:45")
    assert moments["resolved"].startswith("2026-11-23T09:45")


def test_actions_are_listed_overdue_first_and_tracked_to_done(session, clock, major):
    first = major_review.add_action(session, major, "Add a synthetic VPN check", "alice",
                                    "2026-11-30")
    second = major_review.add_action(session, major, "Write the vendor escalation runbook",
                                     "alice", "2026-11-25")
    third = major_review.add_action(session, major, "Review the on-call rota", "alice",
                                    "2026-12-10")
    clock.advance(days=4)  # 27 November: the 25th is overdue
    major_review.mark_action_done(session, major, major_review.action_ref(third.id))
    actions = major_review.review_view(session, major)["actions"]
    assert [a["id"] for a in actions] == [second.id, first.id, third.id]
    assert [a["overdue"] for a in actions] == [True, False, False]
    assert actions[2]["status"] == "done" and actions[2]["done_by"] == "alice"
    with pytest.raises(Refused) as err:
        major_review.mark_action_done(session, major, major_review.action_ref(third.id))
    assert err.value.field == "action"


@pytest.mark.parametrize(("values", "field"), [
    ({"text": " ", "owner": "alice", "due": "2026-12-01"}, "text"),
    ({"text": "Fix it", "owner": "nobody", "due": "2026-12-01"}, "owner"),
    ({"text": "Fix it", "owner": "", "due": "2026-12-01"}, "owner"),
    ({"text": "Fix it", "owner": "alice", "due": "2026-11-22"}, "due"),
    ({"text": "Fix it", "owner": "alice", "due": "next week"}, "due"),
])
def test_bad_actions_are_refused_naming_the_field_and_nothing_is_written(session, major,
                                                                        values, field):
    before = everything()
    with pytest.raises(Refused) as err:
        major_review.add_action(session, major, **values)
    assert err.value.field == field
    assert everything() == before


def test_editing_an_action_checks_its_fields_and_a_done_one_stays(session, clock, major):
    action = major_review.add_action(session, major, "Fix it", "alice", "2026-11-24")
    ref = major_review.action_ref(action.id)
    before = everything()
    with pytest.raises(NotFound) as err:
        major_review.edit_action(session, major, ref, owner="nobody")
    assert err.value.field == "owner"
    with pytest.raises(InvalidValue) as err:
        major_review.edit_action(session, major, ref, due="2026-11-01")
    assert err.value.field == "due"
    with pytest.raises(NotFound) as err:
        major_review.edit_action(session, major, "ffffff", text="x")
    assert err.value.field == "action"
    assert everything() == before
    changed = major_review.edit_action(session, major, ref, text="Fix it for good",
                                       due="2026-12-01")
    assert (changed.text, changed.due) == ("Fix it for good", "2026-12-01")
    major_review.mark_action_done(session, major, ref)
    with pytest.raises(Refused):
        major_review.edit_action(session, major, ref, text="again")


def test_the_problem_record_is_linked_or_raised_from_the_review(session, major):
    problem = major_review.link_review_problem(session, major, create=True)
    assert problem.type == "problem"
    assert major_review.review_view(session, major)["problem"] == problem.number
    with pytest.raises(InvalidValue) as err:
        major_review.link_review_problem(session, major)
    assert err.value.field == "problem"


def _resolved_for_closure(session, clock, number):
    workflow.resolve(session, number, "permanent", "Solved (permanently)", "Router replaced",
                     knowledge="not_needed", problem_reason="Hardware fault, replaced")
    workflow.confirm(session, number)


def test_a_major_incident_closes_only_once_its_review_is_complete(session, clock, major):
    _resolved_for_closure(session, clock, major)
    before = everything()
    with pytest.raises(Refused) as err:
        workflow.close(session, major)
    assert err.value.field == "review" and "not been started" in err.value.message
    major_review.edit_review(session, major, **FILLED)
    with pytest.raises(Refused) as err:
        workflow.close(session, major)
    assert err.value.field == "review" and "draft" in err.value.message
    major_review.complete_review(session, major)
    assert workflow.close(session, major).status == "closed"
    assert before["ticket"] != everything()["ticket"]


def test_the_policy_can_let_a_major_incident_close_without_review(session, clock, major):
    admin.change_policy(session, {"major_review": {"required": False}})
    _resolved_for_closure(session, clock, major)
    assert workflow.close(session, major).status == "closed"


def test_the_watcher_does_not_auto_close_a_major_incident_without_its_review(
        session, clock, major):
    from desk_app.services.watch import watch_pass

    workflow.resolve(session, major, "permanent", "Solved (permanently)", "Router replaced",
                     knowledge="not_needed", problem_reason="Hardware fault, replaced")
    clock.advance(days=4)
    result = watch_pass(session)
    assert ticket_by_number(major).status == "resolved"
    assert any("post-incident review" in " ".join(unmet)
               for number, unmet in result.awaiting_closure if number == major)


def test_completing_with_the_forms_last_typing_keeps_nothing_when_refused(session, major):
    before = everything()
    with pytest.raises(MissingFields) as err:
        major_review.complete_review(session, major, **{**FILLED, "team": ""})
    assert err.value.fields == ["team"]
    assert everything() == before
    assert major_review.complete_review(session, major, **FILLED).status == "complete"
