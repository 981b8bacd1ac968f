"""A configuration item's or a service's page: its details, its service (a CI) or its
CIs (a service), and its incident history, newest first with the open tickets marked
and counted. Double-clicking (or Enter on) a ticket asks the window to open it; the
service of a CI opens its own page."""

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.catalogue import target_text
from desk_app.core.labels import human_label
from desk_app.services.catalogue import KIND_LABEL, entry_page
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.catalogue_models import TicketHistoryModel
from desk_app.ui.refusals import error_label, refusal_text
from desk_app.ui.worker import BackgroundWorker

CI_DETAILS = (("type", "Type"), ("serial", "Serial number"), ("location", "Location"),
              ("owner", "Owner"), ("notes", "Notes"))
SERVICE_DETAILS = (("criticality", "Criticality"), ("owner_group", "Owner group"),
                   ("calendar", "Calendar"), ("major_priorities", "Major incident at"),
                   ("sla_targets", "Own SLA targets"), ("notes", "Notes"))
CRITICALITY_TONE = {"low": "muted", "medium": "info", "high": "warning", "critical": "danger"}


class CataloguePage(QDialog):
    """``ticket_chosen(ticket_id)`` when a ticket of the history is opened;
    ``page_shown(page)`` once the page's data arrived."""

    ticket_chosen = Signal(str)
    page_shown = Signal(dict)

    def __init__(self, parent: QWidget | None, worker: BackgroundWorker, session: Session,
                 kind: str, name: str) -> None:
        super().__init__(parent)
        self.setObjectName("catalogue_page")
        self._worker = worker
        self._session = session
        self.kind, self.name = kind, name
        self.page: dict[str, Any] | None = None
        self.setWindowTitle(f"{KIND_LABEL[kind].capitalize()} {name}")
        layout = QVBoxLayout(self)
        card = QFrame()
        card.setObjectName("catalogue_card")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        look.set_card(card)
        top = QVBoxLayout(card)
        heading = QHBoxLayout()
        self.title = QLabel(name)
        self.title.setObjectName("catalogue_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # stored text is never markup
        self.title.setFont(look.font(look.BODY_PT + 5, bold=True))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading.addWidget(self.title)
        self.chip = QLabel()
        self.chip.setTextFormat(Qt.TextFormat.PlainText)
        self.chip.setObjectName("catalogue_chip")
        heading.addWidget(self.chip)
        heading.addStretch(1)
        self.counts = QLabel()
        self.counts.setObjectName("catalogue_counts")
        self.counts.setFont(look.font(look.BODY_PT, bold=True))
        heading.addWidget(self.counts)
        top.addLayout(heading)
        self.details = QFormLayout()
        top.addLayout(self.details)
        self.related_button = QPushButton()
        self.related_button.setObjectName("catalogue_related")
        self.related_button.hide()
        self.related_button.clicked.connect(self._open_related)
        top.addWidget(self.related_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(card)
        self.history_label = QLabel("<b>Incident history</b> (newest first; ● open)")
        layout.addWidget(self.history_label)
        self.model = TicketHistoryModel(self)
        self.table = QTableView()
        self.table.setObjectName("catalogue_history")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((100, 150, 64, 120)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 560)
        self.reload()

    def reload(self) -> None:
        """Read the page again on the database thread."""
        session, kind, name = self._session, self.kind, self.name
        self._worker.submit(lambda: entry_page(session, kind, name), self._show,
                            self._refused)

    def _show(self, page: dict[str, Any]) -> None:
        self.page = page
        entry = page["entry"]
        self.name = entry["name"]
        self.title.setText(entry["name"] + (" (retired)" if entry["retired"] else ""))
        self.setWindowTitle(f"{KIND_LABEL[self.kind].capitalize()} {entry['name']}")
        counts = page["counts"]
        self.counts.setText(f"{counts['tickets']} incident(s) · {counts['open']} open")
        look.set_tone(self.counts, "warning" if counts["open"] else "success")
        if self.kind == "service":
            self.chip.setText(human_label(entry["criticality"]))
            look.set_chip(self.chip, CRITICALITY_TONE.get(entry["criticality"], "muted"))
        else:
            self.chip.setText(entry["type"] or "CI")
            look.set_chip(self.chip, "accent")
        while self.details.rowCount():
            self.details.removeRow(0)
        for key, label in CI_DETAILS if self.kind == "ci" else SERVICE_DETAILS:
            value = entry.get(key)
            if key == "sla_targets":
                value = target_text(value)
            if key == "criticality":
                continue
            shown = QLabel(str(value) if value not in (None, "") else "—")
            shown.setObjectName(f"catalogue_{key}")
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addRow(label, shown)
        self._show_related(page)
        self.model.set_rows(page["history"])
        self.page_shown.emit(page)

    def _show_related(self, page: dict[str, Any]) -> None:
        if self.kind == "ci":
            service = page.get("service")
            name = page["entry"]["service"]
            if name:
                self.related_button.setText(f"Service: {name} ›")
                self.related_button.setEnabled(service is not None)
                self.related_button.show()
            else:
                self.related_button.hide()
        else:
            cis = page.get("cis", [])
            names = ", ".join(c["name"] for c in cis[:8]) + (" …" if len(cis) > 8 else "")
            listed = QLabel(names or "—")
            listed.setTextFormat(Qt.TextFormat.PlainText)
            self.details.addRow("Configuration items", listed)
            self.related_button.hide()

    def _open_related(self) -> None:
        if self.page is None or self.kind != "ci" or not self.page["entry"]["service"]:
            return
        other = CataloguePage(self.parentWidget(), self._worker, self._session, "service",
                              self.page["entry"]["service"])
        other.ticket_chosen.connect(self.ticket_chosen)
        other.open()

    def _activated(self, index: QModelIndex) -> None:
        ticket_id = self.model.ticket_id(index.row())
        if ticket_id is not None:
            self.ticket_chosen.emit(ticket_id)

    def _refused(self, error: Exception) -> None:
        self.error.setText(refusal_text(error))
        self.error.show()


def open_catalogue_page(parent: QWidget, worker: BackgroundWorker, session: Session,
                        kind: str, name: str, open_ticket: Any) -> CataloguePage:
    """Open the page of a CI or service (non-modal); a chosen ticket goes to
    ``open_ticket(ticket_id)``."""
    page = CataloguePage(parent, worker, session, kind, name)
    page.ticket_chosen.connect(open_ticket)
    page.open()
    return page
