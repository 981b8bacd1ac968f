"""Realistic demo tickets: two years of incidents and requests with full lifecycles.

Written straight into stored form through the bulk writer (a million tickets in a
few minutes). Demo tickets stay on this device: they are not queued for sync.
"""

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from desk_app.core.enums import Role, SupportLevel, TicketType
from desk_app.core.errors import InvalidValue
from desk_app.core.field_units import baseline_steps
from desk_app.core.ids import uuid7_from
from desk_app.core.permissions import Permission
from desk_app.core.policy import Category
from desk_app.core.sla import SlaTarget
from desk_app.services.recording import queue_change
from desk_app.services.session import Session, activity
from desk_app.storage.bulk import BulkWriter
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.models import History, Outbox, SupportGroup, Technician, Ticket, Worklog
from desk_app.storage.numbering import format_number, issue_number_block
from desk_app.storage.outbox import as_row, outbox_entry
from desk_app.storage.rows import column_defaults, columns_of

MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
YEARS = 2
MAX_DEMO_TICKETS = 10_000_000  # a 33 GB desk; more would only fill the disk

# (impact, urgency, weight): the mix of the ServiceNow sample in ../shared/data
IMPACT_URGENCY = [("medium", "medium", 756), ("low", "low", 60), ("medium", "high", 17),
                  ("high", "medium", 16), ("high", "high", 15), ("medium", "low", 13),
                  ("low", "medium", 12), ("low", "high", 1)]
PROBLEMS = {
    "Hardware": ["{sub} will not start", "{sub} is very slow", "{sub} makes a grinding noise",
                 "Broken screen on {sub}", "{sub} keeps restarting"],
    "Software": ["{sub} crashes on start", "Cannot open files in {sub}", "{sub} update failed",
                 "{sub} shows an error 0x80070005", "{sub} is licensed to the wrong user"],
    "Network": ["{sub} drops every few minutes", "No {sub} on the third floor",
                "{sub} is very slow since this morning", "Cannot connect to {sub}"],
    "Access": ["{sub} for the finance share", "{sub} after holiday", "{sub} in the HR system",
               "{sub} needed for a new starter"],
    "Email": ["{sub}: messages stuck in the outbox", "{sub}: error after the update",
              "{sub} not syncing to phone", "{sub}: cannot open shared items"],
    "Security": ["{sub} reported by a user", "{sub} alert from the antivirus",
                 "{sub} on a shared laptop"],
}
SERVICES = ["Email", "Remote access", "ERP", "CRM", "File shares", "Printing", "Telephony",
            "HR portal", "Intranet", "Payroll"]
PEOPLE = ["Ana Lima", "Ben Okafor", "Chen Wei", "Dana Novak", "Eli Cohen", "Fatima Zahra",
          "Gus Berg", "Hana Sato", "Ivan Petrov", "Jade Moreau", "Kofi Mensah", "Lena Vogel"]
NOTES = ["Called the user, reproduced the issue.", "Checked the event log on the device.",
         "Remote session: cleared the cache and restarted the client.",
         "Waiting for the supplier's answer.", "Applied the fix from the known error record.",
         "Visited the user's desk, replaced the cable.", "Emailed the user the steps to follow."]
CODES = ["solved", "solved (workaround)", "not reproducible", "user error", "hardware replaced"]


def _demo_team(session: Session) -> dict[str, list[str]]:
    """Three technicians per support group (created when missing); group id -> ids."""
    team: dict[str, list[str]] = {}
    for group in SupportGroup.select():
        members = []
        for index in range(1, 4):
            login = f"{group.name.lower().replace(' ', '.')}.{index}"
            person = Technician.get_or_none(Technician.login == login)
            if person is None:
                role = Role.SERVICE_DESK if group.level == SupportLevel.L1 else Role.SUPPORT
                person = Technician.create(login=login, name=f"{group.name} {index}",
                                           role=role.value, group=group,
                                           email=f"{login}@example.com")
                queue_change(session, "technician", person.id, None, None)
            members.append((person.id, person.login))
        team[group.id] = members
    return team


