"""The ticket's checklists: categorisation items tick (and save) on click; the logging and
closure checklists say what is met."""

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from desk_app.core.checklists import SEARCHED_KNOWN_ERRORS
from desk_app.ui.palette import tone


class TicketChecklists(QWidget):
    """``items_ticked([item])`` as soon as a categorisation item is checked."""

    items_ticked = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("ticket_checklists")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Categorisation checklist</b>"))
        self.checklist_progress = QProgressBar()
        self.checklist_progress.setObjectName("checklist_progress")
        self.checklist_progress.setFormat("%v of %m done")
        layout.addWidget(self.checklist_progress)
        self.checklist_box = QVBoxLayout()
        layout.addLayout(self.checklist_box)
        self.ticks: dict[str, QCheckBox] = {}
        self._boxes: list[QCheckBox] = []
        self.lists: dict[str, QLabel] = {}
        for key, title in (("logging", "Logging checklist"), ("closure", "Closure checklist")):
            layout.addWidget(QLabel(f"<b>{title}</b>"))
            label = QLabel()
            label.setObjectName(f"{key}_checklist")
            label.setWordWrap(True)
            layout.addWidget(label)
            self.lists[key] = label
        layout.addStretch(1)

    def show_ticket(self, data: dict[str, Any]) -> None:
        """Redraw the lists of ``data`` (a ticket screen)."""
        items = data["checklists"]["categorisation"]
        while len(self._boxes) < len(items):  # the boxes are made once and refilled
            box = QCheckBox()
            box.toggled.connect(lambda checked, b=box: self._ticked(b, checked))
            self.checklist_box.addWidget(box)
            self._boxes.append(box)
        self.ticks = {}
        done = sum(1 for item in items if item["done"])
        self.checklist_progress.setRange(0, max(len(items), 1))
        self.checklist_progress.setValue(done)
        reason = data["actions"].get("tick_checklist")
        people = data.get("people", {})
        for box, item in zip(self._boxes, items, strict=False):
            box.blockSignals(True)
            box.setText(item["item"])
            box.setChecked(item["done"])
            box.blockSignals(False)
            by_search = item["item"] == SEARCHED_KNOWN_ERRORS
            box.setEnabled(not item["done"] and reason is None and not by_search)
            if by_search and not item["done"]:
                box.setToolTip("Ticked when you open the suggestions "
                               "(they search the known errors)")
            elif item["done"]:
                box.setToolTip(f"ticked by {people.get(item['by'], item['by'])} at "
                               f"{item['at'][:16].replace('T', ' ')}")
            else:
                box.setToolTip(reason or "Tick to record it as done (saved at once)")
            box.show()
            self.ticks[item["item"]] = box
        for box in self._boxes[len(items):]:
            box.hide()
        met, unmet = tone("success").text, tone("danger").text
        for key, label in (("logging", "item"), ("closure", "label")):
            lines = [f"<span style='color:{met if entry['done'] else unmet}'>"
                     f"{'✔' if entry['done'] else '✘'}</span> {entry[label]}"
                     for entry in data["checklists"][key]]
            self.lists[key].setText("<br>".join(lines) or "—")

    def _ticked(self, box: QCheckBox, checked: bool) -> None:
        if checked:
            box.setEnabled(False)  # until the saved ticket redraws the list
            self.items_ticked.emit([box.text()])
