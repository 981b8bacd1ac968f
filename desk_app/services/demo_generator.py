"""Drawing demo tickets: a closed history spread over past months and an open backlog
relative to now (:mod:`desk_app.services.demo_backlog`), from one seeded random stream,
as stored rows (ticket, history, worklog) in the order of their numbers."""

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from desk_app.core.enums import Role, SupportLevel, TicketType
from desk_app.core.field_units import baseline_steps
from desk_app.core.ids import uuid7_from
from desk_app.core.sla import SlaTarget
from desk_app.services.demo_backlog import L1, L2, L3, MORE, SHOWCASE, Slot, business_before
from desk_app.services.demo_catalogue import (
    CLOSURE_CODES,
    DEPARTMENTS,
    MAJOR,
    MAJOR_CHILDREN,
    ON_HOLD_NOTES,
    REPORTERS,
    SCENARIOS,
    TEAM,
    Scenario,
)
from desk_app.services.recording import queue_change
from desk_app.services.session import Session
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.models import SupportGroup, Technician, Ticket
from desk_app.storage.numbering import format_number, issue_number_block
from desk_app.storage.rows import column_defaults, columns_of

MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
TICKETS_A_DAY = 20  # how busy the demo desk's history is (at most two years of it)
HISTORY_DAYS = (30, 730)
BACKLOG = (50, 2_000)  # open and awaiting tickets: 2 % of the demo, within these bounds

# (impact, urgency, weight): the mix of the ServiceNow sample in ../shared/data
IMPACT_URGENCY = [("medium", "medium", 756), ("low", "low", 60), ("medium", "high", 17),
                  ("high", "medium", 16), ("high", "high", 15), ("medium", "low", 13),
                  ("low", "medium", 12), ("low", "high", 1)]
WORKLOG_KINDS = ("note", "phone", "phone", "email", "visit")
CHANNELS = ("phone", "phone", "email", "web", "walk-in", "event")


def _login(name: str) -> str:
    return name.lower().replace("'", "").replace(" ", ".")


