"""The major-incident procedure through the services, with an injected clock:
declaration, team, bridge, timeline, children resolved with the parent, updates
mailed to a real SMTP server once per person, and refusals that change nothing."""

from datetime import timedelta

import pytest

from desk_app.core.errors import InvalidValue, NotFound, Refused
from desk_app.services import admin, classification, links, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.mail_sender import send_queued
from desk_app.services.major_board import active_majors, major_board
from desk_app.services.major_children import attach_children, detach_child, majors_matching
from desk_app.services.major_incidents import (
    declare,
    log_entry,
    set_bridge,
    set_stakeholders,
    set_team,
    stand_down,
)
from desk_app.services.major_updates import send_update
from desk_app.storage.models import History, MailMessage, MajorUpdate, Ticket, Worklog
from tests.conftest import new_ticket, stored_tickets
from tests.mail_server import smtp_server  # noqa: F401
from tests.services.test_mail_out import use_server

LOW = dict(impact="low", urgency="low")  # P4: not major by the criteria


def snapshot() -> dict:
    """Every row of every table of the open desk that a refusal must leave alone."""
    from desk_app.storage.database import database

    tables = [r[0] for r in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'ticket_search%'"
        " AND name NOT IN ('meta', 'outbox', 'schema_migration')")]
    return {t: sorted(map(repr, database.execute_sql(f"SELECT * FROM {t}").fetchall()))
            for t in tables}


def clear(server) -> None:
    """Forget what the test server received so far."""
    server.inbox.messages.clear()
    server.inbox.envelopes.clear()


@pytest.fixture
def team(session):
    """mia an incident manager, cole on communications, rex a resolver."""
    admin.add_technician(session, "mia", "Mia Major", "incident_manager", None)
    admin.add_technician(session, "cole", "Cole Comms", "support", None)
    admin.add_technician(session, "rex", "Rex Resolver", "support", "Service Desk")
    return session


def _declared(session, **overrides) -> str:
    number = log_ticket(session, new_ticket(service="Email", **LOW)).number
    values = dict(manager="mia", reason="Mail down for everyone",
                  team={"cole": "communications", "rex": "resolver"},
                  bridge_link="https://meet.example.com/mi", bridge_phone="+44 20 1234",
                  bridge_room="Ops room", stakeholders=["cio@example.com",
                                                        "ops@example.com"])
    values.update(overrides)
    declare(session, number, **values)
    return number


def test_declaring_records_manager_team_bridge_and_history(team, clock):
    number = _declared(team)
    board = major_board(team, number)
    assert board.major and board.manager.login == "mia"
    assert [(m.login, m.role) for m in board.team] == [("cole", "communications"),
                                                       ("rex", "resolver")]
    assert (board.bridge_link, board.bridge_phone, board.bridge_room) == (
        "https://meet.example.com/mi", "+44 20 1234", "Ops room")
    assert board.stakeholders == ["cio@example.com", "ops@example.com"]
    ticket = Ticket.get(Ticket.number == number)
    assert ticket.support_level == "L3"  # straight to the specialists
    rows = {h.field: h for h in History.select().where(History.ticket == ticket.id)}
    assert rows["major"].new == "yes" and rows["major"].at == clock()
    assert rows["major_reason"].new == "Mail down for everyone"
    assert board.declared_at == clock()
    assert board.reason == "Mail down for everyone"


@pytest.mark.parametrize("change, field", [
    (dict(manager=None), "manager"),
    (dict(manager="  "), "manager"),
    (dict(manager="nobody"), "manager"),
    (dict(reason=""), "reason"),
    (dict(team={"cole": "boss"}), "team"),
    (dict(team={"ghost": "resolver"}), "team"),
    (dict(stakeholders=["not an address"]), "stakeholders"),
    (dict(bridge_room="x" * 3000), "bridge_room"),
])
def test_a_bad_declaration_is_refused_naming_the_field_and_writes_nothing(team, change, field):
    number = log_ticket(team, new_ticket(**LOW)).number
    before = snapshot()
    values = dict(manager="mia", reason="big", team={"cole": "communications"})
    values.update(change)
    with pytest.raises(Refused) as refused:
        declare(team, number, **values)
    assert refused.value.field == field
    assert snapshot() == before


