"""The catalogue editor (administrators): services and configuration items in two
tabs, each a table with the selected row's fields below. Additions, changes and
removals are staged; "Save changes" shows what would change (checked exactly as the
save checks it) and applies all of it in one activity, or none, marking the refused
field. A row's page (its incident history) opens from here too."""

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.admin_changes import StagedChangeRefused
from desk_app.core.catalogue import Criticality
from desk_app.core.labels import human_label
from desk_app.services.catalogue import list_entries
from desk_app.services.catalogue_staging import preview_catalogue, save_catalogue
from desk_app.services.session import Session
from desk_app.ui.admin.catalogue_model import FIELDS, StagedCatalogueModel
from desk_app.ui.admin.summary_dialog import SaveSummary
from desk_app.ui.refusals import error_label, mark, refusal_text
from desk_app.ui.worker import BackgroundWorker

LABELS = {"name": "Name", "criticality": "Criticality", "owner_group": "Owner group",
          "calendar": "Calendar", "major_priorities": "Major incident at",
          "sla_targets": "Own SLA targets", "notes": "Notes", "type": "Type",
          "serial": "Serial number", "location": "Location", "owner": "Owner",
          "service": "Service"}
HINTS = {"major_priorities": "e.g. P1,P2: any of these on the service is a major incident",
         "sla_targets": "e.g. P1=15m/2h; P2=30m/6h (response/resolution); empty: the "
                        "policy's",
         "calendar": "the policy calendar its own targets count on (empty: the priority's)",
         "service": "the service this item belongs to"}


class CatalogueTab(QWidget):
    """One kind's table and the selected row's fields."""

    edited = Signal()
    page_requested = Signal(str, str)  # kind, name

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.model = StagedCatalogueModel(kind, self)
        layout = QVBoxLayout(self)
        self.table = QTableView()
        self.table.setObjectName(f"catalogue_{kind}_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._fill())
        self.table.doubleClicked.connect(lambda *_a: self._open_page())
        layout.addWidget(self.table, 3)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add")
        self.add_button.setObjectName(f"add_{kind}")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Remove / undo remove")
        self.remove_button.setObjectName(f"remove_{kind}")
        self.remove_button.setToolTip("One that tickets name is retired, not deleted")
        self.remove_button.clicked.connect(self.toggle_removed)
        self.page_button = QPushButton("Open page…")
        self.page_button.setObjectName(f"page_{kind}")
        self.page_button.setToolTip("Its details and every incident on it")
        self.page_button.clicked.connect(self._open_page)
        for button in (self.add_button, self.remove_button, self.page_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        form = QFormLayout()
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        for field in FIELDS[kind]:
            widget: QLineEdit | QComboBox
            if field == "criticality":
                widget = QComboBox()
                for level in Criticality:
                    widget.addItem(human_label(level.value), level.value)
                widget.currentIndexChanged.connect(
                    lambda _i, f=field: self._changed(f, self.inputs[f].currentData()))
            else:
                widget = QLineEdit()
                widget.textEdited.connect(lambda text, f=field: self._changed(f, text))
                widget.setPlaceholderText(HINTS.get(field, ""))
            widget.setObjectName(f"{kind}_{field}")
            self.inputs[field] = widget
            form.addRow(LABELS[field], widget)
        layout.addLayout(form, 2)
        self._filling = False
        self._fill()

    def load(self, rows: list[dict[str, Any]]) -> None:
        """Show the stored rows (staged edits dropped)."""
        self.model.load(rows)
        self._fill()

    def current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def select(self, row: int) -> None:
        """Make ``row`` the current row."""
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self._fill()

    def add(self) -> None:
        """Stage a new row and put the cursor in its name."""
        self.select(self.model.add_row())
        self.inputs["name"].setFocus()
        self.edited.emit()

    def toggle_removed(self) -> None:
        row = self.current_row()
        if row is None:
            return
        self.model.toggle_removed(row)
        self._fill()
        self.edited.emit()

    def _changed(self, field: str, value: str) -> None:
        row = self.current_row()
        if row is None or self._filling:
            return
        self.model.set_value(row, field, value or "")
        mark(self.inputs[field], None)
        self.edited.emit()

    def _fill(self) -> None:
        row = self.current_row()
        self._filling = True
        values = self.model.values(row) if row is not None else {}
        for field, widget in self.inputs.items():
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(values.get(field, "medium"))))
            else:
                widget.setText(values.get(field, ""))
            widget.setEnabled(row is not None and self.model.state(row) != "removed"
                              and (field != "name" or self.model.is_new(row)))
        self._filling = False
        stored = row is not None and not self.model.is_new(row)
        self.remove_button.setEnabled(row is not None)
        self.page_button.setEnabled(stored)

    def _open_page(self) -> None:
        row = self.current_row()
        if row is not None and not self.model.is_new(row):
            self.page_requested.emit(self.kind, self.model.values(row)["name"])


