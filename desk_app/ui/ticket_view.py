"""One ticket: header with live SLA countdowns, actions, details, checklists, timeline.

The view only lays out what ``ticket_screen`` returned and reports what the person
asks for (``action_requested``, ``details_saved``, ``items_ticked``); the main window
runs the work on the database worker.
"""

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.sla_clock import is_breached
from desk_app.services.details import EDITABLE_DETAILS
from desk_app.ui.palette import priority_colour, sla_colour
from desk_app.ui.refusals import error_label, mark, refusal_text, refused_fields
from desk_app.ui.ticket_table_model import duration_text

# action key -> (button text, shortcut)
BUTTONS: tuple[tuple[str, str, str], ...] = (
    ("assign", "Assign…", "Ctrl+Shift+A"),
    ("start_work", "Start work", "Ctrl+Shift+S"),
    ("escalate", "Escalate…", "Ctrl+Shift+E"),
    ("hold", "Hold…", "Ctrl+Shift+H"),
    ("resume", "Resume", "Ctrl+Shift+U"),
    ("worklog", "Worklog…", "Ctrl+Shift+W"),
    ("resolve", "Resolve…", "Ctrl+Shift+R"),
    ("confirm", "User confirmed", ""),
    ("reject", "User rejected…", ""),
    ("close", "Close…", "Ctrl+Shift+C"),
    ("reopen", "Reopen…", ""),
    ("cancel", "Cancel ticket…", ""),
)
MENU_ACTIONS: tuple[tuple[str, str], ...] = (
    ("escalate_hierarchic", "Escalate to management…"),
    ("reprioritise", "Change impact / urgency…"),
    ("declare_major", "Declare / stand down major incident…"),
    ("convert", "Convert incident / request…"),
    ("link_problem", "Link or raise a problem…"),
    ("set_rfc", "Set RFC reference…"),
    ("set_parent", "Set parent incident…"),
    ("relate", "Relate to another ticket…"),
)
MENU_PERMISSION = {"link_problem": "link", "set_rfc": "link", "set_parent": "link",
                   "relate": "link"}
DETAIL_LABELS = {"summary": "Summary", "description": "Description", "service": "Service",
                 "ci": "Configuration item", "reporter": "Reporter", "contact": "Contact"}


def _value(text: str | None) -> str:
    """A history value as a person reads it: times shortened to the minute."""
    if not text:
        return "—"
    if len(text) >= 19 and text[4] == "-" and text[10] == "T":
        try:
            return datetime.fromisoformat(text).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return text
    return text