@dataclass
class _Routing:
    """Who worked the ticket: its service desk (L1) group and the group that solved it."""

    desk_group: SupportGroup
    desk_login: str
    level: SupportLevel
    group: SupportGroup
    person_id: str
    person_login: str
    escalations: int


@dataclass
class _Lifecycle:
    """How far the ticket got by now, and when each step happened (epoch millis)."""

    status: str
    hold_reason: str | None
    responded: int | None
    resolved: int | None
    closed: int | None
    hold_ms: int
    response_due: int
    resolution_due: int
    stopped_since: int | None
    reopened_at: int | None  # reopened once between its first and its final resolution
    first_resolved: int | None


class _DemoGenerator:
    """Draws tickets from one seeded random stream (ids from a separate, unseeded one)."""

    def __init__(self, session: Session, count: int, seed: int) -> None:
        self.policy = session.policy
        self.rng = random.Random(seed)
        self.ids = random.Random(os.urandom(16))  # ids must differ between devices
        self.team = _demo_team(session)
        self.groups = {g.name: g for g in SupportGroup.select()}
        self.categories = [c for c in self.policy.categories.values() if c.name in PROBLEMS]
        self.weights = [w for *_, w in IMPACT_URGENCY]
        self.now = to_millis(session.now())
        self.start = self.now - YEARS * 365 * DAY
        self.spacing = (self.now - self.start) / count
        self.kinds = ["incident" if self.rng.random() < 0.9 else "request"
                      for _ in range(count)]
        self.next_number = {
            kind: issue_number_block(TicketType(kind).prefix, self.kinds.count(kind))
            for kind in ("incident", "request")}
        self.columns = columns_of(Ticket)
        self.defaults = column_defaults(Ticket)

    def new_id(self, millis: int) -> str:
        return uuid7_from(millis, self.ids.getrandbits(74))

    def routing(self, category: Category) -> _Routing:
        rng, functional = self.rng, self.policy.functional
        desk_group = self.groups[functional.group_for(category.name, SupportLevel.L1)]
        roll = rng.random()
        level, escalations = ((SupportLevel.L3, 2) if roll < 0.05 else
                              (SupportLevel.L2, 1) if roll < 0.25 else (SupportLevel.L1, 0))
        group = (self.groups[functional.group_for(category.name, level)]
                 if escalations else desk_group)
        person_id, person_login = rng.choice(self.team[group.id])
        return _Routing(desk_group, rng.choice(self.team[desk_group.id])[1], level, group,
                        person_id, person_login, escalations)

    def lifecycle(self, logged: int, priority: str) -> _Lifecycle:
        rng, now = self.rng, self.now
        target: SlaTarget = self.policy.sla.targets[priority]
        logged_dt = from_millis(logged)
        one_ms = timedelta(milliseconds=1)
        response_due = to_millis(self.policy.sla.response_due(priority, logged_dt))
        response_time = target.response.nominal(target.calendar)
        resolution_time = target.resolution.nominal(target.calendar)
        responded: int | None = logged + int(rng.uniform(0.05, 1.3) * response_time / one_ms)
        hold_ms = int(rng.uniform(1, 48) * HOUR) if rng.random() < 0.15 else 0
        hold = timedelta(milliseconds=hold_ms)
        stretch = rng.lognormvariate(-0.9, 0.7)  # about one in ten overruns its target
        work = timedelta(milliseconds=int(resolution_time / one_ms * stretch))
        resolution_due = to_millis(self.policy.sla.resolution_due(priority, logged_dt, hold))
        resolved: int | None = max(to_millis(target.calendar.add(logged_dt, work + hold)),
                                   responded + MINUTE)
        closed: int | None = resolved + int(rng.uniform(0.2, 3) * DAY)
        status, hold_reason, stopped_since = "closed", None, resolved
        if resolved > now:
            resolved = closed = stopped_since = None
            status = (rng.choice(["assigned", "in_progress", "in_progress", "on_hold"])
                      if responded < now else "new")
        elif closed > now:
            closed, status = None, "resolved"
        if status == "new":
            responded = None
        if status == "on_hold":
            hold_reason = rng.choice(["awaiting_user", "awaiting_supplier", "awaiting_change"])
            if hold_reason != "awaiting_change":
                stopped_since = max(responded, now - int(rng.uniform(0, 1) * DAY))
        first_resolved, reopened_at = resolved, None
        if resolved is not None and rng.random() < 0.04:
            window = (closed or now) - resolved
            reopened_at = resolved + int(window * 0.3)
            resolved = stopped_since = resolved + int(window * 0.6)
        return _Lifecycle(status, hold_reason, responded, resolved, closed, hold_ms,
                          response_due, resolution_due, stopped_since, reopened_at,
                          first_resolved)

    def ticket(self, index: int) -> tuple[tuple, list[tuple], list[tuple]]:
        """The ticket row, its history rows and its worklog rows."""
        rng, policy = self.rng, self.policy
        logged = int(self.start + self.spacing * index + rng.random() * self.spacing)
        impact, urgency, _ = rng.choices(IMPACT_URGENCY, self.weights)[0]
        priority = policy.matrix.priority(impact, urgency)  # type: ignore[arg-type]
        category = rng.choice(self.categories)
        sub = rng.choice(category.subcategories)
        summary = rng.choice(PROBLEMS[category.name]).format(sub=sub)
        reporter = rng.choice(PEOPLE)
        kind = self.kinds[index]
        number = format_number(TicketType(kind).prefix, self.next_number[kind])
        self.next_number[kind] += 1
        who = self.routing(category)
        life = self.lifecycle(logged, priority)
        ticket_id = self.new_id(logged)
        assigned = life.status != "new"
        resolved = life.resolved is not None
        row = dict(self.defaults)
        row.update(
            id=ticket_id, number=number, type=kind, status=life.status,
            hold_reason=life.hold_reason, impact=impact, urgency=urgency, priority=priority,
            major=kind == "incident" and priority in policy.major_priorities
            and rng.random() < 0.3,
            summary=summary, description=f"{reporter} reports: {summary.lower()}.",
            category=category.name, subcategory=sub, service=rng.choice(SERVICES),
            ci=f"{sub.upper().replace(' ', '-')}-{rng.randint(100, 999)}",
            group_id=who.group.id if assigned else who.desk_group.id,
            assignee_id=who.person_id if assigned else None,
            support_level=who.level.value if assigned else SupportLevel.L1.value,
            reporter=reporter, contact=reporter.lower().replace(" ", ".") + "@example.com",
            channel=rng.choice(["phone", "phone", "email", "web", "walk-in", "event"]),
            detected_at=logged - int(rng.uniform(0, 2) * HOUR), logged_at=logged,
            logged_by=who.desk_login, responded_at=life.responded,
            resolved_at=life.resolved, closed_at=life.closed,
            updated_at=min(self.now, life.closed or life.resolved or life.responded or logged),
            response_due=life.response_due, resolution_due=life.resolution_due,
            sla_stopped_since=life.stopped_since, sla_stopped_ms=life.hold_ms,
            response_breached=bool(life.responded and life.responded > life.response_due),
            resolution_breached=bool(resolved and life.resolved > life.resolution_due),
            reassignment_count=who.escalations + (1 if rng.random() < 0.1 else 0),
            escalation_count=who.escalations if assigned else 0,
            reopen_count=1 if life.reopened_at else 0,
            resolution_type=rng.choice(["permanent", "permanent", "workaround"])
            if resolved else None,
            resolution_code=rng.choice(CODES) if resolved else None,
            resolution_notes=rng.choice(NOTES) if resolved else None,
            resolved_by=who.person_login if resolved else None,
            confirmation=("confirmed" if rng.random() < 0.7 else "auto_closed")
            if life.closed else None,
            knowledge="not_needed" if life.closed else None,
            problem_decision="not_needed" if life.closed else None,
        )
        history, worklog = self.timeline(ticket_id, logged, priority, summary, who, life)
        steps = baseline_steps(row, [{"field": h[4], "old": h[5], "new": h[6]} for h in history])
        history += [(self.new_id(logged), ticket_id, logged, who.desk_login, *step)
                    for step in steps]
        return tuple(row[c] for c in self.columns), history, worklog

    def timeline(self, ticket_id: str, logged: int, priority: str, summary: str,
                 who: _Routing, life: _Lifecycle) -> tuple[list[tuple], list[tuple]]:
        """The history and worklog rows of a ticket's way through the desk."""
        history: list[tuple] = []
        worklog: list[tuple] = []

        def change(at: int, by: str, field: str, old: str | None, new: str | None) -> None:
            history.append((self.new_id(at), ticket_id, at, by, field, old, new))

        def note(at: int, by: str, text: str, kind: str = "note") -> None:
            worklog.append((self.new_id(at), ticket_id, at, by, kind, text,
                            self.rng.randint(5, 90)))

        desk = who.desk_login
        change(logged, desk, "status", None, "new")
        change(logged, desk, "priority", None, priority)
        change(logged, desk, "summary", None, summary)
        if life.status == "new":
            return history, worklog
        assigned_at = logged + int(self.rng.uniform(1, 20) * MINUTE)
        if life.responded is not None:
            assigned_at = min(assigned_at, life.responded)
        change(assigned_at, desk, "status", "new", "assigned")
        if who.escalations:
            change(assigned_at, desk, "group", who.desk_group.name, who.group.name)
            change(assigned_at, desk, "support_level", "L1", who.level.value)
            note(assigned_at, desk, f"Escalated to {who.level.value} ({who.group.name}).")
        change(assigned_at, desk, "assignee", None, who.person_login)
        if life.responded is not None and life.status != "assigned":
            change(life.responded, who.person_login, "status", "assigned", "in_progress")
            note(life.responded, who.person_login, self.rng.choice(NOTES),
                 self.rng.choice(["note", "phone", "email", "visit"]))
        if life.status == "on_hold":
            change(life.stopped_since or life.responded, who.person_login, "status",
                   "in_progress", "on_hold")
        if life.first_resolved is not None:
            change(life.first_resolved, who.person_login, "status", "in_progress",
                   "resolved")
        if life.reopened_at is not None and life.resolved is not None:
            change(life.reopened_at, desk, "status", "resolved", "in_progress")
            change(life.reopened_at, desk, "reopen_count", "0", "1")
            note(life.reopened_at, desk, "Reopened: the user reports it happened again.")
            change(life.resolved, who.person_login, "status", "in_progress", "resolved")
        if life.closed is not None:
            change(life.closed, desk, "status", "resolved", "closed")
        return history, worklog


@activity(Permission.IMPORT)
def write_demo_tickets(session: Session, count: int, seed: int = 1,
                       progress: Callable[[int], None] | None = None) -> int:
    """Write ``count`` demo tickets; returns how many were written. They are queued for
    sync like any ticket (a desk's tickets are all the team's)."""
    if not 1 <= count <= MAX_DEMO_TICKETS:
        raise InvalidValue("tickets", f"must be between 1 and {MAX_DEMO_TICKETS:,}")
    generator = _DemoGenerator(session, count, seed)
    history_rows: list[tuple] = []
    worklog_rows: list[tuple] = []
    with BulkWriter(progress) as writer:
        for index in range(count):
            ticket, history, worklog = generator.ticket(index)
            writer.add(Ticket, [ticket])
            writer.add(Outbox, [as_row(outbox_entry(session.hlc, "ticket", ticket[0]))])
            history_rows += history
            worklog_rows += worklog
            if len(history_rows) >= 5_000:
                writer.add(History, history_rows)
                writer.add(Worklog, worklog_rows)
                history_rows, worklog_rows = [], []
            writer.ticket_done()
        writer.add(History, history_rows)
        writer.add(Worklog, worklog_rows)
    return count
