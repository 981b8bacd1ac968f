"""A small dialog that asks for an action's inputs, runs it, and stays open (with what
was typed) until the action succeeds; a refusal is shown on the field it names."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
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

from desk_app.ui.refusals import error_label, mark, refusal_text, refused_fields

Submit = Callable[[dict[str, Any], "FormDialog"], None]


@dataclass(frozen=True)
class Field:
    """One input of an action dialog."""

    name: str
    label: str
    kind: str = "text"  # text, multiline, choice, check, minutes
    choices: tuple[tuple[str, Any], ...] = ()  # (shown, value)
    required: bool = False
    default: Any = None
    tooltip: str = ""
    editable_choice: bool = False


class FormDialog(QDialog):
    """Build with fields and a ``submit(values, dialog)`` that starts the work and calls
    ``dialog.succeeded()`` or ``dialog.refused(error)`` when it ends."""

    def __init__(self, parent: QWidget | None, title: str, fields: list[Field], submit: Submit,
                 intro: str = "", ok_text: str = "OK") -> None:
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
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

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
        """The action went through: close."""
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
