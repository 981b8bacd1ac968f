"""A read-only table of dashboard rows (a breakdown, the backlog, time spent): one
:class:`~desk_app.services.kpi_dashboard.KpiRow` a line, columns chosen by the table."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desk_app.services.kpi_dashboard import KpiRow
from desk_app.ui.kpi_tile import format_value

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column: its header, and how a row's cell is read (a number or text)."""

    header: str
    value: Callable[[KpiRow], Any]
    unit: str = "count"


def count(name: str, header: str) -> Column:
    """A column of one of the row's counts."""
    return Column(header, lambda row: row.counts.get(name, 0))


def kpi(name: str, header: str, unit: str) -> Column:
    """A column of one of the row's KPI values."""
    return Column(header, lambda row: row.values.get(name), unit)


LABEL = Column("", lambda row: row.label, "text")
BREAKDOWN_COLUMNS = (
    count("logged", "Logged"), count("open", "Open"),
    kpi("mttr_detection_hours", "MTTR", "hours"),
    kpi("sla_compliance", "SLA", "percent"),
    kpi("first_contact_resolution", "FCR", "percent"),
    kpi("recurrence", "Recurrence", "percent"),
    kpi("satisfaction", "Satisfaction", "percent"),
    kpi("time_spent_hours", "Time spent", "hours"))
TIME_COLUMNS = (Column("Hours", lambda row: round(row.counts.get("minutes", 0) / 60, 2),
                       "hours"),
                count("entries", "Worklog entries"))

HEADER_TIPS = {"MTTR": "Mean time to resolve, from detection where known (hours)",
               "SLA": "SLA compliance: resolved within the resolution target",
               "FCR": "First contact resolution: resolved at L1, no escalation or "
                      "reassignment",
               "Recurrence": "Reopened, or followed by a linked incident within 30 days"}


class KpiRowsModel(QAbstractTableModel):
    """Rows of one dashboard table; the first column is the row's label, headed
    ``title``."""

    def __init__(self, title: str, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = [Column(title, LABEL.value, "text"), *columns]
        self.rows: list[KpiRow] = []

    def set_rows(self, rows: Sequence[KpiRow]) -> None:
        """Show ``rows`` (a recomputed period)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        column = self.columns[index.column()]
        value = column.value(self.rows[index.row()])
        if role == Qt.ItemDataRole.DisplayRole:
            return value if column.unit == "text" else format_value(value, column.unit)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignLeft if column.unit == "text"
                        else Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Double-click or press Enter to open these tickets"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        header = self.columns[section].header
        if role == Qt.ItemDataRole.DisplayRole:
            return header
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(header)
        return None

    def row_at(self, row: int) -> KpiRow | None:
        """The dashboard row shown on line ``row``."""
        return self.rows[row] if 0 <= row < len(self.rows) else None
