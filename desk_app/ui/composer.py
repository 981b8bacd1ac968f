"""The composer under the timeline: a note, the time spent and, optionally, a status
change, posted in one step. What is typed is kept as a draft per ticket."""

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desk_app.core.enums import HoldReason, WorklogKind
from desk_app.core.labels import human_label
from desk_app.ui.drafts import SAVE_AFTER_MS, DraftStore
from desk_app.ui.refusals import error_label, refusal_text

PLACEHOLDER = "Add a note: what you did or found (Ctrl+Enter adds it)"


class Composer(QWidget):
    """``posted(values)`` with note, minutes, kind, status and hold_reason."""

    posted = Signal(dict)

    def __init__(self, drafts: DraftStore | None = None) -> None:
        super().__init__()
        self.setObjectName("composer")
        self.drafts = drafts or DraftStore()
        self.ticket_id: str | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setHorizontalSpacing(6)
        self.note = QPlainTextEdit()
        self.note.setObjectName("composer_note")
        self.note.setPlaceholderText(PLACEHOLDER)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        grid.addWidget(self.note, 0, 0, 1, 4)
        self.kind = QComboBox()
        self.kind.setObjectName("composer_kind")
        for kind in WorklogKind:
            self.kind.addItem(human_label(kind.value), kind.value)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("composer_minutes")
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" min")
        self.minutes.setToolTip("Time spent")
        self.status = QComboBox()
        self.status.setObjectName("composer_status")
        self.status.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status.setMinimumContentsLength(16)
        self.status.setToolTip("Change the status in the same step")
        self.post = QPushButton("Add note")
        self.post.setObjectName("post_update")
        self.post.clicked.connect(self.submit)
        row = QHBoxLayout()
        row.setSpacing(6)
        for widget in (self.kind, self.minutes, self.status):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.post)
        grid.addLayout(row, 1, 0, 1, 4)
        self.error = error_label()
        grid.addWidget(self.error, 2, 0, 1, 4)
        self.restored = QLabel()
        self.restored.setObjectName("composer_restored")
        self.restored.hide()
        grid.addWidget(self.restored, 3, 0, 1, 4)
        QShortcut(QKeySequence("Ctrl+Return"), self.note, self.submit,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.status.currentIndexChanged.connect(self._name_button)
        self._draft_timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self.note.textChanged.connect(self._draft_timer.start)
        self.minutes.valueChanged.connect(self._draft_timer.start)

    def _draft_key(self) -> str:
        return f"note-{self.ticket_id}"

    def show_ticket(self, data: dict[str, Any]) -> None:
        """Offer what the ticket allows; another ticket brings back its own draft."""
        actions = data["actions"]
        if data["id"] != self.ticket_id:
            if self.ticket_id is not None:
                self.save_draft_now()
            self.ticket_id = data["id"]
            self._restore_draft()
        chosen = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem("Keep the status", None)
        if data["status"] == "on_hold" and actions.get("resume") is None:
            self.status.addItem("Resume work", "in_progress")
        elif actions.get("start_work") is None:
            self.status.addItem("Start work", "in_progress")
        if actions.get("hold") is None:
            for reason in HoldReason:
                if (data["status"], data["hold_reason"]) != ("on_hold", reason.value):
                    self.status.addItem(f"Put on hold · {human_label(reason.value)}",
                                        f"on_hold:{reason.value}")
        self.status.setCurrentIndex(max(self.status.findData(chosen), 0))
        self.status.blockSignals(False)
        self._name_button()
        reason = actions.get("worklog")
        for widget in (self.note, self.kind, self.minutes, self.status, self.post):
            widget.setEnabled(reason is None)
        self.note.setPlaceholderText(reason or PLACEHOLDER)

    def _name_button(self) -> None:
        choice = self.status.currentData()
        self.post.setText("Add note" if choice is None else
                          f"Add note and {self.status.currentText().split(' · ')[0].lower()}")

    def values(self) -> dict[str, Any]:
        """What the composer would post."""
        status, _colon, hold_reason = (self.status.currentData() or "").partition(":")
        return {"note": self.note.toPlainText(), "minutes": self.minutes.value(),
                "kind": self.kind.currentData(), "status": status or None,
                "hold_reason": hold_reason or None}

    def submit(self) -> None:
        """Post the update (an empty note is refused here, naming the field)."""
        if not self.note.toPlainText().strip():
            self.error.setText("note: write what was done before adding it")
            self.error.show()
            self.note.setFocus()
            return
        self.error.hide()
        self.post.setEnabled(False)
        self.posted.emit(self.values())

    def succeeded(self) -> None:
        """The update was saved: empty again, no draft."""
        self._draft_timer.stop()
        self.drafts.discard(self._draft_key())
        with QSignalBlocker(self.note), QSignalBlocker(self.minutes):
            self.note.clear()
            self.minutes.setValue(0)
        self.status.setCurrentIndex(0)
        self.restored.hide()
        self.post.setEnabled(True)

    def refused(self, error: Exception) -> None:
        """Say why; everything typed stays."""
        self.post.setEnabled(True)
        self.error.setText(refusal_text(error))
        self.error.show()

    # --- the draft -------------------------------------------------------------------

    def save_draft_now(self) -> bool:
        """Keep the note typed for this ticket on disk (an empty note: no draft);
        returns whether there was one to keep."""
        self._draft_timer.stop()
        if self.ticket_id is None:
            return False
        if self.note.toPlainText().strip():
            self.drafts.save(self._draft_key(), {"note": self.note.toPlainText(),
                                                 "minutes": self.minutes.value(),
                                                 "kind": self.kind.currentData()})
            return True
        self.drafts.discard(self._draft_key())
        return False

    def _restore_draft(self) -> None:
        kept = self.drafts.load(self._draft_key())
        values = kept[0] if kept else {}
        with QSignalBlocker(self.note), QSignalBlocker(self.minutes):
            self.note.setPlainText(str(values.get("note", "")))
            self.minutes.setValue(int(values.get("minutes") or 0))
            self.kind.setCurrentIndex(max(self.kind.findData(values.get("kind", "note")), 0))
        self.error.hide()
        self.restored.setText(f"Restored the note you were writing ({kept[1][:16]})."
                              if kept else "")
        self.restored.setVisible(bool(kept))
