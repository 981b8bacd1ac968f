"""After one change the window redraws only what it changed: the ticket's row and the
counts of the queues it entered or left; it never re-reads every row id or recounts
every queue."""

from desk_app.services import workflow
from desk_app.services.intake import log_ticket
from desk_app.services.queues import queue_counts, queue_rowids
from desk_app.ui import ticket_table_model
from tests.conftest import new_ticket
from tests.ui.conftest import open_dialog, settle, submit
from tests.ui.test_incident_flow import _log_through_form


def _spy(window, monkeypatch):
    """Count full re-reads: every row id of the listing, and every queue recounted."""
    calls = {"rowids": 0, "counts": 0}
    real_rowids, real_counts = ticket_table_model.queue_rowids, window.refresh_counts

    def rowids(*args):
        calls["rowids"] += 1
        return real_rowids(*args)

    def counts():
        calls["counts"] += 1
        real_counts()

    monkeypatch.setattr(ticket_table_model, "queue_rowids", rowids)
    monkeypatch.setattr(window, "refresh_counts", counts)
    return calls


def _listed_and_shown(qtbot, worker, window, monkeypatch, rows: int, ticket_id: str) -> dict:
    """Refresh until the listing holds ``rows`` rows, show one ticket, then start
    counting full re-reads (what follows must not need any)."""
    window.refresh()
    settle(qtbot, worker)
    qtbot.waitUntil(lambda: window.model.rowCount() == rows and not window.model.loading,
                    timeout=5_000)
    with qtbot.waitSignal(window.ticket_shown, timeout=10_000):
        window.show_ticket(ticket_id)
    return _spy(window, monkeypatch)


def _listing(worker, qtbot, window, session):
    got = []
    model = window.model
    worker.submit(lambda: queue_rowids(session, model._filter, model.sort_key,
                                       model.descending), got.append)
    settle(qtbot, worker)
    return list(got[0])


def _counts(worker, qtbot, session):
    got = []
    worker.submit(lambda: queue_counts(session), got.append)
    settle(qtbot, worker)
    return got[0]


def test_logging_one_ticket_inserts_its_row_and_moves_only_the_changed_counts(
        qtbot, qtmodeltester, worker, window, session, monkeypatch):
    for n in range(30):
        worker.submit(lambda n=n: log_ticket(session, new_ticket(
            summary=f"Existing {n}", impact=("low", "medium", "high")[n % 3])))
    window.refresh()
    settle(qtbot, worker)
    qtbot.waitUntil(lambda: not window.model.loading, timeout=5_000)
    before = dict(window.queues.counts)
    calls = _spy(window, monkeypatch)
    resets, inserted = [], []
    window.model.modelReset.connect(lambda: resets.append(1))
    window.model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))

    qtmodeltester.check(window.model, force_py=True)  # watches the inserts that follow
    _, shown = _log_through_form(qtbot, window.worker, window, summary="Brand new one")
    settle(qtbot, worker)
    qtmodeltester.check(window.model, force_py=True)

    assert calls == {"rowids": 0, "counts": 0}
    assert resets == [] and len(inserted) == 1
    assert window.model.rowCount() == 31
    assert list(window.model._ids) == _listing(worker, qtbot, window, session)
    row = inserted[0][0]
    assert window.model.row_at(row).id == shown["id"]
    fresh = _counts(worker, qtbot, session)
    assert window.queues.counts == fresh
    moved = {k for k in fresh if fresh[k] != before[k]}
    assert moved == {"my_day", "all_open", "my_group", "unassigned", "all"}


def test_an_action_that_moves_a_ticket_out_of_the_queue_drops_its_row(
        qtbot, qtmodeltester, worker, window, session, monkeypatch):
    tickets = []
    for n in range(5):
        worker.submit(lambda n=n: log_ticket(session, new_ticket(summary=f"T{n}")),
                      tickets.append)
    window.queues.select("unassigned")
    settle(qtbot, worker)  # the tickets are logged
    calls = _listed_and_shown(qtbot, worker, window, monkeypatch, 5, tickets[2].id)
    qtmodeltester.check(window.model, force_py=True)
    removed = []
    window.model.rowsRemoved.connect(lambda _p, first, last: removed.append(first))
    submit(qtbot, worker, open_dialog(qtbot, worker, window, "assign"),
           group="Service Desk", technician="alice")
    settle(qtbot, worker)
    assert calls == {"rowids": 0, "counts": 0}
    assert len(removed) == 1 and window.model.rowCount() == 4
    assert list(window.model._ids) == _listing(worker, qtbot, window, session)
    assert window.queues.counts == _counts(worker, qtbot, session)


def test_a_change_that_keeps_the_row_in_place_redraws_just_that_row(
        qtbot, worker, window, session, monkeypatch):
    made = []
    worker.submit(lambda: log_ticket(session, new_ticket()), made.append)
    worker.submit(lambda: workflow.assign(session, made[0].number, group="Service Desk",
                                          technician="alice"))
    settle(qtbot, worker)  # the ticket is logged and assigned
    calls = _listed_and_shown(qtbot, worker, window, monkeypatch, 1, made[0].id)
    redrawn = []
    window.model.dataChanged.connect(lambda first, last: redrawn.append((first.row(),
                                                                         last.row())))
    with qtbot.waitSignal(window.model.row_updated, timeout=10_000):
        window.view.ticket_actions["start_work"].trigger()
    settle(qtbot, worker)
    assert calls == {"rowids": 0, "counts": 0}
    assert (0, 0) in redrawn
    assert window.model.row_at(0).status == "in_progress"
