import json

import pytest

from desk_app.core.errors import NotFound
from desk_app.core.notice_ids import read_mark_id
from desk_app.core.permissions import Permission
from desk_app.services.admin import add_technician
from desk_app.services.intake import log_ticket
from desk_app.services.notifications import mark_all_read, mark_read, my_notifications
from desk_app.services.notify import notify
from desk_app.services.preferences import set_preferences
from desk_app.services.session import Session, activity
from desk_app.storage.models import NotificationRead, Outbox, Technician

from ..conftest import new_ticket


@activity(Permission.HOUSEKEEPING)
def tell(session, ticket, event, key, who):
    return notify(session, ticket, event, key, who, f"{ticket.number}: {event}")


@pytest.fixture
def dana(session):
    person = add_technician(session, "dana", "Dana", "support", "Network Support")
    return Session(person, session.now_fn)


def test_my_list_is_newest_first_with_the_unread_count(session, dana, clock):
    ticket = log_ticket(session, new_ticket())
    me = Technician.get(Technician.login == "dana").id
    tell(session, ticket, "warning", "75", [me])
    clock.advance(minutes=5)
    tell(session, ticket, "breach", "100", [me, session.technician_id])
    mine = my_notifications(dana)
    assert [(i.event, i.read) for i in mine.items] == [("breach", False), ("warning", False)]
    assert mine.unread == 2 and mine.items[0].number == ticket.number
    assert mark_read(dana, [mine.items[1].id]) == 1
    assert mark_read(dana, [mine.items[1].id]) == 0  # already read
    after = my_notifications(dana)
    assert after.unread == 1 and [i.read for i in after.items] == [False, True]
    assert [i.event for i in my_notifications(dana, unread_only=True).items] == ["breach"]
    assert mark_all_read(dana) == 1 and my_notifications(dana).unread == 0


def test_a_read_mark_has_the_shared_id_and_is_queued_for_sync(session, dana):
    ticket = log_ticket(session, new_ticket())
    (made,) = tell(session, ticket, "warning", "75", [dana.technician_id])
    mark_read(dana, [made])
    assert [m.id for m in NotificationRead.select()] == [read_mark_id(made)]
    queued = Outbox.get(Outbox.entity == "notification_read")
    assert (queued.row_id, json.loads(queued.value)) == (ticket.id, [read_mark_id(made)])


def test_someone_elses_notification_cannot_be_marked(session, dana):
    ticket = log_ticket(session, new_ticket())
    (alices,) = tell(session, ticket, "warning", "75", [session.technician_id])
    with pytest.raises(NotFound) as refused:
        mark_read(dana, [alices])
    assert refused.value.field == "notification"
    assert NotificationRead.select().count() == 0


def test_turned_off_events_are_not_listed(session, dana):
    ticket = log_ticket(session, new_ticket())
    tell(session, ticket, "warning", "75", [dana.technician_id])
    tell(session, ticket, "breach", "100", [dana.technician_id])
    set_preferences(dana, events_off=["warning"])
    mine = my_notifications(dana)
    assert [i.event for i in mine.items] == ["breach"] and mine.unread == 1


def test_quiet_hours_stop_pop_ups_but_not_the_list(session, dana, clock):
    ticket = log_ticket(session, new_ticket())
    tell(session, ticket, "breach", "100", [dana.technician_id])
    set_preferences(dana, quiet_hours="22:00-07:00")
    assert len(my_notifications(dana).pop_ups) == 1  # 09:00
    clock.current = clock().replace(hour=23)
    late = my_notifications(dana)
    assert late.quiet and late.pop_ups == () and late.unread == 1


def test_the_badge_counts_my_breached_open_tickets(session, clock):
    from desk_app.services.workflow import assign

    ticket = log_ticket(session, new_ticket(impact="high", urgency="high"))  # P1: 4 h
    assign(session, ticket.number, technician="alice")
    assert my_notifications(session).breaching == 0
    clock.advance(hours=5)
    assert my_notifications(session).breaching == 1
