"""The KPI dashboard: tiles with targets and ratings, trends by week and month,
breakdowns, backlog by age and time spent for a chosen period, computed on the
database thread. A tile, a bar or a row asks for the tickets behind it
(``open_tickets(filter, title)``); the main window shows them as a queue.

Imported only when the dashboard is first shown (it loads QtCharts).
"""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.errors import Refused
from desk_app.core.kpi_figures import Figure
from desk_app.core.labels import human_label
from desk_app.services.kpi_dashboard import (
    BREAKDOWNS,
    TIME_SPENT_BY,
    Dashboard,
    KpiRow,
    dashboard,
    tile_tickets_described,
)
from desk_app.services.major_kpis import MajorTiles, major_tiles
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.charts import ChartPanel
from desk_app.ui.dashboard_exports import DashboardExports
from desk_app.ui.kpi_table_model import (
    BREAKDOWN_COLUMNS,
    TIME_COLUMNS,
    KpiRowsModel,
)
from desk_app.ui.kpi_tile import KpiTile
from desk_app.ui.period_picker import PeriodPicker
from desk_app.ui.refusals import show_error
from desk_app.ui.report_charts import backlog_chart, breakdown_chart, trend_chart
from desk_app.ui.worker import BackgroundWorker

TILE_COLUMNS = 5
LABEL_WIDTH = 150  # a table's first column: a category, a group, a person
TIME_TABLE_WIDTH = 560  # a name, hours and entries: no wider
STEP_PAUSE_MS = 15  # between the parts of a shown period: the window paints, answers


