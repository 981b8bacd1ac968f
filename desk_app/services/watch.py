"""The watcher: one pass applies every time-driven rule of the policy to the tickets
whose clocks have something due, and says when the next thing will be due.

Rules (what is due, and when it became due, is :mod:`desk_app.core.watch`):
response and resolution breaches (recorded at the due time), the warning before a
breach, management (hierarchic) escalation at its thresholds with the people of each
level told, functional escalation of tickets still untouched at L1, the optional
priority raise on a missed response, auto-close after the grace period (or, when
a closure decision is missing, telling the assignee why not), a major incident's
update due and missed (:mod:`desk_app.services.major_rhythm`), and the weekly KPI
report mail (:mod:`desk_app.services.report_mail`).

Only open tickets (and resolved ones awaiting the user) are read, through the due-time
indexes (:mod:`desk_app.storage.watch_queries`). Each rule on each ticket is its own
short activity, and everything it writes has an id made from the ticket, the rule and
its threshold, so desks that watch the same ticket make one of each entry.
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from desk_app.core.checklists import unmet_closure_items
from desk_app.core.enums import Status, TicketType
from desk_app.core.errors import ChecklistIncomplete, InvalidValue, Refused
from desk_app.core.merge import entry_id
from desk_app.core.notice_ids import notification_id
from desk_app.core.permissions import Permission
from desk_app.core.policy import Policy
from desk_app.core.watch import ClockFacts, Due, due_rules, earliest, raised, rule_rest
from desk_app.services import report_mail
from desk_app.services.escalation import escalate_functional
from desk_app.services.major_children import open_major_parent
from desk_app.services.major_rhythm import apply_rhythm_rule, rhythm_dues
from desk_app.services.notify import notify
from desk_app.services.recording import TicketEdit, history_text, queue_appended
from desk_app.services.review_gate import review_missing
from desk_app.services.session import Session, activity
from desk_app.services.sla_clock import replan_due_times
from desk_app.services.watch_routing import recipients, send_straight_to_l3
from desk_app.services.workflow import close_checked, closure_facts
from desk_app.services.worklog import write_worklog
from desk_app.storage import watch_queries as queries
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.models import History, Notification, Ticket
from desk_app.storage.rows import insert_row

log = logging.getLogger(__name__)
MARKERS = {"warning": "sla_warning"}  # rules whose only ticket entry is a history row


@dataclass(frozen=True)
class WatchEntry:
    """One thing a pass did: the rule, the ticket, when the rule applied, and a word."""

    rule: str
    number: str
    at: datetime
    detail: str = ""


@dataclass
class HousekeepingResult:
    """What one pass changed, by ticket number (the ``housekeeping`` command's shape)."""

    breaches: list[tuple[str, str]] = field(default_factory=list)
    escalated: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    awaiting_closure: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class WatchResult(HousekeepingResult):
    """A pass: what it did (``done``, in the order applied), the next moment a rule
    comes due (None: nothing is waiting on a clock), and whether it stopped at its
    limit with more due now."""

    done: list[WatchEntry] = field(default_factory=list)
    next_due: datetime | None = None
    more: bool = False  # stopped at its limit: more rules are due now

    @property
    def changed(self) -> bool:
        """True when the pass wrote something (queues should be redrawn)."""
        return bool(self.done)

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        data = asdict(self)
        data["done"] = [{"rule": e.rule, "number": e.number, "at": e.at.isoformat(),
                         "detail": e.detail} for e in self.done]
        data["next_due"] = self.next_due.isoformat() if self.next_due else None
        return data


def facts_of(row: dict) -> ClockFacts:
    """The clock facts of a stored ticket row (times as epoch millis)."""
    def moment(name: str) -> datetime | None:
        return from_millis(row[name]) if row[name] is not None else None

    return ClockFacts(
        priority=row["priority"], status=row["status"], support_level=row["support_level"],
        hierarchic_level=row["hierarchic_level"], logged_at=moment("logged_at"),
        response_due=moment("response_due"), resolution_due=moment("resolution_due"),
        responded_at=moment("responded_at"), resolved_at=moment("resolved_at"),
        stopped_since=moment("sla_stopped_since"),
        response_breached=bool(row["response_breached"]),
        resolution_breached=bool(row["resolution_breached"]))


def marker_id(ticket_id: str, due: Due) -> str:
    """The id of the history row a marker rule (the warning) writes once per clock."""
    return entry_id(ticket_id, f"{due.rule}:{due.key}", MARKERS[due.rule])


def watch_pass(session: Session, limit: int | None = None) -> WatchResult:
    """One pass of every rule (each applied in its own activity); returns what it did
    and when the next rule comes due. Running it again at once changes nothing.

    ``limit`` caps the activities of one pass (the window's passes share the database
    thread with the person's work): a pass that stopped there says ``more`` and that
    the next is due now."""
    session.require(Permission.HOUSEKEEPING)
    policy = session.policy
    now = session.now_fn()
    result = WatchResult()
    moments: list[datetime | None] = []
    candidates: dict[str, tuple[dict, list[Due]]] = {}
    rows, later = _due_rows(policy, now, limit)
    for row in rows:
        if row["id"] not in candidates:
            verdict = due_rules(facts_of(row), policy, now)
            moments.append(verdict.next_at)
            if verdict.due:
                candidates[row["id"]] = (row, verdict.due)
    moments += [due_rules(facts_of(row), policy, now).next_at for row in later.values()]
    markers = {marker_id(tid, d): (tid, d) for tid, (_, dues) in candidates.items()
               for d in dues if d.rule in MARKERS}
    marked = queries.existing_ids("history", list(markers))
    budget = [limit if limit is not None else -1]
    for ticket_id, (row, dues) in candidates.items():
        for due in sorted(dues, key=lambda d: (d.at, d.rule != "hierarchic", d.key)):
            if due.rule in MARKERS and marker_id(ticket_id, due) in marked:
                continue
            if not _spend(budget, result):
                result.next_due = now
                return result
            try:
                entry = apply_rule(session, ticket_id, due)
            except (Refused, InvalidValue) as refused:  # e.g. no group for the next level
                log.warning("%s: %s rule not applied: %s", row["number"], due.rule, refused)
                continue
            if entry is not None:
                _note(result, entry)
    moments.append(_auto_close(session, policy, now, result, budget))
    moments.append(_major_rhythm(session, now, result, budget))
    moments.append(_weekly_report(session, now, result, budget))
    result.next_due = now if result.more else earliest(moments)
    return result


def _spend(budget: list[int], result: "WatchResult") -> bool:
    """Take one activity from the pass's budget (negative: no limit); False when it is
    spent (the pass then says ``more``)."""
    if budget[0] == 0:
        result.more = True
        return False
    budget[0] -= 1
    return True


def _due_rows(policy: Policy, now: datetime,
              limit: int | None) -> tuple[list[dict], dict[str, dict]]:
    """The tickets with a rule that may be due at ``now`` (one short index range per
    priority, level and rule; at most ``limit`` of each, the soonest due), and per
    priority, level and horizon the ticket due next beyond it (where the next rule
    comes due)."""
    now_ms = to_millis(now)
    rows: list[dict] = []
    later: dict[str, dict] = {}

    def beyond(clock: str, priority: str, horizons: list[int], level: int = 0) -> None:
        for horizon in sorted({h for h in horizons if h >= 0}):
            found = queries.first_beyond(clock, priority, horizon, level)
            if found is not None:
                later[found["id"]] = found

    levels = policy.hierarchic.levels
    for priority, target in policy.sla.targets.items():
        def horizon(clock: str, percent: float, calendar=target.calendar,
                    priority=priority) -> int:
            return to_millis(calendar.add(now, rule_rest(policy, priority, clock, percent)))

        warning = horizon("response", policy.sla.warning_percent)
        percent = policy.watch.functional_at_percent.get(priority)
        functional = horizon("response", percent) if percent is not None else -1
        rows += queries.response_candidates(priority, functional, warning, now_ms, limit)
        beyond("response", priority, [now_ms, warning, functional])
        warning = horizon("resolution", policy.sla.warning_percent)
        for level in range(len(levels) + 1):
            following = horizon("resolution", levels[level].at_percent) \
                if level < len(levels) else -1
            rows += queries.resolution_candidates(priority, level, following, warning, now_ms,
                                                  limit)
            beyond("resolution", priority, [now_ms, warning, following], level)
    return rows, later


def _note(result: WatchResult, entry: WatchEntry) -> None:
    result.done.append(entry)
    if entry.rule == "breach":
        result.breaches.append((entry.number, entry.detail))
    elif entry.rule == "hierarchic":
        result.escalated.append((entry.number, entry.detail))
    elif entry.rule == "auto_close":
        result.closed.append(entry.number)


@activity(Permission.HOUSEKEEPING)
def apply_rule(session: Session, ticket_id: str, due: Due) -> WatchEntry | None:
    """Apply one rule to one ticket if it is still due (the ticket is read again)."""
    ticket = Ticket.get_or_none(Ticket.id == ticket_id)
    if ticket is None:
        return None
    row = {name: getattr(ticket, name) for name in queries.FACT_COLUMNS}
    for name in ("logged_at", "response_due", "resolution_due", "responded_at",
                 "resolved_at", "sla_stopped_since"):
        row[name] = to_millis(row[name]) if row[name] is not None else None
    still = due_rules(facts_of(row), session.policy, session.now()).due
    if not any((d.rule, d.key) == (due.rule, due.key) for d in still):
        return None
    return RULES[due.rule](session, ticket, due)


def _breach(session: Session, ticket: Ticket, due: Due) -> WatchEntry:
    edit = TicketEdit(session, ticket, rule="breach", at=due.at)
    edit.set(f"{due.key}_breached", True)
    edit.save()
    notify(session, ticket, "breach", due.key, recipients(ticket),
           f"{ticket.number}: {due.key} target missed", at=due.at)
    if due.key == "response" and session.policy.watch.raise_priority:
        _raise_priority(session, ticket, due)
    return WatchEntry("breach", ticket.number, due.at, due.key)


def _raise_priority(session: Session, ticket: Ticket, due: Due) -> None:
    old = ticket.priority
    new = raised(old)
    if new == old:
        return
    policy = session.policy
    rule = "raise_priority:response"
    edit = TicketEdit(session, ticket, rule=rule, at=due.at)
    edit.set("priority", new)
    if (ticket.type == TicketType.INCIDENT and new in policy.major_priorities
            and open_major_parent(ticket) is None):  # a child stays part of its major
        edit.set("major", True)
    replan_due_times(edit, policy, old, due.at)
    edit.save()
    write_worklog(session, ticket, f"Priority {old} -> {new}: response target missed "
                  "(escalation.raise_priority_on_response_breach)",
                  entry_id=entry_id(ticket.id, rule, "worklog"), at=due.at)
    send_straight_to_l3(session, ticket, f"priority raised to {new}", rule=rule, at=due.at)


def _warning(session: Session, ticket: Ticket, due: Due) -> WatchEntry:
    percent = session.policy.sla.warning_percent
    _marker(session, ticket, due, f"{due.key} {percent:g}%")
    notify(session, ticket, "warning", due.key, recipients(ticket),
           f"{ticket.number}: {percent:g}% of the {due.key} target used", at=due.at)
    return WatchEntry("warning", ticket.number, due.at, due.key)


def _marker(session: Session, ticket: Ticket, due: Due, text: str) -> None:
    """The history row that records a rule once (same id on every desk)."""
    row_id = marker_id(ticket.id, due)
    if History.get_or_none(History.id == row_id) is None:
        insert_row(History, {"id": row_id, "ticket": ticket.id, "at": due.at,
                             "by": session.login, "field": MARKERS[due.rule], "old": None,
                             "new": history_text(text)})
        queue_appended(session, History, ticket.id, [row_id])


def _hierarchic(session: Session, ticket: Ticket, due: Due) -> WatchEntry:
    number = int(due.key)
    matrix = session.policy.hierarchic
    level = matrix.levels[number - 1]
    rule = f"hierarchic:{number}"
    edit = TicketEdit(session, ticket, rule=rule, at=due.at)
    edit.set("hierarchic_level", number)
    edit.save()
    write_worklog(session, ticket, f"Escalated to management ({level.name}): resolution "
                                   f"SLA at {level.at_percent:g}%",
                  entry_id=entry_id(ticket.id, rule, "worklog"), at=due.at)
    group = ticket.group.name if ticket.group_id else None
    person = level.person_for(group)
    told = queries.technician_ids([person]) if person else {}
    notify(session, ticket, "escalated", rule, told.values(),
           f"{ticket.number}: escalated to you ({level.name}), resolution SLA at "
           f"{level.at_percent:g}%", at=due.at)
    return WatchEntry("hierarchic", ticket.number, due.at, level.name)


def _functional(session: Session, ticket: Ticket, due: Due) -> WatchEntry:
    percent = session.policy.watch.functional_at_percent[ticket.priority]
    rule = f"functional:{due.key}"
    why = (f"escalation.functional_at_percent.{ticket.priority}: still at L1 and not in "
           f"progress after {percent:g}% of the response target")
    escalate_functional(session, ticket.number, f"automatic ({why})", rule=rule, at=due.at)
    ticket = Ticket.get_by_id(ticket.id)
    _marker_row(session, ticket, rule, "escalation_rule", why, due.at)
    routed = _told_by_routing(ticket.id, rule)
    notify(session, ticket, "escalated", rule,
           [who for who in recipients(ticket) if who not in routed],
           f"{ticket.number}: escalated to {ticket.group.name} ({due.key})", at=due.at)
    return WatchEntry("functional", ticket.number, due.at, f"{due.key} ({ticket.group.name})")


ROUTING_EVENTS = ("assigned", "group_unassigned")


def _told_by_routing(ticket_id: str, rule: str) -> set[str]:
    """The technicians the routing of this rule's move told already ("assigned to you",
    "waits in your group"): one event, one notification per person."""
    rows = Notification.select(Notification.id, Notification.technician_id,
                               Notification.event).where(
        (Notification.ticket == ticket_id) & Notification.event.in_(ROUTING_EVENTS))
    return {row.technician_id for row in rows
            if row.id == notification_id(ticket_id, row.event, rule, row.technician_id)}


def _marker_row(session: Session, ticket: Ticket, rule: str, field_name: str, text: str,
                at: datetime) -> None:
    row_id = entry_id(ticket.id, rule, field_name)
    if History.get_or_none(History.id == row_id) is None:
        insert_row(History, {"id": row_id, "ticket": ticket.id, "at": at,
                             "by": session.login, "field": field_name, "old": None,
                             "new": text})
        queue_appended(session, History, ticket.id, [row_id])


RULES = {"breach": _breach, "warning": _warning, "hierarchic": _hierarchic,
         "functional": _functional}


def _auto_close(session: Session, policy: Policy, now: datetime,
                result: WatchResult, budget: list[int]) -> datetime | None:
    """Close resolved tickets whose grace period is over; returns when the next grace
    period ends."""
    grace = policy.auto_close_grace
    ended = to_millis(now - grace)
    for ticket_id, resolved_ms in queries.awaiting_closure(ended):
        if result.more:
            return None
        ticket = Ticket.get_by_id(ticket_id)
        if open_major_parent(ticket) is not None:  # closes after its parent is resolved
            continue
        unmet = unmet_closure_items(closure_facts(ticket, session), policy.closure_checklist)
        unmet += [why] if (why := review_missing(ticket, policy)) else []
        if unmet:
            result.awaiting_closure.append((ticket.number, unmet))
            skipped = entry_id(ticket_id, f"auto_close:{resolved_ms}", "auto_close_skipped")
            if not queries.existing_ids("history", [skipped]) and _spend(budget, result):
                _tell_skipped(session, ticket_id, resolved_ms, unmet)
                result.done.append(WatchEntry("auto_close_skipped", ticket.number,
                                              from_millis(resolved_ms) + grace,
                                              "; ".join(unmet)))
            continue
        if not _spend(budget, result):
            return None
        entry = _close(session, ticket_id, resolved_ms)
        if entry is not None:
            _note(result, entry)
    following = queries.next_awaiting_closure(ended)
    return from_millis(following) + grace if following is not None else None


def _major_rhythm(session: Session, now: datetime, result: WatchResult,
                  budget: list[int]) -> datetime | None:
    """Tell running major incidents' communicators that an update is due or missed
    (:mod:`desk_app.services.major_rhythm`); returns when the next one comes due."""
    dues, following = rhythm_dues(session, now)
    for found in dues:
        if result.more or not _spend(budget, result):
            return None
        if apply_rhythm_rule(session, found.ticket_id, found.due):
            result.done.append(WatchEntry(found.due.rule, found.number, found.due.at))
    return following


@activity(Permission.HOUSEKEEPING)
def _close(session: Session, ticket_id: str, resolved_ms: int) -> WatchEntry | None:
    ticket = Ticket.get_by_id(ticket_id)
    if ticket.status != Status.RESOLVED or ticket.confirmation is not None:
        return None
    edit = TicketEdit(session, ticket, rule=f"auto_close:{resolved_ms}")
    try:
        close_checked(edit)
    except ChecklistIncomplete:
        return None
    edit.save()
    return WatchEntry("auto_close", ticket.number, session.now())


@activity(Permission.HOUSEKEEPING)
def _tell_skipped(session: Session, ticket_id: str, resolved_ms: int,
                  unmet: list[str]) -> None:
    ticket = Ticket.get_by_id(ticket_id)
    rule = f"auto_close:{resolved_ms}"
    at = from_millis(resolved_ms) + session.policy.auto_close_grace
    why = "; ".join(unmet)
    _marker_row(session, ticket, rule, "auto_close_skipped", why, at)
    notify(session, ticket, "auto_close_skipped", str(resolved_ms), recipients(ticket),
           f"{ticket.number} was not closed automatically: {why}", at=at)


def _weekly_report(session: Session, now: datetime, result: WatchResult,
                   budget: list[int]) -> datetime | None:
    """Queue the weekly report when its moment passed (once per week and desk; one
    desk of the team sends it); returns the next report's moment."""
    week, following = report_mail.due_report(session, now)
    if week is not None and not result.more and _spend(budget, result):
        queued = report_mail.queue_weekly_report(session, week)
        if queued is not None:
            result.done.append(WatchEntry("weekly_report", week.key, week.due_at,
                                          queued.recipients))
    return following


def housekeeping(session: Session) -> WatchResult:
    """One pass of the watcher (the ``housekeeping`` command)."""
    return watch_pass(session)
