"""Files on tickets: the largest file a ticket takes, and whether desks fetch the files
of their technician's tickets ahead of time."""

import copy
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QWidget

from desk_app.core.attachment_rules import DEFAULT_MAX_SIZE_MB
from desk_app.ui.admin.policy_page import PolicyPage, narrow_form, note

DEFAULTS = {"max_size_mb": DEFAULT_MAX_SIZE_MB, "prefetch_my_tickets": True}


class AttachmentsPage(PolicyPage):
    """The ``attachments`` section."""

    title = "Files"
    owns = ("attachments",)

    def __init__(self) -> None:
        super().__init__()
        form = narrow_form(self)
        self.max_size = QDoubleSpinBox()
        self.max_size.setObjectName("attachment_max_size")
        self.max_size.setRange(0.1, 2048)
        self.max_size.setDecimals(1)
        self.max_size.setSuffix(" MB")
        self.max_size.setToolTip("A larger file is refused, naming this limit")
        self.max_size.valueChanged.connect(self._changed)
        self.prefetch = QCheckBox("Fetch the files of my open tickets at each sync")
        self.prefetch.setObjectName("attachment_prefetch")
        self.prefetch.setToolTip("Otherwise a file another desk added is fetched from the "
                                 "team database when it is opened")
        self.prefetch.toggled.connect(self._changed)
        form.addRow("Largest file", self.max_size)
        form.addRow("Ahead of time", self.prefetch)
        form.addRow(note("Files are kept once per content in each desk's data folder and "
                         "in the team database."))
        self._stored: dict[str, Any] | None = None

    def load(self, sections: dict[str, Any]) -> None:
        stored = sections.get("attachments")
        self._stored = copy.deepcopy(stored) if stored is not None else None
        values = DEFAULTS | (stored or {})
        with QSignalBlocker(self.max_size):
            self.max_size.setValue(float(values["max_size_mb"]))
        with QSignalBlocker(self.prefetch):
            self.prefetch.setChecked(bool(values["prefetch_my_tickets"]))

    def sections(self) -> dict[str, Any]:
        shown = {"max_size_mb": self.max_size.value(),
                 "prefetch_my_tickets": self.prefetch.isChecked()}
        if not self._stored and shown == DEFAULTS:
            return {}  # a desk from before the section: nothing to save until changed
        return {"attachments": (self._stored or {}) | shown}

    def field(self, path: str) -> QWidget | None:
        return self.prefetch if path.startswith("attachments.prefetch") else \
            self.max_size if path.startswith("attachments") else None