def _table(model: KpiRowsModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    table.setMinimumHeight(220)
    return table


def _fit_columns(table: QTableView) -> None:
    """Widths from the headers (a label column wide enough for a name), without
    measuring every cell."""
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    model = table.model()
    for column in range(model.columnCount()):
        text = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = metrics.horizontalAdvance(text) + 3 * look.SPACE_M
        header.resizeSection(column, max(width, LABEL_WIDTH if column == 0
                                         else metrics.horizontalAdvance("99,999.9 %")
                                         + look.SPACE_M))


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setFont(look.font(look.HEADING_PT, bold=True))
    return label


class DashboardPage(QWidget):
    """The dashboard screen. ``computed(Dashboard)`` when a period's figures are shown;
    ``open_tickets(TicketFilter, title)`` when a tile, bar or row is chosen."""

    computed = Signal(object)
    open_tickets = Signal(object, str)

    def __init__(self, worker: BackgroundWorker, session: Session, zone: ZoneInfo,
                 now_fn: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.worker, self.session = worker, session
        self.data: Dashboard | None = None
        self._generation = 0
        self.computing = False
        self.tiles: dict[str, KpiTile] = {}
        self.major_tiles: dict[str, KpiTile] = {}
        self.majors: MajorTiles | None = None
        self.period = PeriodPicker(now_fn or session.now_fn, zone)
        self.period.changed.connect(self.compute)
        self.exports = DashboardExports(self)
        self.busy = QProgressBar()
        self.busy.setObjectName("dashboard_busy")
        self.busy.setRange(0, 0)  # a moving bar: no known end
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.status = QLabel()
        look.set_tone(self.status, "muted")
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.busy)
        top.addWidget(self.status)
        top.addWidget(self.exports.button)
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(look.SPACE_S)
        body = QWidget()
        body.setObjectName("dashboard_body")
        column = QVBoxLayout(body)
        column.setSpacing(look.SPACE_M)
        column.addLayout(self.tile_grid)
        self.major_heading = _heading("Major incidents")
        self.major_heading.hide()
        self.major_grid = QGridLayout()
        self.major_grid.setSpacing(look.SPACE_S)
        column.addWidget(self.major_heading)
        column.addLayout(self.major_grid)
        column.addLayout(self._charts_row())
        column.addWidget(self._breakdown_area())
        column.addWidget(self._time_area())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(look.SPACE_S, look.SPACE_S, look.SPACE_S, 0)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self._set_busy(False)

    # --- building --------------------------------------------------------------------

    def _charts_row(self) -> QHBoxLayout:
        self.trend_tabs = QTabWidget()
        self.trend_charts: dict[str, ChartPanel] = {}
        for grain in ("week", "month"):
            panel = ChartPanel(min_height=260)
            panel.setObjectName(f"trend_{grain}")
            panel.bar_clicked.connect(lambda index, g=grain: self._trend_clicked(g, index))
            self.trend_charts[grain] = panel
            self.trend_tabs.addTab(panel, f"By {grain}")
        self.trend_tabs.currentChanged.connect(lambda _index: self._show_trend())
        self._trends_drawn = set()
        self.backlog_chart = ChartPanel(min_height=260)
        self.backlog_chart.setObjectName("backlog_chart")
        self.backlog_chart.bar_clicked.connect(lambda index: self._row_chosen(
            self.data.backlog if self.data else [], index, "Backlog"))
        row = QHBoxLayout()
        row.addWidget(self.trend_tabs, 3)
        row.addWidget(self.backlog_chart, 2)
        return row

    def _breakdown_area(self) -> QWidget:
        area = QWidget()
        layout = QGridLayout(area)
        layout.setContentsMargins(0, 0, 0, 0)
        self.breakdown_choice = QComboBox()
        self.breakdown_choice.setObjectName("breakdown_choice")
        for by in BREAKDOWNS:
            self.breakdown_choice.addItem(human_label(by), by)
        self.breakdown_choice.currentIndexChanged.connect(self._show_breakdown)
        self.breakdown_model = KpiRowsModel("Priority", BREAKDOWN_COLUMNS, self)
        self.breakdown_table = _table(self.breakdown_model, "breakdown_table")
        self.breakdown_table.activated.connect(lambda index: self._row_chosen(
            self.breakdown_model.rows, index.row(), self._breakdown_title()))
        self.breakdown_chart = ChartPanel(min_height=240)
        self.breakdown_chart.setObjectName("breakdown_chart")
        self.breakdown_chart.bar_clicked.connect(lambda index: self._row_chosen(
            self.breakdown_model.rows, index, self._breakdown_title()))
        choose = QHBoxLayout()
        choose.addWidget(_heading("Breakdown by"))
        choose.addWidget(self.breakdown_choice)
        choose.addStretch(1)
        layout.addLayout(choose, 0, 0, 1, 2)
        layout.addWidget(self.breakdown_chart, 1, 0)
        layout.addWidget(self.breakdown_table, 1, 1)
        layout.setColumnStretch(0, 2)
        layout.setColumnStretch(1, 3)
        return area

    def _time_area(self) -> QWidget:
        area = QWidget()
        layout = QVBoxLayout(area)
        layout.setContentsMargins(0, 0, 0, 0)
        self.time_choice = QComboBox()
        self.time_choice.setObjectName("time_choice")
        for by in TIME_SPENT_BY:
            self.time_choice.addItem(human_label(by), by)
        self.time_choice.currentIndexChanged.connect(self._show_time)
        self.time_model = KpiRowsModel("Technician", TIME_COLUMNS, self)
        self.time_table = _table(self.time_model, "time_table")
        self.time_table.activated.connect(lambda index: self._row_chosen(
            self.time_model.rows, index.row(), "Time spent"))
        choose = QHBoxLayout()
        choose.addWidget(_heading("Time spent by"))
        choose.addWidget(self.time_choice)
        choose.addStretch(1)
        layout.addLayout(choose)
        self.time_table.setMaximumWidth(TIME_TABLE_WIDTH)
        self.time_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.time_table)
        return area

    # --- computing -------------------------------------------------------------------

    def start(self) -> None:
        """Compute the chosen period (the dashboard was opened)."""
        try:
            since, until = self.period.current()
        except Refused as refusal:  # a custom period set wrong: the picker says why
            self.period.error.setText(refusal.message)
            return
        self.compute(since, until)

    def compute(self, since: datetime, until: datetime) -> None:
        """Compute the figures of [since, until) on the database thread; the screen
        stays usable (a busy bar shows) and only the last period asked for is shown."""
        self._generation += 1
        generation, session = self._generation, self.session
        self._set_busy(True)
        self.status.setText(f"Computing {since:%d %b %Y} – "
                            f"{until - timedelta(days=1):%d %b %Y}…")

        def done(data: Dashboard) -> None:
            if generation == self._generation:
                self.show_data(data)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._set_busy(False)
                self.status.setText("Could not compute the figures")
                show_error(self, "Dashboard", error)

        self.worker.submit(lambda: dashboard(session, since, until), done, failed)

    def _set_busy(self, busy: bool) -> None:
        self.computing = busy
        self.busy.setVisible(busy)
        self.exports.button.setEnabled(not busy and self.data is not None)

    # --- showing ---------------------------------------------------------------------

    def show_data(self, data: Dashboard) -> None:
        """Show a computed period, a part per turn of the event loop (tiles, the trend,
        the backlog, the breakdown, time spent) so the window keeps answering while
        the charts are built and drawn; ``computed`` fires when all is shown."""
        self.data = data
        self.computing = True
        generation = self._generation
        last_day = data.until - timedelta(days=1)
        self.status.setText(f"{data.since:%d %b %Y} – {last_day:%d %b %Y} · "
                            f"{data.totals.get('logged', 0):,} incidents · "
                            f"computed {data.computed_at:%H:%M}")
        self._trends_drawn: set[str] = set()
        steps = [lambda: self._show_tiles(data.tiles), self._show_trend,
                 lambda: self.backlog_chart.show_spec(backlog_chart(data.backlog)),
                 self._show_breakdown, self._show_time, lambda: self._shown(data)]

        def step() -> None:
            if generation != self._generation:
                return  # a newer period was asked for: its own steps show it
            steps.pop(0)()
            if steps:  # bound to the dashboard: no step runs once it is gone
                QTimer.singleShot(STEP_PAUSE_MS, self, step)

        step()

    def _shown(self, data: Dashboard) -> None:
        self._set_busy(False)
        self.computed.emit(data)
        self._compute_majors(data.since, data.until)

    def _compute_majors(self, since: datetime, until: datetime) -> None:
        """The major-incident row, asked after the rest is shown (majors are few, but
        their history is read ticket by ticket)."""
        generation, session = self._generation, self.session

        def done(tiles: MajorTiles) -> None:
            if generation == self._generation:
                self.show_majors(tiles)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                show_error(self, "Dashboard", error)

        self.worker.submit(lambda: major_tiles(session, since, until), done, failed)

    def show_majors(self, tiles: MajorTiles) -> None:
        """Show the major-incident figures (time to declare, first update, updates on
        time, time to workaround, reviews completed) as a row of tiles."""
        self.majors = tiles
        self.major_heading.show()
        for position, figure in enumerate(tiles.figures):
            tile = self.major_tiles.get(figure.key)
            if tile is None:
                tile = KpiTile(figure)
                tile.clicked.connect(self._major_clicked)
                self.major_tiles[figure.key] = tile
                self.major_grid.addWidget(tile, position // TILE_COLUMNS,
                                          position % TILE_COLUMNS)
            else:
                tile.show_figure(figure)

    def _show_trend(self) -> None:
        """Draw the trend of the tab shown (the other when its tab is opened)."""
        grain = ("week", "month")[max(self.trend_tabs.currentIndex(), 0)]
        if self.data is not None and grain not in self._trends_drawn:
            self._trends_drawn.add(grain)
            self.trend_charts[grain].show_spec(trend_chart(self.data.trends.get(grain, []),
                                                           grain))

    def _show_tiles(self, figures: Sequence[Figure]) -> None:
        for position, figure in enumerate(figures):
            tile = self.tiles.get(figure.key)
            measures = tile_tickets_described(figure.key)
            if tile is None:
                tile = KpiTile(figure, measures=measures)
                tile.clicked.connect(self._tile_clicked)
                self.tiles[figure.key] = tile
                self.tile_grid.addWidget(tile, position // TILE_COLUMNS,
                                         position % TILE_COLUMNS)
            else:
                tile.show_figure(figure, measures)

    def _breakdown_title(self) -> str:
        return f"By {human_label(self.breakdown_choice.currentData()).lower()}"

    def _show_breakdown(self) -> None:
        by = self.breakdown_choice.currentData()
        rows = self.data.breakdowns.get(by, []) if self.data else []
        self.breakdown_model.columns[0] = replace(self.breakdown_model.columns[0],
                                                  header=human_label(by))
        self.breakdown_model.set_rows(rows)
        _fit_columns(self.breakdown_table)
        self.breakdown_chart.show_spec(breakdown_chart(rows, by))

    def _show_time(self) -> None:
        by = self.time_choice.currentData()
        rows = self.data.time_spent.get(by, []) if self.data else []
        self.time_model.columns[0] = replace(self.time_model.columns[0],
                                             header=human_label(by))
        self.time_model.set_rows(rows)
        _fit_columns(self.time_table)

    # --- the tickets behind ----------------------------------------------------------

    def _tile_clicked(self, key: str) -> None:
        if self.data is None or key not in self.data.tile_tickets:
            return
        self.open_tickets.emit(self.data.tile_tickets[key], self.tiles[key].figure.label)

    def _major_clicked(self, key: str) -> None:
        if self.majors is not None:
            self.open_tickets.emit(self.majors.tickets,
                                   f"Major incidents: {self.major_tiles[key].figure.label}")

    def _trend_clicked(self, grain: str, index: int) -> None:
        rows = self.data.trends.get(grain, []) if self.data else []
        self._row_chosen(rows, index, "Week of" if grain == "week" else "Month")

    def _row_chosen(self, rows: Sequence[KpiRow], index: int | QModelIndex,
                    title: str) -> None:
        row = rows[index] if isinstance(index, int) and 0 <= index < len(rows) else None
        if row is not None:
            self.open_tickets.emit(row.tickets, f"{title}: {row.label}")
