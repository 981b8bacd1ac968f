"""The question before an administration save: what will change, one line each."""

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SaveSummary(QDialog):
    """Lists the changes; "Save changes" accepts, "Keep editing" rejects."""

    def __init__(self, parent: QWidget, lines: list[str]) -> None:
        super().__init__(parent)
        self.setObjectName("save_summary")
        self.setWindowTitle("Save changes")
        self.lines = list(lines)
        layout = QVBoxLayout(self)
        count = len(lines)
        layout.addWidget(QLabel(f"<b>Save these {count} change{'s' if count != 1 else ''}?"
                                "</b> Either all of them are saved or, when one is refused, "
                                "none."))
        self.list = QListWidget()
        self.list.setObjectName("summary_lines")
        self.list.addItems(self.lines)
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("Save changes")
        self.save_button.setObjectName("confirm_save")
        self.save_button.setDefault(True)
        self.keep_button = QPushButton("Keep editing")
        self.keep_button.setObjectName("keep_editing")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, min(160 + 22 * count, 560))
        self.save_button.setFocus()
