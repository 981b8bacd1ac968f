import re
import tempfile
from collections import Counter
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.app import open_desk
from desk_app.core.enums import HoldReason
from desk_app.core.errors import Refused
from desk_app.core.lifecycle import lifecycle_violations
from desk_app.services.demo import remove_demo_tickets, write_demo_tickets
from desk_app.services.demo_backlog import business_before
from desk_app.services.demo_catalogue import MAJOR, SCENARIOS, SERVICES
from desk_app.services.intake import log_ticket
from desk_app.services.links import set_parent
from desk_app.services.profile import update_profile
from desk_app.services.queues import QUEUE_BY_KEY, queue_counts, queue_filter, queue_rows
from desk_app.storage.database import database
from desk_app.storage.demo_rows import demo_ticket_count
from desk_app.storage.fields import to_millis
from desk_app.storage.meta import set_meta
from desk_app.storage.models import Outbox, Technician, Ticket
from desk_app.storage.ticket_queries import ticket_rowids
from tests.conftest import LONDON, new_ticket, stored_tickets


def test_demo_tickets_are_internally_consistent(session):
    assert write_demo_tickets(session, 400, seed=7) == 400
    last_status = dict(database.execute_sql(
        """SELECT t.id, (SELECT h.new FROM history h WHERE h.ticket_id = t.id
                         AND h.field = 'status' ORDER BY h.at DESC, h.rowid DESC LIMIT 1)
           FROM ticket t""").fetchall())
    for ticket in Ticket.select():
        assert last_status[ticket.id] == ticket.status, ticket.number
        assert ticket.logged_at <= (ticket.responded_at or ticket.logged_at)
        if ticket.resolved_at:
            assert ticket.resolution_breached == (ticket.resolved_at > ticket.resolution_due)
        if ticket.status == "closed":
            assert ticket.closed_at >= ticket.resolved_at and ticket.confirmation
        if ticket.escalation_count:
            assert ticket.support_level in ("L2", "L3")
    numbers = sorted(int(t.number[4:]) for t in Ticket.select().where(Ticket.type == "incident"))
    assert numbers == list(range(1, len(numbers) + 1))
    found = database.execute_sql(
        "SELECT COUNT(*) FROM ticket_search WHERE ticket_search MATCH 'reported'").fetchone()[0]
    assert found == 400  # every demo ticket is in the search index


def _open_rows(session) -> list:
    rowids = list(ticket_rowids(queue_filter(session, "all_open"), "number", False))
    return list(queue_rows(session, rowids).values())


def test_a_200_ticket_demo_is_a_living_desk(session):
    write_demo_tickets(session, 200)
    counts = queue_counts(session)
    assert set(counts) == set(QUEUE_BY_KEY)
    assert all(counts.values()), counts  # every queue, "My work" and "My group" included
    states = Counter(row.sla for row in _open_rows(session))
    assert states["breached"] >= 3 and states["warning"] >= 2 and states["paused"] >= 2
    tickets = stored_tickets()
    assert {t["hold_reason"] for t in tickets if t["status"] == "on_hold"} \
        == {reason.value for reason in HoldReason}
    by_status = Counter(t["status"] for t in tickets)
    assert by_status["closed"] >= 100  # the history the KPIs are taken from
    assert by_status["resolved"] >= 3 and by_status["new"] >= 3
    assert all(t["assignee_id"] is None for t in tickets if t["status"] == "new")
    escalated = {t["support_level"] for t in tickets if t["status"] in ("in_progress",
                                                                      "on_hold")}
    assert {"L2", "L3"} <= escalated
    pauses = session.policy.sla.pauses
    assert [v for t in tickets for v in lifecycle_violations(t, pauses)] == []


def test_the_major_incident_has_open_children_logged_after_it(session):
    write_demo_tickets(session, 200)
    majors = Ticket.select().where(Ticket.major & (Ticket.status == "in_progress"))
    major = majors.get()
    assert major.summary == MAJOR.summary and major.priority == "P1"
    assert major.support_level == "L3"
    children = list(Ticket.select().where(Ticket.parent == major.id))
    assert len(children) >= 3
    assert all(c.logged_at > major.logged_at and c.category == "Email" for c in children)
    assert any(c.status == "new" for c in children)


