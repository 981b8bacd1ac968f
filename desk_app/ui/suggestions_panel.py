"""Suggestions at diagnosis: solved tickets, published articles and known errors that may
already fix what is being logged or worked, best first, each with "This solved it".

Each question goes to the database worker; while a person types, only the newest
question is answered: an older one still queued is skipped on the database thread, and
an older answer that arrives late is dropped.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.labels import human_label
from desk_app.ui.palette import SUGGESTION_TONE, text_colour
from desk_app.ui.worker import BackgroundWorker

if TYPE_CHECKING:
    from desk_app.services.search import Hit

KIND_NAMES = {"article": "Article", "known_error": "Known error", "ticket": "Solved ticket"}
EXCERPT = 110
_STALE = object()


def _excerpt(text: str) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1] + "…"


class SuggestionsPanel(QWidget):
    """``shown(hits)`` after the newest answer is laid out; ``solved(hit)`` when "This
    solved it" is pressed on one."""

    shown = Signal(list)
    solved = Signal(object)

    def __init__(self, worker: BackgroundWorker | None = None,
                 title: str = "Suggestions: solved before?") -> None:
        super().__init__()
        self.setObjectName("suggestions")
        self._worker = worker
        self._asked = 0  # the newest question's number
        self.dropped = 0  # stale questions skipped or answers dropped (tests read it)
        self.hits: list[Hit] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(f"<b>{title}</b>")
        self.title.setWordWrap(True)  # a narrow ticket pane wraps it rather than widening
        layout.addWidget(self.title)
        self.list = QListWidget()
        self.list.setObjectName("suggestion_list")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setToolTip("Solved tickets, knowledge articles and known errors like this "
                             "one, best match first")
        self.list.currentRowChanged.connect(self._selected)
        layout.addWidget(self.list, 1)
        self.fix = QLabel()
        self.fix.setObjectName("suggestion_fix")
        self.fix.setTextFormat(Qt.TextFormat.PlainText)  # stored text is never markup
        self.fix.setWordWrap(True)
        self.fix.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.fix)
        row = QHBoxLayout()
        row.addStretch(1)
        self.solved_button = QPushButton("This solved it")
        self.solved_button.setObjectName("this_solved_it")
        self.solved_button.setToolTip("Link it to the ticket, use its text as the "
                                      "resolution, and count it as resolved by knowledge")
        self.solved_button.setEnabled(False)
        self.solved_button.clicked.connect(self._solved)
        row.addWidget(self.solved_button)
        layout.addLayout(row)

    def attach(self, worker: BackgroundWorker) -> None:
        """Use ``worker`` for the questions (a panel built before the worker exists)."""
        self._worker = worker

    # --- asking ----------------------------------------------------------------------

    def ask(self, work: Callable[[], list["Hit"]]) -> None:
        """Run ``work`` (a services.diagnosis call) on the worker; only the newest
        question's answer is shown."""
        if self._worker is None:
            return
        self._asked += 1
        number = self._asked

        def answer() -> Any:
            if number != self._asked:  # a newer question is queued: skip this one
                return _STALE
            return work()

        self._worker.submit(answer, lambda hits: self._answered(number, hits),
                            lambda error: self._answered(number, []))

    def _answered(self, number: int, hits: Any) -> None:
        if hits is _STALE or number != self._asked:
            self.dropped += 1
            return
        self.show_hits(hits)

    # --- showing ---------------------------------------------------------------------

    def show_hits(self, hits: list["Hit"]) -> None:
        """Lay out ``hits`` (best first)."""
        self.hits = list(hits)
        self.list.clear()
        for hit in self.hits:
            status = f"  · {human_label(hit.status)}" if hit.status else ""
            text = f"{KIND_NAMES.get(hit.kind, hit.kind)}  {hit.label}{status}\n{hit.title}"
            if hit.fix:
                text += f"\n→ {_excerpt(hit.fix)}"
            item = QListWidgetItem(text)
            item.setForeground(QBrush(text_colour(SUGGESTION_TONE.get(hit.kind, "muted"))))
            item.setToolTip(hit.fix or hit.title)
            self.list.addItem(item)
        if not self.hits:
            self.list.addItem("(nothing like it yet)")
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self.fix.clear()
        self.solved_button.setEnabled(False)
        self.shown.emit(self.hits)

    def _selected(self, row: int) -> None:
        hit = self.hits[row] if 0 <= row < len(self.hits) else None
        self.solved_button.setEnabled(hit is not None)
        self.fix.setText(hit.fix if hit is not None else "")

    def current(self) -> "Hit | None":
        """The selected suggestion."""
        row = self.list.currentRow()
        return self.hits[row] if 0 <= row < len(self.hits) else None

    def _solved(self) -> None:
        hit = self.current()
        if hit is not None:
            self.solved.emit(hit)
