"""Help > About: the version, where this desk keeps its database, settings and logs,
and the licences of what it ships (the app's and the icons')."""

from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

import desk_app
from desk_app import logs, paths
from desk_app.ui import look

ICON_CREDIT = ("Tabler Icons 3.35.0 by Paweł Kuna, MIT licence "
               "(resources/icons/tabler/LICENSE)")


class AboutDialog(QDialog):
    """Facts about this installation, each selectable so it can be copied."""

    def __init__(self, parent: QWidget | None, database_path: str | Path | None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle("About desk-app")
        title = QLabel(f"desk-app {desk_app.__version__}")
        title.setFont(look.font(look.TITLE_PT, bold=True))
        summary = QLabel("An offline-first ITIL incident desk.")
        look.set_tone(summary, "muted")
        self.facts: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setSpacing(look.SPACE_S)
        for key, name, value in (
                ("version", "Version", desk_app.__version__),
                ("database", "Database", str(database_path) if database_path else "not open"),
                ("config", "Settings folder", str(paths.config_dir())),
                ("logs", "Log folder", str(logs.log_dir())),
                ("qt", "Qt", f"{qVersion()} (PySide6 {pyside_version})"),
                ("licence", "Licence", "MIT"),
                ("icons", "Icons", ICON_CREDIT)):
            label = QLabel(value)
            label.setObjectName(f"about_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = label
            form.addRow(name, label)
        buttons = QDialogButtonBox()
        buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(look.SPACE_L, look.SPACE_L, look.SPACE_L, look.SPACE_L)
        layout.setSpacing(look.SPACE_M)
        layout.addWidget(title)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
