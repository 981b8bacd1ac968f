"""Asking before unsaved Details are left behind: Save, Discard or Keep editing."""

from PySide6.QtWidgets import QMessageBox, QWidget

SAVE, DISCARD, KEEP = "save", "discard", "keep"


def ask_about_unsaved(parent: QWidget | None, number: str) -> str:
    """Ask what to do with the unsaved Details of ``number``; returns SAVE, DISCARD or
    KEEP (closing the question keeps editing)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                      f"{number} has changes in Details that are not saved.",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("unsaved_question")
    box.setInformativeText("Save them before leaving the ticket?")
    save = box.addButton("Save changes", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else KEEP
