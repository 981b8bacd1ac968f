"""The communications rhythm through the watcher, with an injected clock: "update due"
at the due moment and "update missed" after it, told once per due moment to the
communications role (else the manager), the next moment included so the scheduler
wakes for it, and the final update ending it."""

from datetime import timedelta

import pytest

from desk_app.services import admin
from desk_app.services.intake import log_ticket
from desk_app.services.major_incidents import declare, set_team
from desk_app.services.major_updates import send_update
from desk_app.services.watch import watch_pass
from desk_app.storage.models import History, Notification, Technician
from tests.conftest import new_ticket


@pytest.fixture
def crew(session):
    admin.add_technician(session, "mia", "Mia Major", "incident_manager", None)
    admin.add_technician(session, "cole", "Cole Comms", "support", None)
    return session


def _told() -> list[tuple[str, str, str]]:
    logins = dict(Technician.select(Technician.id, Technician.login).tuples())
    return sorted((n.event, logins[n.technician_id], n.at.strftime("%H:%M"))
                  for n in Notification.select().where(
                      Notification.event.startswith("major_update")))


def _rhythm_rules(result) -> list[tuple[str, str]]:
    return [(e.rule, e.at.strftime("%H:%M")) for e in result.done
            if e.rule.startswith("update_")]


def test_due_and_missed_at_their_moments_once_to_the_communications_role(crew, clock):
    start = clock()  # 09:00 London (UTC in November)
    number = log_ticket(crew, new_ticket(impact="low", urgency="low")).number
    declare(crew, number, manager="mia", reason="Mail down", team={"cole": "communications"})
    admin.change_policy(crew, {"major_procedure": {"updates": {
        "P4": {"first": "15m", "every": "30m"}}, "missed_after": "5m"}})

    result = watch_pass(crew)
    assert _rhythm_rules(result) == []
    assert result.next_due <= start + timedelta(minutes=15)

    clock.advance(minutes=15)  # the first update is due now
    result = watch_pass(crew)
    assert _rhythm_rules(result) == [("update_due", "09:15")]
    assert watch_pass(crew).done == []  # once
    assert _told() == [("major_update_due", "cole", "09:15")]
    assert watch_pass(crew).next_due <= start + timedelta(minutes=20)

    clock.advance(minutes=7)  # missed since 09:20; a desk that was off records it then
    result = watch_pass(crew)
    assert _rhythm_rules(result) == [("update_missed", "09:20")]
    assert _told()[-1] == ("major_update_missed", "cole", "09:20")

    send_update(crew, number, "Investigating", "No mail", "Restarting relays", "Webmail",
                clock() + timedelta(minutes=20))  # promised sooner than the rhythm's 30
    clock.advance(minutes=20)
    assert _rhythm_rules(watch_pass(crew)) == [("update_due", "09:42")]
    markers = [h.field for h in History.select().where(History.field.startswith(
        "major_update_"))]
    assert sorted(markers) == ["major_update_due", "major_update_due", "major_update_missed"]

    send_update(crew, number, "Resolved", "None", "Relays replaced", "Not needed", None,
                final=True)
    clock.advance(hours=5)
    assert _rhythm_rules(watch_pass(crew)) == []  # the final update closed the rhythm


def test_without_a_communications_role_the_manager_is_told(crew, clock):
    number = log_ticket(crew, new_ticket(impact="low", urgency="low")).number
    declare(crew, number, manager="mia", reason="Mail down", team={"cole": "resolver"})
    clock.advance(minutes=30)  # P4 uses the P2 rhythm by default: first within 30 min
    watch_pass(crew)
    assert _told() == [("major_update_due", "mia", "09:30")]
    set_team(crew, number, {"cole": "communications"})
    clock.advance(minutes=5)
    watch_pass(crew)
    assert _told()[-1] == ("major_update_missed", "cole", "09:35")


def test_bad_rhythm_policy_is_refused_naming_the_key(crew):
    from desk_app.core.errors import InvalidValue

    for section, key in (({"updates": {"P1": {"first": "soon", "every": "30m"}}},
                          "major_procedure.updates.P1.first"),
                         ({"updates": {"P9": {"first": "5m", "every": "30m"}}},
                          "major_procedure.updates"),
                         ({"missed_after": "3bd"}, "major_procedure.missed_after"),
                         ({"final_update_on_resolve": "maybe"},
                          "major_procedure.final_update_on_resolve")):
        with pytest.raises(InvalidValue) as refused:
            admin.change_policy(crew, {"major_procedure": section})
        assert refused.value.field.startswith(f"policy {key}"), refused.value
