"""Showing what went wrong: refusals name the field or rule, bugs say so plainly."""

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from desk_app.core.errors import ChecklistIncomplete, EnvironmentProblem, MissingFields, Refused
from desk_app.ui import look
from desk_app.ui.worker import Cancelled


def refusal_text(error: Exception) -> str:
    """One readable line (or a few) for a refusal or an unexpected error."""
    if isinstance(error, ChecklistIncomplete):
        return "The closure checklist is not complete:\n" + "\n".join(
            f"• {item}" for item in error.unmet)
    if isinstance(error, Refused):
        # a form field reads better with spaces; a policy path must stay as written
        field = error.field if "." in error.field else error.field.replace("_", " ")
        return f"{field}: {error.message}"
    if isinstance(error, Cancelled):
        return "Cancelled; nothing was changed."
    if isinstance(error, EnvironmentProblem):
        return f"{error.problem[:1].upper()}{error.problem[1:]}.\nWhat to do: {error.advice}."
    return (f"Something went wrong that we did not expect ({type(error).__name__}: "
            f"{error}). Nothing was changed; the details are in the log.")


def refused_fields(error: Exception) -> list[str]:
    """The form fields a refusal is about."""
    if isinstance(error, MissingFields):
        return list(error.fields)
    if isinstance(error, Refused):
        return [error.field]
    return []


def show_error(parent: QWidget | None, title: str, error: Exception) -> None:
    """A message box for a refused or failed action (used outside forms)."""
    box = QMessageBox(QMessageBox.Icon.Warning if isinstance(error, Refused | Cancelled)
                      else QMessageBox.Icon.Critical, title, refusal_text(error),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("error_box")
    box.open()


def mark(widget: QWidget, problem: str | None) -> None:
    """Outline a form widget in the danger tone with the problem as its tooltip, or
    clear it."""
    look.set_invalid(widget, problem is not None)
    widget.setToolTip(problem or widget.property("plainTooltip") or "")


def error_label() -> QLabel:
    """The line under a form where a refusal is spelled out, in the danger tone."""
    label = QLabel()
    label.setObjectName("form_error")
    label.setWordWrap(True)
    look.set_tone(label, "danger")
    label.hide()
    return label
