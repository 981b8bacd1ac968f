"""The dashboard's figures against hand-built incidents whose answers are known."""

from datetime import UTC, datetime, timedelta

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.core.kpi_figures import Rating
from desk_app.services.kpi_dashboard import dashboard
from desk_app.storage.database import database
from desk_app.storage.kpi_summary import rebuild_kpi_summary
from desk_app.storage.models import KnowledgeUse, Link, SupportGroup, Technician, Ticket, Worklog
from desk_app.storage.ticket_queries import count_tickets, list_tickets

from ..conftest import LONDON

NOVEMBER = (datetime(2026, 11, 1, tzinfo=LONDON), datetime(2026, 12, 1, tzinfo=LONDON))


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def incident(number: str, logged: datetime, **fields) -> Ticket:
    values = dict(number=number, type="incident", status="in_progress", impact="medium",
                  urgency="medium", priority="P3", summary=f"ticket {number}",
                  logged_at=logged, updated_at=logged)
    values.update(fields)
    if values.get("resolved_at") and values["status"] == "in_progress":
        values["status"] = "resolved"
    return Ticket.create(**values)


@pytest.fixture
def desk_of_november(session):
    """A: P1 met at L1 (detected 1 h before logging, 30 min worked, scored 5);
    B: P1 late, escalated to L2, reopened, scored 2; C: P3 open and past its target;
    D: P3 met at L1, solved by an article, followed 8 days after resolution by E on the
    same CI and category; E: open, within target, detected 2 h before logging.
    Not counted: a request, a cancelled incident, an incident of October."""
    alice = Technician.get(Technician.login == "alice")
    desk_group = SupportGroup.get(SupportGroup.name == "Service Desk")
    desktop = SupportGroup.get(SupportGroup.name == "Desktop Support")
    a = incident("INC-A", at(2, 11), priority="P1", category="Network", service="VPN",
                 group=desk_group, assignee=alice, channel="phone", detected_at=at(2, 10),
                 resolved_at=at(2, 13), resolution_due=at(2, 15), satisfaction_score=5)
    incident("INC-B", at(3, 9), priority="P1", category="Network", service="VPN",
             group=desktop, channel="email", resolved_at=at(3, 19),
             resolution_due=at(3, 13), support_level="L2", escalation_count=1,
             reopen_count=1, satisfaction_score=2)
    incident("INC-C", at(10), category="Hardware", channel="phone", resolution_due=at(11))
    d = incident("INC-D", at(11), category="Hardware", ci="PC-1", resolved_at=at(12),
                 resolution_due=at(13))
    e = incident("INC-E", at(20), category="Hardware", ci="PC-1", detected_at=at(20, 7),
                 resolution_due=at(25))
    incident("REQ-F", at(4), type="request", resolved_at=at(4, 10))
    incident("INC-G", at(5), status="cancelled")
    incident("INC-H", at(15, month=10), resolved_at=at(16, month=10))
    Worklog.create(ticket=a, at=at(2, 12), by="alice", kind="note", note="fixed", minutes=30)
    Link.create(ticket=e, kind="follows", target=d, at=at(20), by="alice")
    KnowledgeUse.create(id="use-1", ticket=d, kind="article", target_id="kb-1", at=at(12),
                        by="alice")
    return session


def tile(data, key):
    return next(t for t in data.tiles if t.key == key)


def test_every_tile_matches_the_hand_computed_answer(desk_of_november):
    data = dashboard(desk_of_november, *NOVEMBER)
    values = {t.key: t.value for t in data.tiles}
    assert values["mttr_logging_hours"] == 12.0          # (2 + 10 + 24) / 3
    assert values["mttr_detection_hours"] == 12.33       # (3 + 10 + 24) / 3
    assert values["mean_time_to_detect_hours"] == 1.5    # (1 + 2) / 2
    assert values["sla_compliance"] == 50.0              # A, D met; B late; C open past due
    assert tile(data, "sla_compliance").count == 4
    assert values["first_contact_resolution"] == 66.7    # A, D of A, B, D
    assert values["reopen_rate"] == 33.3                 # B
    assert values["recurrence"] == 66.7                  # B reopened, D followed by E
    assert values["satisfaction"] == 50.0                # 5 and 2
    assert values["resolved_by_knowledge"] == 33.3       # D
    assert values["time_spent_hours"] == 0.5
    assert values["backlog"] == 2.0                      # C, E
    assert values["mttr_P1"] == 6.5 and tile(data, "mttr_P1").target == 4.0
    assert tile(data, "mttr_P1").rating() is Rating.RED
    assert values["mttr_P3"] == 24.0 and tile(data, "mttr_P3").rating() is Rating.GREEN
    assert tile(data, "sla_compliance").target == 90.0
    assert tile(data, "first_contact_resolution").rating() is Rating.AMBER  # 66.7 vs 70
    assert data.totals["logged"] == 5


