"""The ticket's actions: one primary button for the natural next step, the other actions
the ticket's state and the person's role allow behind "More actions"."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QToolButton, QWidget

from desk_app.ui import look

# action key -> (text, shortcut); the lifecycle's steps first, in the menu's order
LIFECYCLE: tuple[tuple[str, str, str], ...] = (
    ("start_work", "Start work", "Ctrl+Shift+S"),
    ("assign", "Assign…", "Ctrl+Shift+A"),
    ("worklog", "Add worklog entry…", "Ctrl+Shift+W"),
    ("hold", "Put on hold…", "Ctrl+Shift+H"),
    ("resume", "Resume work", "Ctrl+Shift+U"),
    ("escalate", "Escalate to next level…", "Ctrl+Shift+E"),
    ("resolve", "Resolve ticket…", "Ctrl+Shift+R"),
    ("confirm", "User confirmed…", ""),
    ("reject", "User rejected…", ""),
    ("close", "Close ticket…", "Ctrl+Shift+C"),
    ("reopen", "Reopen ticket…", ""),
    ("cancel", "Cancel ticket…", ""),
)
OTHER: tuple[tuple[str, str, str], ...] = (
    ("escalate_hierarchic", "Escalate to management…", ""),
    ("reprioritise", "Change impact / urgency…", ""),
    ("declare_major", "Declare major incident…", ""),
    ("major_board", "Major incident board…", ""),
    ("convert", "Convert to request…", ""),
    ("link_problem", "Link or raise a problem…", ""),
    ("work_problem", "Work the problem…", ""),
    ("set_rfc", "Set RFC reference…", ""),
    ("set_parent", "Set parent incident…", ""),
    ("relate", "Relate to another ticket…", ""),
    ("major_review", "Post-incident review…", ""),
    ("record_satisfaction", "Record satisfaction…", ""),
)
# menu entries allowed by another action's rule
PERMISSION_OF = {"link_problem": "link", "set_rfc": "link", "set_parent": "link",
                 "relate": "link"}


class ActionRow(QWidget):
    """``triggered(action)`` when the person starts an action; ``actions`` holds every
    action (hidden and disabled when not allowed, with the reason as its tooltip)."""

    triggered = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("action_row")
        self.by_key: dict[str, QAction] = {}
        self.primary_key: str | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.primary = QPushButton()
        self.primary.setObjectName("primary_action")
        self.primary.setDefault(False)
        self.primary.setAutoDefault(False)
        self.primary.clicked.connect(self._primary_clicked)
        look.set_primary(self.primary)  # restyled with the theme (look.restyle_all)
        self.more = QToolButton()
        self.more.setText("More actions")
        self.more.setObjectName("action_more")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.menu = QMenu(self.more)
        self.menu.setToolTipsVisible(True)
        for group in (LIFECYCLE, OTHER):
            for key, text, shortcut in group:
                action = QAction(text, self)
                action.setObjectName(f"action_{key}")
                if shortcut:
                    action.setShortcut(QKeySequence(shortcut))
                    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                action.triggered.connect(lambda _checked=False, k=key: self.triggered.emit(k))
                self.addAction(action)  # its shortcut works while the pane is shown
                self.by_key[key] = action
            self.menu.addSeparator()
        self.more.setMenu(self.menu)
        row.addWidget(self.primary)
        row.addWidget(self.more)

    def show_actions(self, allowed: dict[str, str | None], primary: str | None,
                     names: dict[str, str] | None = None) -> None:
        """Offer what ``allowed`` (action -> None or the reason not) allows; ``primary``
        on the button, the rest in the menu; ``names`` renames actions for this ticket."""
        self.primary_key = primary
        texts = {key: text for group in (LIFECYCLE, OTHER) for key, text, _s in group}
        for key, text in (texts | (names or {})).items():
            self.by_key[key].setText(text)
        self.menu.clear()
        for group in (LIFECYCLE, OTHER):
            shown = False
            for key, _text, _shortcut in group:
                action = self.by_key[key]
                reason = allowed.get(PERMISSION_OF.get(key, key), "not offered")
                action.setEnabled(reason is None)
                action.setVisible(reason is None)
                shortcut = action.shortcut().toString()
                tip = reason or action.text().rstrip("…")
                action.setToolTip(f"{tip} ({shortcut})" if shortcut and not reason else tip)
                if reason is None and key != primary:
                    if not shown and not self.menu.isEmpty():
                        self.menu.addSeparator()
                    self.menu.addAction(action)
                    shown = True
        if primary is not None:
            action = self.by_key[primary]
            self.primary.setText(action.text())
            self.primary.setToolTip(action.toolTip())
        self.primary.setVisible(primary is not None)
        self.more.setEnabled(not self.menu.isEmpty())

    def _primary_clicked(self) -> None:
        if self.primary_key is not None:
            self.by_key[self.primary_key].trigger()