class CatalogueEditor(QDialog):
    """``loaded`` after the rows arrived; ``summary_shown(box)`` with the confirmation;
    ``saved(summary)`` after a save."""

    loaded = Signal()
    summary_shown = Signal(object)
    saved = Signal(list)
    page_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None, worker: BackgroundWorker,
                 session: Session) -> None:
        super().__init__(parent)
        self.setObjectName("catalogue_editor")
        self.setWindowTitle("Service catalogue")
        self._worker = worker
        self._session = session
        self.confirm_box: SaveSummary | None = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.services = CatalogueTab("service")
        self.cis = CatalogueTab("ci")
        self.tabs.addTab(self.services, "Services")
        self.tabs.addTab(self.cis, "Configuration items")
        for tab in (self.services, self.cis):
            tab.edited.connect(self._edited)
            tab.page_requested.connect(self.page_requested)
        layout.addWidget(self.tabs, 1)
        self.note = QLabel()
        self.note.setObjectName("catalogue_note")
        layout.addWidget(self.note)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("Save changes…")
        self.save_button.setObjectName("save_catalogue")
        self.save_button.setAutoDefault(False)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 640)
        self.reload()

    def reload(self) -> None:
        """Read both lists again (staged edits dropped)."""
        session = self._session
        self.save_button.setEnabled(False)
        self._worker.submit(lambda: (list_entries(session, "service", True),
                                     list_entries(session, "ci", True)),
                            self._show, self._refused)

    def _show(self, rows: tuple[list[dict], list[dict]]) -> None:
        self.services.load(rows[0])
        self.cis.load(rows[1])
        self.save_button.setEnabled(True)
        self._edited()
        self.loaded.emit()

    def staged(self) -> list:
        """Every staged change of both tabs."""
        return self.services.model.staged() + self.cis.model.staged()

    def _edited(self) -> None:
        count = len(self.staged())
        self.note.setText(f"{count} unsaved change{'s' if count != 1 else ''}" if count
                          else "No unsaved changes.")

    def save(self) -> None:
        """Show what would change, checked as the save checks it, and ask to confirm."""
        staged = self.staged()
        self.error.hide()
        if not staged:
            self.note.setText("Nothing to save.")
            return
        session = self._session
        self.save_button.setEnabled(False)
        self._worker.submit(lambda: preview_catalogue(session, staged),
                            lambda summary: self._confirm(staged, summary), self._refused)

    def _confirm(self, staged: list, summary: list[str]) -> None:
        self.save_button.setEnabled(True)
        box = SaveSummary(self, summary)
        box.accepted.connect(lambda: self._apply(staged))
        self.confirm_box = box
        box.open()
        self.summary_shown.emit(box)

    def _apply(self, staged: list) -> None:
        session = self._session
        self._worker.submit(lambda: save_catalogue(session, staged), self._saved,
                            self._refused)

    def _saved(self, summary: list[str]) -> None:
        self.saved.emit(summary)
        self.reload()
        self.note.setText(f"Saved {len(summary)} change(s).")

    def _refused(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, StagedChangeRefused):
            tab = self.services if error.part == "service" else self.cis
            row = tab.model.row_named(error.key)
            if row is not None:
                self.tabs.setCurrentWidget(tab)
                tab.select(row)
            widget = tab.inputs.get(error.field.split(".")[0])
            if widget is not None:
                mark(widget, refusal_text(error))
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.error.setText(refusal_text(error) + "\nNothing was saved.")
        self.error.show()
