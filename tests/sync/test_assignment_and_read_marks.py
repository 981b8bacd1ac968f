"""The round-robin rotation, people's preferences and notification read marks travel
between desks through the team database."""

from datetime import timedelta

from desk_app.core.permissions import Permission
from desk_app.services.admin import add_technician, change_policy, update_technician
from desk_app.services.intake import log_ticket
from desk_app.services.notifications import mark_read, my_notifications
from desk_app.services.notify import notify
from desk_app.services.preferences import preferences_of, set_preferences
from desk_app.services.session import activity
from desk_app.storage.models import History
from tests.conftest import new_ticket
from tests.sync.conftest import same_as_server, server_copy, synced_copy


def reason_of(ticket):
    return History.get((History.ticket == ticket.id) & (History.field == "assignment")).new


@activity(Permission.HOUSEKEEPING)
def tell(session, ticket):
    return notify(session, ticket, "breach", "100", [session.actor.id], "breached")


def test_rotation_preferences_and_read_marks_sync(clients, team_db):
    office, laptop = clients("amy", role="admin"), clients("laptop", login="amy")
    office.open()
    for login in ("dana", "kim", "lee"):
        add_technician(office.session, login, login.title(), "support", "Service Desk")
    update_technician(office.session, "amy", group="Infrastructure")
    change_policy(office.session, {"assignment": {"groups": {"Service Desk": "round_robin"}}})
    first = log_ticket(office.session, new_ticket())
    assert reason_of(first) == "assigned to dana by round robin; first in the rotation"
    (told,) = tell(office.session, first)
    office.sync()

    laptop.open()
    laptop.sync()
    second = log_ticket(laptop.session, new_ticket())
    assert reason_of(second) == "assigned to kim by round robin; next after dana"
    assert my_notifications(laptop.session).unread == 1
    mark_read(laptop.session, [told])
    # two desks set different preferences of one person before either synced
    set_preferences(laptop.session, "dana", calendar="office")
    laptop.sync()

    office.open()
    set_preferences(office.session, "dana", skills=["Network"])
    office.later()
    office.sync()
    assert my_notifications(office.session).unread == 0  # read on the laptop
    third = log_ticket(office.session, new_ticket(category="Access",
                                                  subcategory="Password reset"))
    assert reason_of(third) == "assigned to lee by round robin; next after kim"
    dana = preferences_of(office.session, "dana")
    assert (dana.calendar, dana.skills) == ("office", ("Network",))
    office.sync()
    laptop.open()
    laptop.sync()
    assert synced_copy() == (office.open() and synced_copy())
    assert same_as_server(synced_copy(), server_copy(team_db))


def test_two_offline_desks_may_pick_the_same_person_and_keep_both_picks(clients):
    office, laptop = clients("amy", role="admin"), clients("laptop", login="amy")
    office.open()
    for login in ("dana", "kim"):
        add_technician(office.session, login, login.title(), "support", "Service Desk")
    update_technician(office.session, "amy", group="Infrastructure")
    change_policy(office.session, {"assignment": {"groups": {"Service Desk": "round_robin"}}})
    office.sync()
    laptop.open()
    laptop.sync()
    on_laptop = log_ticket(laptop.session, new_ticket())
    office.open()
    office.skew += timedelta(seconds=1)  # the office picks later
    on_office = log_ticket(office.session, new_ticket())
    office.sync()
    laptop.open()
    laptop.sync()
    assert reason_of(on_laptop).startswith("assigned to dana")
    assert reason_of(on_office).startswith("assigned to dana")  # the same person, offline
    # the rotation goes on from the newest pick on both desks
    assert reason_of(log_ticket(laptop.session, new_ticket())).startswith("assigned to kim")
