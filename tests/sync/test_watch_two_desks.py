"""Two desks that both watch the same ticket, offline, then sync: one of each entry the
watcher makes (breaches, warnings, escalations, their notes and notifications)."""

from collections import Counter
from datetime import timedelta

from desk_app.services import workflow
from desk_app.services.watch import watch_pass
from desk_app.storage.database import database
from tests.sync.conftest import each_desk, sync_all
from tests.sync.test_merge_units import _history, _two_desks


def _notifications() -> Counter:
    return Counter(database.execute_sql(
        "SELECT event, technician_id, text FROM notification").fetchall())


def test_two_desks_watching_one_ticket_make_one_of_each_entry(clients, team_db):
    amy, ben, number = _two_desks(clients, impact="high", urgency="high")  # 15 min / 4 h
    amy.open()
    workflow.assign(amy.session, number, technician="amy")
    amy.sync()
    ben.open()
    ben.sync()
    for skew in (timedelta(minutes=12), timedelta(hours=5)):  # the warning, then the rest
        for desk in (amy, ben):
            desk.skew = skew
            desk.open()
            assert watch_pass(desk.session).done, desk.name
            desk.later()
    sync_all(amy, ben)
    for _ in each_desk(team_db, amy, ben):
        for field in ("response_breached", "resolution_breached", "sla_warning"):
            assert len(_history(number, field)) == 1, field
        assert len(_history(number, "hierarchic_level")) == 3
        notes = database.execute_sql(
            "SELECT COUNT(*) FROM worklog WHERE note LIKE 'Escalated to management%'"
        ).fetchone()[0]
        assert notes == 3
        told = _notifications()
        assert told and set(told.values()) == {1}
        # a P1 is a major incident: its update due and missed are told once too
        assert Counter(event for event, _, _ in told) == {
            "warning": 1, "breach": 2, "major_update_due": 1, "major_update_missed": 1}
