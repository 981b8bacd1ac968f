"""The rows an administrator edits in the catalogue editor, with what is staged on each:
new rows, changed fields and removals, until the one "Save changes"."""

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from desk_app.core.catalogue import CI_FIELDS, SERVICE_FIELDS, target_text
from desk_app.core.labels import human_label
from desk_app.services.catalogue_staging import StagedEntry
from desk_app.ui.palette import text_colour

FIELDS = {"service": SERVICE_FIELDS, "ci": CI_FIELDS}
SHOWN = {"service": (("name", "Service"), ("criticality", "Criticality"),
                     ("owner_group", "Owner group"), ("major_priorities", "Major at"),
                     ("sla_targets", "Own SLA targets")),
         "ci": (("name", "Configuration item"), ("type", "Type"), ("service", "Service"),
                ("location", "Location"), ("serial", "Serial"))}
STATE_TONE = {"new": "success", "changed": "accent", "removed": "danger", "retired": "muted"}


def editable(kind: str, row: dict[str, Any]) -> dict[str, str]:
    """A stored row's fields as the editor's text fields show them."""
    values = {f: "" if row.get(f) is None else str(row[f]) for f in FIELDS[kind]}
    if kind == "service":
        values["sla_targets"] = target_text(row.get("sla_targets"))
    return values


class StagedCatalogueModel(QAbstractTableModel):
    """Services or CIs (``kind``) as stored plus the staged edits on them."""

    def __init__(self, kind: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._stored: list[dict[str, str]] = []
        self._rows: list[dict[str, Any]] = []  # {"values", "state", "retired"}

    # --- loading and staging ---------------------------------------------------------

    def load(self, rows: list[dict[str, Any]]) -> None:
        """Show the stored rows; staged edits are dropped."""
        self.beginResetModel()
        self._stored = [editable(self.kind, row) for row in rows]
        self._rows = [{"values": dict(values), "state": "", "retired": bool(row["retired"])}
                      for values, row in zip(self._stored, rows, strict=True)]
        self.endResetModel()

    def add_row(self) -> int:
        """Stage a new empty row; returns its position."""
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append({"values": dict.fromkeys(FIELDS[self.kind], ""), "state": "new",
                           "retired": False})
        if self.kind == "service":
            self._rows[-1]["values"]["criticality"] = "medium"
        self.endInsertRows()
        return position

    def values(self, row: int) -> dict[str, str]:
        """The fields of ``row`` as shown."""
        return dict(self._rows[row]["values"])

    def is_new(self, row: int) -> bool:
        return self._rows[row]["state"] == "new"

    def state(self, row: int) -> str:
        """"new", "changed", "removed", "retired" (stored so) or ""."""
        staged = self._rows[row]
        return staged["state"] or ("retired" if staged["retired"] else "")

    def set_value(self, row: int, field: str, value: str) -> None:
        """Stage a new value of one field."""
        staged = self._rows[row]
        staged["values"][field] = value
        if staged["state"] != "new":
            changed = staged["values"] != self._stored[row]
            staged["state"] = "removed" if staged["state"] == "removed" else (
                "changed" if changed else "")
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def toggle_removed(self, row: int) -> None:
        """Stage the removal of a stored row (or take it back); a new row just goes."""
        staged = self._rows[row]
        if staged["state"] == "new":
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            return
        if staged["state"] == "removed":
            staged["state"] = "changed" if staged["values"] != self._stored[row] else ""
        else:
            staged["state"] = "removed"
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def row_named(self, name: str) -> int | None:
        """The row of the name (any case), or None."""
        key = name.strip().casefold()
        return next((i for i, r in enumerate(self._rows)
                     if r["values"]["name"].strip().casefold() == key), None)

    def staged(self) -> list[StagedEntry]:
        """The staged changes as the catalogue service takes them."""
        entries = []
        stored = iter(self._stored)
        for staged in self._rows:
            values = staged["values"]
            if staged["state"] == "new":
                entries.append(StagedEntry(self.kind, values["name"], "add",
                                           {k: v for k, v in values.items() if k != "name"}))
                continue
            before = next(stored)
            if staged["state"] == "removed":
                entries.append(StagedEntry(self.kind, before["name"], "remove"))
            elif staged["state"] == "changed":
                changed = {k: v for k, v in values.items() if v != before[k] and k != "name"}
                entries.append(StagedEntry(self.kind, before["name"], "edit", changed))
        return entries

    # --- the model -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SHOWN[self.kind]) + 1

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        shown = SHOWN[self.kind]
        if 0 <= section < len(shown):
            return shown[section][1]
        return "Change" if section == len(shown) else None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = index.row(), index.column()
        shown = SHOWN[self.kind]
        state = self.state(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == len(shown):
                return human_label(state) if state else ""
            value = self._rows[row]["values"][shown[column][0]]
            return human_label(value) if shown[column][0] == "criticality" and value \
                else value
        if role == Qt.ItemDataRole.ForegroundRole and state:
            return text_colour(STATE_TONE[state])
        if role == Qt.ItemDataRole.FontRole and state in ("new", "changed", "removed"):
            font = QFont()
            font.setItalic(True)
            font.setStrikeOut(state == "removed")
            return font
        return None