def test_declare_major_needs_a_manager_too(team):
    number = log_ticket(team, new_ticket(**LOW)).number
    before = snapshot()
    with pytest.raises(InvalidValue) as refused:
        classification.declare_major(team, number, True, "big")
    assert refused.value.field == "manager"
    assert snapshot() == before
    classification.declare_major(team, number, True, "big", manager="mia")
    assert major_board(team, number).manager.login == "mia"


def test_a_criteria_major_is_managed_by_the_policy_manager_or_its_logger(team):
    p1 = log_ticket(team, new_ticket(impact="high", urgency="high")).number
    assert Ticket.get(Ticket.number == p1).major
    assert major_board(team, p1).manager.login == "alice"  # who raised it
    assert major_board(team, p1).team == []
    admin.change_policy(team, {"major_procedure": {"incident_manager": "mia"}})
    assert major_board(team, p1).manager.login == "mia"
    declare(team, p1, manager="rex", reason="complete the procedure")  # then named
    assert major_board(team, p1).manager.login == "rex"
    with pytest.raises(Refused) as refused:
        declare(team, p1, manager="mia", reason="again")
    assert refused.value.field == "major"


def test_team_bridge_stakeholders_and_timeline_change_later(team, clock):
    number = _declared(team)
    clock.advance(minutes=3)
    set_team(team, number, {"rex": "commander", "cole": None})
    set_bridge(team, number, None, "+44 20 9999", None)
    set_stakeholders(team, number, ["cio@example.com", "CIO@example.com", "hr@example.com"])
    log_entry(team, number, "decision", "Fail over to the second MX")
    clock.advance(minutes=1)
    log_entry(team, number, "action", "Restarted the relay", at=clock() - timedelta(seconds=30))
    board = major_board(team, number)
    assert [(m.login, m.role) for m in board.team] == [("rex", "commander")]
    assert (board.bridge_link, board.bridge_phone, board.bridge_room) == (
        None, "+44 20 9999", None)
    assert board.stakeholders == ["cio@example.com", "hr@example.com"]
    assert [(e.kind, e.text, e.by) for e in board.timeline] == [
        ("decision", "Fail over to the second MX", "alice"),
        ("action", "Restarted the relay", "alice")]
    before = snapshot()
    for call, field in ((lambda: log_entry(team, number, "idea", "x"), "kind"),
                        (lambda: log_entry(team, number, "note", " "), "text"),
                        (lambda: log_entry(team, number, "note", "x",
                                           at=clock() + timedelta(hours=1)), "at"),
                        (lambda: set_team(team, number, {"rex": "commander"}), "team")):
        with pytest.raises(Refused) as refused:
            call()
        assert refused.value.field == field
    assert snapshot() == before


