"""Light or dark: the person's choice (System / Light / Dark), and with "System" the
operating system's colour scheme, followed while the app runs.

The Fusion style draws with our own palette (``palette.qpalette``), and the chips,
badges and cards take their colours from the same scheme (``look.restyle_all``), so the
desk looks the same on every platform and every named tone keeps its contrast. The
choice is remembered in the window state.
"""

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from desk_app.ui import look, palette

CHOICES = ("system", "light", "dark")
CHOICE_TITLES = {"system": "&System", "light": "&Light", "dark": "&Dark"}
STATE_KEY = "theme"


def scheme_for(choice: str, system: Qt.ColorScheme) -> str:
    """The scheme drawn for a choice: the chosen one, or the system's (light when the
    system does not say)."""
    if choice in ("light", "dark"):
        return choice
    return "dark" if system == Qt.ColorScheme.Dark else "light"


class Theme(QObject):
    """The application's theme. ``changed(scheme)`` fires after a new palette was
    applied; with the "system" choice it follows ``QStyleHints.colorSchemeChanged``."""

    changed = Signal(str)

    def __init__(self, app: QApplication, choice: str = "system") -> None:
        super().__init__(app)
        self.setObjectName("desk_theme")
        self.app = app
        self.choice = choice if choice in CHOICES else "system"
        self.scheme: str | None = None
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    def choose(self, choice: str) -> None:
        """Use ``choice`` ("system", "light" or "dark"; anything else means system)."""
        self.choice = choice if choice in CHOICES else "system"
        self.apply()

    def apply(self, force: bool = False) -> None:
        """Apply the palette and style sheet of the current choice (only when the
        scheme changes, unless ``force``)."""
        scheme = scheme_for(self.choice, system_scheme())
        if scheme == self.scheme and not force:
            return
        self.scheme = scheme
        self.app.setPalette(palette.qpalette(scheme))
        look.restyle_all()
        self.changed.emit(scheme)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self.apply()


def theme_of(app: QApplication | None = None, choice: str | None = None) -> Theme:
    """The application's theme (made and applied on first use, with ``choice``)."""
    app = app or QApplication.instance()
    assert isinstance(app, QApplication)
    found = app.findChild(Theme, "desk_theme")
    if found is None:
        found = Theme(app, choice or "system")
        found.apply()
    elif choice is not None and choice != found.choice:
        found.choose(choice)
    return found


def system_scheme() -> Qt.ColorScheme:
    """What the operating system asks for (Unknown where it does not say)."""
    return QGuiApplication.styleHints().colorScheme()
