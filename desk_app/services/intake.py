"""Logging: every channel into one time-stamped record that passes the logging checklist."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from desk_app.core.catalogue import service_major_reason, service_sla
from desk_app.core.checklists import LOGGING_LABELS, missing_logging_items
from desk_app.core.enums import Channel, Level, Status, SupportLevel, TicketType, parse_enum
from desk_app.core.errors import InvalidValue, MissingFields
from desk_app.core.permissions import Permission, allowed
from desk_app.core.validation import (
    LABEL_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    check_length,
    checked_moment,
)
from desk_app.services import mail_out
from desk_app.services.assignment import route_new_ticket
from desk_app.services.catalogue import catalogue_values, implied_service, service_terms
from desk_app.services.lookup import group_by_name
from desk_app.services.recording import record_new_ticket
from desk_app.services.session import Session, activity, reads
from desk_app.storage.catalogue_queries import related_by_catalogue
from desk_app.storage.models import Ticket
from desk_app.storage.numbering import issue_number
from desk_app.storage.ticket_queries import search_ranked


@dataclass
class NewTicket:
    """What the person logging a ticket fills in."""

    summary: str = ""
    description: str = ""
    reporter: str = ""
    contact: str = ""
    channel: str = ""
    service: str = ""
    impact: str = ""
    urgency: str = ""
    detected_at: datetime | None = None
    ci: str | None = None
    category: str | None = None
    subcategory: str | None = None
    type: str = TicketType.INCIDENT.value
    major: bool = False  # declare a major incident as it is logged
    searched_knowledge: bool = False  # the form showed suggestions (known errors searched)
    solved_by: tuple[str, str] | None = None  # (kind, id) of the suggestion that solved it


@dataclass(frozen=True)
class LoggingPreview:
    """What the logging form shows before saving: the priority the impact and urgency
    give, the SLA due times it implies if logged now, and the major-incident criteria
    the ticket meets."""

    priority: str
    response_due: datetime
    resolution_due: datetime
    major_reasons: tuple[str, ...]
    automatic_major: bool  # the priority alone makes it major: it is declared on logging
    may_declare_major: bool


def validate_new_ticket(session: Session, form: NewTicket) -> dict:
    """Check ``form`` against the logging checklist and the policy; return clean values.

    Refuses with every missing field named at once, so a form can mark them all.
    """
    policy = session.policy
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in vars(form).items()}
    if values["ci"] and not values["service"]:
        values["service"] = implied_service(values["ci"])
    missing = missing_logging_items(values, policy.logging_checklist)
    if missing:
        raise MissingFields(missing, "logging checklist: missing "
                            + ", ".join(LOGGING_LABELS[m] for m in missing))
    ticket_type = parse_enum(TicketType, "type", values["type"])
    impact = parse_enum(Level, "impact", values["impact"]) if values["impact"] else Level.MEDIUM
    urgency = (parse_enum(Level, "urgency", values["urgency"])
               if values["urgency"] else Level.MEDIUM)
    channel = parse_enum(Channel, "channel", values["channel"]) if values["channel"] else None
    detected_at = values["detected_at"]
    if detected_at is not None:
        checked_moment("detected_at", detected_at)
        if detected_at > session.now():
            raise InvalidValue("detected_at", "is in the future")
    policy.check_category(values["category"], values["subcategory"])
    if len(values["summary"]) > SUMMARY_MAX:
        raise InvalidValue("summary", f"at most {SUMMARY_MAX} characters; put the rest in "
                           "the description")
    check_length("description", values["description"], TEXT_MAX)
    for name in ("reporter", "contact", "service", "ci", "category", "subcategory"):
        check_length(name, values[name], LABEL_MAX)
    values |= catalogue_values(session, values["service"], values["ci"])
    if values["major"]:
        if ticket_type != TicketType.INCIDENT:
            raise InvalidValue("major", "only incidents can be major incidents")
        session.require(Permission.DECLARE_MAJOR)
    return values | {"type": ticket_type, "impact": impact, "urgency": urgency,
                     "channel": channel}


@reads
def preview_logging(session: Session, impact: str, urgency: str, service: str = "",
                    ticket_type: str = TicketType.INCIDENT.value) -> LoggingPreview:
    """Priority, due times and major-incident criteria for a form not yet saved."""
    policy = session.policy
    priority = policy.matrix.priority(parse_enum(Level, "impact", impact or "medium"),
                                      parse_enum(Level, "urgency", urgency or "medium"))
    zone = ZoneInfo(policy.time_zone)
    now = session.now()
    is_incident = parse_enum(TicketType, "type", ticket_type) == TicketType.INCIDENT
    terms = service_terms(service.strip())
    own = service_major_reason(terms, priority)
    reasons = (tuple(policy.major_incident_reasons(priority, service)) + ((own,) if own else ())
               if is_incident else ())
    sla = service_sla(policy.sla, terms, policy.calendars)
    return LoggingPreview(priority,
                          sla.response_due(priority, now).astimezone(zone),
                          sla.resolution_due(priority, now).astimezone(zone),
                          reasons, is_incident and (priority in policy.major_priorities
                                                    or own is not None),
                          session.active and allowed(session.role, Permission.DECLARE_MAJOR))


@activity(Permission.LOG)
def log_ticket(session: Session, form: NewTicket) -> Ticket:
    """Log a new incident, service request or problem; returns the new ticket. The
    reporter is told its number and targets (:func:`mail_out.queue_mail`); a group
    with automatic assignment assigns it (:func:`route_new_ticket`). When the form
    showed suggestions, "Searched known errors" is ticked on it; a suggestion that
    solved it is recorded ("this solved it")."""
    ticket = route_new_ticket(session, create_ticket(session, validate_new_ticket(session, form)))
    if form.searched_knowledge or form.solved_by:
        from desk_app.services.diagnosis import record_solution, tick_searched

        tick_searched(session, ticket)
        if form.solved_by:
            record_solution(session, ticket, *form.solved_by)
    mail_out.queue_mail(session, ticket, "logged", "logged")
    return ticket


def suggest_related(session: Session, text: str, limit: int = 5, ci: str = "",
                    service: str = "") -> list[dict]:
    """Open tickets a person logging a new one should look at before creating a
    duplicate: those on the same CI first, then on the same service (newest first),
    then those whose text looks like ``text`` (best match first)."""
    del session
    found: list[dict] = []
    seen: set[str] = set()
    for column, value in (("ci", ci), ("service", service)):
        if value and value.strip() and len(found) < limit:
            for row in related_by_catalogue(column, value.strip(), seen, limit - len(found)):
                found.append(row | {"why": f"same {'CI' if column == 'ci' else column}"})
                seen.add(row["id"])
    if len(found) < limit and any(ch.isalnum() for ch in text or ""):
        for row in search_ranked(text, limit=limit + len(seen), any_word=True,
                                 open_only=True):
            if row["id"] not in seen and len(found) < limit:
                found.append(row | {"why": "similar text"})
                seen.add(row["id"])
    return found


def derived_ticket(session: Session, source: Ticket, ticket_type: TicketType,
                   **overrides: object) -> Ticket:
    """A ticket made from an existing one (a recurrence, a problem record), inside the
    running activity. The source passed its own logging long ago, or came from an
    import with other categories: the checks meant for a person filling in the logging
    form are not applied again."""
    values = {
        "type": ticket_type, "impact": Level(source.impact), "urgency": Level(source.urgency),
        "channel": Channel(source.channel) if source.channel else None,
        "summary": source.summary, "description": source.description,
        "category": source.category, "subcategory": source.subcategory,
        "service": source.service, "ci": source.ci, "reporter": source.reporter,
        "contact": source.contact, "detected_at": session.now(),
    }
    return create_ticket(session, values | overrides)


def create_ticket(session: Session, values: dict) -> Ticket:
    """Write a new ticket from checked values: number, priority, routing, SLA due times."""
    policy = session.policy
    at = session.now()
    priority = policy.matrix.priority(values["impact"], values["urgency"])
    terms = service_terms(values["service"])
    sla = service_sla(policy.sla, terms, policy.calendars)
    group = group_by_name(policy.functional.group_for(values["category"], SupportLevel.L1))
    given_id = {"id": values["id"]} if values.get("id") else {}  # a rule's deterministic id
    return record_new_ticket(session, given_id | {
        "number": issue_number(values["type"].prefix),
        "type": values["type"].value,
        "status": Status.NEW.value,
        "impact": values["impact"].value,
        "urgency": values["urgency"].value,
        "priority": priority,
        "major": values["type"] == TicketType.INCIDENT and (
            priority in policy.major_priorities or bool(values.get("major"))
            or service_major_reason(terms, priority) is not None),
        "summary": values["summary"],
        "description": values["description"],
        "category": values["category"] or None,
        "subcategory": values["subcategory"] or None,
        "service": values["service"] or None,
        "ci": values["ci"] or None,
        "group": group,
        "support_level": SupportLevel.L1.value,
        "reporter": values["reporter"] or None,
        "contact": values["contact"] or None,
        "channel": values["channel"].value if values["channel"] else None,
        "detected_at": values["detected_at"],
        "logged_at": at,
        "logged_by": session.login,
        "updated_at": at,
        "response_due": sla.response_due(priority, at),
        "resolution_due": sla.resolution_due(priority, at),
    })