def _ci_pattern(template: str) -> str:
    return re.sub(r"\\\{n[^}]*\\\}", r"\\d+", re.escape(template))


def test_services_and_configuration_items_belong_to_the_category(session):
    write_demo_tickets(session, 300, seed=3)
    cis: dict[str, list[str]] = {}
    for scenario in (*SCENARIOS, MAJOR):
        cis.setdefault(scenario.category, []).extend(_ci_pattern(c) for c in scenario.cis)
        assert scenario.service in SERVICES[scenario.category], scenario.summary
    seen = set()
    for ticket in Ticket.select():
        assert ticket.service in SERVICES[ticket.category], ticket.number
        assert any(re.fullmatch(p, ticket.ci) for p in cis[ticket.category]), ticket.ci
        assert ticket.subcategory in session.policy.categories[ticket.category].subcategories
        seen.add(ticket.category)
    assert seen == set(SERVICES)


def test_the_backlog_is_relative_to_now(tmp_path, clock):
    clock.advance(days=400, hours=5)  # another day of the week, another year
    desk = open_desk(tmp_path / "later", login="alice", now_fn=clock)
    try:
        write_demo_tickets(desk.session, 200)
        now = clock()
        rows = _open_rows(desk.session)
        assert any(row.sla == "breached" for row in rows)
        assert any(row.sla == "warning" for row in rows)
        newest = max(t.logged_at for t in Ticket.select())
        assert now - timedelta(days=1) < newest <= now
        assert all(t["updated_at"] <= to_millis(desk.session.now()) for t in stored_tickets())
    finally:
        desk.close()


def _content() -> list[tuple]:
    return [(t.number, t.summary, t.status, t.hold_reason, t.priority, t.logged_at, t.ci,
             t.reporter, t.assignee_id) for t in Ticket.select().order_by(Ticket.number)]


def test_the_same_seed_at_the_same_moment_gives_the_same_desk(tmp_path, clock):
    made = []
    for name in ("one", "two"):
        desk = open_desk(tmp_path / name, login="alice", now_fn=clock)
        write_demo_tickets(desk.session, 150, seed=11)
        made.append(_content())
        desk.close()
    assert made[0] == made[1]
    desk = open_desk(tmp_path / "three", login="alice", now_fn=clock)
    write_demo_tickets(desk.session, 150, seed=12)
    assert _content() != made[0]
    desk.close()


def test_without_a_group_my_group_stays_empty_and_my_work_is_full(session):
    update_profile(session, "Alice", "", None)
    write_demo_tickets(session, 200)
    counts = queue_counts(session)
    assert counts["my_group"] == 0  # no group: nothing, by the queue's rule
    assert counts["my_work"] >= 4


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count=st.integers(1, 120), seed=st.integers(0, 10_000),
       hours=st.integers(0, 24 * 14))
def test_every_demo_ticket_keeps_the_lifecycle_rules(count, seed, hours):
    """Any size, seed and moment of the week (nights and weekends on office hours)."""
    clock_now = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON) + timedelta(hours=hours)
    with tempfile.TemporaryDirectory() as folder:
        desk = open_desk(folder, login="alice", now_fn=lambda: clock_now)
        try:
            write_demo_tickets(desk.session, count, seed=seed)
            tickets = stored_tickets()
            assert len(tickets) == count
            pauses = desk.session.policy.sla.pauses
            assert [v for t in tickets for v in lifecycle_violations(t, pauses)] == []
            now_ms = to_millis(desk.session.now())
            assert all(t["logged_at"] <= t["updated_at"] <= now_ms for t in tickets)
        finally:
            desk.close()


