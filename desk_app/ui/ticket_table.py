"""The ticket table as a technician reads it: painted chips and SLA badges, columns
that fit the window (the summary stretches, "Time left" is never cut), rows tall
enough to read, Enter to open, and an empty state with ways out of an empty search."""

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.enums import HoldReason, Status
from desk_app.core.labels import human_label
from desk_app.ui.palette import text_colour
from desk_app.ui.sla_badges import (
    CHIP_GAP,
    CHIP_PAD_Y,
    LONGEST_BADGE,
    Tones,
    chip_width,
    paint_chip,
    sla_badge,
)
from desk_app.ui.ticket_table_model import (
    ASSIGNEE,
    CATEGORY,
    COLUMNS,
    NUMBER,
    PRIORITY,
    SATISFACTION,
    STATUS,
    SUMMARY,
    TIME_LEFT,
    UPDATED,
    TicketTableModel,
)

STATUS_TEXTS = [human_label(status) for status in Status] + [
    f"{human_label(Status.ON_HOLD)} ({human_label(reason).lower()})" for reason in HoldReason]
CELL_PAD = 6  # left padding of a painted cell
MAJOR_BAR = 3  # the accent bar at the start of a major incident's row
# shown left to right; the summary comes before the details so it outranks the number
VISUAL_ORDER = (NUMBER, PRIORITY, SUMMARY, STATUS, TIME_LEFT, ASSIGNEE, CATEGORY, UPDATED,
                SATISFACTION)
# hidden in turn when the table is narrow (Satisfaction shows only when chosen: then it
# outranks what shows by default)
DROP_ORDER = (UPDATED, CATEGORY, SATISFACTION, ASSIGNEE, STATUS)
OPTIONAL = (STATUS, ASSIGNEE, CATEGORY, UPDATED, SATISFACTION)  # the column chooser's
CHOSEN_OFF = frozenset({SATISFACTION})  # optional columns not shown until chosen
SIZED_BY = {NUMBER: "INC-0000000", CATEGORY: "Hardware / Peripherals",
            ASSIGNEE: "Alexandra Moreau · Network", UPDATED: "30 Nov 23:59",
            SATISFACTION: "★★★★★ 5/5"}
SUMMARY_MIN_CHARS = 36


