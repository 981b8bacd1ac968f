"""Correcting what was logged: summary, description, service, CI, reporter, contact."""

from desk_app.core.errors import InvalidValue, MissingFields
from desk_app.core.permissions import Permission
from desk_app.services.recording import TicketEdit
from desk_app.services.session import Session, activity
from desk_app.services.sla_clock import replan_for_service
from desk_app.storage.models import Ticket

EDITABLE_DETAILS = ("summary", "description", "service", "ci", "reporter", "contact")
EDITABLE_SWITCHES = ("no_email",)  # yes/no: "do not email the reporter"
SWITCHES = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}


@activity(Permission.EDIT_DETAILS)
def update_details(session: Session, number: str, changes: dict[str, str]) -> Ticket:
    """Change logged details of an open ticket; each change gets its history row.
    Fields on the logging checklist may not be emptied."""
    unknown = [name for name in changes
               if name not in EDITABLE_DETAILS and name not in EDITABLE_SWITCHES]
    if unknown:
        raise InvalidValue(unknown[0], "cannot be edited here; editable: "
                           + ", ".join(EDITABLE_DETAILS + EDITABLE_SWITCHES))
    cleaned = {name: (value or "").strip() if isinstance(value, str | None) else value
               for name, value in changes.items()}
    if "no_email" in cleaned:
        cleaned["no_email"] = _switch("no_email", cleaned["no_email"])
    required = set(session.policy.logging_checklist) | {"summary"}
    emptied = [name for name, value in cleaned.items() if not value and name in required]
    if emptied:
        raise MissingFields(emptied, "required by the logging checklist: "
                            + ", ".join(emptied))
    if len(cleaned.get("summary", "")) > 200:
        raise InvalidValue("summary", "at most 200 characters; put the rest in the description")
    # here, not at import: the window's ticket pane reads EDITABLE_DETAILS before its
    # first paint; workflow brings routing, mail and knowledge, catalogue its queries
    from desk_app.services.workflow import open_ticket

    ticket = open_ticket(number)
    _apply_catalogue(session, ticket, cleaned)
    old_service = ticket.service
    edit = TicketEdit(session, ticket)
    for name, value in cleaned.items():
        edit.set(name, value if name in ("summary", "description", "no_email")
                 else value or None)
    if "service" in edit.changes:
        replan_for_service(edit, session.policy, old_service, session.now())
    return edit.save()


def _apply_catalogue(session: Session, ticket: Ticket, cleaned: dict[str, str]) -> None:
    """Spell a changed service or CI as the catalogue does, refuse one it lacks when the
    policy says so, and fill an empty service from a new CI's."""
    changing = tuple(name for name in ("service", "ci") if name in cleaned)
    if not changing:
        return
    from desk_app.services.catalogue import catalogue_values  # see update_details

    found = catalogue_values(session, cleaned.get("service", ticket.service),
                             cleaned.get("ci", ticket.ci), changing)
    for name in changing:
        cleaned[name] = found[name] or ""
    if "service" not in cleaned and not ticket.service and found["service"]:
        cleaned["service"] = found["service"]


def _switch(field: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in SWITCHES:
        raise InvalidValue(field, f"must be yes or no, not {value!r}")
    return SWITCHES[text]
