"""A ticket as the plain data the CLI prints, exports write and the UI shows."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.checklists import LOGGING_LABELS, closure_checklist
from desk_app.core.enums import TicketType
from desk_app.core.policy import Policy
from desk_app.core.problems import problem_status
from desk_app.core.sla_clock import SlaClock
from desk_app.services.classification import CATEGORISATION
from desk_app.services.problems import incident_rows
from desk_app.services.session import Session, reads
from desk_app.services.sla_clock import ticket_sla_state
from desk_app.services.workflow import closure_facts
from desk_app.storage.authorship import recorded_authors, ticket_authors
from desk_app.storage.models import (
    ChecklistTick,
    History,
    KnowledgeArticle,
    Link,
    Ticket,
    Worklog,
)


def iso(moment: datetime | None, zone: ZoneInfo, timespec: str = "seconds") -> str | None:
    """ISO 8601 with the offset of the team's time zone."""
    return None if moment is None else moment.astimezone(zone).isoformat(timespec=timespec)


def _clock(clock: SlaClock, zone: ZoneInfo) -> dict[str, Any]:
    # to the millisecond: the live countdown decides "breached" from it as stored
    return {"due": iso(clock.due, zone, "milliseconds"), "percent": clock.percent,
            "met_at": iso(clock.met_at, zone), "running": clock.running,
            "paused": clock.paused, "warning": clock.warning, "breached": clock.breached}


def sla_view(ticket: Ticket, policy: Policy, now: datetime) -> dict[str, Any]:
    """Both SLA clocks of a ticket, plus the flat summary fields."""
    zone = ZoneInfo(policy.time_zone)
    state = ticket_sla_state(ticket, policy, now)
    return {
        "response_due": iso(state.response.due, zone),
        "resolution_due": iso(state.resolution.due, zone),
        "paused": state.resolution.paused,
        "warning": state.response.warning or state.resolution.warning,
        "breached": state.response.breached or state.resolution.breached,
        "response_breach_recorded": ticket.response_breached,
        "resolution_breach_recorded": ticket.resolution_breached,
        "response": _clock(state.response, zone),
        "resolution": _clock(state.resolution, zone),
        "stopped_since": iso(ticket.sla_stopped_since, zone),
        "stopped_ms": ticket.sla_stopped_ms,
    }


@reads
def ticket_view(session: Session, ticket: Ticket, detail: bool = True) -> dict[str, Any]:
    """The ticket as JSON-ready data; ``detail`` adds checklists, links, history, worklog."""
    policy = session.policy
    zone = ZoneInfo(policy.time_zone)
    now = session.now()
    logged, resolved = ticket_authors(ticket.id)
    resolved = resolved if ticket.resolved_by else None
    data: dict[str, Any] = {
        "id": ticket.id,
        "number": ticket.number,
        "type": ticket.type,
        "status": ticket.status,
        "hold_reason": ticket.hold_reason,
        "priority": ticket.priority,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "major": ticket.major,
        "summary": ticket.summary,
        "description": ticket.description,
        "category": ticket.category,
        "subcategory": ticket.subcategory,
        "service": ticket.service,
        "ci": ticket.ci,
        "group": ticket.group.name if ticket.group_id else None,
        "support_level": ticket.support_level,
        "hierarchic_level": ticket.hierarchic_level,
        "management_level": policy.hierarchic.level_name(ticket.hierarchic_level)
        if ticket.hierarchic_level <= len(policy.hierarchic.levels) else None,
        "assignee": ticket.assignee.login if ticket.assignee_id else None,
        "reporter": ticket.reporter,
        "contact": ticket.contact,
        "no_email": bool(ticket.no_email),
        "channel": ticket.channel,
        "detected_at": iso(ticket.detected_at, zone),
        "logged_at": iso(ticket.logged_at, zone),
        "logged_by": logged or ticket.logged_by,
        "responded_at": iso(ticket.responded_at, zone),
        "resolved_at": iso(ticket.resolved_at, zone),
        "closed_at": iso(ticket.closed_at, zone),
        "updated_at": iso(ticket.updated_at, zone),
        "reopen_count": ticket.reopen_count,
        "reassignment_count": ticket.reassignment_count,
        "escalation_count": ticket.escalation_count,
        "resolution_type": ticket.resolution_type,
        "resolution_code": ticket.resolution_code,
        "resolution_notes": ticket.resolution_notes,
        "resolved_by": resolved or ticket.resolved_by,
        "may_recur": ticket.may_recur,
        "confirmation": ticket.confirmation,
        "problem_decision": ticket.problem_decision,
        "knowledge": ticket.knowledge,
        "cancel_reason": ticket.cancel_reason,
        "problem": ticket.problem.number if ticket.problem_id else None,
        "parent": ticket.parent.number if ticket.parent_id else None,
        "rfc": ticket.rfc,
        "problem_reason": ticket.problem_reason,
        "article": _article_number(ticket.article_id),
        "sla": sla_view(ticket, policy, now),
        "satisfaction": _satisfaction(ticket, zone),
    }
    if ticket.type == TicketType.PROBLEM:
        data |= {"problem_status": problem_status(ticket.problem_status).value,
                 "root_cause": ticket.root_cause, "workaround": ticket.workaround,
                 "incidents": incident_rows(ticket)}
    data |= _claims({"logged_by": (ticket.logged_by, logged),
                     "resolved_by": (ticket.resolved_by, resolved)})
    if detail:
        data |= _detail(session, ticket, zone)
    return data


