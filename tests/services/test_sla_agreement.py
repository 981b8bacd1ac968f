"""One breach rule everywhere: the ticket view, the queue rows, the SQL filters and the
report decide the same for the same ticket at the same instant, whatever the calendars,
pauses and priority changes; and the concrete cases from issue 11."""

import contextlib
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from desk_app.app import open_desk
from desk_app.core.enums import OPEN_STATUSES, Status
from desk_app.core.errors import Refused
from desk_app.services import classification, workflow
from desk_app.services.admin import change_policy
from desk_app.services.housekeeping import housekeeping
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.queues import queue_filter, queue_rows
from desk_app.services.reporting import report
from desk_app.services.ticket_view import ticket_view
from desk_app.storage.database import close_database, database
from desk_app.storage.fields import to_millis
from desk_app.storage.models import Ticket
from desk_app.storage.ticket_queries import TicketFilter, ticket_rowids

from ..conftest import LONDON, FakeClock, new_ticket

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
DAY_HOURS = st.sampled_from([[], ["08:00-18:00"], ["08:00-13:00"], ["09:00-12:00",
                                                                     "13:00-17:30"],
                             ["00:00-24:00"], ["22:00-24:00"]])


@st.composite
def office_calendars(draw):
    hours = {day: draw(DAY_HOURS) for day in ("mon", "tue", "wed", "thu", "fri", "sat")}
    if not any(hours.values()):
        hours["mon"] = ["08:00-18:00"]
    holidays = draw(st.lists(st.dates(datetime(2026, 11, 23).date(),
                                      datetime(2027, 1, 31).date()), max_size=6))
    return {"time_zone": draw(st.sampled_from(ZONES)), "hours": hours,
            "holidays": sorted({d.isoformat() for d in holidays})}


def numbers(flt: TicketFilter) -> set[str]:
    rowids = list(ticket_rowids(flt, "number"))
    if not rowids:
        return set()
    marks = ", ".join("?" for _ in rowids)
    return {n for (n,) in database.execute_sql(
        f"SELECT number FROM ticket WHERE rowid IN ({marks})", rowids).fetchall()}


def assert_one_rule_everywhere(session) -> None:
    """Every place that decides breached / met / missed / at risk agrees, now."""
    now = session.now()
    tickets = list(Ticket.select())
    views = {t.number: ticket_view(session, t, detail=False) for t in tickets}
    rows = {r.number: r for r in queue_rows(
        session, [t for (t,) in database.execute_sql("SELECT rowid FROM ticket")]).values()}
    breached = {n for n, v in views.items() if v["sla"]["resolution"]["breached"]}
    for number, view in views.items():
        clock, row = view["sla"]["resolution"], rows[number]
        assert row.breached == clock["breached"], number
        finished = view["status"] in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)
        if finished:
            assert row.sla == ("missed" if clock["breached"] else "met"), number
        elif clock["running"]:
            assert (row.sla == "breached") == clock["breached"], number
            assert (row.sla == "warning") == clock["warning"], number
    assert numbers(TicketFilter(breached_at=to_millis(now))) == breached
    open_values = {s.value for s in OPEN_STATUSES}
    at_risk = {n for n, v in views.items() if v["status"] in open_values
               and (v["sla"]["resolution"]["breached"] or v["sla"]["resolution"]["warning"])}
    assert numbers(queue_filter(session, "breaching")) == at_risk
    counted = [v for v in views.values()
               if v["type"] == "incident" and v["status"] != Status.CANCELLED]
    sla = report(session)["sla"]
    resolution = [v for v in counted if v["resolved_at"] or v["sla"]["resolution"]["breached"]]
    assert sla["resolution"]["of"] == len(resolution)
    assert sla["resolution"]["count"] == sum(
        1 for v in resolution if not v["sla"]["resolution"]["breached"])
    response = [v for v in counted if v["responded_at"] or v["sla"]["response"]["breached"]]
    assert sla["response"]["of"] == len(response)
    assert sla["response"]["count"] == sum(
        1 for v in response if not v["sla"]["response"]["breached"])


