"""Satisfaction in the queue: a column with stars and the score in words, a tooltip with
the comment and how it was recorded, sorted with unrated tickets last, narrowed by the
filter bar, and shown or hidden from the header's column chooser."""

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from desk_app.services import workflow
from desk_app.services.intake import log_ticket
from desk_app.services.queues import queue_filter
from desk_app.services.satisfaction import record_satisfaction
from desk_app.ui.main_window import MainWindow
from desk_app.ui.ticket_table import OPTIONAL
from desk_app.ui.ticket_table_model import (
    COLUMNS,
    NUMBER,
    SATISFACTION,
    TicketTableModel,
)
from desk_app.ui.window_state import WindowState
from tests.conftest import new_ticket
from tests.ui.conftest import settle

MAILED_AT = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


def _rated_desk(session) -> dict[str, int | None]:
    """Six resolved incidents: scores 2, 5, none, 4, 1, none (number -> score)."""
    scores: dict[str, int | None] = {}
    for n, score in enumerate((2, 5, None, 4, 1, None)):
        number = log_ticket(session, new_ticket(summary=f"Ticket {n}")).number
        workflow.resolve(session, number, "permanent", "config", "Fixed",
                         knowledge="not_needed", problem_decision="not_needed")
        if score == 2:
            record_satisfaction(session, number, score, "Took three days", source="mail",
                                at=MAILED_AT)
        elif score is not None:
            record_satisfaction(session, number, score)
        scores[number] = score
    return scores


def _model(qtbot, worker, session, sort="number", descending=False):
    model = TicketTableModel(worker, session)
    model.set_listing(queue_filter(session, "all"), sort, descending)
    settle(qtbot, worker)
    return model


def _column(model, column=SATISFACTION) -> list:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_column_shows_stars_and_the_score_and_passes_qt_checks(
        qtbot, qtmodeltester, worker, session):
    scores = _rated_desk(session)
    model = _model(qtbot, worker, session)
    qtmodeltester.check(model)
    assert model.headerData(SATISFACTION, Qt.Orientation.Horizontal) == "Satisfaction"
    assert dict(zip(_column(model, NUMBER), _column(model), strict=True)) == {
        number: f"{'★' * s}{'☆' * (5 - s)} {s}/5" if s else ""
        for number, s in scores.items()}
    mailed = model.index(0, SATISFACTION)
    assert mailed.data(Qt.ItemDataRole.ToolTipRole) == (
        "“Took three days”\n2 of 5, by mail on Tue 24 Nov 2026 08:30")
    assert mailed.data(Qt.ItemDataRole.AccessibleTextRole) == "2 of 5"
    told = model.index(1, SATISFACTION).data(Qt.ItemDataRole.ToolTipRole)
    assert told.startswith("No comment\n5 of 5, told to a technician on ")
    unrated = model.index(2, SATISFACTION)
    assert unrated.data(Qt.ItemDataRole.ToolTipRole) is None
    assert unrated.data(Qt.ItemDataRole.AccessibleTextRole) == "Not rated"
    assert mailed.data(Qt.ItemDataRole.ForegroundRole) != \
        model.index(1, SATISFACTION).data(Qt.ItemDataRole.ForegroundRole)


def test_sorting_by_satisfaction_puts_unrated_tickets_last_both_ways(qtbot, worker, session):
    _rated_desk(session)
    model = _model(qtbot, worker, session)
    model.sort(SATISFACTION)
    settle(qtbot, worker)
    assert model.sort_key == "satisfaction"
    assert [text.split()[-1] if text else "" for text in _column(model)] == [
        "1/5", "2/5", "4/5", "5/5", "", ""]
    model.sort(SATISFACTION, Qt.SortOrder.DescendingOrder)
    settle(qtbot, worker)
    assert [text.split()[-1] if text else "" for text in _column(model)] == [
        "5/5", "4/5", "2/5", "1/5", "", ""]


def test_the_filter_bar_narrows_by_satisfaction_with_a_chip(qtbot, worker, window, session):
    _rated_desk(session)
    window.refresh()
    window.queues.select("all")
    settle(qtbot, worker)
    window.filters.filter_menu.aboutToShow.emit()
    menu = next(a.menu() for a in window.filters.filter_menu.actions()
                if a.text() == "Satisfaction")
    low = next(a for a in menu.actions() if a.text() == "2 or less")
    with qtbot.waitSignal(window.model.listing_ready):
        low.trigger()
    settle(qtbot, worker)
    assert window.filters.chips["satisfaction"].text().startswith("Satisfaction: 2 or less")
    assert set(_column(window.model)) == {"★☆☆☆☆ 1/5", "★★☆☆☆ 2/5"}
    with qtbot.waitSignal(window.model.listing_ready):
        window.filters.choose("satisfaction", "none")
    settle(qtbot, worker)
    assert _column(window.model) == ["", ""]
    with qtbot.waitSignal(window.model.listing_ready):
        window.filters.chips["satisfaction"].click()
    settle(qtbot, worker)
    assert window.model.rowCount() == 6


def test_the_column_chooser_shows_it_and_the_choice_outlives_the_window(
        qtbot, worker, window, session, tmp_path):
    table = window.table
    assert table.isColumnHidden(SATISFACTION)  # off until chosen: most queues are unrated
    menu = table.column_menu()
    ticks = {a.text(): a for a in menu.actions() if a.isCheckable()}
    assert list(ticks) == [COLUMNS[c].title for c in OPTIONAL]
    assert not ticks["Satisfaction"].isChecked() and ticks["Updated"].isChecked()
    with qtbot.waitSignal(table.columns_chosen):
        ticks["Satisfaction"].trigger()
    assert not table.isColumnHidden(SATISFACTION)
    assert table.fully_visible(SATISFACTION)
    table.column_menu().findChild(type(ticks["Updated"]), f"column_{OPTIONAL[3]}").trigger()
    assert table.chosen_hidden() == ["Updated"]
    window.save_layout()
    again = MainWindow(worker, session, WindowState(tmp_path / "state.json"))
    qtbot.addWidget(again)
    assert again.table.chosen_hidden() == ["Updated"]  # Satisfaction chosen, Updated not
    assert again.table.isColumnHidden(OPTIONAL[3])
    again.table.choose_hidden([3, None, ["x"], "Satisfaction"])  # a damaged file: no harm
    assert again.table.chosen_hidden() == ["Satisfaction"]


def test_a_header_click_sorts_by_satisfaction(qtbot, worker, window, session):
    _rated_desk(session)
    window.refresh()
    window.queues.select("all")
    settle(qtbot, worker)
    window.table.set_column_chosen(SATISFACTION, True)
    with qtbot.waitSignal(window.model.listing_ready):
        window.table.horizontalHeader().sectionClicked.emit(SATISFACTION)
    settle(qtbot, worker)
    assert window.chosen_sort == ("satisfaction", False)
    assert _column(window.model)[0] == "★☆☆☆☆ 1/5"


def test_a_saved_view_keeps_the_satisfaction_choice_and_ignores_a_damaged_one():
    from desk_app.core.satisfaction_filter import ScoreRange
    from desk_app.ui.filter_bar import narrowing_of

    assert narrowing_of({"filters": {"satisfaction": "<=2"}}).satisfaction == \
        ScoreRange(high=2)
    assert narrowing_of({"filters": {"satisfaction": "none"}}).satisfaction == \
        ScoreRange(unrated=True)
    assert narrowing_of({"filters": {"satisfaction": "lots"}}).satisfaction is None
