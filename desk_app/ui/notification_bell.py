"""The bell: a toolbar button with the unread count, and its popup list of the
technician's notifications (event icon, ticket number and text, time ago). Clicking one
opens its ticket and marks it read; "Mark all read" marks every one.

:class:`NotificationCenter` keeps the list current: it asks the database worker (never
the GUI thread) on a timer and whenever :meth:`NotificationCenter.refresh` is called
(after a sync or a watcher pass), and hands each new list to the bell and the tray.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.icons import icon
from desk_app.ui.notification_list import ID_ROLE, TICKET_ROLE, NoticeRows, NotificationModel
from desk_app.ui.palette import surface, tone
from desk_app.ui.worker import BackgroundWorker

if TYPE_CHECKING:
    from desk_app.services.notifications import NoticeList

# the list is read on the worker once the window is up
notifications = deferred("desk_app.services.notifications")

REFRESH_MS = 60_000


class BellButton(QToolButton):
    """The bell with a badge of the unread count (none at zero)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notification_bell")
        self.setIcon(icon("notifications"))
        self.setIconSize(QSize(look.ICON_PX, look.ICON_PX))
        self.setAutoRaise(True)
        self.unread = 0
        self.set_unread(0)

    def set_unread(self, count: int) -> None:
        """Show ``count`` unread notifications on the badge."""
        self.unread = count
        text = "No unread notifications" if count == 0 else \
            f"{count} unread notification{'s' if count != 1 else ''}"
        self.setToolTip(f"Notifications: {text.lower()}")
        self.setAccessibleName(f"Notifications, {text.lower()}")
        self.update()

    def badge_text(self) -> str:
        """What the badge reads ("" when it is not drawn)."""
        return "" if self.unread <= 0 else "99+" if self.unread > 99 else str(self.unread)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width() + look.SPACE_S, hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        text = self.badge_text()
        if not text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(look.SMALL_PT - 1)
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        height = metrics.height()
        width = max(height, metrics.horizontalAdvance(text) + look.SPACE_XS * 2)
        badge = QRect(self.width() - width - 1, 1, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(tone("danger").text))
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(QColor(surface().base))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()


class NotificationPopup(QFrame):
    """The list under the bell: a header with "Mark all read", the notifications, or a
    line saying there are none. ``open_requested(notification id, ticket id)`` fires
    when one is clicked (or chosen with Enter)."""

    open_requested = Signal(str, str)
    mark_all_requested = Signal()

    def __init__(self, model: NotificationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("notification_popup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = model
        title = QLabel("Notifications")
        title_font = title.font()
        title_font.setPointSizeF(look.HEADING_PT)
        title_font.setBold(True)
        title.setFont(title_font)
        self.mark_all = QPushButton(icon("mark-all-read"), "Mark all read")
        self.mark_all.setObjectName("mark_all_read")
        self.mark_all.clicked.connect(self.mark_all_requested)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.mark_all)
        self.list = QListView()
        self.list.setObjectName("notification_list")
        self.list.setModel(model)
        self.list.setIconSize(QSize(look.ICON_PX, look.ICON_PX))
        self.list.setItemDelegate(NoticeRows(self.list))
        self.list.setUniformItemSizes(True)
        self.list.clicked.connect(self._chosen)
        self.list.activated.connect(self._chosen)
        self.empty = QLabel("Nothing to tell you: no notifications yet.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(look.SPACE_S, look.SPACE_S, look.SPACE_S, look.SPACE_S)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.resize(440, 480)
        model.modelReset.connect(self._fill)
        self._fill()

    def _fill(self) -> None:
        self.stack.setCurrentWidget(self.list if self.model.rowCount() else self.empty)
        self.mark_all.setEnabled(any(not item.read for item in self.model.items))

    def _chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(index.data(ID_ROLE), index.data(TICKET_ROLE))
            self.hide()

    def show_under(self, widget: QWidget) -> None:
        """Open below ``widget``, kept on its screen."""
        corner = widget.mapToGlobal(QPoint(widget.width() - self.width(), widget.height()))
        screen = widget.screen().availableGeometry() if widget.screen() else None
        if screen is not None:
            corner.setX(max(screen.left(), min(corner.x(), screen.right() - self.width())))
        self.move(corner)
        self.show()
        self.list.setFocus()


class NotificationCenter(QObject):
    """Keeps the technician's notifications current and acts on them: the bell, its
    popup, and ``changed(NoticeList)`` for the tray. ``open_ticket(ticket id)`` asks the
    window to show a ticket."""

    changed = Signal(object)
    open_ticket = Signal(str)

    def __init__(self, worker: BackgroundWorker, session: Session,
                 parent: QObject | None = None,
                 on_error: Callable[[Exception], None] | None = None) -> None:
        super().__init__(parent)
        self.worker, self.session = worker, session
        self.on_error = on_error
        self.model = NotificationModel(self)
        self.bell = BellButton()
        self.popup = NotificationPopup(self.model, self.bell)
        self.bell.clicked.connect(self.show_popup)
        self.popup.open_requested.connect(self.open_notification)
        self.popup.mark_all_requested.connect(self.mark_all)
        self.latest: NoticeList | None = None
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def start(self) -> None:
        """Load now and then on the timer."""
        self.refresh()
        self.timer.start()

    def stop(self) -> None:
        """No more timed refreshes."""
        self.timer.stop()

    def refresh(self) -> None:
        """Read the list again (on the database worker)."""
        session = self.session
        self.worker.submit(lambda: notifications.my_notifications(session), self._arrived,
                           self._failed)

    def _arrived(self, notices: "NoticeList") -> None:
        self.latest = notices
        self.model.set_list(notices)
        self.bell.set_unread(notices.unread)
        self.changed.emit(notices)

    def _failed(self, error: Exception) -> None:
        if self.on_error is not None:
            self.on_error(error)

    def show_popup(self) -> None:
        """Open the list under the bell (read again as it opens)."""
        self.refresh()
        self.popup.show_under(self.bell)

    def open_notification(self, notification_id: str, ticket_id: str) -> None:
        """Open the ticket of a notification and mark it read."""
        self.open_ticket.emit(ticket_id)
        session = self.session
        self.worker.submit(lambda: notifications.mark_read(session, [notification_id]),
                           lambda _count: self.refresh(), self._failed)

    def mark_all(self) -> None:
        """Mark every notification read."""
        session = self.session
        self.worker.submit(lambda: notifications.mark_all_read(session),
                           lambda _count: self.refresh(), self._failed)
