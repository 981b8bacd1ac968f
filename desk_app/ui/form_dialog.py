"""A small dialog that asks for an action's inputs, runs it, and stays open (with what
was typed) until the action succeeds; a refusal is shown on the field it names.

It opens with the focus on its first text field. Given a draft key, what is typed is
kept on disk while typing (see ``ui.drafts``): a dialog that died with the app comes back
filled in; Cancel and a success forget it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.ui.drafts import SAVE_AFTER_MS, DraftStore
from desk_app.ui.refusals import error_label, mark, refusal_text, refused_fields

Submit = Callable[[dict[str, Any], "FormDialog"], None]


@dataclass(frozen=True)
class Field:
    """One input of an action dialog."""

    name: str
    label: str
    kind: str = "text"  # text, password, multiline, choice, check, minutes
    choices: tuple[tuple[str, Any], ...] = ()  # (shown, value)
    required: bool = False
    default: Any = None
    tooltip: str = ""
    editable_choice: bool = False


class FormDialog(QDialog):
    """Build with fields and a ``submit(values, dialog)`` that starts the work and calls
    ``dialog.succeeded()`` or ``dialog.refused(error)`` when it ends."""

    def __init__(self, parent: QWidget | None, title: str, fields: list[Field], submit: Submit,
                 intro: str = "", ok_text: str = "Save", cancel_text: str = "Cancel",
                 draft_key: str | None = None, drafts: DraftStore | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("form_dialog")
        self.fields = fields
        self._submit = submit
        self.inputs: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        form = QFormLayout()
        for spec in fields:
            widget = self._input(spec)
            widget.setObjectName(spec.name)
            widget.setProperty("plainTooltip", spec.tooltip)
            widget.setToolTip(spec.tooltip)
            self.inputs[spec.name] = widget
            form.addRow(spec.label + (" *" if spec.required else ""), widget)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)
        self.restored = QLabel()
        self.restored.setObjectName("draft_restored")
        self.restored.setWordWrap(True)
        self.restored.hide()
        layout.insertWidget(0, self.restored)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.draft_key = draft_key
        self.drafts = drafts or DraftStore()
        self._initial = self.values()
        self._draft_timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        if draft_key is not None:
            self._restore_draft()
            for widget in self.inputs.values():
                signal = (getattr(widget, "textChanged", None)
                          or getattr(widget, "currentIndexChanged", None)
                          or getattr(widget, "toggled", None) or widget.valueChanged)
                signal.connect(self._draft_timer.start)
        self.first_field().setFocus(Qt.FocusReason.OtherFocusReason)

    def first_field(self) -> QWidget:
        """Where the typing starts: the first text field (else the first input)."""
        for widget in self.inputs.values():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                return widget
        return next(iter(self.inputs.values()), self.buttons)

    # --- the draft -------------------------------------------------------------------

    def save_draft_now(self) -> bool:
        """Keep what is typed on disk (nothing changed: no draft); returns whether
        there was something to keep."""
        self._draft_timer.stop()
        if self.draft_key is None:
            return False
        values = self._keepable(self.values())
        if values != self._keepable(self._initial):
            self.drafts.save(self.draft_key, values)
            return True
        self.drafts.discard(self.draft_key)
        return False

    def _keepable(self, values: dict[str, Any]) -> dict[str, Any]:
        """What a draft may keep on disk: everything but passwords."""
        secret = {spec.name for spec in self.fields if spec.kind == "password"}
        return {name: value for name, value in values.items() if name not in secret}

    def _restore_draft(self) -> None:
        kept = self.drafts.load(self.draft_key or "")
        if kept is None:
            return
        values, saved_at = kept
        for spec in self.fields:
            if spec.name in values:
                self._set(self.inputs[spec.name], spec, values[spec.name])
        self.restored.setText(f"Restored what you were typing when desk-app last stopped "
                              f"({saved_at[:16].replace('T', ' ')}).")
        self.restored.show()

    @staticmethod
    def _set(widget: QWidget, spec: Field, value: Any) -> None:
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value or ""))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index >= 0:
                widget.setCurrentIndex(index)
            elif spec.editable_choice and value:
                widget.setEditText(str(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value or 0))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value or ""))

    def _forget_draft(self) -> None:
        self._draft_timer.stop()
        if self.draft_key is not None:
            self.drafts.discard(self.draft_key)

    def reject(self) -> None:
        """Cancel: the typing is deliberately thrown away, draft included."""
        self._forget_draft()
        super().reject()

    @staticmethod
    def _input(spec: Field) -> QWidget:
        match spec.kind:
            case "multiline":
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setPlainText(spec.default or "")
                widget.setMinimumHeight(90)
                return widget
            case "choice":
                combo = QComboBox()
                combo.setEditable(spec.editable_choice)
                for shown, value in spec.choices:
                    combo.addItem(shown, value)
                if spec.default is not None:
                    combo.setCurrentIndex(max(combo.findData(spec.default), 0))
                return combo
            case "check":
                box = QCheckBox()
                box.setChecked(bool(spec.default))
                return box
            case "minutes":
                spin = QSpinBox()
                spin.setRange(0, 24 * 60)
                spin.setSuffix(" min")
                spin.setValue(int(spec.default or 0))
                return spin
        line = QLineEdit()
        line.setText(spec.default or "")
        if spec.kind == "password":
            line.setEchoMode(QLineEdit.EchoMode.Password)
        return line

    def values(self) -> dict[str, Any]:
        """What is in the inputs now."""
        result: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.inputs[spec.name]
            if isinstance(widget, QPlainTextEdit):
                result[spec.name] = widget.toPlainText()
            elif isinstance(widget, QComboBox):
                text = widget.currentText()
                typed = spec.editable_choice and widget.itemText(widget.currentIndex()) != text
                result[spec.name] = (text.strip() or None) if typed else widget.currentData()
            elif isinstance(widget, QCheckBox):
                result[spec.name] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                result[spec.name] = widget.value()
            else:
                result[spec.name] = widget.text()
        return result

    def _go(self) -> None:
        values = self.values()
        missing = [spec for spec in self.fields if spec.required
                   and (values[spec.name] is None or str(values[spec.name]).strip() == "")]
        for spec in self.fields:
            mark(self.inputs[spec.name], "required" if spec in missing else None)
        if missing:
            self._say("Please fill in: " + ", ".join(s.label for s in missing))
            return
        self.error.hide()
        self.buttons.setEnabled(False)
        self._submit(values, self)

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def succeeded(self, _result: Any = None) -> None:
        """The action went through: close (the draft is no longer needed)."""
        self._forget_draft()
        self.buttons.setEnabled(True)
        self.accept()

    def refused(self, error: Exception) -> None:
        """The action was refused: say why, mark the field, keep everything typed."""
        self.buttons.setEnabled(True)
        self._say(refusal_text(error))
        for name in refused_fields(error):
            if name in self.inputs:
                mark(self.inputs[name], refusal_text(error))
        self.setFocus(Qt.FocusReason.OtherFocusReason)
