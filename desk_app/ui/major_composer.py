"""The update composer of a major incident: the five parts of an update (status,
impact, what is being done, workaround, the next update's time, prefilled from the
rhythm), who it goes to (the stakeholders and the reporters of the incident and its
children), and the "final update" switch that closes the rhythm. A refused part is
marked on its field and nothing typed is lost (a draft is kept while typing)."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.changes import Changes, ticket_operation
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.drafted_dialog import DraftedDialog
from desk_app.ui.drafts import DraftStore
from desk_app.ui.refusals import error_label, refusal_text
from desk_app.ui.worker import BackgroundWorker

lookup = deferred("desk_app.services.lookup")
major_updates = deferred("desk_app.services.major_updates")

STATUSES = ("Investigating", "Identified", "Fix in progress", "Monitoring", "Resolved")
TEXT_PARTS = ("impact", "actions", "workaround")
PART_LABELS = {"status": "Status", "impact": "Impact", "actions": "What is being done",
               "workaround": "Workaround", "next_update_at": "Next update at"}


def recipients_of(number: str) -> list[str]:
    """The addresses an update of ``number`` goes to (read on the database worker)."""
    ticket = lookup.ticket_by_number(number)
    return [address for _ticket, address in major_updates.update_recipients(ticket)]


class UpdateComposer(DraftedDialog):
    """Build with the board shown (``services.major_board.MajorBoard``), the suggested
    next update time, and ``submit(values, composer)`` that starts the sending and
    calls ``succeeded()`` or ``refused(error)``. ``recipients_shown`` when the preview
    of who receives it arrived."""

    recipients_shown = Signal(list)

    def __init__(self, parent: QWidget | None, board: Any, next_at: datetime,
                 submit: Callable[[dict[str, Any], "UpdateComposer"], None],
                 drafts: DraftStore | None = None) -> None:
        super().__init__(parent, f"major_update-{board.number}", submit, drafts)
        self.setObjectName("update_composer")
        sequence = len(board.updates) + 1
        self.setWindowTitle(f"Update #{sequence}: {board.number}")
        layout = QVBoxLayout(self)
        title = QLabel(f"{board.number} · {board.priority} · {board.summary}")
        title.setFont(look.font(look.HEADING_PT, bold=True))
        title.setWordWrap(True)
        layout.addWidget(title)
        self.restored = QLabel()
        self.restored.setObjectName("draft_restored")
        self.restored.hide()
        layout.addWidget(self.restored)
        form = QFormLayout()
        self.inputs: dict[str, QWidget] = {}
        status = QComboBox()
        status.setEditable(True)
        status.addItems(STATUSES)
        self.inputs["status"] = status
        for name in TEXT_PARTS:
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(62)
            self.inputs[name] = text
        self.inputs["impact"].setPlaceholderText("Who and what is affected, and how badly")
        self.inputs["actions"].setPlaceholderText("What the team is doing now")
        self.inputs["workaround"].setPlaceholderText("What users can do meanwhile "
                                                     "(or: none yet)")
        moment = QDateTimeEdit()
        moment.setCalendarPopup(True)
        moment.setDisplayFormat("ddd dd MMM yyyy HH:mm")
        moment.setDateTime(QDateTime(next_at.astimezone()))
        self.inputs["next_update_at"] = moment
        for name, widget in self.inputs.items():
            widget.setObjectName(name)
        self.final = QCheckBox("Final update: resolved, no more updates")
        self.final.setToolTip("The final \"resolved\" notice closes the update rhythm")
        self.final.setObjectName("final")
        self.final.toggled.connect(self._final_toggled)
        self.inputs["final"] = self.final
        for name in PART_LABELS:
            form.addRow(PART_LABELS[name] + " *", self.inputs[name])
        form.addRow("", self.final)
        layout.addLayout(form)
        self.recipients = QLabel("Recipients: reading…")
        self.recipients.setObjectName("recipients")
        self.recipients.setWordWrap(True)
        look.set_tone(self.recipients, "muted")
        layout.addWidget(self.recipients)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Send update")
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)
        self._prefill(board)
        self._restore_draft()
        status.currentTextChanged.connect(self._edited)
        for name in TEXT_PARTS:
            self.inputs[name].textChanged.connect(self._edited)
        moment.dateTimeChanged.connect(self._edited)
        self.final.toggled.connect(self._edited)
        self.inputs["impact"].setFocus(Qt.FocusReason.OtherFocusReason)

    def _prefill(self, board: Any) -> None:
        """The status, impact and workaround of the last update (they change little)."""
        if not board.updates:
            return
        last = board.updates[-1]
        self.inputs["status"].setCurrentText(last.status)
        self.inputs["impact"].setPlainText(last.impact)
        self.inputs["workaround"].setPlainText(last.workaround)

    def _final_toggled(self, final: bool) -> None:
        self.inputs["next_update_at"].setEnabled(not final)
        if final:
            self.inputs["status"].setCurrentText("Resolved")
        self.ok.setText("Send final update" if final else "Send update")

    def show_recipients(self, addresses: list[str]) -> None:
        """The preview of who receives the update."""
        self.recipients.setText(
            f"Recipients ({len(addresses)}): " + ", ".join(addresses) if addresses else
            "Recipients: nobody yet (add stakeholders, or children with reporters' "
            "addresses); the update is still logged.")
        self.recipients_shown.emit(addresses)

    # --- values and the draft --------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The parts as the service takes them (``next_update_at`` aware, None when
        final)."""
        moment: datetime = self.inputs["next_update_at"].dateTime().toPython()
        final = self.final.isChecked()
        return {"status": self.inputs["status"].currentText(),
                **{name: self.inputs[name].toPlainText() for name in TEXT_PARTS},
                "next_update_at": None if final else moment.astimezone(), "final": final}

    def save_draft_now(self) -> bool:
        """Keep the typed parts on disk; returns whether any text was typed."""
        self._draft_timer.stop()
        values = self.values()
        if not any(values[name].strip() for name in TEXT_PARTS):
            return False
        self.drafts.save(self.draft_key, {**{n: values[n] for n in ("status", *TEXT_PARTS)},
                                          "final": values["final"]})
        return True

    def _restore_draft(self) -> None:
        kept = self.drafts.load(self.draft_key)
        if kept is None:
            return
        values, saved_at = kept
        self.inputs["status"].setCurrentText(values.get("status") or "")
        for name in TEXT_PARTS:
            self.inputs[name].setPlainText(values.get(name) or "")
        self.final.setChecked(bool(values.get("final")))
        self.restored.setText("Restored what you were typing when desk-app last stopped "
                              f"({saved_at[:16].replace('T', ' ')}).")
        self.restored.show()

    # --- sending ---------------------------------------------------------------------


def open_composer(parent: QWidget, worker: BackgroundWorker, session: Session, load: Any,
                  sent: Callable[[Changes], None]) -> UpdateComposer:
    """Open the composer for the board ``load`` shows (``ui.major_board.BoardLoad``);
    ``sent(changes)`` after the update went out."""
    board = load.board
    number = board.number
    next_at = session.now_fn() + (load.every or timedelta(minutes=30))

    def submit(values: dict[str, Any], composer: UpdateComposer) -> None:
        def work() -> Changes:
            ticket_id = lookup.ticket_by_number(number).id
            return ticket_operation(session, ticket_id, lambda: major_updates.send_update(
                session, number, values["status"], values["impact"], values["actions"],
                values["workaround"], values["next_update_at"], final=values["final"]))

        worker.submit(work, lambda changes: (composer.succeeded(changes.result),
                                             sent(changes)), composer.refused)

    composer = UpdateComposer(parent, board, next_at, submit)
    composer.setWindowFlag(Qt.WindowType.Dialog, True)
    worker.submit(lambda: recipients_of(number), composer.show_recipients,
                  lambda error: composer.recipients.setText(f"Recipients: {refusal_text(error)}"))
    composer.open()
    return composer