def test_breakdowns_name_their_rows_and_open_their_tickets(desk_of_november):
    data = dashboard(desk_of_november, *NOVEMBER)
    groups = {row.key: row for row in data.breakdowns["group"]}
    assert {k: r.counts["logged"] for k, r in groups.items()} == \
        {"Service Desk": 1, "Desktop Support": 1, "": 3}
    assert groups[""].label == "(none)"
    technicians = {row.key: row.counts["logged"] for row in data.breakdowns["technician"]}
    assert technicians == {"alice": 1, "": 4}
    priority = {row.key: row for row in data.breakdowns["priority"]}
    assert priority["P1"].values["sla_compliance"] == 50.0
    assert priority["P3"].values["recurrence"] == 100.0  # D, of D (the one resolved)
    assert {r.key: r.counts["logged"] for r in data.breakdowns["channel"]} == \
        {"phone": 2, "email": 1, "": 2}
    for dim, rows in data.breakdowns.items():
        for row in rows:
            assert count_tickets(row.tickets) == row.counts["logged"], (dim, row.key)
    behind = {key: {r["number"] for r in list_tickets(flt, sort="number", limit=100)}
              for key, flt in data.tile_tickets.items()}
    assert behind["sla_compliance"] == {"INC-A", "INC-B", "INC-C", "INC-D"}  # not E
    assert behind["reopen_rate"] == behind["recurrence"] == {"INC-A", "INC-B", "INC-D"}
    assert behind["time_spent_hours"] == {"INC-A", "INC-B", "INC-C", "INC-D", "INC-E"}
    assert behind["satisfaction"] == {"INC-A", "INC-B"}
    assert count_tickets(data.tile_tickets["mttr_P1"]) == 2
    assert count_tickets(data.tile_tickets["backlog"]) == 2


def test_trends_backlog_and_time_spent(desk_of_november):
    data = dashboard(desk_of_november, *NOVEMBER)
    weeks = data.trends["week"]
    assert [r.key for r in weeks] == ["2026-10-26", "2026-11-02", "2026-11-09",
                                      "2026-11-16", "2026-11-23", "2026-11-30"]
    assert [r.counts["logged"] for r in weeks] == [0, 2, 2, 1, 0, 0]
    assert weeks[1].label == "2026-W45" and weeks[1].values["mttr_logging_hours"] == 6.0
    assert [(r.key, r.label, r.counts["logged"]) for r in data.trends["month"]] == \
        [("2026-11-01", "Nov 2026", 5)]
    for row in weeks:
        assert count_tickets(row.tickets) == row.counts["logged"]
    backlog = {r.key: r.counts["open"] for r in data.backlog}  # now: 23 November 09:00
    assert backlog == {"under 1 day": 0, "1-3 days": 0, "3-7 days": 1, "7-30 days": 1,
                       "over 30 days": 0}
    for row in data.backlog:
        assert count_tickets(row.tickets) == row.counts["open"], row.key
    (person,) = data.time_spent["technician"]
    assert (person.key, person.counts) == ("alice", {"minutes": 30, "entries": 1})
    assert [r.key for r in data.time_spent["group"]] == ["Service Desk"]
    assert count_tickets(data.time_spent["group"][0].tickets) == 1
    assert [r.key for r in data.time_spent["ticket"]] == ["INC-A"]


def test_a_period_cut_inside_days_counts_only_its_tickets(desk_of_november):
    # from 2 November noon (after A was logged) to 11 November 08:00 (before D)
    data = dashboard(desk_of_november, at(2, 12), at(11, 8))
    assert data.totals["logged"] == 2  # B, C
    assert tile(data, "sla_compliance").value == 0.0
    assert data.time_spent["technician"] == []


