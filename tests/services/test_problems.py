"""Problem records: their incidents both ways, root cause and workaround, the status
flow, the known-error database, a fix that resolves the incidents; the closure rule
for workarounds, P1s and recurrences, and what a reopen clears."""

import pytest

from desk_app.core.errors import (
    ChecklistIncomplete,
    InvalidValue,
    PermissionDenied,
    TransitionRefused,
)
from desk_app.core.major_review import SECTION_KEYS
from desk_app.services import admin, classification, links, major_review, problems, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.session import Session
from desk_app.services.ticket_view import ticket_view
from desk_app.storage.models import History

from ..conftest import new_ticket


def _person(session, clock, login, role):
    admin.add_technician(session, login, login.title(), role, None)
    return Session(admin.technician_by_login(login), clock)


def _problem_with_incidents(session, count=2):
    first = log_ticket(session, new_ticket()).number
    problem = links.raise_problem(session, first).number
    others = [log_ticket(session, new_ticket(summary=f"VPN again {i}")).number
              for i in range(count - 1)]
    for number in others:
        links.link_problem(session, number, problem)
    return problem, [first, *others]


def test_a_problem_lists_its_incidents_and_each_incident_its_problem(session):
    problem, incidents = _problem_with_incidents(session)
    view = ticket_view(session, ticket_by_number(problem))
    assert view["problem_status"] == "new"
    assert [i["number"] for i in view["incidents"]] == incidents
    for number in incidents:
        assert ticket_view(session, ticket_by_number(number))["problem"] == problem
    assert "incidents" not in ticket_view(session, ticket_by_number(incidents[0]))


def test_the_problem_flow_to_a_known_error_and_the_kedb(session):
    problem, _ = _problem_with_incidents(session)
    assert problems.list_problems(session, known_errors=True) == []
    problems.investigate(session, problem)
    assert ticket_by_number(problem).status == "in_progress"
    with pytest.raises(InvalidValue) as err:
        problems.mark_known_error(session, problem)
    assert err.value.field == "workaround"
    problems.describe_problem(session, problem, root_cause="Expired certificate")
    problems.mark_known_error(session, problem, workaround="Use the web VPN")
    kedb = problems.list_problems(session, known_errors=True)
    assert [(k["number"], k["workaround"], k["root_cause"], k["incidents"]) for k in kedb] \
        == [(problem, "Use the web VPN", "Expired certificate", 2)]
    with pytest.raises(InvalidValue):  # a known error keeps its workaround
        problems.describe_problem(session, problem, workaround="")
    with pytest.raises(TransitionRefused) as err:
        problems.close_problem(session, problem)
    assert "problem flow" in err.value.message
    changed = {h.field for h in History.select().where(
        History.ticket == ticket_by_number(problem).id)}
    assert {"problem_status", "root_cause", "workaround"} <= changed


def test_a_fix_resolves_the_open_incidents_in_one_activity(session):
    problem, incidents = _problem_with_incidents(session, count=3)
    workflow.resolve(session, incidents[2], "permanent", "solved", "Already fixed")
    problems.mark_known_error(session, problem, workaround="Use the web VPN",
                              root_cause="Expired certificate")
    fixed, resolved = problems.resolve_problem(session, problem, "Renewed the certificate")
    assert fixed.problem_status == "resolved" and fixed.status == "resolved"
    assert [t.number for t in resolved] == incidents[:2]
    for number in incidents[:2]:
        ticket = ticket_by_number(number)
        assert ticket.status == "resolved" and ticket.resolution_type == "permanent"
        assert ticket.resolution_notes == f"Fixed by {problem}: Renewed the certificate"
    assert ticket_by_number(incidents[2]).resolution_notes == "Already fixed"
    problems.close_problem(session, problem)
    assert ticket_by_number(problem).status == "closed"


def test_a_refused_incident_resolution_leaves_the_problem_unresolved(session, monkeypatch):
    problem, _incidents = _problem_with_incidents(session)

    def broken(*args, **kwargs):
        raise InvalidValue("notes", "refused for the test")

    problems.describe_problem(session, problem, root_cause="Expired certificate")
    monkeypatch.setattr(problems, "resolve", broken)
    with pytest.raises(InvalidValue):
        problems.resolve_problem(session, problem, "Patch")
    assert ticket_by_number(problem).problem_status == "new"


