import json

from desk_app.core.notice_ids import notification_id
from desk_app.core.permissions import Permission
from desk_app.services.intake import log_ticket
from desk_app.services.notify import notify
from desk_app.services.session import activity
from desk_app.storage.models import Notification, Outbox

from ..conftest import new_ticket


@activity(Permission.HOUSEKEEPING)
def _tell(session, ticket, who):
    return notify(session, ticket, "warning", "75", who, f"{ticket.number} is at 75 %")


def test_a_notification_is_recorded_once_per_person_and_queued_for_sync(session):
    ticket = log_ticket(session, new_ticket())
    made = _tell(session, ticket, ["tech-b", "tech-a", "tech-a", ""])
    assert made == [notification_id(ticket.id, "warning", "75", "tech-a"),
                    notification_id(ticket.id, "warning", "75", "tech-b")]
    assert _tell(session, ticket, ["tech-a", "tech-b"]) == []  # noticed again: nothing new
    rows = list(Notification.select().order_by(Notification.technician_id).dicts())
    assert [(r["technician_id"], r["event"], r["text"]) for r in rows] == [
        ("tech-a", "warning", f"{ticket.number} is at 75 %"),
        ("tech-b", "warning", f"{ticket.number} is at 75 %")]
    queued = Outbox.select().where(Outbox.entity == "notification")
    assert [(o.row_id, sorted(json.loads(o.value))) for o in queued] == [
        (ticket.id, sorted(made))]