class SlaAgreementMachine(RuleBasedStateMachine):
    """Random logging times, pauses, priority changes, resolutions and calendars."""

    @initialize(office=office_calendars(), round_the_clock=st.sampled_from(ZONES))
    def open_a_desk(self, office, round_the_clock) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="desk-sla-"))
        self.clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON))
        self.session = open_desk(self.folder, login="alice", now_fn=self.clock).session
        self.use_calendars(office, round_the_clock)
        self.numbers: list[str] = []

    def use_calendars(self, office, round_the_clock) -> None:
        calendars = {"office": office, "24x7": {
            "time_zone": round_the_clock,
            "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri",
                                                   "sat", "sun")}}}
        change_policy(self.session, {"calendars": calendars})

    def teardown(self) -> None:
        close_database()
        shutil.rmtree(getattr(self, "folder", ""), ignore_errors=True)

    def attempt(self, action, *args) -> None:
        with contextlib.suppress(Refused):  # refused steps are the lifecycle tests' business
            action(self.session, *args)

    def pick(self, i: int) -> str | None:
        return self.numbers[i % len(self.numbers)] if self.numbers else None

    levels = st.sampled_from(["high", "medium", "low"])

    @rule(impact=levels, urgency=levels)
    def log(self, impact, urgency):
        ticket = log_ticket(self.session, new_ticket(impact=impact, urgency=urgency))
        self.numbers.append(ticket.number)

    @rule(ms=st.one_of(st.integers(1, 3 * 3600 * 1000), st.integers(1, 4 * 24 * 3600 * 1000)),
          micro=st.integers(0, 999))
    def time_passes(self, ms, micro):
        self.clock.advance(milliseconds=ms, microseconds=micro)

    @rule(i=st.integers(0, 20))
    def start(self, i):
        if self.pick(i):
            self.attempt(workflow.start_work, self.pick(i))

    @rule(i=st.integers(0, 20), reason=st.sampled_from(["awaiting_user", "awaiting_change"]))
    def hold(self, i, reason):
        if self.pick(i):
            self.attempt(workflow.hold, self.pick(i), reason)

    @rule(i=st.integers(0, 20))
    def resume(self, i):
        if self.pick(i):
            self.attempt(workflow.resume, self.pick(i))

    @rule(i=st.integers(0, 20))
    def resolve(self, i):
        if self.pick(i):
            self.attempt(workflow.resolve, self.pick(i), "permanent", "solved", "Fixed")

    @rule(i=st.integers(0, 20))
    def reopen(self, i):
        if self.pick(i):
            self.attempt(workflow.reopen, self.pick(i), "Came back")

    @rule(i=st.integers(0, 20))
    def cancel(self, i):
        if self.pick(i):
            self.attempt(workflow.cancel, self.pick(i), "mislogged", "", None)

    @rule(i=st.integers(0, 20), priority=st.sampled_from(["P1", "P2", "P3", "P4"]))
    def reprioritise(self, i, priority):
        if self.pick(i):
            self.attempt(classification.reprioritise, self.pick(i), "Reassessed", None, None,
                         priority)

    @rule(office=office_calendars(), round_the_clock=st.sampled_from(ZONES))
    def calendars_change(self, office, round_the_clock):
        self.use_calendars(office, round_the_clock)

    @rule()
    def housekeeping_round(self):
        housekeeping(self.session)

    @invariant()
    def one_rule_everywhere(self):
        if hasattr(self, "session"):
            assert_one_rule_everywhere(self.session)


SlaAgreementMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_one_breach_rule_everywhere = SlaAgreementMachine.TestCase


# --- the cases of issue 11 ------------------------------------------------------------

def friday_p2(session, clock):
    clock.current = datetime(2026, 11, 27, 10, 0, tzinfo=LONDON)  # Friday 10:00
    ticket = log_ticket(session, new_ticket(impact="high", urgency="medium"))  # P2, 8 h
    assert ticket.priority == "P2"
    assert ticket.resolution_due == datetime(2026, 11, 27, 18, 0, tzinfo=LONDON)
    return ticket.number