def test_children_attach_and_resolve_with_the_parent_each_reporter_mailed_once(
        team, clock, smtp_server):  # noqa: F811
    use_server(team, smtp_server)
    number = _declared(team)
    kids = [log_ticket(team, new_ticket(contact=f"user{i}@example.com", service="Email",
                                        **LOW)).number for i in range(3)]
    quiet = log_ticket(team, new_ticket(contact="quiet@example.com", **LOW)).number
    Ticket.update(no_email=True).where(Ticket.number == quiet).execute()
    attach_children(team, number, [*kids, quiet])
    assert [c.number for c in major_board(team, number).children] == sorted([*kids, quiet])
    assert [t.number for t in majors_matching("email", None)] == [number]
    assert majors_matching(None, "no-such-ci") == []
    send_queued(team)
    clear(smtp_server)

    with pytest.raises(Refused) as refused:  # a child closes after its parent
        workflow.close(team, kids[0])
    assert refused.value.field in ("parent", "status")
    workflow.resolve(team, kids[0], "permanent", "fixed", "its own fix",
                     knowledge="not_needed", problem_decision="not_needed")
    workflow.confirm(team, kids[0])
    with pytest.raises(Refused) as refused:
        workflow.close(team, kids[0])
    assert refused.value.field == "parent"

    clock.advance(minutes=40)
    workflow.resolve(team, number, "permanent", "relay", "Replaced the mail relay",
                     knowledge="not_needed", problem_decision="not_needed")
    for child in (*kids, quiet):
        row = Ticket.get(Ticket.number == child)
        assert row.status == "resolved", child
    for child in (kids[1], kids[2], quiet):
        row = Ticket.get(Ticket.number == child)
        assert row.resolution_notes == "Replaced the mail relay"
        fields = [h.field for h in History.select().where(History.ticket == row.id)]
        assert "status" in fields and "resolution_notes" in fields
    assert Ticket.get(Ticket.number == kids[0]).resolution_notes == "its own fix"
    send_queued(team)
    recipients = [to for _, tos in smtp_server.inbox.envelopes for to in tos]
    resolved = [m for m in smtp_server.inbox.messages if "Resolved" in m["Subject"]]
    # each reporter once by the normal "resolved" mail (the major's, and each child's:
    # the one resolved on its own included), and the final update to stakeholders and
    # reporters
    assert sorted(m["To"] for m in resolved if "update" not in m["Subject"].lower()) == [
        "bob@example.com", "user0@example.com", "user1@example.com", "user2@example.com"]
    assert "quiet@example.com" not in recipients
    # the final update sent by the resolution goes to the stakeholders (the reporters
    # have the resolution's own mail)
    updates = [m for m in smtp_server.inbox.messages if "update" in m["Subject"].lower()]
    assert sorted(m["To"] for m in updates) == ["cio@example.com", "ops@example.com"]
    assert "Replaced the mail relay" in updates[0].get_content()
    workflow.confirm(team, kids[1])
    workflow.close(team, kids[1], knowledge="not_needed", problem_decision="not_needed")
    assert Ticket.get(Ticket.number == kids[1]).status == "closed"


def test_attach_refuses_naming_the_child_and_changes_nothing(team):
    number = _declared(team)
    other = _declared(team)
    problem = links.raise_problem(team, log_ticket(team, new_ticket(**LOW)).number).number
    taken = log_ticket(team, new_ticket(**LOW)).number
    attach_children(team, other, [taken])
    closed = log_ticket(team, new_ticket(**LOW)).number
    workflow.cancel(team, closed, "mislogged")
    fine = log_ticket(team, new_ticket(**LOW)).number
    before = snapshot()
    for child in (other, problem, taken, closed):
        with pytest.raises(Refused) as refused:
            attach_children(team, number, [fine, child])  # all or none
        assert refused.value.field == "child", child
    with pytest.raises(InvalidValue):
        attach_children(team, number, [fine, fine])
    with pytest.raises(NotFound):
        attach_children(team, number, ["INC-999999"])
    assert snapshot() == before
    detach_child(team, taken)
    assert major_board(team, other).children == []
    with pytest.raises(Refused) as refused:
        detach_child(team, taken)
    assert refused.value.field == "parent"


def test_an_update_needs_its_five_parts_and_writes_nothing_without_them(team, clock):
    number = _declared(team)
    soon = clock() + timedelta(minutes=30)
    parts = dict(status="Investigating", impact="No mail", actions="Restarting relays",
                 workaround="Use webmail", next_update_at=soon)
    before = snapshot()
    for part in parts:
        with pytest.raises(InvalidValue) as refused:
            send_update(team, number, **(parts | {part: None}))
        assert refused.value.field == part
    with pytest.raises(InvalidValue) as refused:
        send_update(team, number, **(parts | {"next_update_at": clock()}))
    assert refused.value.field == "next_update_at"
    assert snapshot() == before
    first = send_update(team, number, **parts)
    final = send_update(team, number, **(parts | {"next_update_at": None}), final=True)
    assert (first.sequence, final.sequence, final.final) == (1, 2, True)
    history = [h.new for h in History.select().where(History.field == "major_update")
               .order_by(History.at, History.id)]
    assert history == ["#1: Investigating", "#2 (final): Investigating"]
    with pytest.raises(Refused) as refused:
        send_update(team, number, **parts)
    assert refused.value.field == "final"
    assert major_board(team, number).next_update_due is None