@given(hours=st.floats(0, 200), start_hours=st.integers(0, 24 * 7))
@settings(max_examples=60, deadline=None)
def test_business_before_undoes_calendar_add(hours, start_hours):
    from desk_app.core.calendar import BusinessCalendar

    calendar = BusinessCalendar.from_dict("office", {
        "time_zone": "Europe/London",
        "hours": {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}})
    end = calendar.next_working_moment(datetime(2026, 11, 23, tzinfo=LONDON)
                                       + timedelta(hours=start_hours))
    start = business_before(calendar, end, timedelta(hours=hours))
    assert start <= end
    assert abs(calendar.elapsed(start, end) - timedelta(hours=hours)) < timedelta(seconds=1)


def test_demo_rows_are_marked_and_removed_with_everything_on_them(session):
    real = log_ticket(session, new_ticket(summary="Real: printer on fire"))
    write_demo_tickets(session, 120)
    assert demo_ticket_count() == 120
    demo_people = Technician.select().where(Technician.email.endswith("@example.com"))
    assert demo_people.count() == 18
    major = Ticket.get(Ticket.major & (Ticket.status == "in_progress"))
    set_parent(session, real.number, major.number)  # real work linked to a demo ticket

    assert remove_demo_tickets(session) == 120
    assert [t.number for t in Ticket.select()] == [real.number]
    assert Ticket.get_by_id(real.id).parent_id is None
    assert demo_ticket_count() == 0
    assert Technician.select().where(Technician.email.endswith("@example.com")).count() == 0
    assert {r.row_id for r in Outbox.select().where(Outbox.entity == "ticket")} == {real.id}
    for table in ("history", "worklog"):
        orphans = database.execute_sql(
            f"SELECT COUNT(*) FROM {table} WHERE ticket_id NOT IN (SELECT id FROM ticket)")
        assert orphans.fetchone()[0] == 0
    indexed = database.execute_sql("SELECT COUNT(*) FROM ticket_search").fetchone()[0]
    assert indexed == 1
    assert remove_demo_tickets(session) == 0


def test_a_demo_technician_with_real_work_stays(session):
    write_demo_tickets(session, 60)
    person = Technician.get(Technician.login == "priya.shah")
    real = log_ticket(session, new_ticket())
    Ticket.update(assignee=person.id).where(Ticket.id == real.id).execute()
    remove_demo_tickets(session)
    assert Technician.get_or_none(Technician.login == "priya.shah") is not None


def test_demo_tickets_are_refused_on_a_team_desk_and_removal_after_a_sync(session):
    set_meta("remote", '{"host": "db", "database": "desk", "user": "kim"}')
    with pytest.raises(Refused, match="team database"):
        write_demo_tickets(session, 10)
    assert Ticket.select().count() == 0
    set_meta("server_id", "s1")
    with pytest.raises(Refused, match="synced"):
        remove_demo_tickets(session)


def test_demo_tickets_of_older_desks_are_recognised_by_the_migration(session):
    """Before the marker, the demo wrote technicians "<group>.<n>" and descriptions
    "<name> reports: ..."; migration 0003 marks what it finds of them."""
    import importlib

    migration = importlib.import_module("desk_app.storage.migrations.0003_demo_marker")
    old_person = Technician.create(login="service.desk.2", name="Service Desk 2",
                                   email="service.desk.2@example.com", role="service_desk",
                                   group=session.actor.group)
    old = log_ticket(session, new_ticket(summary="VPN drops", contact="ana.lima@example.com",
                                         description="Ana Lima reports: vpn drops."))
    Ticket.update(logged_by=old_person.login).where(Ticket.id == old.id).execute()
    log_ticket(session, new_ticket(summary="Real one", description="Ana Lima reports: x"))
    database.execute_sql("DROP TABLE demo_row")
    for statement in migration.STATEMENTS:
        database.execute_sql(statement)
    assert demo_ticket_count() == 1
    marked = database.execute_sql("SELECT entity, row_id FROM demo_row").fetchall()
    assert ("technician", old_person.id) in marked and ("ticket", old.id) in marked
