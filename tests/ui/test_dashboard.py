"""The KPI dashboard screen on a small demo desk: tiles with targets and ratings, a
tile, a bar or a row opens the queue of its tickets (as many as the figure counts), the
period picker recomputes, the exports parse back, an incident manager starts on it."""

import csv
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from desk_app.core.kpi_figures import Rating
from desk_app.services.demo import write_demo_tickets
from desk_app.services.kpi_dashboard import tile_tickets_described
from desk_app.services.kpi_report import report_tables
from desk_app.storage.ticket_queries import count_tickets
from desk_app.ui.charts import bar_series
from desk_app.ui.kpi_table_model import BREAKDOWN_COLUMNS, KpiRowsModel
from desk_app.ui.kpi_tile import RATING_LOOK, format_value
from tests.pdf_text import pdf_image_count, pdf_text
from tests.ui.conftest import settle

from ..conftest import LONDON


@pytest.fixture
def page(qtbot, worker, window, session):
    """The dashboard of a desk of 400 demo tickets, computed."""
    write_demo_tickets(session, 400)
    with qtbot.waitSignal(window.reference_loaded, timeout=10_000):
        window.load_reference()
    shown = window.show_dashboard()
    qtbot.waitUntil(lambda: shown.data is not None and not shown.computing, timeout=30_000)
    settle(qtbot, worker)
    return shown


def listed_count(qtbot, window) -> int:
    qtbot.waitUntil(lambda: not window._listing_pending, timeout=10_000)
    return window.model.rowCount()


def test_the_dashboard_opens_on_its_own_page_and_shows_every_tile_with_its_target(
        page, window):
    assert window.pages.currentWidget() is page
    assert window.screen_actions["dashboard"].isChecked()
    figures = page.data.tiles
    assert [f.key for f in figures] == list(page.tiles)
    for figure in figures:
        tile = page.tiles[figure.key]
        assert tile.value.text() == format_value(figure.value, figure.unit)
        tone, words = RATING_LOOK[figure.rating()]
        assert tile.rating_tone == tone
        if figure.value is not None:
            assert tile.rating.text() == words  # a word, never the colour alone
        if figure.target is not None:
            assert "Target" in tile.target.text()
    rated = {f.key: f.rating() for f in figures}
    assert rated["sla_compliance"] is not Rating.NONE  # the policy's default target
    assert "Target ≥ 90.0 %" in page.tiles["sla_compliance"].target.text()


def test_every_tile_opens_the_queue_of_as_many_tickets_as_its_figure_counts(
        qtbot, page, window):
    for key, tile in page.tiles.items():
        window.show_dashboard()
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
        assert window.pages.currentIndex() == 0  # the queues again
        listed = listed_count(qtbot, window)
        assert window.filters.result.text().startswith(f"{listed:,} ticket")
        assert window.filters.scope.itemText(1) == tile.figure.label
        assert listed == tile.figure.count, key
        # the tooltip says which tickets those are (a rate's denominator)
        assert f"{listed:,} ticket" in tile.toolTip(), key
        assert tile_tickets_described(key) in tile.toolTip(), key
    assert "SLA outcome is known" in page.tiles["sla_compliance"].toolTip()


def test_every_trend_breakdown_and_backlog_row_opens_as_many_tickets_as_it_shows(
        qtbot, page, window):
    data = page.data
    for grain, rows in data.trends.items():
        for row in rows:
            assert count_tickets(row.tickets) == row.counts["logged"], (grain, row.key)
    for by, rows in data.breakdowns.items():
        for row in rows:
            assert count_tickets(row.tickets) == row.counts["logged"], (by, row.key)
    for row in data.backlog:
        assert count_tickets(row.tickets) == row.counts["open"], row.key
    # and through the screen: the first and last row of each breakdown's table
    for by, rows in data.breakdowns.items():
        window.show_dashboard()
        page.breakdown_choice.setCurrentIndex(page.breakdown_choice.findData(by))
        for index in {0, len(rows) - 1}:
            window.show_dashboard()
            page.breakdown_table.activated.emit(page.breakdown_model.index(index, 0))
            assert listed_count(qtbot, window) == rows[index].counts["logged"], (by, index)
    months = data.trends["month"]
    window.show_dashboard()
    page.trend_charts["month"].bar_clicked.emit(len(months) - 1)
    assert listed_count(qtbot, window) == months[-1].counts["logged"]


