"""The ticket's Details: the logged fields and the category, edited in place and saved
with one button; edits not yet saved are marked, survive a refresh, and are kept on disk
as a draft until saved or discarded (a crash does not lose them)."""

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from desk_app.core.labels import human_label
from desk_app.services.details import EDITABLE_DETAILS
from desk_app.ui import look
from desk_app.ui.drafts import SAVE_AFTER_MS, DraftStore
from desk_app.ui.palette import tone
from desk_app.ui.problem_facts import problem_facts
from desk_app.ui.refusals import error_label, mark, refusal_text, refused_fields

DETAIL_LABELS = {"summary": "Summary", "description": "Description", "service": "Service",
                 "ci": "Configuration item", "reporter": "Reporter", "contact": "Contact"}


class TicketDetails(QWidget):
    """``save_requested(edits)`` with ``{"details": {field: text} ("no_email": "yes" or
    "no" for the do-not-email switch), "category": (category,
    subcategory) or None}``; ``dirty_changed(bool)`` when unsaved edits appear or go."""

    save_requested = Signal(dict)
    dirty_changed = Signal(bool)
    catalogue_requested = Signal(str, str)  # kind ("ci" or "service"), name

    def __init__(self, drafts: DraftStore | None = None) -> None:
        super().__init__()
        self.setObjectName("ticket_details")
        self.drafts = drafts or DraftStore()
        self._filling = False
        self._draft_timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self.data: dict[str, Any] | None = None
        self.categories: dict[str, tuple[str, ...]] = {}
        self.dirty = False
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.detail_inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        for name in EDITABLE_DETAILS:
            widget: QLineEdit | QPlainTextEdit
            if name == "description":
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setMinimumHeight(60)
                widget.setMaximumHeight(110)
            else:
                widget = QLineEdit()
            widget.setObjectName(f"detail_{name}")
            widget.textChanged.connect(self._edited)
            self.detail_inputs[name] = widget
            form.addRow(DETAIL_LABELS[name], self._with_page_button(name, widget))
        self.no_email = QCheckBox("Do not email the reporter about this ticket")
        self.no_email.setObjectName("detail_no_email")
        self.no_email.toggled.connect(self._edited)
        form.addRow("", self.no_email)
        self.category = QComboBox()
        self.category.setObjectName("detail_category")
        self.subcategory = QComboBox()
        self.subcategory.setObjectName("detail_subcategory")
        self.category.setPlaceholderText("Not categorised")
        self.category.currentTextChanged.connect(self._fill_subcategories)
        self.category.currentTextChanged.connect(self._edited)
        self.subcategory.currentTextChanged.connect(self._edited)
        category_row = QHBoxLayout()
        category_row.addWidget(self.category, 1)
        category_row.addWidget(self.subcategory, 1)
        form.addRow("Category", category_row)
        self.facts = QLabel()
        self.facts.setObjectName("ticket_facts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.facts)
        self.detail_error = error_label()
        form.addRow("", self.detail_error)
        self.unsaved = QLabel("● Unsaved changes")
        self.unsaved.setObjectName("unsaved_mark")
        bold = self.unsaved.font()
        bold.setBold(True)
        self.unsaved.setFont(bold)
        look.set_tone(self.unsaved, "warning")  # restyled with the theme (look.restyle_all)
        self.unsaved.hide()
        self.save_details = QPushButton("Save changes")
        self.save_details.setObjectName("save_details")
        self.save_details.clicked.connect(self.save)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_details)
        save_row.addWidget(self.unsaved)
        save_row.addStretch(1)
        form.addRow("", save_row)

    def _with_page_button(self, name: str, widget: QWidget) -> QWidget | QHBoxLayout:
        """The CI and service fields get a button opening their catalogue page."""
        if name not in ("ci", "service"):
            return widget
        button = QPushButton("History…")
        button.setObjectName(f"open_{name}_page")
        button.setToolTip(f"The {DETAIL_LABELS[name].lower()}'s page: its details and "
                          "every incident on it")
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self._request_page(name))
        row = QHBoxLayout()
        row.addWidget(widget, 1)
        row.addWidget(button)
        return row

    def _request_page(self, name: str) -> None:
        text = self.detail_inputs[name].text().strip()
        if text:
            self.catalogue_requested.emit(name, text)

    # --- showing ---------------------------------------------------------------------

    def set_categories(self, categories: dict[str, tuple[str, ...]]) -> None:
        self.categories = categories

    def show_ticket(self, data: dict[str, Any], keep_edits: bool) -> None:
        """Fill from ``data``; with ``keep_edits`` the typed text stays and is compared
        with the ticket as now stored."""
        another = self.data is None or self.data["id"] != data["id"]
        self.data = data
        self._show_facts(data)
        self._set_editable(data["actions"])
        if not keep_edits:
            self._filling = True  # the stored ticket, then its draft: not an edit yet
            try:
                self._fill(data)
                if another:  # the same ticket shown again has no draft: it is clean
                    self._restore_draft(data)
            finally:
                self._filling = False
        self._edited()

    def _fill(self, data: dict[str, Any]) -> None:
        for name, widget in self.detail_inputs.items():
            mark(widget, None)
            value = data.get(name) or ""
            widget.blockSignals(True)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
            widget.blockSignals(False)
        self.detail_error.hide()
        self.no_email.blockSignals(True)
        self.no_email.setChecked(bool(data.get("no_email")))
        self.no_email.blockSignals(False)
        for combo in (self.category, self.subcategory):
            combo.blockSignals(True)
        self.category.clear()
        if not data["category"]:  # none yet (mail opens such tickets): not an edit
            self.category.addItem("")
        self.category.addItems(sorted(set(self.categories) | (
            {data["category"]} if data["category"] else set())))
        # an uncategorised ticket shows no category, not the first in the list
        self.category.setCurrentIndex(self.category.findText(data["category"] or ""))
        self._fill_subcategories(data["category"] or "")
        self.subcategory.setCurrentText(data["subcategory"] or "")
        for combo in (self.category, self.subcategory):
            combo.blockSignals(False)

    def _set_editable(self, actions: dict[str, str | None]) -> None:
        reason = actions.get("edit_details")
        for widget in self.detail_inputs.values():
            widget.setReadOnly(reason is not None)
        self.no_email.setEnabled(reason is None)
        categorise = actions.get("categorise")
        for widget in (self.category, self.subcategory):
            widget.setEnabled(categorise is None)
            widget.setToolTip(categorise or "")
        self.save_details.setEnabled(reason is None or categorise is None)
        self.save_details.setToolTip("Save the edited details and category (Ctrl+S)"
                                     if reason is None else reason)

    def _show_facts(self, data: dict[str, Any]) -> None:
        people = data.get("people", {})
        facts = [
            f"Group: <b>{data['group'] or '—'}</b> ({data['support_level']})",
            f"Management informed: {data['management_level'] or '—'}",
            f"Channel: {human_label(data['channel'] or '') or '—'}",
            f"Logged {data['logged_at'][:16].replace('T', ' ')} by "
            f"{people.get(data['logged_by'], data['logged_by'])}",
        ]
        if data["resolution_type"]:
            facts.append(f"Resolution: {human_label(data['resolution_type'])} "
                         f"({data['resolution_code']}): {data['resolution_notes']}")
        links = [f"{human_label(link['kind'])} {link['number']}" for link in data["links"]]
        for label, key in (("Problem", "problem"), ("Parent", "parent"), ("RFC", "rfc")):
            if data.get(key):
                links.append(f"{label} {data[key]}")
        if links:
            facts.append("Links: " + ", ".join(links))
        facts += problem_facts(data)
        self.facts.setText(f"<span style='color:{tone('muted').text}'>"
                           + " · ".join(facts) + "</span>")

    def _fill_subcategories(self, category: str) -> None:
        self.subcategory.blockSignals(True)
        self.subcategory.clear()
        self.subcategory.addItem("")
        self.subcategory.addItems(list(self.categories.get(category, ())))
        self.subcategory.blockSignals(False)

    # --- edits -----------------------------------------------------------------------

    def edited_details(self) -> dict[str, str]:
        """The detail fields whose text differs from the stored ticket."""
        changes = {}
        for name, widget in self.detail_inputs.items():
            text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
            if text != ((self.data or {}).get(name) or ""):
                changes[name] = text
        if self.no_email.isChecked() != bool((self.data or {}).get("no_email")):
            changes["no_email"] = "yes" if self.no_email.isChecked() else "no"
        return changes

    def edited_category(self) -> tuple[str, str | None] | None:
        """(category, subcategory) when either differs from the stored ticket."""
        data = self.data or {}
        category, subcategory = self.category.currentText(), self.subcategory.currentText()
        if not category or not self.category.isEnabled():
            return None
        if (category, subcategory or None) == (data.get("category"), data.get("subcategory")):
            return None
        return category, subcategory or None

    def edits(self) -> dict[str, Any]:
        """Everything unsaved, as ``save_requested`` sends it."""
        return {"details": self.edited_details(), "category": self.edited_category()}

    def _edited(self, *_args: Any) -> None:
        if self._filling:
            return
        dirty = self.data is not None and bool(self.edited_details()
                                               or self.edited_category())
        self.unsaved.setVisible(dirty)
        if dirty:
            self._draft_timer.start()
        elif self.data is not None:
            self._draft_timer.stop()
            self.drafts.discard(self._draft_key())
            self.unsaved.setText("● Unsaved changes")
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirty_changed.emit(dirty)

    # --- the draft -------------------------------------------------------------------

    def _draft_key(self) -> str:
        return f"details-{self.data['id']}" if self.data else "details-none"

    def save_draft_now(self) -> bool:
        """Keep the unsaved edits of this ticket on disk now; returns whether there
        were any."""
        self._draft_timer.stop()
        if self.data is None or not self.dirty:
            return False
        category = self.edited_category()
        self.drafts.save(self._draft_key(), {
            "details": self.edited_details(),
            "category": list(category) if category else None})
        return True

    def _restore_draft(self, data: dict[str, Any]) -> None:
        """Put back what was typed for this ticket and never saved (the app stopped)."""
        kept = self.drafts.load(self._draft_key())
        if kept is None:
            return
        values, saved_at = kept
        for name, text in dict(values.get("details") or {}).items():
            if name == "no_email":
                self.no_email.setChecked(text == "yes")
                continue
            widget = self.detail_inputs.get(name)
            if widget is None:
                continue
            (widget.setPlainText if isinstance(widget, QPlainTextEdit)
             else widget.setText)(str(text))
        category = values.get("category")
        if category:
            self.category.setCurrentText(str(category[0]))
            self._fill_subcategories(str(category[0]))
            self.subcategory.setCurrentText(str(category[1] or ""))
        self.unsaved.setText(f"● Unsaved changes (restored from {saved_at[:16]})")

    def save(self) -> None:
        """Ask for the unsaved edits to be saved (nothing edited: nothing asked)."""
        if self.dirty:
            self.detail_error.hide()
            self.save_requested.emit(self.edits())

    def discard(self) -> None:
        """Throw the unsaved edits away: the stored ticket again."""
        if self.data is not None:
            self._fill(self.data)
        self._edited()

    def refused(self, error: Exception) -> None:
        """Show a refused save on its field; the typed text stays."""
        self.detail_error.setText(refusal_text(error))
        self.detail_error.show()
        for name in refused_fields(error):
            if name in self.detail_inputs:
                mark(self.detail_inputs[name], refusal_text(error))
