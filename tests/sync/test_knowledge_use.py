""""This solved it" rows sync as rows of their ticket: two desks that record the same
solution offline end with one row; different solutions are both kept."""

from desk_app.services import workflow
from desk_app.services.diagnosis import this_solved_it
from desk_app.services.intake import log_ticket
from desk_app.storage.models import KnowledgeUse
from tests.conftest import new_ticket
from tests.sync.conftest import same_as_server, server_copy, synced_copy


def test_the_same_solution_recorded_on_two_desks_is_one_row(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    old = log_ticket(amy.session, new_ticket(summary="Printer jams")).number
    workflow.resolve(amy.session, old, "permanent", "solved", "Replaced the roller")
    other = log_ticket(amy.session, new_ticket(summary="Printer offline")).number
    workflow.resolve(amy.session, other, "permanent", "solved", "Power-cycled it")
    new = log_ticket(amy.session, new_ticket(summary="Printer jams again")).number
    amy.sync()
    ben.open()
    ben.sync()

    amy.open()  # offline on both desks
    this_solved_it(amy.session, new, "ticket", old)
    amy.later()
    ben.open()
    this_solved_it(ben.session, new, "ticket", old)
    this_solved_it(ben.session, new, "ticket", other)
    for client in (amy, ben, amy):
        client.open()
        client.sync()

    amy.open()
    rows = sorted((u.kind, u.target_id) for u in KnowledgeUse.select())
    assert len(rows) == 2 and len(set(rows)) == 2
    mine = synced_copy()
    ben.open()
    assert synced_copy() == mine
    assert same_as_server(mine, server_copy(team_db))
