"""The lazy ticket table model: Qt's model checks, laziness, sorting and colours."""

from PySide6.QtCore import Qt

from desk_app.services.demo import write_demo_tickets
from desk_app.services.intake import log_ticket
from desk_app.services.queues import queue_filter
from desk_app.ui.palette import priority_colour
from desk_app.ui.ticket_table_model import COLUMNS, TicketTableModel
from tests.conftest import new_ticket
from tests.ui.conftest import settle


def _model(qtbot, worker, session, queue="all", sort="number", descending=False):
    model = TicketTableModel(worker, session)
    model.set_listing(queue_filter(session, queue), sort, descending)
    settle(qtbot, worker)
    return model


def test_model_passes_qt_model_checks(qtbot, qtmodeltester, worker, session):
    write_demo_tickets(session, 300)
    model = _model(qtbot, worker, session)
    qtmodeltester.check(model)
    assert model.rowCount() == 300
    assert model.columnCount() == len(COLUMNS)


def test_first_page_then_ids_then_blocks_on_demand(qtbot, worker, session):
    write_demo_tickets(session, 1_000)
    model = _model(qtbot, worker, session)
    assert model.rowCount() == 1_000
    assert not model.loading
    assert model.fetches == 0  # the first page came with the listing
    first = model.index(0, 0).data()
    assert first.startswith(("INC-", "REQ-", "PRB-"))
    assert model.index(999, 0).data() == "…"  # not fetched yet: a placeholder
    qtbot.waitUntil(lambda: model.index(999, 0).data() != "…", timeout=5_000)
    assert model.fetches == 1
    numbers = [model.index(row, 0).data() for row in range(900, 1_000)]
    assert numbers == sorted(numbers)


def test_sorting_happens_in_sql(qtbot, worker, session):
    write_demo_tickets(session, 250)
    model = _model(qtbot, worker, session)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    settle(qtbot, worker)
    assert model.sort_key == "number" and model.descending
    top = [model.index(row, 0).data() for row in range(5)]
    assert top == sorted(top, reverse=True)
    model.sort(5)  # group / assignee: not sortable, the listing stays
    assert model.sort_key == "number"


def test_new_ticket_shows_after_reload_with_priority_colour(qtbot, worker, session):
    model = _model(qtbot, worker, session, queue="all_open", sort="resolution_due")
    assert model.rowCount() == 0
    log_ticket(session, new_ticket(impact="high", urgency="high"))
    model.reload()
    settle(qtbot, worker)
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == "P1 · Major incident"
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) == priority_colour("P1")
    assert model.index(0, 6).data() == "4h left"


def test_a_reload_with_the_same_row_count_does_not_reset_the_view(qtbot, worker, session):
    write_demo_tickets(session, 300)
    model = _model(qtbot, worker, session)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    model.reload()
    settle(qtbot, worker)
    assert resets == []  # the table keeps its selection and scroll position
    log_ticket(session, new_ticket())
    model.reload()
    settle(qtbot, worker)
    assert resets and model.rowCount() == 301