def test_updates_mail_each_stakeholder_and_reporter_once(team, clock, smtp_server):  # noqa: F811
    use_server(team, smtp_server)
    number = _declared(team, stakeholders=["cio@example.com", "user0@example.com"])
    kids = [log_ticket(team, new_ticket(contact=f"user{i % 2}@example.com", **LOW)).number
            for i in range(3)]  # user0 twice (and a stakeholder), user1 once
    attach_children(team, number, kids)
    send_queued(team)
    clear(smtp_server)
    update = send_update(team, number, "Investigating", "No mail", "Restarting relays",
                         "Use webmail", clock() + timedelta(minutes=30))
    assert send_queued(team).sent == 4
    assert send_queued(team).sent == 0
    told = sorted(m["To"] for m in smtp_server.inbox.messages)
    assert told == ["bob@example.com", "cio@example.com", "user0@example.com",
                    "user1@example.com"]
    body = smtp_server.inbox.messages[0].get_content()
    for text in ("Status: Investigating", "Impact: No mail",
                 "What is being done: Restarting relays", "Workaround: Use webmail",
                 "Next update:"):
        assert text in body
    ids = {m.message_id for m in MailMessage.select().where(MailMessage.event == "major_update")}
    assert len(ids) == 4 and MajorUpdate.get_by_id(update.id).sequence == 1
    major = Ticket.get(Ticket.number == number)
    notes = sorted(w.note.split(" (")[0] for w in Worklog.select().where(
        (Worklog.ticket == major.id) & (Worklog.note.contains("major update"))))
    assert notes == ["email to reporter: major update", "email to stakeholder: major update",
                     "email to stakeholder: major update"]  # cio, and user0 as stakeholder


def test_require_mode_refuses_resolving_before_the_final_update(team, clock):
    admin.change_policy(team, {"major_procedure": {"final_update_on_resolve": "require"}})
    number = _declared(team)
    before = snapshot()
    with pytest.raises(Refused) as refused:
        workflow.resolve(team, number, "permanent", "relay", "Replaced the relay")
    assert refused.value.field == "final_update"
    assert snapshot() == before
    send_update(team, number, "Resolved", "None any more", "Relay replaced", "Not needed",
                None, final=True)
    workflow.resolve(team, number, "permanent", "relay", "Replaced the relay")
    assert MajorUpdate.select().count() == 1  # no second, automatic final update


def test_standing_down_stops_the_rhythm_and_lists(team, clock):
    number = _declared(team)
    assert [m.number for m in active_majors(team)] == [number]
    assert major_board(team, number).next_update_due == clock() + timedelta(minutes=30)
    stand_down(team, number, "It was one mailbox")
    board = major_board(team, number)
    assert not board.major and board.next_update_due is None
    assert active_majors(team) == []
    reasons = [h.new for h in History.select().where(History.field == "major_reason")
               .order_by(History.at)]
    assert reasons[-1] == "It was one mailbox"
    with pytest.raises(Refused) as refused:
        stand_down(team, number, "again")
    assert refused.value.field == "major"
    assert stored_tickets()  # the ticket stays an incident


def test_an_update_refused_for_missing_parts_names_them_all(team, clock):
    from desk_app.core.errors import MissingFields

    number = _declared(team)
    before = snapshot()
    with pytest.raises(MissingFields) as refused:
        send_update(team, number, " ", None, "Restarting relays", "", None)
    assert refused.value.fields == ["status", "impact", "workaround", "next_update_at"]
    with pytest.raises(MissingFields) as refused:
        send_update(team, number, None, None, None, None, None, final=True)
    assert refused.value.fields == ["status", "impact", "actions", "workaround"]
    assert snapshot() == before


