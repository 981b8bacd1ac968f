"""The navigation list of queues, each with its ticket count."""

from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from desk_app.services.queues import QUEUES
from desk_app.ui import look
from desk_app.ui.icons import icon


class QueueList(QListWidget):
    """Emits ``queue_chosen(key)`` when the person picks a queue."""

    queue_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queues")
        self.setAccessibleName("Queues")
        self.setToolTip("Work queues (Ctrl+1 .. Ctrl+9)")
        for queue in QUEUES:
            item = QListWidgetItem(icon(queue.key), queue.title)
            item.setSizeHint(QSize(0, look.row_height(self.fontMetrics())))
            item.setData(Qt.ItemDataRole.UserRole, queue.key)
            self.addItem(item)
        self.currentItemChanged.connect(self._changed)
        self.setMinimumWidth(190)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # elide
        self.setIconSize(QSize(look.ICON_PX, look.ICON_PX))
        self.counts: dict[str, int] = {}

    def _changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.queue_chosen.emit(current.data(Qt.ItemDataRole.UserRole))

    @property
    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select(self, key: str) -> None:
        """Make queue ``key`` current (emits ``queue_chosen``)."""
        for row, queue in enumerate(QUEUES):
            if queue.key == key:
                self.setCurrentRow(row)

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show each queue's count next to its title."""
        self.counts = dict(counts)
        for row, queue in enumerate(QUEUES):
            count = counts.get(queue.key)
            text = queue.title if count is None else f"{queue.title}  ({count:,})"
            self.item(row).setText(text)

    def adjust_counts(self, deltas: Mapping[str, int]) -> None:
        """Move the counts shown by what one change did (a ticket entered or left a
        queue); queues not counted yet stay as they are."""
        known = {key: self.counts[key] + delta for key, delta in deltas.items()
                 if key in self.counts}
        if known:
            self.set_counts({**self.counts, **known})