def test_a_bar_of_the_breakdown_chart_and_a_row_of_its_table_open_their_tickets(
        qtbot, page, window):
    window.filters.set_state({"search": "printer", "filters": {}})  # cleared by a click
    rows = page.data.breakdowns["priority"]
    assert page.breakdown_model.rows == rows
    chart_view = page.breakdown_chart
    series = bar_series(chart_view.chart())
    value = rows[0].counts["logged"]
    inside = chart_view.chart().mapToPosition(QPointF(0, value / 2), series)
    at = chart_view.mapFromScene(chart_view.chart().mapToScene(inside))
    qtbot.mouseClick(chart_view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(at))
    assert listed_count(qtbot, window) == value
    assert window.filters.search.text() == ""

    window.show_dashboard()
    page.breakdown_choice.setCurrentIndex(page.breakdown_choice.findData("category"))
    category_rows = page.data.breakdowns["category"]
    page.breakdown_table.activated.emit(page.breakdown_model.index(1, 0))
    assert listed_count(qtbot, window) == category_rows[1].counts["logged"]
    assert window.filters.scope.itemText(1).endswith(category_rows[1].label)


def test_a_bar_of_the_backlog_and_of_the_weekly_trend_open_their_tickets(
        qtbot, page, window):
    for index, row in enumerate(page.data.backlog):
        if row.counts["open"]:
            window.show_dashboard()
            page.backlog_chart.bar_clicked.emit(index)
            assert listed_count(qtbot, window) == row.counts["open"], row.label
    weeks = page.data.trends["week"]
    window.show_dashboard()
    page.trend_charts["week"].bar_clicked.emit(len(weeks) - 2)
    assert listed_count(qtbot, window) == weeks[-2].counts["logged"]


def test_the_breakdowns_add_up_to_the_tiles_totals(page):
    logged = page.data.totals["logged"]
    for by, rows in page.data.breakdowns.items():
        assert sum(row.counts["logged"] for row in rows) == logged, by


def test_the_period_picker_recomputes_and_a_reversed_custom_period_is_refused(
        qtbot, page, worker):
    with qtbot.waitSignal(page.computed, timeout=30_000) as shown:
        page.period.choose("this_week")
    assert shown.args[0].since == datetime(2026, 11, 23, tzinfo=LONDON)
    assert page.period.kind.currentText() == "This week"

    page.period.choose("custom")
    assert page.period.first.isVisible()
    page.period.set_days(page.period.last.date(), page.period.first.date().addDays(-3))
    computed = []
    page.computed.connect(computed.append)
    page.period.apply.click()
    settle(qtbot, worker)
    assert not computed
    assert "before" in page.period.error.text()

    page.period.set_days(page.period.first.date().addDays(-60), page.period.first.date())
    with qtbot.waitSignal(page.computed, timeout=30_000):
        page.period.apply.click()
    assert page.period.error.text() == ""


def test_each_table_exports_as_csv_that_parses_back(page, tmp_path):
    names = page.exports.table_names()
    assert {"tiles", "backlog", "by_priority", "trend_week"} <= set(names)
    for name in names:
        path = page.exports.export_csv(name, tmp_path / f"{name}.csv")
        with open(path, newline="", encoding="utf-8") as file:
            assert list(csv.reader(file)) == report_tables(page.data)[name]


def test_the_report_exports_as_markdown_and_as_a_pdf_with_its_charts(page, tmp_path):
    markdown = page.exports.export_markdown(tmp_path / "report.md").read_text()
    assert "SLA compliance" in markdown
    pdf = page.exports.export_pdf(tmp_path / "report.pdf")
    text = pdf_text(pdf)
    assert "SLA compliance" in text and "Open incidents by age" in text
    assert pdf_image_count(pdf, min_width=800) >= 3  # the trends and the backlog at least
    assert page.status.text() == "Saved report.pdf"


