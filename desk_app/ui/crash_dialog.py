"""The dialog of an unexpected error (ui/crash_report.py shows it): what happened, that
the work is safe, the report to copy, the log folder. Imported with the first error, not
at the start."""

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app import logs


class CrashDialog(QDialog):
    """What happened, that the work is safe, the report (copy it), the log folder."""

    def __init__(self, parent: QWidget | None, summary: str, report: str,
                 drafts_kept: int) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle("desk-app ran into a problem")
        self.report = report
        layout = QVBoxLayout(self)
        kept = (f"What you were typing in {drafts_kept} open form"
                f"{'s' if drafts_kept != 1 else ''} is kept: the form stays open, and comes "
                "back filled in if desk-app is closed. " if drafts_kept else "")
        self.message = QLabel(
            f"<b>Something went wrong that desk-app did not expect.</b><br>{summary}<br><br>"
            f"{kept}Everything already saved is safe. You can carry on; if it happens again, "
            "copy the report and send it to whoever supports desk-app for you.")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.details = QPlainTextEdit(report)
        self.details.setObjectName("crash_details")
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(160)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("&Copy report")
        self.copy_button.setObjectName("copy_report")
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.log_button = QPushButton("Open &log folder")
        self.log_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(logs.log_dir()))))
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def copy_report(self) -> None:
        """Put the report on the clipboard."""
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText("Copied")