def test_a_fix_may_leave_the_incidents_open(session):
    problem, incidents = _problem_with_incidents(session)
    problems.describe_problem(session, problem, root_cause="Expired certificate")
    _, resolved = problems.resolve_problem(session, problem, "Patch", resolve_incidents=False)
    assert resolved == [] and ticket_by_number(incidents[0]).status == "new"


def test_only_technicians_and_managers_work_problems(session, clock):
    problem, _ = _problem_with_incidents(session)
    dana = _person(session, clock, "dana", "service_desk")
    with pytest.raises(PermissionDenied):
        problems.investigate(dana, problem)
    with pytest.raises(InvalidValue) as err:
        problems.investigate(session, log_ticket(session, new_ticket()).number)
    assert err.value.field == "problem"


@pytest.mark.parametrize("case", ["workaround", "p1", "may_recur"])
def test_closure_needs_a_problem_or_an_incident_managers_reason(session, clock, case):
    number = log_ticket(session, new_ticket(
        impact="high" if case == "p1" else "medium",
        urgency="high" if case == "p1" else "medium")).number
    workflow.resolve(session, number, "workaround" if case == "workaround" else "permanent",
                     "fixed", "Did it", may_recur=case == "may_recur",
                     knowledge="not_needed", problem_decision="not_needed")
    workflow.confirm(session, number)
    with pytest.raises(ChecklistIncomplete) as err:  # "not needed" alone is not enough
        workflow.close(session, number)
    assert "incident manager" in err.value.unmet[0]
    tom = _person(session, clock, "tom", "support")
    with pytest.raises(PermissionDenied) as err:  # the role is checked in the service
        workflow.close(tom, number, problem_reason="Not worth it")
    assert err.value.field == "problem_reason"
    assert ticket_by_number(number).status == "resolved"
    with pytest.raises(InvalidValue):
        workflow.close(session, number, problem_reason="  ")
    manager = _person(session, clock, "meg", "incident_manager")
    if case == "p1":  # a P1 is a major incident: it closes once its review is complete
        major_review.edit_review(manager, number, **dict.fromkeys(SECTION_KEYS, "Reviewed"))
        major_review.complete_review(manager, number)
    workflow.close(manager, number, problem_reason="A one-off power cut")
    ticket = ticket_by_number(number)
    assert ticket.status == "closed" and ticket.problem_reason == "A one-off power cut"


def test_a_major_incident_downgraded_before_closing_still_needs_a_problem(session, clock):
    tom = _person(session, clock, "tom", "support")
    number = log_ticket(tom, new_ticket(impact="high", urgency="high")).number
    assert ticket_by_number(number).major
    classification.reprioritise(tom, number, "Only one user after all", impact="low",
                                urgency="low")
    assert ticket_by_number(number).major  # declared once, it stays a major incident
    workflow.resolve(tom, number, "permanent", "fixed", "Restarted", knowledge="not_needed",
                     problem_decision="not_needed")
    workflow.confirm(tom, number)
    with pytest.raises(ChecklistIncomplete) as err:
        workflow.close(tom, number)
    assert any("problem record" in u for u in err.value.unmet)
    assert ticket_by_number(number).status == "resolved"


def test_a_reopen_clears_the_earlier_closure_decisions(session):
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "permanent", "solved", "Fixed", knowledge="updated",
                     problem_reason="Nothing to find")
    workflow.reopen(session, number, "Came back")
    ticket = ticket_by_number(number)
    assert (ticket.knowledge, ticket.problem_decision, ticket.problem_reason,
            ticket.article_id) == (None, None, None, None)
    # a P1 resolved later by a workaround cannot close on the old decision
    workflow.resolve(session, number, "workaround", "workaround", "Use the web VPN")
    workflow.confirm(session, number)
    with pytest.raises(ChecklistIncomplete) as err:
        workflow.close(session, number)
    assert any("problem record" in u for u in err.value.unmet)
    assert any("knowledge" in u for u in err.value.unmet)


def test_a_rejected_resolution_clears_them_too(session):
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "permanent", "solved", "Fixed", knowledge="not_needed")
    workflow.reject(session, number, "Still broken")
    assert ticket_by_number(number).knowledge is None


def test_resolving_a_problem_without_its_root_cause_is_refused_and_changes_nothing(session):
    problem, incidents = _problem_with_incidents(session)
    with pytest.raises(InvalidValue) as err:
        problems.resolve_problem(session, problem, "Renewed the certificate")
    assert err.value.field == "root_cause"
    assert ticket_by_number(problem).problem_status in (None, "new")
    assert all(ticket_by_number(n).status == "new" for n in incidents)
