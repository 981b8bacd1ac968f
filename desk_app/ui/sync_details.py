"""The sync indicator's details: what state the desk is in, the team database, the
changes waiting, the last sync, what to do, and "Sync now"."""

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk_app.ui import look
from desk_app.ui.palette import SYNC_TONE

if TYPE_CHECKING:
    from desk_app.ui.team_sync import TeamSync

STATE_TITLES = {"up to date": "Up to date", "waiting": "Changes waiting",
                "syncing": "Syncing…", "offline": "Offline", "error": "Sync error",
                "local": "Local only"}


class SyncDetails(QDialog):
    """A small dialog over the window; it follows the indicator while open."""

    def __init__(self, parent: QWidget, sync: "TeamSync") -> None:
        super().__init__(parent)
        self.setObjectName("sync_details")
        self.setWindowTitle("Team sync")
        self.sync = sync
        self.state = QLabel()
        self.state.setObjectName("sync_details_state")
        self.state.setFont(look.font(look.HEADING_PT, bold=True))
        self.remote = QLabel()
        self.pending = QLabel()
        self.last_sync = QLabel()
        self.advice = QLabel()
        self.advice.setObjectName("sync_advice")
        self.advice.setWordWrap(True)
        for label in (self.remote, self.advice):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.setSpacing(look.SPACE_S)
        form.addRow("Team database", self.remote)
        form.addRow("Changes waiting", self.pending)
        form.addRow("Last sync", self.last_sync)
        buttons = QDialogButtonBox()
        self.sync_now = buttons.addButton("Sync now", QDialogButtonBox.ButtonRole.ActionRole)
        self.sync_now.setObjectName("sync_now")
        self.sync_now.clicked.connect(self._sync_now)
        settings = buttons.addButton("Team database…", QDialogButtonBox.ButtonRole.ActionRole)
        settings.clicked.connect(lambda: (self.accept(), sync.edit_settings()))
        buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(look.SPACE_L, look.SPACE_L, look.SPACE_L, look.SPACE_L)
        layout.setSpacing(look.SPACE_M)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(self.advice)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        sync.outcome_ready.connect(self.refresh)
        self.refresh()

    def _sync_now(self) -> None:
        self.sync.sync()
        self.refresh()

    def refresh(self, *_args: object) -> None:
        """Show the indicator's current state."""
        from desk_app.ui.team_sync import advice, when  # the indicator's own words

        sync, outcome = self.sync, self.sync.last
        self.state.setText(STATE_TITLES.get(sync.state, sync.state))
        look.set_tone(self.state, SYNC_TONE.get(sync.state))
        status = outcome.status if outcome is not None else None
        self.remote.setText((status.remote if status else None) or "none (local only)")
        self.pending.setText(str(status.pending) if status else "unknown")
        self.last_sync.setText(when(status.last_sync) if status else "unknown")
        self.advice.setText(advice(outcome, sync.failure) if sync.state != "syncing"
                            else "Sending local changes and fetching the team's…")
        self.sync_now.setEnabled(not sync.running)
