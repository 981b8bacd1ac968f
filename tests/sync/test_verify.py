"""Verification next to a window that keeps working: rows added while the sync checks
are pending, not differences (they once made the check fail after a full resync)."""

from desk_app.services.intake import log_ticket
from desk_app.services.worklog import add_worklog
from desk_app.storage.meta import device_id
from desk_app.sync.engine import _cursor
from desk_app.sync.remote import connect
from desk_app.sync.verify import verify
from tests.conftest import new_ticket


def test_work_done_between_the_checks_reads_is_not_a_difference(clients, team_db):
    amy = clients("amy")
    amy.open()
    ticket = log_ticket(amy.session, new_ticket())
    amy.sync()
    steps = []

    def window_keeps_working(step):
        """The database owner runs the sync's steps; between two of them a person adds
        a worklog entry in the window."""
        steps.append(step)
        if len(steps) == 2:
            add_worklog(amy.session, ticket.number, "Typed while the sync checked", minutes=1)
        return step()

    with connect(team_db.settings("tech_kim")) as conn:
        result = verify(conn, {("ticket", ticket.id)}, device_id(), _cursor(),
                        window_keeps_working)
    assert len(steps) >= 2
    assert result.matches, result.mismatched()
    assert amy.sync().repaired is False
