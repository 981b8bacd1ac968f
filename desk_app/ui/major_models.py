"""Qt models of the major-incident board: small tables of plain rows (the active major
incidents, the timeline, the child incidents), each column a title and how to read a
row. They hold what one board load brought; nothing here reads the database."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from desk_app.core.labels import human_label
from desk_app.ui.palette import STATUS_TONE, priority_colour, text_colour

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself


@dataclass(frozen=True)
class Column:
    """A column: its title, its text for a row, and optionally its text colour and its
    tooltip (the text when none is given)."""

    title: str
    text: Callable[[Any], str]
    colour: Callable[[Any], QColor | None] | None = None
    tip: Callable[[Any], str] | None = None


class RowsModel(QAbstractTableModel):
    """A read-only table of ``rows`` shown through ``columns``."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        """The row object at ``row`` (None outside the table)."""
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.columns)):
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < len(self.columns):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tip or column.text)(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            return column.colour(row)
        if role == ROW_ROLE:
            return row
        return None


def local_time(moment: datetime | None, zone: ZoneInfo | None, layout: str = "%H:%M") -> str:
    """``moment`` on the desk's clock (blank for none)."""
    if moment is None:
        return ""
    return (moment.astimezone(zone) if zone else moment.astimezone()).strftime(layout)


def majors_model(zone: ZoneInfo | None, parent: QObject | None = None) -> RowsModel:
    """The active major incidents (``services.major_board.ActiveMajor`` rows)."""
    return RowsModel([
        Column("Number", lambda r: f"{r.number} {r.priority}",
               lambda r: priority_colour(r.priority)),
        Column("Summary", lambda r: r.summary),
        Column("Update due", lambda r: local_time(r.next_update_due, zone)),
    ], parent)


def timeline_model(zone: ZoneInfo | None, parent: QObject | None = None) -> RowsModel:
    """The timeline of a major incident (``TimelineItem`` rows), oldest first."""
    kind_tone = {"action": "accent", "decision": "warning", "note": "muted"}
    return RowsModel([
        Column("When", lambda r: local_time(r.at, zone, "%d %b %H:%M")),
        Column("Kind", lambda r: human_label(r.kind),
               lambda r: text_colour(kind_tone.get(r.kind, "muted"))),
        Column("What", lambda r: r.text),
        Column("By", lambda r: r.by),
    ], parent)


def children_model(parent: QObject | None = None) -> RowsModel:
    """The child incidents of a major incident (``ChildIncident`` rows)."""
    return RowsModel([
        Column("Number", lambda r: r.number),
        Column("Status", lambda r: human_label(r.status),
               lambda r: text_colour(STATUS_TONE.get(r.status, "muted"))),
        Column("Summary", lambda r: r.summary),
        Column("Reporter", lambda r: r.reporter),
    ], parent)