def test_the_summary_follows_changes_as_a_rebuild_would(desk_of_november):
    a = Ticket.get(Ticket.number == "INC-A")
    a.category, a.reopen_count = "Software", 2
    a.save()
    Worklog.create(ticket=a, at=at(3), by="alice", kind="note", note="more", minutes=15)
    Ticket.update(status="cancelled").where(Ticket.number == "INC-C").execute()
    KnowledgeUse.create(id="use-2", ticket=a, kind="known_error", target_id="p", at=at(3),
                        by="alice")
    tables = ("kpi_summary", "kpi_ticket_time", "kpi_time")

    def contents():
        return {t: sorted(r for r in database.execute_sql(f"SELECT * FROM {t}")
                          if any(v for v in r[3 if t == 'kpi_summary' else 1:]))
                for t in tables}

    kept = contents()
    rebuild_kpi_summary()
    assert contents() == kept
    data = dashboard(desk_of_november, *NOVEMBER)
    assert data.totals["logged"] == 4 and data.totals["minutes"] == 45
    assert {r.key for r in data.breakdowns["category"]} == {"Network", "Software", "Hardware"}


def _summary_rows() -> dict[str, list[tuple]]:
    """The summary tables without rows that sum to nothing (a rebuild makes none)."""
    value_from = {"kpi_summary": 3, "kpi_ticket_time": 1, "kpi_time": 2}
    return {t: sorted(r for r in database.execute_sql(f"SELECT * FROM {t}")
                      if any(r[start:])) for t, start in value_from.items()}


def test_rows_updated_in_place_as_sync_does_leave_the_summary_as_a_rebuild_makes_it(
        desk_of_november):
    a = Ticket.get(Ticket.number == "INC-A")
    d = Ticket.get(Ticket.number == "INC-D")
    Worklog.create(id="w-2", ticket=d, at=at(12), by="bob", kind="note", note="x",
                   minutes=20)
    statements = [
        ("UPDATE worklog SET minutes = 50 WHERE id = 'w-2'", ()),     # other content
        ("UPDATE worklog SET by = 'carol' WHERE id = 'w-2'", ()),     # another author
        ("UPDATE worklog SET ticket_id = ? WHERE id = 'w-2'", (a.id,)),
        ("UPDATE ticket SET logged_at = logged_at - 86400000 WHERE id = ?", (a.id,)),
        ("UPDATE knowledge_use SET ticket_id = ? WHERE id = 'use-1'", (a.id,)),
        ("UPDATE knowledge_use SET kind = 'ticket' WHERE id = 'use-1'", ()),
        ("UPDATE knowledge_use SET kind = 'known_error' WHERE id = 'use-1'", ()),
    ]
    for sql, params in statements:
        database.execute_sql(sql, params)
        kept = _summary_rows()
        rebuild_kpi_summary()
        assert _summary_rows() == kept, sql
    data = dashboard(desk_of_november, *NOVEMBER)
    assert data.totals["minutes"] == 80
    assert {r.key: r.counts["minutes"] for r in data.time_spent["technician"]} == \
        {"alice": 30, "carol": 50}


def test_a_reversed_or_naive_period_is_refused(session):
    start, end = NOVEMBER
    with pytest.raises(InvalidValue) as refused:
        dashboard(session, end, start)
    assert refused.value.field == "since"
    with pytest.raises(InvalidValue):
        dashboard(session, start.replace(tzinfo=None), end)
    assert dashboard(session, start, start + timedelta(hours=1)).totals["logged"] == 0


def test_a_period_of_ten_thousand_years_is_refused_before_anything_is_computed(session):
    with pytest.raises(InvalidValue) as refused:
        dashboard(session, datetime(1, 1, 3, tzinfo=UTC), datetime(9999, 12, 28, tzinfo=UTC))
    assert refused.value.field == "until" and "100 years" in str(refused.value)


def test_the_trends_of_the_calendar_s_last_weeks_end_with_it(session):
    data = dashboard(session, datetime(9999, 11, 20, tzinfo=UTC),
                     datetime(9999, 12, 29, tzinfo=UTC))
    assert [r.key for r in data.trends["month"]] == ["9999-11-01", "9999-12-01"]
    assert data.trends["week"][-1].key == "9999-12-27"


