"""The desk's icons: bundled SVGs (Tabler Icons, MIT; see resources/icons/README.md)
drawn in the theme's text colour, or in a named tone.

``icon(name)`` gives a ``QIcon`` whose pixmaps are rendered when Qt asks for them (by
Qt's SVG icon engine, then filled with the colour through the strokes' alpha), in the
colour of the palette in use at that moment: a theme switch re-tints every icon without
anyone setting it again. Disabled icons take the disabled text colour, selected ones
(a chosen queue) the highlighted text colour. Hand widgets the ``QIcon`` (``setIcon``),
not a pixmap taken from it: a pixmap is a snapshot in one theme's colour.
"""

import logging
import os
from functools import cache

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)

from desk_app import paths
from desk_app.ui import palette

log = logging.getLogger(__name__)

# the desk's name -> the Tabler file (resources/icons/tabler/<file>.svg)
ICONS: dict[str, str] = {
    # the main toolbar and menus
    "new-ticket": "file-plus", "refresh": "refresh", "administration": "settings",
    "search": "search", "about": "info-circle",
    "theme-system": "device-desktop", "theme-light": "sun", "theme-dark": "moon",
    # queues, by services.queues key
    "my_day": "sun", "my_work": "user", "my_group": "users", "unassigned": "user-question",
    "all_open": "inbox", "major": "urgent", "breaching": "alarm", "on_hold": "player-pause",
    "awaiting_confirmation": "user-check", "all": "list", "needs_triage": "mail-question",
    # notifications (ui.notification_bell): the bell, and each event's mark
    "notifications": "bell", "mark-all-read": "checks",
    "event-assigned": "user-plus", "event-group_unassigned": "user-question",
    "event-warning": "alarm", "event-breach": "urgent", "event-escalated": "arrow-big-up-lines",
    "event-auto_close_skipped": "lock-open", "event-major_incident": "urgent",
    "event-user_reply": "message-plus",
    # sync states (ui.team_sync)
    "sync-up-to-date": "cloud-check", "sync-waiting": "cloud-upload",
    "sync-syncing": "refresh", "sync-offline": "cloud-off", "sync-error": "cloud-x",
    "sync-local": "device-desktop",
    # ticket actions
    "assign": "user-plus", "take": "hand-grab", "escalate": "arrow-big-up-lines",
    "hold": "player-pause", "resume": "player-play", "resolve": "circle-check",
    "close": "lock", "reopen": "lock-open", "cancel": "ban", "note": "message-plus",
    "link": "link", "confirm": "thumb-up", "reject": "thumb-down",
    # attachments (ui.attachment_panel)
    "new-attachment": "paperclip", "file": "file", "file-text": "file-text",
    "file-image": "photo", "file-archive": "file-zip", "open-file": "external-link",
    "save-file": "download",
}
# the ticket view's action keys that share an icon
ALIASES: dict[str, str] = {
    "start_work": "take", "worklog": "note", "escalate_hierarchic": "escalate",
    "link_problem": "link", "relate": "link", "set_parent": "link",
}


def icon_file(name: str) -> str:
    """The SVG file of an icon name (or alias); ``KeyError`` for an unknown name."""
    name = ALIASES.get(name, name)
    if name not in ICONS:
        raise KeyError(f"no icon called {name!r}")
    return str(paths.resources_dir() / "icons" / "tabler" / f"{ICONS[name]}.svg")


@cache
def _outline(file: str) -> QIcon:
    """The SVG as Qt's own SVG icon engine draws it (a plugin: nothing to import)."""
    if not os.path.isfile(file):  # a broken install: a blank icon, never a failed start
        log.warning("icon not found: %s", file)
    return QIcon(file)


@cache
def _rendered(file: str, colour: str, side: int) -> QPixmap:
    pixmap = _outline(file).pixmap(QSize(side, side), 1.0)
    if pixmap.isNull():
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        return pixmap
    painter = QPainter(pixmap)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(pixmap.rect(), QColor(colour))  # the strokes take the colour
    painter.end()
    return pixmap


class TintedSvg(QIconEngine):
    """Renders one SVG in the current palette's colour (or a fixed tone) at any size."""

    def __init__(self, file: str, tone: str | None = None, on_fill: bool = False) -> None:
        super().__init__()
        self.file = file
        self.tone = tone
        self.on_fill = on_fill

    def colour(self, mode: QIcon.Mode) -> str:
        """The colour the icon is drawn in for ``mode``, on the palette in use."""
        colours = QGuiApplication.palette()
        if mode == QIcon.Mode.Disabled:
            return colours.color(QPalette.ColorGroup.Disabled,
                                 QPalette.ColorRole.WindowText).name()
        if mode == QIcon.Mode.Selected:
            return colours.color(QPalette.ColorRole.HighlightedText).name()
        if self.tone:
            shade = palette.tone(self.tone)
            return shade.on_fill if self.on_fill else shade.text
        return colours.color(QPalette.ColorRole.WindowText).name()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,
                     scale: float) -> QPixmap:
        side = max(1, round(min(size.width(), size.height()) * scale))
        pixmap = QPixmap(_rendered(self.file, self.colour(mode), side))
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> "TintedSvg":
        return TintedSvg(self.file, self.tone, self.on_fill)

    def key(self) -> str:
        return "desk-tinted-svg"


def icon(name: str, tone: str | None = None, on_fill: bool = False) -> QIcon:
    """The icon called ``name`` (see ``ICONS`` and ``ALIASES``), in the text colour of the
    palette in use, or in the named ``tone`` (``palette.TONES``): its text colour, or
    with ``on_fill`` the colour drawn on its fill (an icon inside a chip)."""
    return QIcon(TintedSvg(icon_file(name), tone, on_fill))
