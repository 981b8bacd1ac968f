"""The navigation list: the work queues and, under "My views", the saved views, each
with its ticket count."""

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desk_app.services.queues import QUEUES
from desk_app.ui import look
from desk_app.ui.icons import icon
from desk_app.ui.palette import text_colour

VIEW_PREFIX = "view:"
KEY_ROLE = Qt.ItemDataRole.UserRole
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
PAD = 8


def view_key(name: str) -> str:
    """The list key of saved view ``name``."""
    return VIEW_PREFIX + name


def view_name(key: str | None) -> str | None:
    """The saved view a list key names, or None for a queue."""
    return key[len(VIEW_PREFIX):] if key and key.startswith(VIEW_PREFIX) else None


class QueueItems(QStyledItemDelegate):
    """A queue's title on the left (elided when narrow) and its count right-aligned,
    muted; section headers as Qt draws them."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex) -> None:
        title = index.data(TITLE_ROLE)
        if title is None:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        count = index.data(COUNT_ROLE)
        count_text = "" if count is None else f"{count:,}"
        metrics = option.fontMetrics
        room = option.rect.adjusted(PAD, 0, -PAD, 0)
        title_room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item,
                                          item.widget)  # right of the icon
        title_room.setRight(room.right())
        count_width = metrics.horizontalAdvance(count_text) + (PAD if count_text else 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(option.palette.color(
            option.palette.ColorRole.HighlightedText if selected
            else option.palette.ColorRole.Text))
        painter.drawText(title_room.adjusted(0, 0, -count_width, 0),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         metrics.elidedText(title, Qt.TextElideMode.ElideRight,
                                            max(title_room.width() - count_width, 0)))
        if not selected:
            painter.setPen(text_colour("muted"))
        painter.drawText(room, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                         count_text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), look.row_height(option.fontMetrics)))


class QueueList(QListWidget):
    """Emits ``queue_chosen(key)`` when the person picks a queue or a view (a view's key
    is ``view:<name>``); ``rename_requested`` / ``remove_requested`` for a view."""

    queue_chosen = Signal(str)
    rename_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queues")
        self.setAccessibleName("Queues")
        self.setToolTip("Work queues (Ctrl+1 .. Ctrl+9) and your saved views")
        for queue in QUEUES:
            self.addItem(self._item(queue.title, queue.key))
        self.views_header = QListWidgetItem("My views")
        self.views_header.setFlags(Qt.ItemFlag.NoItemFlags)
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.views_header.setFont(font)
        self.views_header.setForeground(text_colour("muted"))
        self.addItem(self.views_header)
        self.views_header.setHidden(True)
        self.currentItemChanged.connect(self._changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.setMinimumWidth(170)
        self.setItemDelegate(QueueItems(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # elide
        self.setIconSize(QSize(look.ICON_PX, look.ICON_PX))
        self.counts: dict[str, int] = {}
        self.view_counts: dict[str, int] = {}

    @staticmethod
    def _item(title: str, key: str) -> QListWidgetItem:
        item = QListWidgetItem(icon("search" if view_name(key) else key), title)
        item.setData(KEY_ROLE, key)
        item.setData(TITLE_ROLE, title)
        return item

    def _items(self) -> list[QListWidgetItem]:
        return [self.item(row) for row in range(self.count())
                if self.item(row).data(KEY_ROLE) is not None]

    def _find(self, key: str) -> QListWidgetItem | None:
        return next((item for item in self._items() if item.data(KEY_ROLE) == key), None)

    def _changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None and current.data(KEY_ROLE) is not None:
            self.queue_chosen.emit(current.data(KEY_ROLE))

    @property
    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(KEY_ROLE) if item else None

    def title_of(self, key: str) -> str:
        """The title of queue or view ``key``."""
        item = self._find(key)
        return item.data(TITLE_ROLE) if item else key

    def select(self, key: str) -> None:
        """Make queue or view ``key`` current (emits ``queue_chosen``)."""
        item = self._find(key)
        if item is not None:
            self.setCurrentItem(item)

    def show_home(self, key: str) -> None:
        """Mark queue ``key`` as the one a found ticket is in, without listing it."""
        item = self._find(key)
        if item is not None:
            self.blockSignals(True)
            self.setCurrentItem(item)
            self.blockSignals(False)
            self.scrollToItem(item)

    # --- views -----------------------------------------------------------------------

    def set_views(self, names: Sequence[str]) -> None:
        """Show the saved views under "My views" (the current one stays current)."""
        current = self.current_key
        self.blockSignals(True)
        try:
            for item in self._items():
                if view_name(item.data(KEY_ROLE)) is not None:
                    self.takeItem(self.row(item))
            for name in names:
                item = self._item(name, view_key(name))
                item.setToolTip(f"Saved view {name!r}; right-click to rename or remove")
                self.addItem(item)
            self.views_header.setHidden(not names)
            if current is not None and self._find(current) is not None:
                self.setCurrentItem(self._find(current))
        finally:
            self.blockSignals(False)
        self._show_counts()

    def _menu(self, at: QPoint) -> None:
        item = self.itemAt(at)
        name = view_name(item.data(KEY_ROLE)) if item else None
        if name is None:
            return
        menu = QMenu(self)
        menu.addAction("Rename view…", lambda: self.rename_requested.emit(name))
        menu.addAction("Remove view", lambda: self.remove_requested.emit(name))
        menu.popup(self.mapToGlobal(at))

    # --- counts ----------------------------------------------------------------------

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """Show each queue's count next to its title."""
        self.counts = dict(counts)
        self._show_counts()

    def set_view_counts(self, counts: Mapping[str, int]) -> None:
        """Show each saved view's count (by view name) next to its title."""
        self.view_counts = dict(counts)
        self._show_counts()

    def _show_counts(self) -> None:
        for item in self._items():
            key = item.data(KEY_ROLE)
            name = view_name(key)
            count = self.counts.get(key) if name is None else self.view_counts.get(name)
            title = item.data(TITLE_ROLE)
            item.setData(COUNT_ROLE, count)
            item.setText(title if count is None else f"{title}  ({count:,})")

    def adjust_counts(self, deltas: Mapping[str, int]) -> None:
        """Move the counts shown by what one change did (a ticket entered or left a
        queue); queues not counted yet stay as they are."""
        known = {key: self.counts[key] + delta for key, delta in deltas.items()
                 if key in self.counts}
        if known:
            self.set_counts({**self.counts, **known})
