"""The ticket's checklists: categorisation items tick (and save) on click; the logging and
closure checklists say what is met."""

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QVBoxLayout, QWidget

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
        while self.checklist_box.count():
            widget = self.checklist_box.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.ticks = {}
        items = data["checklists"]["categorisation"]
        done = sum(1 for item in items if item["done"])
        self.checklist_progress.setRange(0, max(len(items), 1))
        self.checklist_progress.setValue(done)
        reason = data["actions"].get("tick_checklist")
        people = data.get("people", {})
        for item in items:
            box = QCheckBox(item["item"])
            box.setChecked(item["done"])
            box.setEnabled(not item["done"] and reason is None)
            if item["done"]:
                box.setToolTip(f"ticked by {people.get(item['by'], item['by'])} at "
                               f"{item['at'][:16].replace('T', ' ')}")
            else:
                box.setToolTip(reason or "Tick to record it as done (saved at once)")
            box.toggled.connect(lambda checked, name=item["item"]: self._ticked(name, checked))
            self.checklist_box.addWidget(box)
            self.ticks[item["item"]] = box
        met, unmet = tone("success").text, tone("danger").text
        for key, label in (("logging", "item"), ("closure", "label")):
            lines = [f"<span style='color:{met if entry['done'] else unmet}'>"
                     f"{'✔' if entry['done'] else '✘'}</span> {entry[label]}"
                     for entry in data["checklists"][key]]
            self.lists[key].setText("<br>".join(lines) or "—")

    def _ticked(self, item: str, checked: bool) -> None:
        if checked:
            self.ticks[item].setEnabled(False)  # until the saved ticket redraws the list
            self.items_ticked.emit([item])