def test_no_timeline_entry_once_the_major_incident_is_closed(team, clock):
    number = _declared(team)
    log_entry(team, number, "note", "Still open: this one is taken")
    workflow.cancel(team, number, "mislogged")
    before = snapshot()
    with pytest.raises(Refused) as refused:
        log_entry(team, number, "note", "Too late")
    assert refused.value.field == "status" and "is final" in refused.value.message
    assert snapshot() == before


def test_updates_are_numbered_by_sent_time_then_id_whatever_their_desk_said(team, clock):
    number = _declared(team)
    parts = dict(impact="No mail", actions="Restarting relays", workaround="Use webmail")
    soon = clock() + timedelta(minutes=30)
    first = send_update(team, number, "First", next_update_at=soon, **parts)
    second = send_update(team, number, "Second", next_update_at=soon, **parts)  # same moment
    clock.advance(minutes=1)
    third = send_update(team, number, "Third", next_update_at=soon, **parts)
    # as another desk numbered them: the stored number does not decide the order
    MajorUpdate.update(sequence=7).where(MajorUpdate.id == first.id).execute()
    MajorUpdate.update(sequence=1).where(MajorUpdate.id == third.id).execute()
    assert first.at == second.at and first.id < second.id
    shown = [(u.sequence, u.status) for u in major_board(team, number).updates]
    assert shown == [(1, "First"), (2, "Second"), (3, "Third")]


def test_the_policy_incident_manager_must_be_an_active_technician(team):
    admin.update_technician(team, "rex", active=False)
    before = snapshot()
    for login, words in (("ghost", "'ghost' is no technician"),
                         ("rex", "'rex' is no longer active")):
        with pytest.raises(InvalidValue) as refused:
            admin.change_policy(team, {"major_procedure": {"incident_manager": login}})
        assert refused.value.field == "major_procedure.incident_manager"
        assert words in refused.value.message
    assert snapshot() == before
    admin.change_policy(team, {"major_procedure": {"incident_manager": "mia"}})


def test_a_stored_incident_manager_who_left_falls_back_and_the_board_says_so(team):
    admin.change_policy(team, {"major_procedure": {"incident_manager": "mia"}})
    p1 = log_ticket(team, new_ticket(impact="high", urgency="high")).number
    board = major_board(team, p1)
    assert board.manager.login == "mia" and board.manager_notice is None
    admin.update_technician(team, "mia", active=False)
    board = major_board(team, p1)
    assert board.manager.login == "alice"  # who raised it
    assert board.manager_notice == ("incident manager mia is not an active technician; "
                                    "using alice")
    assert [row.manager for row in active_majors(team)] == ["alice"]
    # the policy keeps working: its other settings still change, the login kept as is
    admin.change_policy(team, {"major_procedure": {"incident_manager": "mia",
                                                   "missed_after": "10m"}})
    declare(team, p1, manager="rex", reason="named now")
    assert major_board(team, p1).manager_notice is None


def test_the_admin_pages_save_checks_the_incident_manager_after_new_people(team):
    from desk_app.core.admin_changes import (
        AdministrationChanges,
        NewTechnician,
        StagedChangeRefused,
    )

    policy = {"major_procedure": {"incident_manager": "nina"}}
    before = snapshot()
    with pytest.raises(StagedChangeRefused) as refused:
        admin.save_administration(team, AdministrationChanges(policy=policy))
    assert refused.value.field == "major_procedure.incident_manager"
    assert snapshot() == before
    admin.save_administration(team, AdministrationChanges(  # named with her arrival: fine
        policy=policy, new_technicians=(NewTechnician("nina", "Nina", "incident_manager", None),)))
    assert team.policy.major_procedure.incident_manager == "nina"
