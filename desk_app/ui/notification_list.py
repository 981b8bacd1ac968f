"""The bell's list of notifications: the model (newest first, unread in bold) and how
one row is drawn (two lines of text over a muted line with the event and its age)."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QTextOption
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desk_app.core.labels import human_label
from desk_app.ui import look
from desk_app.ui.icons import icon
from desk_app.ui.palette import surface

if TYPE_CHECKING:
    from desk_app.services.notifications import NoticeItem, NoticeList

ID_ROLE = Qt.ItemDataRole.UserRole
TICKET_ROLE = Qt.ItemDataRole.UserRole + 1
READ_ROLE = Qt.ItemDataRole.UserRole + 2


def time_ago(at: datetime, now: datetime) -> str:
    """How long ago ``at`` was, as a list shows it: just now, 5 min ago, 3 h ago..."""
    seconds = int((now - at).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


class NotificationModel(QAbstractListModel):
    """The notifications of one list, newest first; unread ones in bold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: tuple[NoticeItem, ...] = ()
        self.now: datetime | None = None

    def set_list(self, notices: "NoticeList") -> None:
        """Show ``notices`` (a whole new list)."""
        self.beginResetModel()
        self.items, self.now = notices.items, notices.at
        self.endResetModel()

    def meta(self, item: "NoticeItem") -> str:
        """The line under a notification: its event and how long ago."""
        when = time_ago(item.at, self.now) if self.now else ""
        return f"{human_label(item.event)} · {when}"

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()  # noqa: B008
                 ) -> int:
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        match role:
            case Qt.ItemDataRole.DisplayRole:
                return f"{item.text}\n{self.meta(item)}"
            case Qt.ItemDataRole.ToolTipRole:
                return f"{item.number}: {item.text}"
            case Qt.ItemDataRole.DecorationRole:
                return icon(f"event-{item.event}", _EVENT_TONES.get(item.event))
            case Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(not item.read)
                return font
            case Qt.ItemDataRole.AccessibleTextRole:
                return f"{'' if item.read else 'Unread: '}{item.text}"
            case _ if role == ID_ROLE:
                return item.id
            case _ if role == TICKET_ROLE:
                return item.ticket_id
            case _ if role == READ_ROLE:
                return item.read
        return None


_EVENT_TONES = {"breach": "danger", "major_incident": "danger", "warning": "warning",
                "escalated": "warning", "auto_close_skipped": "warning",
                "assigned": "accent", "group_unassigned": "info", "user_reply": "info"}


class NoticeRows(QStyledItemDelegate):
    """A notification as two lines of text (bold while unread, elided) over a muted
    line with its event and age; the event's icon on the left."""

    TEXT_LINES = 2

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        bold = QFont(option.font)
        bold.setBold(True)
        height = _lines_height(QFontMetrics(bold), self.TEXT_LINES) \
            + option.fontMetrics.height() + look.SPACE_XS + look.SPACE_S * 2
        return QSize(option.rect.width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        model = index.model()
        notice = model.items[index.row()] if isinstance(model, NotificationModel) else None
        item.text = ""
        item.icon = QIcon()
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        if notice is None:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        room = option.rect.adjusted(look.SPACE_S, look.SPACE_S, -look.SPACE_S, -look.SPACE_S)
        side = look.ICON_PX
        index.data(Qt.ItemDataRole.DecorationRole).paint(
            painter, QRect(room.left(), room.top(), side, side))
        room.setLeft(room.left() + side + look.SPACE_S)
        painter.save()
        font = QFont(option.font)
        font.setBold(not notice.read)
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                            else QPalette.ColorRole.Text))
        text_rect = QRect(room.left(), room.top(), room.width(),
                          _lines_height(QFontMetrics(font), self.TEXT_LINES))
        wrapped = QTextOption(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        wrapped.setWrapMode(QTextOption.WrapMode.WordWrap)
        painter.drawText(QRectF(text_rect),
                         _two_lines(notice.text, QFontMetrics(font), room.width()), wrapped)
        painter.setFont(option.font)
        if not selected:
            painter.setPen(QColor(surface().muted_text))
        painter.drawText(QRect(room.left(), text_rect.bottom() + look.SPACE_XS, room.width(),
                               option.fontMetrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         model.meta(notice))
        painter.restore()


def _lines_height(metrics: QFontMetrics, lines: int) -> int:
    """How tall ``lines`` wrapped lines of text are in this font."""
    return metrics.boundingRect(QRect(0, 0, 10_000, 10_000), 0, "\n".join("X" * lines)).height()


def _two_lines(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` cut to what two wrapped lines of ``width`` hold, ending in an ellipsis."""
    limit = _lines_height(metrics, NoticeRows.TEXT_LINES)

    def fits(candidate: str) -> bool:
        return metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap,
                                    candidate).height() <= limit

    if fits(text):
        return text
    words = text.split()
    while words:
        words.pop()
        if fits(" ".join(words) + "…"):
            return " ".join(words) + "…"
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
