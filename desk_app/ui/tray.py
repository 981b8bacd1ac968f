"""The system tray icon: a badge with the number of my breached tickets, and desktop
messages for new notifications (only those the technician wants, never in quiet hours;
the service decides both). Clicking a message opens its ticket; clicking the icon
brings the window back.

Where the platform has no tray (some Linux desktops, the offscreen tests) the
controller still follows the lists and decides the messages, it just shows nothing.
"""

from collections.abc import Callable

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QSystemTrayIcon

from desk_app.services.notifications import NoticeItem, NoticeList
from desk_app.ui.palette import surface, tone

TRAY_PX = 64
MESSAGE_MS = 10_000


def tray_available() -> bool:
    """Whether this desktop shows tray icons."""
    return QSystemTrayIcon.isSystemTrayAvailable()


def badged(base: QIcon, count: int, side: int = TRAY_PX) -> QIcon:
    """``base`` with a round badge of ``count`` in its corner (``base`` at zero)."""
    if count <= 0:
        return base
    pixmap = base.pixmap(side, side) if not base.isNull() else QPixmap(side, side)
    if base.isNull():
        pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    diameter = side // 2 + side // 8
    badge = QRect(side - diameter, 0, diameter, diameter)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(tone("danger").text))
    painter.drawEllipse(badge)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(diameter * 0.6))
    painter.setFont(font)
    painter.setPen(QColor(surface("light").base))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "9+" if count > 9 else str(count))
    painter.end()
    return QIcon(pixmap)


class TrayController(QObject):
    """Follows the notification lists. The first list only sets what has been seen
    (no flood of old messages at start); each later one shows a desktop message per
    new notification that may pop up. ``open_ticket(ticket id)`` fires when a message
    is clicked, ``show_window`` when the icon is."""

    open_ticket = Signal(str)
    show_window = Signal()
    message_shown = Signal(str, str, str)  # title, text, ticket id

    def __init__(self, app_icon: QIcon, parent: QObject | None = None,
                 available: Callable[[], bool] = tray_available) -> None:
        super().__init__(parent)
        self.app_icon = app_icon
        self.breaching = 0
        self.seen: set[str] | None = None  # None until the first list
        self.last_ticket: str | None = None
        self.tray: QSystemTrayIcon | None = None
        if available():
            self.tray = QSystemTrayIcon(app_icon, self)
            self.tray.setToolTip("desk-app")
            self.tray.messageClicked.connect(self._message_clicked)
            self.tray.activated.connect(self._activated)
            self.tray.show()

    def update(self, notices: NoticeList) -> list[NoticeItem]:
        """Follow a new list: the badge and tooltip, and messages for the new unread
        notifications that may pop up now. Returns those shown."""
        self.breaching = notices.breaching
        if self.tray is not None:
            self.tray.setIcon(badged(self.app_icon, notices.breaching))
            self.tray.setToolTip(self.tooltip(notices))
        unread = {item.id for item in notices.items if not item.read}
        first, self.seen = self.seen is None, (self.seen or set())
        fresh = [] if first else [i for i in notices.pop_ups if i.id not in self.seen]
        self.seen |= unread
        for item in reversed(fresh):  # oldest first, so the newest stays on screen
            self._show(item)
        return fresh

    @staticmethod
    def tooltip(notices: NoticeList) -> str:
        """The icon's tooltip: unread notifications and breached tickets."""
        parts = [f"{notices.unread} unread notification{'s' if notices.unread != 1 else ''}"]
        if notices.breaching:
            parts.append(f"{notices.breaching} of your tickets breached")
        if notices.quiet:
            parts.append("quiet hours")
        return "desk-app: " + "; ".join(parts)

    def _show(self, item: NoticeItem) -> None:
        self.last_ticket = item.ticket_id
        title = f"{item.number}: {item.event.replace('_', ' ')}"
        if self.tray is not None:
            self.tray.showMessage(title, item.text, self.app_icon, MESSAGE_MS)
        self.message_shown.emit(title, item.text, item.ticket_id)

    def _message_clicked(self) -> None:
        if self.last_ticket is not None:
            self.open_ticket.emit(self.last_ticket)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_window.emit()

    def hide(self) -> None:
        """Take the icon off the tray (the app is closing)."""
        if self.tray is not None:
            self.tray.hide()