def _satisfaction(ticket: Ticket, zone: ZoneInfo) -> dict[str, Any] | None:
    """The user's answer (score, comment, source, when), or None."""
    if ticket.satisfaction_score is None:
        return None
    return {"score": ticket.satisfaction_score, "comment": ticket.satisfaction_comment,
            "source": ticket.satisfaction_source, "at": iso(ticket.satisfaction_at, zone)}


def _article_number(article_id: str | None) -> str | None:
    if article_id is None:
        return None
    row = KnowledgeArticle.select(KnowledgeArticle.number) \
        .where(KnowledgeArticle.id == article_id).tuples().first()
    return row[0] if row else None


def _claims(pairs: dict[str, tuple[str | None, str | None]]) -> dict[str, Any]:
    """``claimed_<name>`` for each author the row claims that differs from the one the
    team database recorded (the recorded one is what is shown)."""
    return {f"claimed_{name}": claimed for name, (claimed, recorded) in pairs.items()
            if recorded and claimed and claimed != recorded}


def _entry(row: Any, authors: dict[str, str], **values: Any) -> dict[str, Any]:
    """An appended row's data: "by" is the recorded author, "claimed_by" what the row
    says when that differs."""
    recorded = authors.get(row.id)
    return {**values, "by": recorded or row.by,
            **_claims({"by": (row.by, recorded)})}


def _detail(session: Session, ticket: Ticket, zone: ZoneInfo) -> dict[str, Any]:
    policy = session.policy
    ticks = {t.item: t for t in ChecklistTick.select().where(
        (ChecklistTick.ticket == ticket.id) & (ChecklistTick.checklist == CATEGORISATION))}
    tick_authors = recorded_authors("checklist_tick", [t.id for t in ticks.values()])
    values = {name: getattr(ticket, name) for name in LOGGING_LABELS}
    categorisation = [
        _entry(ticks[item], tick_authors, item=item, done=True, at=iso(ticks[item].at, zone),
               id=ticks[item].id) if item in ticks else
        {"item": item, "done": False, "by": None, "at": None, "id": None}
        for item in policy.categorisation_items(ticket.category)]
    categorisation += [  # ticks of items a later policy or category no longer lists
        _entry(t, tick_authors, item=t.item, done=True, at=iso(t.at, zone), id=t.id)
        for item, t in ticks.items()
        if item not in policy.categorisation_items(ticket.category)]
    links = list(Link.select().where(Link.ticket == ticket.id).order_by(Link.at))
    history = list(History.select().where(History.ticket == ticket.id)
                   .order_by(History.at, History.id))
    worklog = list(Worklog.select().where(Worklog.ticket == ticket.id)
                   .order_by(Worklog.at, Worklog.id))
    link_authors = recorded_authors("link", [r.id for r in links])
    history_authors = recorded_authors("history", [r.id for r in history])
    worklog_authors = recorded_authors("worklog", [r.id for r in worklog])
    return {
        "checklists": {
            "logging": [{"item": LOGGING_LABELS[name], "field": name,
                         "done": values[name] not in (None, "")}
                        for name in policy.logging_checklist],
            "categorisation": categorisation,
            "closure": [{"item": key, "label": label, "done": ok} for key, label, ok in
                        closure_checklist(closure_facts(ticket, session),
                                          policy.closure_checklist)],
        },
        "links": [_entry(link, link_authors, id=link.id, kind=link.kind,
                         number=link.target.number, at=iso(link.at, zone))
                  for link in links],
        "linked_from": [{"kind": link.kind, "number": link.ticket.number}
                        for link in Link.select().where(Link.target == ticket.id)
                        .order_by(Link.at)],
        "history": [_entry(h, history_authors, id=h.id, at=iso(h.at, zone), field=h.field,
                           old=h.old, new=h.new) for h in history],
        "worklog": [_entry(w, worklog_authors, id=w.id, at=iso(w.at, zone), kind=w.kind,
                           note=w.note, minutes=w.minutes) for w in worklog],
    }
