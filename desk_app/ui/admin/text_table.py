"""An editable table of text cells with add and remove buttons."""

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class TextTable(QWidget):
    """Rows of text cells under fixed column titles."""

    def __init__(self, columns: list[str], name: str, growable: bool = True,
                 tooltip: str = "") -> None:
        super().__init__()
        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName(name)
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setToolTip(tooltip)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        if growable:
            buttons = QHBoxLayout()
            add, remove = QPushButton("Add row"), QPushButton("Remove row")
            add.setObjectName(f"{name}_add")
            remove.setObjectName(f"{name}_remove")
            add.clicked.connect(lambda: self.add_row([""] * len(columns)))
            remove.clicked.connect(self._remove)
            buttons.addWidget(add)
            buttons.addWidget(remove)
            buttons.addStretch(1)
            layout.addLayout(buttons)

    def add_row(self, values: list[str]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate(values):
            self.table.setItem(row, column, QTableWidgetItem(value))

    def set_rows(self, rows: list[list[str]]) -> None:
        self.table.setRowCount(0)
        for values in rows:
            self.add_row(values)
        self.table.resizeColumnsToContents()

    def rows(self) -> list[list[str]]:
        """Every row's cell texts, stripped; blank rows left out."""
        result = []
        for row in range(self.table.rowCount()):
            cells = []
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                cells.append(item.text().strip() if item else "")
            if any(cells):
                result.append(cells)
        return result

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)


def split_list(text: str, separator: str = ",") -> list[str]:
    """``"a, b,, c"`` as ``["a", "b", "c"]``."""
    return [part.strip() for part in text.split(separator) if part.strip()]
