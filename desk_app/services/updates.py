"""What the ticket pane saves in one step, each as one activity: the composer's note with
time spent and a status change, and the Details' edited fields with the category."""

from desk_app.core.enums import Status
from desk_app.core.errors import InvalidValue
from desk_app.core.permissions import Permission
from desk_app.services import classification, workflow
from desk_app.services.details import update_details
from desk_app.services.lookup import ticket_by_number
from desk_app.services.session import Session, activity
from desk_app.services.worklog import add_worklog
from desk_app.storage.models import Ticket, Worklog

# what an update may do to the status along with its note
UPDATE_STATUSES = (Status.IN_PROGRESS.value, Status.ON_HOLD.value)


@activity(Permission.WORKLOG)
def add_update(session: Session, number: str, note: str, minutes: int = 0,
               kind: str = "note", status: str | None = None,
               hold_reason: str | None = None) -> Worklog:
    """Add a worklog note with time spent and, in the same transaction, move the ticket
    to ``in_progress`` (start work, or resume from hold) or ``on_hold`` (``hold_reason``
    says why). The status change is the lifecycle's own activity and refuses as it does;
    a refusal changes nothing, the note included."""
    if status and status not in UPDATE_STATUSES:
        raise InvalidValue("status", "may be " + " or ".join(UPDATE_STATUSES)
                           + " along with a note")
    if status == "on_hold" and not hold_reason:
        raise InvalidValue("hold_reason", "is needed to put a ticket on hold")
    entry = add_worklog(session, number, note, kind, minutes)
    current = ticket_by_number(number).status
    if status == "in_progress" and current == Status.ON_HOLD:
        workflow.resume(session, number)
    elif status == "in_progress" and current != Status.IN_PROGRESS:
        workflow.start_work(session, number)
    elif status == "on_hold":
        workflow.hold(session, number, hold_reason or "")
    return entry


@activity(Permission.EDIT_DETAILS)
def save_edits(session: Session, number: str, changes: dict[str, str],
               category: tuple[str, str | None] | None = None) -> Ticket:
    """Save what was edited in a ticket's Details (the fields, and the category with its
    subcategory when ``category`` is given) together: all of it or, refused, nothing."""
    if not changes and category is None:
        raise InvalidValue("details", "nothing was changed")
    saved = [update_details(session, number, changes)] if changes else []
    if category is not None:
        saved.append(classification.categorise(session, number, category[0], category[1]))
    return saved[-1]
