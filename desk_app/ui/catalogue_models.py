"""Qt models of the catalogue: names for completion (services, CIs with their service)
and a CI's or service's incident history."""

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from desk_app.core.labels import human_label
from desk_app.ui.palette import STATUS_TONE, priority_colour, text_colour

SERVICE_ROLE = Qt.ItemDataRole.UserRole + 1  # a CI's service
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # a history row's ticket id
OPEN_ROLE = Qt.ItemDataRole.UserRole + 3  # whether a history row's ticket is open


class CatalogueNamesModel(QAbstractListModel):
    """Names to complete, each with an optional service (a CI's), shown as a tip."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str | None]] = []

    def set_rows(self, rows: list[tuple[str, str | None]]) -> None:
        """Replace the names (name, service or None)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def service_of(self, name: str) -> str | None:
        """The service of the named row (any case), or None."""
        key = name.strip().casefold()
        return next((service for each, service in self._rows if each.casefold() == key),
                    None)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name, service = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name} (service {service})" if service else name
        if role == SERVICE_ROLE:
            return service
        return None


HISTORY_COLUMNS = ("Number", "Logged", "Priority", "Status", "Summary")


class TicketHistoryModel(QAbstractTableModel):
    """The tickets on a CI or service, newest first; open ones bold and marked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Replace the rows (dicts as services.catalogue.entry_page gives them)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def ticket_id(self, row: int) -> str | None:
        """The id of the ticket on ``row``."""
        return self._rows[row]["id"] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HISTORY_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(HISTORY_COLUMNS):
            return HISTORY_COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 2:
                return priority_colour(row["priority"])
            if column == 3:
                return text_colour(STATUS_TONE.get(row["status"], "muted"))
            return None
        if role == Qt.ItemDataRole.FontRole and row["open"]:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row['number']}: open, double-click to open it" if row["open"] \
                else f"{row['number']}: double-click to open it"
        if role == ID_ROLE:
            return row["id"]
        if role == OPEN_ROLE:
            return bool(row["open"])
        return None

    @staticmethod
    def _text(row: dict[str, Any], column: int) -> str:
        if column == 0:
            return row["number"]
        if column == 1:
            logged = row["logged_at"]
            return logged.astimezone().strftime("%Y-%m-%d %H:%M") \
                if isinstance(logged, datetime) else str(logged or "")
        if column == 2:
            return row["priority"]
        if column == 3:
            return ("● " if row["open"] else "") + human_label(row["status"])
        return row["summary"]