class TicketCells(QStyledItemDelegate):
    """Paints the priority chip (and the major-incident chip) and the SLA badge, and
    the accent bar that starts a major incident's row. It serves only its columns:
    the others are drawn by Qt's own delegate, with no Python per cell."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self.tones = Tones()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex) -> None:
        column = index.column()
        row = index.data(Qt.ItemDataRole.UserRole)
        if row is None or column not in (PRIORITY, TIME_LEFT):
            super().paint(painter, option, index)
        else:
            cell = QStyleOptionViewItem(option)
            self.initStyleOption(cell, index)
            cell.text = ""
            style = cell.widget.style() if cell.widget else QApplication.style()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, cell.widget)
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            area = option.rect.adjusted(CELL_PAD, 1, -2, -1)
            if column == PRIORITY:
                left = paint_chip(painter, area, area.left(), row.priority,
                                  self.tones.colours(row.priority))
                if row.major:
                    paint_chip(painter, area, left, "Major", self.tones.colours("danger"),
                               strong=True)
            else:
                badge = sla_badge(row)
                paint_chip(painter, area, area.left(), badge.text,
                           self.tones.colours(badge.tone))
            painter.restore()
        if row is not None and row.major and \
                self._table.horizontalHeader().visualIndex(column) == 0:
            bar = QRect(option.rect.left(), option.rect.top(), MAJOR_BAR, option.rect.height())
            painter.fillRect(bar, self.tones.colours("danger")[0])


class TicketHeader(QHeaderView):
    """The column header; a restored layout keeps the column sizing rules."""

    def __init__(self, table: "TicketTable") -> None:
        super().__init__(Qt.Orientation.Horizontal, table)
        self._table = table

    def restoreState(self, state: QByteArray | bytes) -> bool:
        restored = super().restoreState(state)
        self._table.size_columns()
        return restored


class TicketTable(QTableView):
    """The table of a ticket listing; ``open_requested`` when Enter is pressed on a row,
    ``columns_chosen`` when a person shows or hides an optional column."""

    open_requested = Signal()
    columns_chosen = Signal()

    def __init__(self, model: TicketTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tickets")
        self.setAccessibleName("Tickets")
        self._sizes: dict[int, int] = {}
        self._chosen_off: set[int] = set(CHOSEN_OFF)
        self._content: dict[int, int] | None = None
        self.setHorizontalHeader(TicketHeader(self))
        self.setModel(model)
        self.cells = TicketCells(self)
        for column in (NUMBER, PRIORITY, TIME_LEFT):  # the number: a major's accent bar
            self.setItemDelegateForColumn(column, self.cells)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSortingEnabled(False)  # the model sorts in SQL on header clicks
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform heights: cheap
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)  # shown once the person sorts
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        for position, column in enumerate(VISUAL_ORDER):
            header.moveSection(header.visualIndex(column), position)
        header.sectionResized.connect(self._section_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu_at)
        header.setToolTip("Right-click to choose the columns")
        self.size_columns()

    # --- sizes -----------------------------------------------------------------------

    def content_widths(self) -> dict[int, int]:
        """The width each column's content needs (from the font, never from rows)."""
        if self._content is None:
            self._content = self._measure()
        return dict(self._content)

    def _measure(self) -> dict[int, int]:
        metrics = self.fontMetrics()
        pad = 2 * CELL_PAD + 8
        widths = {column: metrics.horizontalAdvance(text) + pad
                  for column, text in SIZED_BY.items()}
        widths[STATUS] = max(metrics.horizontalAdvance(text) for text in STATUS_TEXTS) + pad
        widths[PRIORITY] = chip_width(metrics, "P1") + CHIP_GAP + chip_width(metrics, "Major") \
            + pad
        widths[TIME_LEFT] = chip_width(metrics, LONGEST_BADGE) + pad
        header_metrics = self.horizontalHeader().fontMetrics()
        model = self.model()
        for column in widths:  # a header title is never cut either
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            widths[column] = max(widths[column], header_metrics.horizontalAdvance(title) + 24)
        return widths

    def summary_minimum(self) -> int:
        """The narrowest the summary gets before less needed columns are hidden."""
        return self.fontMetrics().averageCharWidth() * SUMMARY_MIN_CHARS

    def size_columns(self) -> None:
        """Size the columns to their content (the summary stretches) and the rows to
        the font; then :meth:`fit_columns`. Run at start, after a restored layout and
        when the font changes, not on every resize."""
        if self.model() is None:
            return
        self._content = None
        self.verticalHeader().setDefaultSectionSize(
            self.fontMetrics().height() + 2 * CHIP_PAD_Y + 12)
        header = self.horizontalHeader()
        widths = self.content_widths()
        self._sizes = {}
        # only fitting hides columns (a restored layout may hold another window's)
        for column in widths:
            self.setColumnHidden(column, False)
        for column, width in widths.items():
            mode = QHeaderView.ResizeMode.Interactive if column in (CATEGORY, ASSIGNEE) \
                else QHeaderView.ResizeMode.Fixed
            header.setSectionResizeMode(column, mode)
            if mode == QHeaderView.ResizeMode.Fixed or header.sectionSize(column) < width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(SUMMARY, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(min(40, header.minimumSectionSize()))
        self._sizes = {column: header.sectionSize(column) for column in widths}
        self.fit_columns()

    def wanted_width(self) -> int:
        """The width that shows the columns never hidden and the summary's minimum."""
        widths = self.content_widths()
        kept = sum(width for column, width in widths.items() if column not in DROP_ORDER)
        return kept + self.summary_minimum() + self.verticalScrollBar().sizeHint().width() \
            + 2 * self.frameWidth()

    def fit_columns(self) -> None:
        """Hide the optional columns the person chose not to show, and the least needed
        (Updated, Category, Satisfaction, Assignee, Status) while they do not fit beside
        the summary's minimum, so "Time left" always shows whole; show them again when
        there is room."""
        if not self._sizes:
            return
        room = self.viewport().width() - self.summary_minimum()
        shown = [column for column in self._sizes if column not in self._chosen_off]
        hidden = set(self._chosen_off)
        for column in DROP_ORDER:
            if sum(self._sizes[c] for c in shown) <= room:
                break
            if column in shown:
                shown.remove(column)
                hidden.add(column)
        for column in self._sizes:
            if self.isColumnHidden(column) != (column in hidden):
                self.setColumnHidden(column, column in hidden)

    # --- the column chooser ------------------------------------------------------------

    def chosen_hidden(self) -> list[str]:
        """The titles of the optional columns the person chose not to show (what is
        kept between runs: titles outlive column positions)."""
        return [COLUMNS[column].title for column in sorted(self._chosen_off)]

    def choose_hidden(self, titles: Iterable[object]) -> None:
        """Show every optional column but those titled ``titles`` (a saved choice;
        unknown titles are ignored)."""
        wanted = {title for title in titles if isinstance(title, str)}
        self._chosen_off = {c for c in OPTIONAL if COLUMNS[c].title in wanted}
        self.fit_columns()

    def set_column_chosen(self, column: int, shown: bool) -> None:
        """Show or hide optional column ``column``; emits ``columns_chosen``."""
        if column not in OPTIONAL or (column not in self._chosen_off) == shown:
            return
        if shown:
            self._chosen_off.discard(column)
        else:
            self._chosen_off.add(column)
        self.fit_columns()
        self.columns_chosen.emit()

    def column_menu(self) -> QMenu:
        """The header's menu: one tick per optional column."""
        menu = QMenu(self)
        menu.setObjectName("column_chooser")
        menu.addSection("Columns")
        model = self.model()
        for column in OPTIONAL:
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            action = QAction(title, menu, checkable=True)
            action.setObjectName(f"column_{column}")
            action.setChecked(column not in self._chosen_off)
            action.toggled.connect(lambda on, c=column: self.set_column_chosen(c, on))
            menu.addAction(action)
        return menu

    def _column_menu_at(self, at: QPoint) -> None:
        menu = self.column_menu()
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.horizontalHeader().mapToGlobal(at))

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if new > 0 and column in self._sizes:  # a person widened a column
            self._sizes[column] = new

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.cells.tones.clear()
            model = self.model()
            if isinstance(model, TicketTableModel):
                model.forget_looks()
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.size_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fully_visible(self, column: int) -> bool:
        """Whether ``column`` shows whole in the viewport (tests and layout checks)."""
        if self.isColumnHidden(column):
            return False
        left = self.columnViewportPosition(column)
        return left >= 0 and left + self.columnWidth(column) <= self.viewport().width()

    # --- keys ------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.currentIndex().isValid():
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


class EmptyState(QWidget):
    """What the table area says when a listing is empty, with the ways out."""

    search_everywhere = Signal()
    clear_filters = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        # the table area keeps the same minimum size whichever buttons show
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.title = QLabel()
        self.title.setObjectName("empty_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        muted = self.hint.palette()
        muted.setColor(QPalette.ColorRole.WindowText, text_colour("muted"))
        self.hint.setPalette(muted)
        for label in (self.title, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.everywhere_button = QPushButton("Search everywhere")
        self.everywhere_button.setObjectName("search_everywhere")
        self.everywhere_button.setToolTip("Search all tickets, open and closed, in every queue")
        self.everywhere_button.clicked.connect(self.search_everywhere)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setObjectName("clear_filters")
        self.clear_button.setToolTip("Remove the search text and every filter (Esc)")
        self.clear_button.clicked.connect(self.clear_filters)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.everywhere_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def show_for(self, title: str, hint: str, everywhere: bool, clear: bool) -> None:
        """Say why nothing shows; offer to search everywhere and to clear the filters
        when each would help."""
        self.title.setText(title)
        self.hint.setText(hint)
        self.everywhere_button.setVisible(everywhere)
        self.clear_button.setVisible(clear)