def _demo_team(session: Session, made: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Three technicians per support group (created when missing, their ids added to
    ``made``); group id -> [(id, login)]."""
    team: dict[str, list[tuple[str, str]]] = {}
    for group in SupportGroup.select():
        names = TEAM.get(group.name) or tuple(f"{group.name} {i}" for i in range(1, 4))
        members = []
        for name in names:
            login = _login(name)
            person = Technician.get_or_none(Technician.login == login)
            if person is None:
                role = Role.SERVICE_DESK if group.level == SupportLevel.L1 else Role.SUPPORT
                person = Technician.create(login=login, name=name, role=role.value,
                                           group=group, email=f"{login}@example.com")
                queue_change(session, "technician", person.id, None, None)
                made.append(person.id)
            members.append((person.id, person.login))
        team[group.id] = members
    return team


@dataclass
class _Routing:
    """Who works the ticket: its service desk (L1) group and the group it is at."""

    desk_group: SupportGroup
    desk_login: str
    level: SupportLevel
    group: SupportGroup
    person_id: str | None
    person_login: str | None
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
    reopened_at: int | None = None  # reopened once between its first and final resolution
    first_resolved: int | None = None
    held_at: int | None = None
    level_at: tuple[int, int] | None = None  # management escalation: (level, when)


@dataclass
class _Plan:
    """Everything drawn for one ticket before it gets its number."""

    logged: int
    kind: str
    scenario: Scenario
    summary: str
    impact: str
    urgency: str
    priority: str
    who: _Routing
    life: _Lifecycle
    ticket_id: str
    major: bool = False
    parent_id: str | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)


class DemoGenerator:
    """Draws tickets from one seeded random stream (ids from a separate, unseeded one):
    the same seed at the same moment gives the same tickets."""

    def __init__(self, session: Session, count: int, seed: int) -> None:
        self.policy = session.policy
        self.actor = session.actor
        self.rng = random.Random(seed)
        self.ids = random.Random(os.urandom(16))  # ids must differ between devices
        self.technicians: list[str] = []
        self.team = _demo_team(session, self.technicians)
        self.groups = {g.name: g for g in SupportGroup.select()}
        self.contacts = {name: f"{_login(name)}@example.com" for name in REPORTERS}
        self.routes: dict[tuple[str, SupportLevel], tuple[SupportGroup, SupportGroup]] = {}
        self.scenarios = [s for s in SCENARIOS if s.category in self.policy.categories] \
            or list(SCENARIOS)
        self.incidents = [s for s in self.scenarios if s.kind == "incident"]
        self.weights = [w for *_, w in IMPACT_URGENCY]
        self.now = to_millis(session.now())
        backlog = min(count, max(BACKLOG[0], min(BACKLOG[1], count // 50)))
        history = count - backlog
        days = min(HISTORY_DAYS[1], max(HISTORY_DAYS[0], history / TICKETS_A_DAY))
        self.end = self.now - DAY
        self.start = self.end - int(days * DAY)
        self.spacing = (self.end - self.start) / max(history, 1)
        self.history = history
        self.kinds = ["incident" if self.rng.random() < 0.9 else "request"
                      for _ in range(history)]
        self.backlog = sorted(self.plan_backlog(backlog), key=lambda p: p.logged)
        for plan in self.backlog:
            self.kinds.append(plan.kind)
        self.next_number = {
            kind: issue_number_block(TicketType(kind).prefix, self.kinds.count(kind))
            for kind in ("incident", "request") if kind in self.kinds}
        self.columns = columns_of(Ticket)
        self.defaults = column_defaults(Ticket)
        self.made: list[str] = []

    def new_id(self, millis: int) -> str:
        return uuid7_from(millis, self.ids.getrandbits(74))

    def tickets(self) -> Iterator[tuple[tuple, list[tuple], list[tuple]]]:
        """Every ticket (row, history rows, worklog rows) in the order of its number."""
        waiting = iter(self.backlog)
        upcoming = next(waiting, None)
        for index in range(self.history):
            logged = int(self.start + self.spacing * index + self.rng.random() * self.spacing)
            while upcoming is not None and upcoming.logged < logged:
                yield self.compose(upcoming)
                upcoming = next(waiting, None)
            yield self.compose(self.history_plan(index, logged))
        while upcoming is not None:
            yield self.compose(upcoming)
            upcoming = next(waiting, None)

    # -- drawing -------------------------------------------------------------------

    def priority(self) -> tuple[str, str, str]:
        impact, urgency, _ = self.rng.choices(IMPACT_URGENCY, self.weights)[0]
        return impact, urgency, self.policy.matrix.priority(impact, urgency)  # type: ignore[arg-type]

    def member(self, group: SupportGroup) -> tuple[str | None, str | None]:
        members = self.team.get(group.id)
        return self.rng.choice(members) if members else (None, None)

    def routing(self, category: str, level: SupportLevel, owner: str) -> _Routing:
        """The groups and the person for a ticket at ``level`` owned by ``owner``."""
        route = self.routes.get((category, level))
        if route is None:
            functional = self.policy.functional
            route = self.routes[(category, level)] = (
                self.groups[functional.group_for(category, L1)],
                self.groups[functional.group_for(category, level)])
        desk_group, group = route
        desk_login = self.member(desk_group)[1] or self.actor.login
        escalations = {L1: 0, L2: 1, L3: 2}[level]
        person: tuple[str | None, str | None] = (None, None)
        if owner == "actor":
            person = (self.actor.id, self.actor.login)
            group = self.actor.group if self.actor.group_id else group
        elif owner == "group" and self.actor.group_id:
            group = self.actor.group
            person = self.member(group)
        elif owner != "none":
            person = self.member(group)
        return _Routing(desk_group, desk_login, level, group, person[0], person[1],
                        escalations)

    def scenario_text(self, scenario: Scenario, reporter: str) -> tuple[str, str]:
        """The description and the configuration item of a ticket."""
        ci = self.rng.choice(scenario.cis).format(n=self.rng.randint(1, 9_999))
        department = self.rng.choice(DEPARTMENTS)
        description = (f"{scenario.description}\n\nReported by {reporter} ({department}) "
                       f"by {self.rng.choice(('phone', 'email', 'the portal'))}.")
        return description, ci

    # -- the closed history ----------------------------------------------------------

    def history_plan(self, index: int, logged: int) -> _Plan:
        rng = self.rng
        impact, urgency, priority = self.priority()
        scenario = rng.choice(self.scenarios)
        roll = rng.random()
        level = L3 if roll < 0.05 else L2 if roll < 0.25 else L1
        who = self.routing(scenario.category, level, "team")
        life = self.history_lifecycle(logged, priority)
        if life.status == "new":
            who.person_id = who.person_login = None
        kind = self.kinds[index]
        major = kind == "incident" and priority in self.policy.major_priorities \
            and rng.random() < 0.3
        return _Plan(logged, kind, scenario, scenario.summary, impact, urgency, priority,
                     who, life, self.new_id(logged), major)

    def history_lifecycle(self, logged: int, priority: str) -> _Lifecycle:
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
        resolved: int | None = max(to_millis(target.calendar.add(logged_dt, work + hold)),
                                   responded + MINUTE)
        closed: int | None = resolved + int(rng.uniform(0.2, 3) * DAY)
        status, stopped_since = "closed", resolved
        if resolved > now:  # still being worked on (rare: the history ends a day ago)
            resolved = closed = stopped_since = None
            hold_ms, hold = 0, timedelta(0)
            status = rng.choice(["assigned", "in_progress"]) if responded < now else "new"
        elif closed > now:
            closed, status = None, "resolved"
        resolution_due = to_millis(self.policy.sla.resolution_due(priority, logged_dt, hold))
        if status == "new":
            responded = None
        first_resolved, reopened_at = resolved, None
        if resolved is not None and rng.random() < 0.04:
            window = (closed or now) - resolved
            reopened_at = resolved + int(window * 0.3)
            resolved = stopped_since = resolved + int(window * 0.6)
        return _Lifecycle(status, None, responded, resolved, closed, hold_ms, response_due,
                          resolution_due, stopped_since, reopened_at, first_resolved)

    # -- the open backlog ------------------------------------------------------------

    def plan_backlog(self, size: int) -> list[_Plan]:
        slots = list(SHOWCASE[:size])
        more, weights = zip(*MORE, strict=True)
        slots += self.rng.choices(more, weights, k=size - len(slots))
        plans: list[_Plan] = []
        major: _Plan | None = None
        for slot in slots:
            plan = self.backlog_plan(slot, major)
            if slot.role == "major":
                major = plan
            plans.append(plan)
        return plans

    def backlog_plan(self, slot: Slot, major: _Plan | None) -> _Plan:
        rng = self.rng
        if slot.role == "major":
            scenario, (impact, urgency) = MAJOR, ("high", "high")
            priority = self.policy.matrix.priority(impact, urgency)  # type: ignore[arg-type]
        elif slot.role == "child" and major is not None:
            scenario, (impact, urgency) = MAJOR, ("medium", rng.choice(("high", "medium")))
            priority = self.policy.matrix.priority(impact, urgency)  # type: ignore[arg-type]
        else:
            scenario = rng.choice(self.scenarios if slot.level == L1 else self.incidents)
            impact, urgency, priority = self.priority()
        summary = scenario.summary
        if slot.role == "child" and major is not None:
            summary = rng.choice(MAJOR_CHILDREN)
        who = self.routing(scenario.category, slot.level, slot.owner)
        logged, life = self.backlog_lifecycle(slot, priority, major)
        return _Plan(logged, scenario.kind, scenario, summary, impact, urgency, priority,
                     who, life, self.new_id(logged), major=slot.role == "major",
                     parent_id=major.ticket_id if slot.role == "child" and major else None)

    def backlog_lifecycle(self, slot: Slot, priority: str,
                          major: _Plan | None) -> tuple[int, _Lifecycle]:
        """The times of a backlog ticket so that it stands as ``slot`` says now."""
        rng, now, policy = self.rng, self.now, self.policy
        target = policy.sla.targets[priority]
        calendar = target.calendar
        resolution = target.resolution.nominal(calendar)
        warning = policy.sla.warning_percent / 100
        used = {"fresh": rng.uniform(0.05, 0.5),
                "warning": warning + (1 - warning) * rng.uniform(0.2, 0.8),
                "breached": rng.uniform(1.1, 1.8)}[slot.clock]
        if slot.status == "new" and slot.clock == "fresh":
            used = rng.uniform(0.01, 0.08)
        pauses = slot.hold_reason is not None and policy.sla.pauses(slot.hold_reason)  # type: ignore[arg-type]
        end = now  # where the resolution clock stands
        if slot.status == "resolved":
            end = now - int(rng.uniform(0.05, 0.7) * policy.auto_close_grace
                            / timedelta(milliseconds=1))
            used = rng.uniform(0.2, 1.2)
        elif pauses:
            end = now - int(rng.uniform(1, 30) * HOUR)
        if slot.role == "major":
            end, used = now, rng.uniform(0.25, 0.4)
        logged_dt = business_before(calendar, from_millis(end), resolution * used)
        logged = to_millis(logged_dt)
        if slot.role == "child" and major is not None:
            logged = min(now - 5 * MINUTE, major.logged + int(rng.uniform(5, 60) * MINUTE))
            logged_dt = from_millis(logged)
        response = target.response.nominal(calendar) / timedelta(milliseconds=1)
        responded: int | None = None
        if slot.status != "new":
            responded = min(logged + int(rng.uniform(0.1, 0.9) * response), (end + logged) // 2)
        held_at = None
        if slot.status == "on_hold":
            held_at = end if pauses else responded + int(rng.random() * (now - responded))
        resolution_due = to_millis(policy.sla.resolution_due(priority, logged_dt))
        stopped = end if slot.status == "resolved" or pauses else None
        reached = policy.hierarchic.level_due(
            100 * calendar.elapsed(logged_dt, from_millis(end)) / resolution)
        level_at = None
        if reached and slot.status != "new":
            threshold = policy.hierarchic.levels[reached - 1].at_percent / 100
            level_at = (reached, min(end, to_millis(calendar.add(logged_dt,
                                                                 resolution * threshold))))
        resolved = end if slot.status == "resolved" else None
        return logged, _Lifecycle(
            slot.status, slot.hold_reason, responded, resolved, None, 0,
            to_millis(policy.sla.response_due(priority, logged_dt)), resolution_due,
            stopped, first_resolved=resolved, held_at=held_at, level_at=level_at)

    # -- stored rows -----------------------------------------------------------------

    def compose(self, plan: _Plan) -> tuple[tuple, list[tuple], list[tuple]]:
        """The ticket row, its history rows and its worklog rows."""
        rng, who, life = self.rng, plan.who, plan.life
        kind = plan.kind
        number = format_number(TicketType(kind).prefix, self.next_number[kind])
        self.next_number[kind] += 1
        reporter = rng.choice(REPORTERS)
        description, ci = self.scenario_text(plan.scenario, reporter)
        resolved = life.resolved is not None
        history, worklog = self.timeline(plan)
        updated = max(max(row[2] for row in history),
                      max((row[2] for row in worklog), default=plan.logged))
        end = life.resolved or life.stopped_since or self.now
        row = dict(self.defaults)
        row.update(
            id=plan.ticket_id, number=number, type=kind, status=life.status,
            hold_reason=life.hold_reason, impact=plan.impact, urgency=plan.urgency,
            priority=plan.priority, major=plan.major, summary=plan.summary,
            description=description, category=plan.scenario.category,
            subcategory=plan.scenario.subcategory, service=plan.scenario.service, ci=ci,
            group_id=who.group.id if life.status != "new" else who.desk_group.id,
            assignee_id=who.person_id,
            support_level=who.level.value if life.status != "new" else L1.value,
            reporter=reporter, contact=self.contacts[reporter],
            channel=rng.choice(CHANNELS),
            detected_at=plan.logged - int(rng.uniform(0, 2) * HOUR), logged_at=plan.logged,
            logged_by=who.desk_login, responded_at=life.responded,
            resolved_at=life.resolved, closed_at=life.closed, updated_at=updated,
            response_due=life.response_due, resolution_due=life.resolution_due,
            sla_stopped_since=life.stopped_since, sla_stopped_ms=life.hold_ms,
            response_breached=(life.responded or self.now) > life.response_due,
            resolution_breached=end > life.resolution_due,
            reassignment_count=who.escalations + (1 if rng.random() < 0.1 else 0),
            escalation_count=who.escalations if life.status != "new" else 0,
            hierarchic_level=life.level_at[0] if life.level_at else 0,
            reopen_count=1 if life.reopened_at else 0,
            resolution_type=rng.choice(["permanent", "permanent", "workaround"])
            if resolved else None,
            resolution_code=rng.choice(CLOSURE_CODES) if resolved else None,
            resolution_notes=plan.scenario.resolution if resolved else None,
            resolved_by=(who.person_login or who.desk_login) if resolved else None,
            confirmation=("confirmed" if rng.random() < 0.7 else "auto_closed")
            if life.closed else None,
            knowledge="not_needed" if life.closed else None,
            problem_decision="not_needed" if life.closed else None,
            problem_reason="Judged a one-off by the incident manager" if life.closed else None,
            parent_id=plan.parent_id,
        )
        steps = baseline_steps(row, [{"field": h[4], "old": h[5], "new": h[6]} for h in history])
        history += [(self.new_id(plan.logged), plan.ticket_id, plan.logged, who.desk_login,
                     *step) for step in steps]
        self.made.append(plan.ticket_id)
        return tuple(row[c] for c in self.columns), history, worklog

    def timeline(self, plan: _Plan) -> tuple[list[tuple], list[tuple]]:
        """The history and worklog rows of a ticket's way through the desk."""
        history: list[tuple] = []
        worklog: list[tuple] = []
        ticket_id, who, life, logged = plan.ticket_id, plan.who, plan.life, plan.logged
        notes = plan.scenario.notes

        def change(at: int, by: str, name: str, old: str | None, new: str | None) -> None:
            history.append((self.new_id(at), ticket_id, at, by, name, old, new))

        def note(at: int, by: str, text: str, kind: str = "note") -> None:
            worklog.append((self.new_id(at), ticket_id, at, by, kind, text,
                            self.rng.randint(5, 90)))

        desk = who.desk_login
        worker = who.person_login or desk
        change(logged, desk, "status", None, "new")
        change(logged, desk, "priority", None, plan.priority)
        change(logged, desk, "summary", None, plan.summary)
        if plan.major:
            change(logged, desk, "major", "no", "yes")
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
        change(assigned_at, desk, "assignee", None, worker)
        last = life.resolved or life.held_at or self.now
        if life.responded is not None and life.status != "assigned":
            change(life.responded, worker, "status", "assigned", "in_progress")
            note(life.responded, worker, notes[0], self.rng.choice(WORKLOG_KINDS))
            middle = (life.responded + last) // 2
            if plan.major:
                note(min(middle, self.now), worker, notes[1])
                note(min(last - MINUTE, self.now), worker, notes[2])
            elif life.status != "closed" or self.rng.random() < 0.3:
                note(middle, worker, notes[1], self.rng.choice(WORKLOG_KINDS))
        if life.level_at is not None:
            level, at = life.level_at
            name = self.policy.hierarchic.level_name(level)
            change(at, desk, "hierarchic_level", "0", str(level))
            note(at, desk, f"Escalated to management ({name}): resolution SLA at "
                                     f"{self.policy.hierarchic.levels[level - 1].at_percent}%")
        if life.status == "on_hold" and life.held_at is not None:
            change(life.held_at, worker, "status", "in_progress", "on_hold")
            change(life.held_at, worker, "hold_reason", None, life.hold_reason)
            note(life.held_at, worker, ON_HOLD_NOTES[life.hold_reason or "awaiting_user"])
        if life.first_resolved is not None:
            change(life.first_resolved, worker, "status", "in_progress", "resolved")
            if life.status == "resolved":  # closed ones say it in their resolution notes
                note(life.first_resolved, worker, notes[2])
        if life.reopened_at is not None and life.resolved is not None:
            change(life.reopened_at, desk, "status", "resolved", "in_progress")
            change(life.reopened_at, desk, "reopen_count", "0", "1")
            note(life.reopened_at, desk, "Reopened: the user reports it happened again.")
            change(life.resolved, worker, "status", "in_progress", "resolved")
        if life.closed is not None:
            change(life.closed, desk, "status", "resolved", "closed")
        return history, worklog