def test_p2_due_at_18_is_breached_at_19_and_over_the_weekend(session, clock):
    number = friday_p2(session, clock)
    for moment in (datetime(2026, 11, 27, 19, 0), datetime(2026, 11, 28, 12, 0),
                   datetime(2026, 11, 29, 23, 0)):
        clock.current = moment.replace(tzinfo=LONDON)
        view = ticket_view(session, ticket_by_number(number), detail=False)
        assert view["sla"]["breached"] and view["sla"]["resolution"]["breached"]
        row = next(iter(queue_rows(session, list(ticket_rowids(TicketFilter()))).values()))
        assert (row.sla, row.breached) == ("breached", True)
        assert numbers(queue_filter(session, "breaching")) == {number}
        assert numbers(TicketFilter(open_only=True,
                                    breached_at=to_millis(clock()))) == {number}
        assert_one_rule_everywhere(session)


def test_resolved_at_18_30_is_missed_in_the_view_the_queue_and_the_report(session, clock):
    number = friday_p2(session, clock)
    clock.current = datetime(2026, 11, 27, 18, 30, tzinfo=LONDON)
    workflow.resolve(session, number, "permanent", "solved", "Fixed")
    clock.advance(days=3)
    view = ticket_view(session, ticket_by_number(number), detail=False)
    assert view["sla"]["resolution"]["breached"]
    row = next(iter(queue_rows(session, list(ticket_rowids(TicketFilter()))).values()))
    assert row.sla == "missed"
    assert report(session)["sla"]["resolution"] == {"percent": 0.0, "count": 0, "of": 1}
    assert_one_rule_everywhere(session)


def test_p1_paused_over_a_weekend_then_made_p2_gets_the_rest_of_p2(session, clock):
    clock.current = datetime(2026, 11, 27, 16, 0, tzinfo=LONDON)  # Friday 16:00
    number = log_ticket(session, new_ticket(impact="high", urgency="high")).number  # P1
    clock.current = datetime(2026, 11, 27, 17, 0, tzinfo=LONDON)
    workflow.hold(session, number, "awaiting_user")
    clock.current = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)  # Monday 09:00
    workflow.resume(session, number)
    assert ticket_by_number(number).resolution_due == datetime(2026, 11, 30, 12, 0,
                                                               tzinfo=LONDON)
    clock.current = datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
    classification.reprioritise(session, number, "Fewer users affected", priority="P2")
    ticket = ticket_by_number(number)
    # 2 h used (Friday 16-17, Monday 9-10): 6 of P2's 8 office hours left, from 10:00
    assert ticket.resolution_due == datetime(2026, 11, 30, 16, 0, tzinfo=LONDON)
    assert ticket.resolution_due != datetime(2026, 12, 8, 10, 0, tzinfo=LONDON)  # +70 h
    view = ticket_view(session, ticket, detail=False)
    assert view["sla"]["resolution"]["percent"] == 25.0


def test_priority_change_while_paused_counts_the_rest_from_the_pause(session, clock):
    number = log_ticket(session, new_ticket()).number  # P3 on Monday 09:00: Thursday 09:00
    clock.advance(hours=2)
    workflow.hold(session, number, "awaiting_user")  # 2 office hours used
    clock.advance(days=1)
    classification.reprioritise(session, number, "Worse than thought", priority="P2")
    assert ticket_by_number(number).resolution_due == datetime(2026, 11, 23, 17, 0,
                                                               tzinfo=LONDON)
    clock.advance(hours=1)  # Tuesday 12:00; the pause began Monday 11:00: 11 h stopped
    workflow.resume(session, number)
    assert ticket_by_number(number).resolution_due == datetime(2026, 11, 24, 18, 0,
                                                               tzinfo=LONDON)


def test_a_response_already_given_keeps_its_due_time(session, clock):
    number = log_ticket(session, new_ticket()).number
    workflow.start_work(session, number)
    due = ticket_by_number(number).response_due
    clock.advance(hours=1)
    classification.reprioritise(session, number, "Urgent now", priority="P1")
    assert ticket_by_number(number).response_due == due