def test_recurrence_needs_a_link_within_30_days_on_the_same_ci_and_category(session):
    def pair(name: str, gap_days: int, **new_fields):
        old = incident(f"INC-{name}", at(1), category="Hardware", ci="PC-9",
                       resolved_at=at(2))
        later = at(2) + timedelta(days=gap_days)
        fields = dict(category="Hardware", ci="PC-9") | new_fields
        new = incident(f"INC-{name}2", later, **fields)
        Link.create(ticket=old, kind="related", target=new, at=later, by="alice")

    pair("IN", 30)                        # the 30th day still counts (either link way)
    pair("LATE", 31)                      # a day too late
    pair("OTHERCI", 3, ci="PC-10")        # another CI
    pair("OTHERCAT", 3, category="Network")
    pair("CANCELLED", 3, status="cancelled")  # a duplicate, cancelled: nothing recurred
    start = datetime(2026, 11, 1, tzinfo=UTC)
    data = dashboard(session, start, start + timedelta(days=1, hours=12))
    assert data.totals["ever_resolved"] == 5
    assert tile(data, "recurrence").value == 20.0
    assert tile(data, "recurrence").rating() is Rating.RED


def test_the_process_counts_a_reopen_inside_and_a_recurrence_after_the_window(session,
                                                                              clock):
    from desk_app.services import workflow
    from desk_app.services.intake import log_ticket

    from ..conftest import new_ticket

    start = clock()
    inside = log_ticket(session, new_ticket(ci="vpn-gw-1")).number
    after = log_ticket(session, new_ticket(ci="vpn-gw-2")).number
    kept = log_ticket(session, new_ticket(ci="vpn-gw-3")).number
    for number in (inside, after, kept):
        workflow.resolve(session, number, "permanent", "solved", "Fixed")
    clock.advance(days=1)
    workflow.reopen(session, inside, "Back again")        # inside the 5-day window
    clock.advance(days=9)
    successor, same = workflow.reopen(session, after, "Back after ten days")
    assert not same and successor.ci == "vpn-gw-2"  # a new, linked incident
    data = dashboard(session, start - timedelta(hours=1), start + timedelta(hours=1))
    assert data.totals["ever_resolved"] == 3
    assert tile(data, "reopen_rate").value == 33.3       # inside the window only
    assert tile(data, "recurrence").value == 66.7        # the reopen and the new incident


def test_a_bulk_load_leaves_the_summary_as_a_rebuild_makes_it(session):
    from desk_app.services.demo import write_demo_tickets

    write_demo_tickets(session, 150)
    kept = database.execute_sql("SELECT * FROM kpi_summary ORDER BY 1, 2, 3").fetchall()
    rebuild_kpi_summary()
    assert database.execute_sql("SELECT * FROM kpi_summary ORDER BY 1, 2, 3").fetchall() \
        == kept
    incidents = database.execute_sql(
        "SELECT COUNT(*) FROM ticket WHERE type = 'incident' AND status != 'cancelled'"
    ).fetchone()[0]
    assert sum(row[3] for row in kept if row[0] == "all") == incidents > 0


def test_a_reopen_counts_as_a_recurrence_only_within_30_days_of_its_resolution(session,
                                                                               clock):
    from desk_app.services import admin, workflow
    from desk_app.services.intake import log_ticket

    from ..conftest import new_ticket

    admin.change_policy(session, {"lifecycle": {"reopen_window_days": 60,
                                                "auto_close_grace_days": 3}})
    start = clock()
    early, late, relapsed, twice, kept = (
        log_ticket(session, new_ticket(ci=f"pc-{i}")).number for i in range(5))
    for number in (early, late, relapsed, twice, kept):
        workflow.resolve(session, number, "permanent", "solved", "Fixed")
    clock.advance(days=10)
    workflow.reopen(session, early, "Back at day 10")
    clock.advance(days=30)
    for number in (late, relapsed, twice):
        assert workflow.reopen(session, number, "Back at day 40")[1]  # the same ticket
        workflow.resolve(session, number, "permanent", "solved", "Fixed again")
    workflow.reopen(session, twice, "Back again at once")  # within 30 days of the last
    clock.advance(days=2)  # a new incident on the same CI two days after the resolution
    again = log_ticket(session, new_ticket(ci="pc-2"))
    Link.create(ticket=again, kind="related", target=Ticket.get(Ticket.number == relapsed),
                at=clock(), by="alice")
    data = dashboard(session, start - timedelta(hours=1), start + timedelta(hours=1))
    assert data.totals["ever_resolved"] == data.totals["reopened"] + 1 == 5
    assert data.totals["recurred"] == 3       # the day-10 reopen, pc-2, the second reopen
    assert tile(data, "recurrence").value == 60.0
    assert tile(data, "reopen_rate").value == 80.0       # every reopen is a reopen
    assert sum(row.counts["recurred"] for row in data.trends["week"]) == 3
    described = {r.label: r.counts["recurred"] for r in data.breakdowns["category"]}
    assert described == {"Network": 3}