def _parse(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None


class SlaCountdown(QLabel):
    """``Resolution: 3h 05m left`` redrawn every second from the due time."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self.clock: dict[str, Any] | None = None
        self.setObjectName(f"countdown_{title.lower()}")
        self.setTextFormat(Qt.TextFormat.RichText)

    def show_clock(self, clock: dict[str, Any] | None) -> None:
        self.clock = clock
        self.tick()

    def tick(self, now: datetime | None = None) -> None:
        clock = self.clock
        if clock is None:
            self.setText("")
            return
        due = _parse(clock["due"])
        if clock["met_at"]:
            state = text = "missed" if clock["breached"] else "met"
        elif not clock.get("running", True):  # paused on hold, or stopped by a cancel
            state = "breached" if clock["breached"] else "paused"
            text = "paused" if clock["paused"] else "stopped"
        else:
            moment = now or datetime.now(due.tzinfo)
            left = due - moment
            state = "breached" if is_breached(due, moment) else (
                "warning" if clock["warning"] else "running")
            text = duration_text(left) + (" overdue" if state == "breached" else " left")
        colour = sla_colour(state).name()
        self.setText(f"{self.title}: <b style='color:{colour}'>{text}</b> "
                     f"<span>(due {due:%a %d %b %H:%M})</span>")
        self.setProperty("state", state)


class TicketView(QWidget):
    """The right-hand pane. Empty until ``show_ticket`` is given a ticket screen."""

    action_requested = Signal(str)
    details_saved = Signal(dict)
    items_ticked = Signal(list)
    categorise_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket_view")
        self.data: dict[str, Any] | None = None
        self.buttons: dict[str, QPushButton] = {}
        self.menu_actions: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        self.placeholder = QLabel("Select a ticket, or log a new one (Ctrl+N).")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.placeholder)
        self.body = QWidget()
        layout.addWidget(self.body, 1)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("ticket_title")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.response = SlaCountdown("Response")
        self.resolution = SlaCountdown("Resolution")
        clocks = QHBoxLayout()
        clocks.addWidget(self.response)
        clocks.addSpacing(24)
        clocks.addWidget(self.resolution)
        clocks.addStretch(1)
        body.addWidget(self.title)
        body.addWidget(self.summary)
        body.addLayout(clocks)
        body.addLayout(self._action_row())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._details_tab(), "&Details")
        self.tabs.addTab(self._checklist_tab(), "Check&lists")
        self.tabs.addTab(self._timeline_tab(), "&Timeline")
        body.addWidget(self.tabs, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.body.hide()

    # --- building --------------------------------------------------------------------

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)
        for key, text, shortcut in BUTTONS:
            button = QPushButton(text)
            button.setObjectName(f"action_{key}")
            if shortcut:
                button.setShortcut(QKeySequence(shortcut))
            button.clicked.connect(lambda _checked=False, k=key: self.action_requested.emit(k))
            self.buttons[key] = button
            row.addWidget(button)
        more = QToolButton()
        more.setText("More")
        more.setObjectName("action_more")
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(more)
        menu.setToolTipsVisible(True)
        for key, text in MENU_ACTIONS:
            action = menu.addAction(text)
            action.setObjectName(f"action_{key}")
            action.triggered.connect(lambda _checked=False, k=key: self.action_requested.emit(k))
            self.menu_actions[key] = action
        more.setMenu(menu)
        row.addWidget(more)
        row.addStretch(1)
        return row

    def _details_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.detail_inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        for name in EDITABLE_DETAILS:
            widget: QLineEdit | QPlainTextEdit
            if name == "description":
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setMaximumHeight(120)
            else:
                widget = QLineEdit()
            widget.setObjectName(f"detail_{name}")
            self.detail_inputs[name] = widget
            form.addRow(DETAIL_LABELS[name], widget)
        self.category = QComboBox()
        self.category.setObjectName("detail_category")
        self.subcategory = QComboBox()
        self.subcategory.setObjectName("detail_subcategory")
        self.category.currentTextChanged.connect(self._fill_subcategories)
        categorise = QPushButton("Set category")
        categorise.setObjectName("categorise")
        categorise.clicked.connect(lambda: self.categorise_requested.emit(
            self.category.currentText(), self.subcategory.currentText()))
        self.categorise_button = categorise
        category_row = QHBoxLayout()
        category_row.addWidget(self.category, 1)
        category_row.addWidget(self.subcategory, 1)
        category_row.addWidget(categorise)
        form.addRow("Category", category_row)
        self.facts = QLabel()
        self.facts.setObjectName("ticket_facts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.facts)
        self.detail_error = error_label()
        form.addRow("", self.detail_error)
        self.save_details = QPushButton("Save details")
        self.save_details.setObjectName("save_details")
        self.save_details.setShortcut(QKeySequence.StandardKey.Save)
        self.save_details.setToolTip("Save the edited details (Ctrl+S)")
        self.save_details.clicked.connect(self._save_details)
        form.addRow("", self.save_details)
        self.categories: dict[str, tuple[str, ...]] = {}
        return page

    def _checklist_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<b>Categorisation checklist</b>"))
        self.checklist_progress = QProgressBar()
        self.checklist_progress.setObjectName("checklist_progress")
        self.checklist_progress.setFormat("%v of %m done")
        layout.addWidget(self.checklist_progress)
        self.checklist_box = QVBoxLayout()
        layout.addLayout(self.checklist_box)
        self.ticks: dict[str, QCheckBox] = {}
        self.tick_button = QPushButton("Tick the checked items")
        self.tick_button.setObjectName("tick_items")
        self.tick_button.clicked.connect(self._tick_items)
        layout.addWidget(self.tick_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(QLabel("<b>Logging checklist</b>"))
        self.logging_list = QListWidget()
        self.logging_list.setObjectName("logging_checklist")
        layout.addWidget(self.logging_list)
        layout.addWidget(QLabel("<b>Closure checklist</b>"))
        self.closure_list = QListWidget()
        self.closure_list.setObjectName("closure_checklist")
        layout.addWidget(self.closure_list)
        return page

    def _timeline_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.timeline_kind = QComboBox()
        self.timeline_kind.setObjectName("timeline_kind")
        for text, value in (("Everything", "all"), ("Worklog", "worklog"),
                            ("Field changes", "history"), ("Status changes", "status")):
            self.timeline_kind.addItem(text, value)
        self.timeline_text = QLineEdit()
        self.timeline_text.setObjectName("timeline_text")
        self.timeline_text.setPlaceholderText("Filter the timeline")
        self.timeline_text.setClearButtonEnabled(True)
        bar.addWidget(self.timeline_kind)
        bar.addWidget(self.timeline_text, 1)
        layout.addLayout(bar)
        self.timeline = QListWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        layout.addWidget(self.timeline, 1)
        self.timeline_kind.currentIndexChanged.connect(self._fill_timeline)
        self.timeline_text.textChanged.connect(self._fill_timeline)
        return page

    # --- showing ---------------------------------------------------------------------

    def clear(self) -> None:
        self.data = None
        self._timer.stop()
        self.body.hide()
        self.placeholder.show()

    def set_categories(self, categories: dict[str, tuple[str, ...]]) -> None:
        self.categories = categories

    def show_ticket(self, data: dict[str, Any], keep_edits: bool = False) -> None:
        """Lay out a ticket screen (``services.ticket_actions.ticket_screen``)."""
        same = self.data is not None and self.data["id"] == data["id"]
        self.data = data
        self.placeholder.hide()
        self.body.show()
        major = " · <b style='color:#c62828'>MAJOR INCIDENT</b>" if data["major"] else ""
        priority = priority_colour(data["priority"]).name()
        status = data["status"].replace("_", " ")
        if data["hold_reason"]:
            status += f" ({data['hold_reason'].replace('_', ' ')})"
        self.title.setText(
            f"<span style='font-size:15pt; font-weight:700'>{data['number']}</span> "
            f"&nbsp; {data['type'].title()} · <b style='color:{priority}'>{data['priority']}</b>"
            f" (impact {data['impact']}, urgency {data['urgency']}) · {status}{major}")
        self.summary.setText(data["summary"])
        self.response.show_clock(data["sla"]["response"])
        self.resolution.show_clock(data["sla"]["resolution"])
        self._timer.start()
        self._show_actions(data["actions"])
        if not (keep_edits and same):
            self._show_details(data)
        self._show_checklists(data)
        self._fill_timeline()

    def _show_actions(self, actions: dict[str, str | None]) -> None:
        for key, button in self.buttons.items():
            reason = actions.get(key)
            button.setEnabled(reason is None)
            shortcut = button.shortcut().toString()
            tip = reason if reason else button.text().rstrip("…")
            button.setToolTip(f"{tip} ({shortcut})" if shortcut and not reason else tip)
        for key, action in self.menu_actions.items():
            reason = actions.get(MENU_PERMISSION.get(key, key))
            action.setEnabled(reason is None)
            action.setToolTip(reason or action.text())
        editable = actions.get("edit_details") is None
        for widget in self.detail_inputs.values():
            widget.setReadOnly(not editable)
        self.save_details.setEnabled(editable)
        self.save_details.setToolTip("Save the edited details (Ctrl+S)" if editable
                                     else actions.get("edit_details") or "")
        categorise = actions.get("categorise")
        for widget in (self.category, self.subcategory, self.categorise_button):
            widget.setEnabled(categorise is None)
        self.categorise_button.setToolTip(categorise or "Set the category and subcategory")

    def _show_details(self, data: dict[str, Any]) -> None:
        for name, widget in self.detail_inputs.items():
            mark(widget, None)
            value = data.get(name) or ""
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        self.detail_error.hide()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItems(sorted(set(self.categories) | (
            {data["category"]} if data["category"] else set())))
        self.category.setCurrentText(data["category"] or "")
        self.category.blockSignals(False)
        self._fill_subcategories(data["category"] or "")
        self.subcategory.setCurrentText(data["subcategory"] or "")
        facts = [
            f"Group: <b>{data['group'] or '—'}</b> ({data['support_level']})",
            f"Assignee: <b>{data['assignee'] or '—'}</b>",
            f"Management informed: {data['management_level'] or '—'}",
            f"Channel: {data['channel'] or '—'}",
            f"Logged {data['logged_at'][:16].replace('T', ' ')} by {data['logged_by']}",
        ]
        if data["resolution_type"]:
            facts.append(f"Resolution: {data['resolution_type']} ({data['resolution_code']}): "
                         f"{data['resolution_notes']}")
        links = [f"{link['kind'].replace('_', ' ')} {link['number']}" for link in data["links"]]
        for label, key in (("Problem", "problem"), ("Parent", "parent"), ("RFC", "rfc")):
            if data.get(key):
                links.append(f"{label} {data[key]}")
        if links:
            facts.append("Links: " + ", ".join(links))
        self.facts.setText(" · ".join(facts))

    def _fill_subcategories(self, category: str) -> None:
        self.subcategory.clear()
        self.subcategory.addItem("")
        self.subcategory.addItems(list(self.categories.get(category, ())))

    def _show_checklists(self, data: dict[str, Any]) -> None:
        while self.checklist_box.count():
            widget = self.checklist_box.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.ticks = {}
        items = data["checklists"]["categorisation"]
        done = sum(1 for item in items if item["done"])
        self.checklist_progress.setRange(0, max(len(items), 1))
        self.checklist_progress.setValue(done)
        for item in items:
            box = QCheckBox(item["item"])
            box.setChecked(item["done"])
            box.setEnabled(not item["done"])
            if item["done"]:
                box.setToolTip(f"ticked by {item['by']} at {item['at'][:16].replace('T', ' ')}")
            self.checklist_box.addWidget(box)
            self.ticks[item["item"]] = box
        tickable = data["actions"].get("tick_checklist")
        self.tick_button.setEnabled(tickable is None and done < len(items))
        self.tick_button.setToolTip(tickable or "Record the checked items")
        for target, entries, label in (
                (self.logging_list, data["checklists"]["logging"], "item"),
                (self.closure_list, data["checklists"]["closure"], "label")):
            target.clear()
            for entry in entries:
                target.addItem(("✔ " if entry["done"] else "✘ ") + entry[label])

    def _timeline_entries(self) -> list[tuple[str, str, str, str]]:
        """(at, kind, who, text) newest first; the fields written when the ticket was
        logged are one entry."""
        data = self.data or {}
        entries: list[tuple[str, int, str, str, str]] = []
        logged = []  # the leading rows the logging wrote: every field from nothing
        for h in data.get("history", ()):
            if h["old"] is not None or h["at"] != data.get("logged_at"):
                break
            logged.append(h)
        if logged:
            entries.append((logged[0]["at"], 0, "status", logged[0]["by"],
                            f"logged {data['number']} ({data['type']}, {data['priority']}) "
                            f"via {data.get('channel') or 'unknown channel'}"))
        for sequence, h in enumerate(data.get("history", ()), start=1):
            if h in logged:
                continue
            entries.append((h["at"], sequence, "status" if h["field"] == "status" else "history",
                            h["by"], f"{h['field'].replace('_', ' ')}: {_value(h['old'])} → "
                                     f"{_value(h['new'])}"))
        offset = len(data.get("history", ())) + 1
        for sequence, w in enumerate(data.get("worklog", ()), start=offset):
            minutes = f", {w['minutes']} min" if w["minutes"] else ""
            entries.append((w["at"], sequence, "worklog", w["by"],
                            f"[{w['kind']}{minutes}] {w['note']}"))
        entries.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
        return [(at, kind, who, text) for at, _seq, kind, who, text in entries]

    def _fill_timeline(self) -> None:
        kind = self.timeline_kind.currentData()
        text = self.timeline_text.text().strip().casefold()
        self.timeline.clear()
        for at, entry_kind, who, line in self._timeline_entries():
            if kind == "history" and entry_kind == "worklog":
                continue
            if kind in ("worklog", "status") and entry_kind != kind:
                continue
            if text and text not in line.casefold() and text not in who.casefold():
                continue
            item = QListWidgetItem(f"{at[:16].replace('T', ' ')}  {who}  —  {line}")
            item.setData(Qt.ItemDataRole.UserRole, entry_kind)
            self.timeline.addItem(item)

    def _tick(self) -> None:
        self.response.tick()
        self.resolution.tick()

    # --- requests --------------------------------------------------------------------

    def edited_details(self) -> dict[str, str]:
        """The detail fields whose text differs from the stored ticket."""
        changes = {}
        for name, widget in self.detail_inputs.items():
            text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
            if text != ((self.data or {}).get(name) or ""):
                changes[name] = text
        return changes

    def _save_details(self) -> None:
        changes = self.edited_details()
        if changes:
            self.details_saved.emit(changes)

    def details_refused(self, error: Exception) -> None:
        """Show a refused detail save on its field; the typed text stays."""
        self.detail_error.setText(refusal_text(error))
        self.detail_error.show()
        for name in refused_fields(error):
            if name in self.detail_inputs:
                mark(self.detail_inputs[name], refusal_text(error))

    def _tick_items(self) -> None:
        chosen = [item for item, box in self.ticks.items() if box.isChecked() and box.isEnabled()]
        if chosen:
            self.items_ticked.emit(chosen)
