"""Random sequences of activities on a few tickets, checking after every step the
invariants the lifecycle promises. A refused step must change nothing."""

import io
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from desk_app.app import open_desk
from desk_app.core.errors import Refused
from desk_app.core.lifecycle import lifecycle_violations
from desk_app.services import classification, escalation, workflow
from desk_app.services.housekeeping import housekeeping
from desk_app.services.intake import log_ticket
from desk_app.services.transfer.files import export_tickets, import_file
from desk_app.services.worklog import add_worklog
from desk_app.storage.database import close_database, database
from desk_app.storage.models import Ticket

from ..conftest import LONDON, FakeClock, new_ticket, stored_tickets

TABLES = ("ticket", "history", "worklog", "link", "checklist_tick", "outbox")


def snapshot() -> tuple:
    counts = tuple(database.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                   for t in TABLES)
    return counts, tuple(Ticket.select().order_by(Ticket.id).tuples())


class LifecycleMachine(RuleBasedStateMachine):
    @initialize()
    def open_a_desk(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="desk-lifecycle-"))
        self.clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON))
        self.session = open_desk(self.folder, login="alice", now_fn=self.clock).session
        self.numbers = [log_ticket(self.session, new_ticket(impact=impact)).number
                        for impact in ("high", "medium", "low")]

    def teardown(self) -> None:
        close_database()
        shutil.rmtree(getattr(self, "folder", ""), ignore_errors=True)

    def attempt(self, action, *args) -> None:
        """Run an activity; if it is refused, nothing may have changed."""
        before = snapshot()
        try:
            action(self.session, *args)
        except Refused:
            assert snapshot() == before, f"refused {action.__name__} changed data"

    tickets = st.integers(0, 2)

    @rule(i=tickets)
    def assign(self, i):
        self.attempt(workflow.assign, self.numbers[i], None, "alice")

    @rule(i=tickets)
    def start(self, i):
        self.attempt(workflow.start_work, self.numbers[i])

    @rule(i=tickets, reason=st.sampled_from(["awaiting_user", "awaiting_supplier",
                                             "awaiting_change", "awaiting_problem"]))
    def hold(self, i, reason):
        self.attempt(workflow.hold, self.numbers[i], reason)

    @rule(i=tickets)
    def resume(self, i):
        self.attempt(workflow.resume, self.numbers[i])

    @rule(i=tickets, kind=st.sampled_from(["workaround", "permanent"]))
    def resolve(self, i, kind):
        self.attempt(workflow.resolve, self.numbers[i], kind, "solved", "Fixed")

    @rule(i=tickets)
    def confirm(self, i):
        self.attempt(workflow.confirm, self.numbers[i])

    @rule(i=tickets)
    def reject(self, i):
        self.attempt(workflow.reject, self.numbers[i], "Still broken")

    @rule(i=tickets, knowledge=st.sampled_from([None, "updated"]), no_problem=st.booleans())
    def close(self, i, knowledge, no_problem):
        self.attempt(workflow.close, self.numbers[i], knowledge,
                     "not_needed" if no_problem else None)

    @rule(i=tickets)
    def reopen(self, i):
        self.attempt(workflow.reopen, self.numbers[i], "Came back")

    @rule(i=tickets)
    def escalate(self, i):
        self.attempt(escalation.escalate_functional, self.numbers[i], "Needs experts")

    @rule(i=tickets)
    def note(self, i):
        self.attempt(add_worklog, self.numbers[i], "Checked the logs")

    @rule(i=tickets, reason=st.sampled_from(["mislogged", "duplicate"]))
    def cancel(self, i, reason):
        self.attempt(workflow.cancel, self.numbers[i], reason, "", None)

    @rule(i=tickets, impact=st.sampled_from(["high", "medium", "low"]),
          urgency=st.sampled_from(["high", "medium", "low"]))
    def reprioritise(self, i, impact, urgency):
        self.attempt(classification.reprioritise, self.numbers[i], "Reassessed", impact,
                     urgency)

    @rule(i=tickets, to=st.sampled_from(["incident", "request"]))
    def convert(self, i, to):
        before = snapshot()
        try:
            self.numbers[i] = classification.convert(self.session, self.numbers[i], to).number
        except Refused:
            assert snapshot() == before

    @rule(i=tickets)
    def escalate_to_management(self, i):
        self.attempt(escalation.escalate_hierarchic, self.numbers[i], "Customer complaint")

    @rule()
    def housekeeping_round(self):
        housekeeping(self.session)

    @rule()
    def export_round_trips(self):
        first = io.StringIO()
        export_tickets(self.session, "json", first)
        copy = self.folder / "copy"
        shutil.rmtree(copy, ignore_errors=True)
        (self.folder / "export.json").write_text(first.getvalue())
        other = open_desk(copy, login="alice", now_fn=self.clock).session
        import_file(other, self.folder / "export.json")
        again = io.StringIO()
        export_tickets(other, "json", again)
        self.session = open_desk(self.folder, login="alice", now_fn=self.clock).session
        assert again.getvalue() == first.getvalue()

    @rule(hours=st.integers(0, 100))
    def time_passes(self, hours):
        self.clock.advance(hours=hours)

    @invariant()
    def tickets_are_consistent(self):
        if not hasattr(self, "session"):
            return
        pauses = self.session.policy.sla.pauses
        for ticket in stored_tickets():
            assert lifecycle_violations(ticket, pauses) == []
            last = database.execute_sql(
                "SELECT new FROM history WHERE ticket_id = ? AND field = 'status' "
                "ORDER BY rowid DESC LIMIT 1", (ticket["id"],)).fetchone()[0]
            assert last == ticket["status"], ticket["number"]


LifecycleMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_lifecycle = LifecycleMachine.TestCase
