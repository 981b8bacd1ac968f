"""A major incident's review written on two desks offline, merged through a real
PostgreSQL team database: both desks start the same review (one row), write different
sections and add their own corrective actions, and every desk ends with all of it."""

from datetime import date, timedelta

from desk_app.services import major_review
from desk_app.services.intake import log_ticket
from desk_app.storage.database import database
from tests.conftest import new_ticket
from tests.sync.conftest import each_desk, sync_all


def test_two_desks_write_different_sections_and_actions_and_converge(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    number = log_ticket(amy.session, new_ticket(impact="high", urgency="high")).number  # P1
    amy.sync()
    ben.open()
    ben.sync()
    due = (date.today() + timedelta(days=10)).isoformat()
    amy.open()
    major_review.edit_review(amy.session, number, detection="Found by the VPN monitor")
    first = major_review.add_action(amy.session, number, "Add a synthetic check", "amy", due)
    amy.later()
    ben.open()
    major_review.edit_review(ben.session, number, communication="Mail every 30 minutes")
    second = major_review.add_action(ben.session, number, "Runbook for the vendor", "ben", due)
    sync_all(amy, ben)
    for desk in each_desk(team_db, amy, ben):
        view = major_review.review_view(desk.session, number)
        assert view["sections"]["detection"] == "Found by the VPN monitor", desk.name
        assert view["sections"]["communication"] == "Mail every 30 minutes", desk.name
        assert {a["id"] for a in view["actions"]} == {first.id, second.id}
        assert database.execute_sql("SELECT COUNT(*) FROM major_review").fetchone()[0] == 1

    # offline again: amy marks ben's action done while ben moves its due date
    later = (date.today() + timedelta(days=20)).isoformat()
    ref = major_review.action_ref(second.id)
    amy.open()
    major_review.mark_action_done(amy.session, number, ref)
    amy.later()
    ben.open()
    major_review.edit_action(ben.session, number, ref, due=later)
    sync_all(amy, ben)
    for desk in each_desk(team_db, amy, ben):
        action = next(a for a in major_review.review_view(desk.session, number)["actions"]
                      if a["id"] == second.id)
        assert (action["status"], action["done_by"], action["due"]) == ("done", "amy", later)