def test_a_file_that_cannot_be_written_is_said_plainly(page, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("desk_app.ui.dashboard_exports.show_error",
                        lambda _parent, _title, error: shown.append(error))
    assert page.exports.export_csv("tiles", tmp_path / "missing" / "tiles.csv") is None
    assert "could not be written" in str(shown[0])


def test_a_theme_switch_draws_the_charts_in_the_new_schemes_colours(qtbot, page):
    from desk_app.ui.palette import surface
    from desk_app.ui.theme import theme_of

    before = theme_of().choice
    try:
        for scheme in ("dark", "light"):
            theme_of().choose(scheme)
            for panel in (page.trend_charts["week"], page.backlog_chart, page.breakdown_chart):
                assert panel.chart().backgroundBrush().color().name() == surface(scheme).base
    finally:
        theme_of().choose(before)


def test_the_breakdown_table_model_passes_qt_model_tests(qtmodeltester, page):
    model = KpiRowsModel("Category", BREAKDOWN_COLUMNS)
    model.set_rows(page.data.breakdowns["category"])
    qtmodeltester.check(model)


def test_choosing_a_queue_goes_back_to_the_queues(qtbot, page, window):
    window.queues.select("all")
    assert window.pages.currentIndex() == 0
    assert window.screen_actions["queues"].isChecked()
    assert listed_count(qtbot, window) == count_tickets(
        window._listing.filter)


def test_an_incident_manager_starts_on_the_dashboard_and_the_service_desk_on_queues(
        qtbot, worker, session, tmp_path):
    from desk_app.services.admin import add_technician
    from desk_app.services.session import Session
    from desk_app.storage.models import Technician
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.window_state import WindowState

    for login, role, on_dashboard in (("sam", "service_desk", False),
                                      ("ines", "incident_manager", True)):
        add_technician(session, login, login.title(), role, None)
        acting = Session(Technician.get(Technician.login == login), session.now_fn)
        main = MainWindow(worker, acting, WindowState(tmp_path / f"{role}.json"))
        qtbot.addWidget(main)
        main.show()
        main.start()
        qtbot.waitUntil(lambda m=main: m.reference is not None, timeout=10_000)
        settle(qtbot, worker)
        assert (main.pages.currentWidget() is main.dashboard) == on_dashboard, role
        assert (main.dashboard is not None) == on_dashboard  # QtCharts only when shown
        main.stop_timers()


def test_the_major_incident_row_shows_its_five_figures_and_opens_the_majors(
        qtbot, page, window):
    qtbot.waitUntil(lambda: page.majors is not None, timeout=30_000)
    assert list(page.major_tiles) == ["time_to_declare", "time_to_first_update",
                                      "updates_on_time", "time_to_workaround",
                                      "reviews_completed"]
    assert page.major_heading.isVisibleTo(page)
    for figure in page.majors.figures:  # each tile shows its own figure
        assert page.major_tiles[figure.key].value.text() == format_value(figure.value,
                                                                          figure.unit)
    majors = count_tickets(page.majors.tickets)
    assert majors > 0  # the demo desk has major incidents in the period
    tile = page.major_tiles["time_to_declare"]
    assert tile.figure.count <= majors
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert listed_count(qtbot, window) == majors
    assert window.filters.scope.itemText(1).startswith("Major incidents")


def test_an_export_onto_the_desk_s_own_database_is_refused_and_the_desk_kept(
        page, tmp_path, monkeypatch):
    from desk_app.storage.database import database

    shown = []
    monkeypatch.setattr("desk_app.ui.dashboard_exports.show_error",
                        lambda _parent, _title, error: shown.append(error))
    desk_file = Path(database.database)
    before = desk_file.read_bytes()[:100]
    for export in (lambda p: page.exports.export_csv("tiles", p),
                   page.exports.export_markdown, page.exports.export_pdf):
        assert export(desk_file) is None
    assert len(shown) == 3 and all("data folder" in str(e) for e in shown)
    assert desk_file.read_bytes()[:100] == before  # still the desk, not a CSV over it
    assert not list(desk_file.parent.glob("*.partial"))
