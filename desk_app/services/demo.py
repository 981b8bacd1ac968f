"""Realistic demo tickets: two years of incidents and requests with full lifecycles.

Written straight into stored form through the bulk writer (a million tickets in a
few minutes). Demo tickets stay on this device: they are not queued for sync.
"""

import os
import random
from collections.abc import Callable
from datetime import timedelta

from desk_app.core.enums import Role, SupportLevel, TicketType
from desk_app.core.ids import uuid7_from
from desk_app.services.session import Session, activity
from desk_app.storage.bulk import BulkWriter, columns_of
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.models import History, SupportGroup, Technician, Ticket, Worklog
from desk_app.storage.numbering import format_number, issue_number_block

MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
YEARS = 2

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
            members.append((person.id, person.login))
        team[group.id] = members
    return team


@activity("import_tickets")
def write_demo_tickets(session: Session, count: int, seed: int = 1,
                       progress: Callable[[int], None] | None = None) -> int:
    """Write ``count`` demo tickets; returns how many were written."""
    policy = session.policy
    rng = random.Random(seed)
    ids = random.Random(os.urandom(16))  # ids must differ between devices, seeds or not
    team = _demo_team(session)
    groups = {g.name: g for g in SupportGroup.select()}
    categories = [c for c in policy.categories.values() if c.name in PROBLEMS]
    weights = [w for *_, w in IMPACT_URGENCY]
    now = to_millis(session.now())
    start = now - YEARS * 365 * DAY
    kinds = ["incident" if rng.random() < 0.9 else "request" for _ in range(count)]
    next_number = {"incident": issue_number_block("INC", kinds.count("incident")),
                   "request": issue_number_block("REQ", kinds.count("request"))}
    spacing = (now - start) / count
    ticket_columns = columns_of(Ticket)
    ticket_defaults = {f.column_name: f.default for f in Ticket._meta.sorted_fields
                       if not callable(f.default)}
    history_rows: list[tuple] = []
    worklog_rows: list[tuple] = []

    def history(ticket_id: str, at: int, by: str, field: str, old, new) -> None:
        history_rows.append((uuid7_from(at, ids.getrandbits(74)), ticket_id, at, by, field,
                             old, new))

    with BulkWriter(progress) as writer:
        for index in range(count):
            logged = int(start + spacing * index + rng.random() * spacing)
            impact, urgency, _ = rng.choices(IMPACT_URGENCY, weights)[0]
            priority = policy.matrix.priority(impact, urgency)  # type: ignore[arg-type]
            category = rng.choice(categories)
            sub = rng.choice(category.subcategories)
            summary = rng.choice(PROBLEMS[category.name]).format(sub=sub)
            reporter = rng.choice(PEOPLE)
            ticket_id = uuid7_from(logged, ids.getrandbits(74))
            logged_dt = from_millis(logged)
            response_due = to_millis(policy.sla.response_due(priority, logged_dt))
            target = policy.sla.targets[priority]
            l1 = groups[policy.functional.group_for(category.name, SupportLevel.L1)]
            level, group = SupportLevel.L1, l1
            escalations = 0
            roll = rng.random()
            if roll < 0.25:
                level, escalations = SupportLevel.L2, 1
            if roll < 0.05:
                level, escalations = SupportLevel.L3, 2
            if escalations:
                group = groups[policy.functional.group_for(category.name, level)]
            person_id, person_login = rng.choice(team[group.id])
            desk_login = rng.choice(team[l1.id])[1]
            kind = kinds[index]
            number = format_number(TicketType(kind).prefix, next_number[kind])
            next_number[kind] += 1
            age = now - logged

            # how the ticket went: response, optional hold, resolution relative to target
            responded = logged + int(rng.uniform(0.05, 1.3) * target.response / timedelta(
                milliseconds=1))
            hold_ms = int(rng.uniform(1, 48) * HOUR) if rng.random() < 0.15 else 0
            stretch = rng.lognormvariate(-0.9, 0.7)  # ~10 % overrun their target
            work_ms = int(target.resolution / timedelta(milliseconds=1) * stretch)
            resolution_due_dt = target.calendar.add(
                logged_dt, target.resolution + timedelta(milliseconds=hold_ms))
            resolved_in_calendar = to_millis(target.calendar.add(
                logged_dt, timedelta(milliseconds=work_ms) + timedelta(milliseconds=hold_ms)))
            resolved = max(resolved_in_calendar, responded + MINUTE)
            reopened = rng.random() < 0.04

            status, hold_reason = "closed", None
            closed = resolved + int(rng.uniform(0.2, 3) * DAY)
            if resolved > now:
                resolved = closed = None
                status = rng.choice(["new", "assigned", "in_progress", "in_progress",
                                     "on_hold"]) if responded < now else "new"
            elif closed > now:
                closed, status = None, "resolved"
            if status == "new":
                responded = None
            if status == "on_hold":
                hold_reason = rng.choice(["awaiting_user", "awaiting_supplier",
                                          "awaiting_change"])
            assigned = status != "new"
            row = dict(ticket_defaults)
            row.update(
                id=ticket_id, number=number, type=kind, status=status,
                hold_reason=hold_reason, impact=impact, urgency=urgency, priority=priority,
                major=kind == "incident" and priority in policy.major_priorities
                and rng.random() < 0.3,
                summary=summary,
                description=f"{reporter} reports: {summary.lower()}. Service "
                            f"{rng.choice(SERVICES)} affected.",
                category=category.name, subcategory=sub, service=rng.choice(SERVICES),
                ci=f"{sub.upper().replace(' ', '-')}-{rng.randint(100, 999)}",
                group_id=group.id if assigned else l1.id,
                assignee_id=person_id if assigned else None,
                support_level=level.value if assigned else "L1",
                reporter=reporter, contact=reporter.lower().replace(" ", ".") + "@example.com",
                channel=rng.choice(["phone", "phone", "email", "web", "walk-in", "event"]),
                detected_at=logged - int(rng.uniform(0, 2) * HOUR), logged_at=logged,
                logged_by=desk_login, responded_at=responded, resolved_at=resolved,
                closed_at=closed, updated_at=min(now, closed or resolved or responded or logged),
                response_due=response_due, resolution_due=to_millis(resolution_due_dt),
                sla_stopped_since=now - int(rng.uniform(0, 1) * min(age, DAY))
                if status == "on_hold" and hold_reason != "awaiting_change" else
                (resolved if resolved else None),
                sla_stopped_ms=hold_ms,
                response_breached=bool(responded and responded > response_due),
                resolution_breached=bool(resolved and resolved > to_millis(resolution_due_dt)),
                reassignment_count=escalations + (1 if rng.random() < 0.1 else 0),
                escalation_count=escalations,
                reopen_count=1 if reopened and resolved else 0,
                resolution_type=rng.choice(["permanent", "permanent", "workaround"])
                if resolved else None,
                resolution_code=rng.choice(CODES) if resolved else None,
                resolution_notes=rng.choice(NOTES) if resolved else None,
                resolved_by=person_login if resolved else None,
                confirmation=("confirmed" if rng.random() < 0.7 else "auto_closed")
                if closed else None,
                knowledge="not_needed" if closed else None,
                problem_decision="not_needed" if closed else None,
            )
            writer.add(Ticket, [tuple(row[c] for c in ticket_columns)])

            history(ticket_id, logged, desk_login, "status", None, "new")
            history(ticket_id, logged, desk_login, "priority", None, priority)
            history(ticket_id, logged, desk_login, "summary", None, summary)
            if assigned:
                at = logged + int(rng.uniform(1, 20) * MINUTE)
                history(ticket_id, at, desk_login, "status", "new", "assigned")
                history(ticket_id, at, desk_login, "assignee", None, person_login)
                if escalations:
                    history(ticket_id, at, desk_login, "group", l1.name, group.name)
                if responded and status != "assigned":
                    history(ticket_id, responded, person_login, "status", "assigned",
                            "in_progress")
                worklog_rows.append((uuid7_from(responded or at, ids.getrandbits(74)),
                                     ticket_id, responded or at, person_login,
                                     rng.choice(["note", "phone", "email", "visit"]),
                                     rng.choice(NOTES), rng.randint(5, 90)))
            if resolved:
                history(ticket_id, resolved, person_login, "status", "in_progress",
                        "resolved")
            if closed:
                history(ticket_id, closed, desk_login, "status", "resolved", "closed")
            if len(history_rows) >= 5_000:
                writer.add(History, history_rows)
                writer.add(Worklog, worklog_rows)
                history_rows, worklog_rows = [], []
            writer.ticket_done()
        writer.add(History, history_rows)
        writer.add(Worklog, worklog_rows)
    return count

