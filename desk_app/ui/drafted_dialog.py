"""A dialog whose typing is kept as a draft until it is sent or cancelled: the common
part of the major-incident dialogs (declare, update composer).

A subclass builds ``inputs`` (name -> widget), ``error`` (a label) and ``ok`` (the OK
button), and implements ``values()``, ``save_draft_now()`` and ``_restore_draft()``;
this class saves the draft a moment after each edit, sends through ``submit(values,
dialog)``, and shows a refusal on the field it names with everything typed kept.
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QWidget

from desk_app.ui.drafts import SAVE_AFTER_MS, DraftStore
from desk_app.ui.refusals import mark, refusal_text, refused_fields


class DraftedDialog(QDialog):
    """Drafts, sending and refusals for a form dialog (see the module's docstring)."""

    inputs: dict[str, QWidget]
    error: QLabel
    ok: QPushButton

    def __init__(self, parent: QWidget | None, draft_key: str,
                 submit: Callable[[dict[str, Any], "DraftedDialog"], None],
                 drafts: DraftStore | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.draft_key = draft_key
        self.drafts = drafts or DraftStore()
        self._draft_timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)

    def values(self) -> dict[str, Any]:
        """What the form holds, as the service takes it."""
        raise NotImplementedError

    def save_draft_now(self) -> bool:
        """Keep what is typed on disk; returns whether anything was typed."""
        raise NotImplementedError

    def _edited(self, *_args: Any) -> None:
        self._draft_timer.start()
        for widget in self.inputs.values():
            if widget.property("invalid"):
                mark(widget, None)

    def reject(self) -> None:
        """Cancel: what was typed is deliberately thrown away, draft included."""
        self._draft_timer.stop()
        self.drafts.discard(self.draft_key)
        super().reject()

    def _go(self) -> None:
        self.error.hide()
        self.ok.setEnabled(False)
        self._submit(self.values(), self)

    def succeeded(self, _result: Any = None) -> None:
        """Done: close and forget the draft."""
        self._draft_timer.stop()
        self.drafts.discard(self.draft_key)
        self.ok.setEnabled(True)
        self.accept()

    def refused(self, error: Exception) -> None:
        """Refused: say why, mark the field it names, keep everything typed."""
        self.ok.setEnabled(True)
        self.error.setText(refusal_text(error))
        self.error.show()
        for name in refused_fields(error):
            if name in self.inputs:
                mark(self.inputs[name], refusal_text(error))
                self.inputs[name].setFocus(Qt.FocusReason.OtherFocusReason)
