"""Logging a new incident (or service request): the logging checklist's fields with
inline validation, a live priority and SLA preview, related open incidents as the
summary is typed, and the major-incident offer. A refused save keeps the form as it was.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.errors import Refused
from desk_app.services.changes import Changes, ticket_operation
from desk_app.services.reference import DeskReference
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.catalogue_completion import CatalogueCompletion
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.drafts import SAVE_AFTER_MS, DraftStore
from desk_app.ui.palette import priority_colour
from desk_app.ui.refusals import error_label, mark, refusal_text, refused_fields, show_error
from desk_app.ui.suggestions_panel import SuggestionsPanel
from desk_app.ui.worker import BackgroundWorker

if TYPE_CHECKING:
    from desk_app.services.intake import LoggingPreview, NewTicket

# logging a ticket (routing, mail, notifications) is first needed when one is logged
intake = deferred("desk_app.services.intake")
major_attach = deferred("desk_app.ui.major_attach")  # the offer to attach to a major

TEXT_FIELDS = ("summary", "reporter", "contact", "service", "ci")
SUGGEST_AFTER_MS = 150  # a pause in typing; stale questions are dropped anyway


def _value(widget: QWidget) -> Any:
    """What an input holds, as a plain value (combos: their data; dates: ISO text)."""
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    assert isinstance(widget, QDateTimeEdit)
    return widget.dateTime().toString(Qt.DateFormat.ISODate)


def _set_value(widget: QWidget, value: Any) -> None:
    """Put back what :func:`_value` read (a choice or date no longer valid is skipped)."""
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value))
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        if index >= 0:
            widget.setCurrentIndex(index)
    elif isinstance(widget, QDateTimeEdit):
        moment = QDateTime.fromString(str(value), Qt.DateFormat.ISODate)
        if moment.isValid():
            widget.setDateTime(moment)


class LoggingForm(QDialog):
    """``logged(ticket_id)`` fires after a successful save (the dialog then closes)."""

    logged = Signal(str)
    changed = Signal(object)  # the Changes of the save, just before ``logged``
    preview_shown = Signal(object)
    related_shown = Signal(list)
    solution_offered = Signal(str, str, str)  # ticket id, resolution text, resolution type

    DRAFT = "logging-form"

    def __init__(self, parent: QWidget | None, worker: BackgroundWorker, session: Session,
                 reference: DeskReference, drafts: DraftStore | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logging_form")
        self.setWindowTitle("Log a new incident")
        self._worker = worker
        self._session = session
        self.reference = reference
        self.preview: LoggingPreview | None = None
        self.searched_knowledge = False  # suggestions were shown with results
        self.chosen_solution: Any = None  # the suggestion "This solved it" was pressed on
        self.attach_refusal: Exception | None = None  # the ticked attachment was refused
        self.inputs: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        layout.addLayout(columns, 1)
        columns.addLayout(self._form(), 3)
        columns.addLayout(self._side(), 2)
        self.restored = QLabel()
        self.restored.setObjectName("draft_restored")
        self.restored.setWordWrap(True)
        self.restored.hide()
        layout.insertWidget(0, self.restored)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Log incident")
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        layout.addWidget(self.buttons)
        self.completion = CatalogueCompletion(self, worker, session)
        self.completion.attach(self.inputs["service"], self.inputs["ci"])
        self.completion.load()
        self._preview_timer = QTimer(self, singleShot=True, interval=120)
        self._preview_timer.timeout.connect(self._ask_preview)
        self._related_timer = QTimer(self, singleShot=True, interval=300)
        self._related_timer.timeout.connect(self._ask_related)
        for name in ("impact", "urgency"):
            self.inputs[name].currentIndexChanged.connect(self._preview_timer.start)
        self.inputs["service"].textChanged.connect(self._preview_timer.start)
        self.request_switch.toggled.connect(self._type_changed)
        for name in ("summary", "service", "ci"):
            self.inputs[name].textChanged.connect(self._related_timer.start)
        self._suggest_timer = QTimer(self, singleShot=True, interval=SUGGEST_AFTER_MS)
        self._suggest_timer.timeout.connect(self._ask_suggestions)
        self.inputs["summary"].textChanged.connect(self._suggest_timer.start)
        self.inputs["description"].textChanged.connect(self._suggest_timer.start)
        self.suggestions.shown.connect(self._suggestions_shown)
        self.suggestions.solved.connect(self._solution_chosen)
        for name, widget in self.inputs.items():
            signal = getattr(widget, "textChanged", None) or getattr(
                widget, "currentIndexChanged", None) or widget.dateTimeChanged
            signal.connect(lambda *_a, n=name: self._edited(n))
        self.drafts = drafts or DraftStore()
        self._draft_timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self.request_switch.toggled.connect(lambda _checked: self._draft_timer.start())
        self._restore_draft()
        self.resize(980, 620)
        self._ask_preview()
        self.inputs["summary"].setFocus(Qt.FocusReason.OtherFocusReason)  # typing starts here

    # --- the draft ---------------------------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        """What is typed and chosen, as plain values (the draft)."""
        return {"is_request": self.request_switch.isChecked(),
                **{name: _value(widget) for name, widget in self.inputs.items()}}

    def save_draft_now(self) -> None:
        """Keep what is typed on disk (nothing typed: no draft)."""
        self._draft_timer.stop()
        typed = any(str(_value(widget)).strip() for widget in self.inputs.values()
                    if isinstance(widget, QLineEdit | QPlainTextEdit))
        if typed:
            self.drafts.save(self.DRAFT, self.draft_values())

    def _restore_draft(self) -> None:
        kept = self.drafts.load(self.DRAFT)
        if kept is None:
            return
        values, saved_at = kept
        self.request_switch.setChecked(bool(values.get("is_request")))
        # the category first: choosing it fills the subcategory list
        for name in sorted(self.inputs, key=lambda name: name != "category"):
            if values.get(name) is not None:
                _set_value(self.inputs[name], values[name])
        when = datetime.fromisoformat(saved_at)
        self.restored.setText(f"Restored what you were typing when desk-app last stopped "
                              f"(kept {when:%d %b %H:%M}). Save it, or Cancel to discard it.")
        self.restored.show()

    def reject(self) -> None:
        """Cancel: the typing is deliberately thrown away, draft included."""
        self._draft_timer.stop()
        self.drafts.discard(self.DRAFT)
        super().reject()

    # --- layout ----------------------------------------------------------------------

    def _required(self, name: str) -> str:
        return " *" if name in self.reference.logging_fields else ""

    def _label(self, name: str, text: str) -> str:
        return text + self._required(name)

    def _form(self) -> QFormLayout:
        ref = self.reference
        form = QFormLayout()
        self.request_switch = QCheckBox("This is a service request, not an incident")
        self.request_switch.setObjectName("is_request")
        self.request_switch.setToolTip("A request for something new (access, equipment, "
                                       "information) rather than a failure")
        form.addRow("", self.request_switch)
        for name, text in (("summary", "Summary"), ("reporter", "Reporter"),
                           ("contact", "Contact"), ("service", "Affected service"),
                           ("ci", "Configuration item")):
            line = QLineEdit()
            self.inputs[name] = line
            form.addRow(self._label(name, text), line)
        self.inputs["summary"].setMaxLength(200)
        self.inputs["summary"].setPlaceholderText("What is not working, in one line")
        description = QPlainTextEdit()
        description.setTabChangesFocus(True)
        description.setPlaceholderText("Symptoms, error messages, what the user tried")
        description.setMinimumHeight(100)
        self.inputs["description"] = description
        form.addRow(self._label("description", "Symptoms"), description)
        channel = QComboBox()
        channel.addItem("", None)
        for value in ref.channels:
            channel.addItem(value, value)
        self.inputs["channel"] = channel
        form.addRow(self._label("channel", "Channel"), channel)
        detected = QDateTimeEdit(QDateTime.currentDateTime())
        detected.setCalendarPopup(True)
        detected.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.inputs["detected_at"] = detected
        form.addRow(self._label("detected_at", "Detected at"), detected)
        category, subcategory = QComboBox(), QComboBox()
        category.addItem("", None)
        for name in sorted(ref.categories):
            category.addItem(name, name)
        category.currentIndexChanged.connect(self._fill_subcategories)
        self.inputs["category"], self.inputs["subcategory"] = category, subcategory
        row = QHBoxLayout()
        row.addWidget(category, 1)
        row.addWidget(subcategory, 1)
        form.addRow("Category", row)
        self._fill_subcategories()
        for name in ("impact", "urgency"):
            combo = QComboBox()
            for value in ref.levels:
                combo.addItem(value, value)
            combo.setCurrentIndex(combo.findData("medium"))
            self.inputs[name] = combo
        levels = QHBoxLayout()
        levels.addWidget(QLabel("Impact"))
        levels.addWidget(self.inputs["impact"], 1)
        levels.addWidget(QLabel("Urgency"))
        levels.addWidget(self.inputs["urgency"], 1)
        form.addRow("Priority from", levels)
        for name, widget in self.inputs.items():
            widget.setObjectName(name)
            tip = ("required by the logging checklist" if name in ref.logging_fields
                   else "optional")
            widget.setProperty("plainTooltip", tip)
            widget.setToolTip(tip)
        return form

    def _side(self) -> QVBoxLayout:
        side = QVBoxLayout()
        self.priority_label = QLabel()
        self.priority_label.setObjectName("priority_preview")
        self.priority_label.setTextFormat(Qt.TextFormat.RichText)
        self.priority_label.setWordWrap(True)
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(frame)
        box.addWidget(self.priority_label)
        side.addWidget(frame)
        self.major_banner = QLabel()
        self.major_banner.setObjectName("major_banner")
        self.major_banner.setWordWrap(True)
        self.major_banner.setFont(look.font(look.BODY_PT, bold=True))
        look.set_tone(self.major_banner, "danger")
        self.major_banner.hide()
        side.addWidget(self.major_banner)
        self.declare_major = QCheckBox("Declare a major incident")
        self.declare_major.setObjectName("declare_major")
        self.declare_major.hide()
        side.addWidget(self.declare_major)
        self.attach_offer = major_attach.AttachOffer()  # imported with the first form
        side.addWidget(self.attach_offer)
        side.addWidget(QLabel("<b>Related open incidents</b>"))
        self.related = QListWidget()
        self.related.setObjectName("related")
        self.related.setToolTip("Open tickets like this one: check for a duplicate first")
        side.addWidget(self.related, 1)
        self.suggestions = SuggestionsPanel(self._worker)
        side.addWidget(self.suggestions, 3)
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("chosen_solution")
        self.chosen_label.setWordWrap(True)
        self.chosen_label.hide()
        side.addWidget(self.chosen_label)
        return side

    def _fill_subcategories(self) -> None:
        category = self.inputs["category"].currentData()
        combo: QComboBox = self.inputs["subcategory"]
        combo.clear()
        combo.addItem("", None)
        for name in self.reference.categories.get(category or "", ()):
            combo.addItem(name, name)

    # --- live feedback ---------------------------------------------------------------

    def _type_changed(self, is_request: bool) -> None:
        self.setWindowTitle("Log a new service request" if is_request else "Log a new incident")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            "Log request" if is_request else "Log incident")
        self._preview_timer.start()

    def _edited(self, name: str) -> None:
        self._draft_timer.start()
        widget = self.inputs[name]
        if widget.property("invalid"):
            mark(widget, None)

    def ticket_type(self) -> str:
        return "request" if self.request_switch.isChecked() else "incident"

    def _ask_preview(self) -> None:
        session = self._session
        impact, urgency = self.inputs["impact"].currentData(), self.inputs["urgency"].currentData()
        service, kind = self.inputs["service"].text(), self.ticket_type()
        self._worker.submit(lambda: intake.preview_logging(session, impact, urgency, service, kind),
                            self._show_preview, lambda error: None)

    def _show_preview(self, preview: "LoggingPreview") -> None:
        self.preview = preview
        colour = priority_colour(preview.priority).name()
        self.priority_label.setText(
            f"Priority <b style='font-size:16pt; color:{colour}'>{preview.priority}</b><br>"
            f"Response due {preview.response_due:%a %d %b %H:%M}<br>"
            f"Resolution due {preview.resolution_due:%a %d %b %H:%M}<br>"
            "<small>if logged now, on the priority's business calendar</small>")
        if preview.major_reasons:
            automatic = preview.automatic_major
            self.major_banner.setText("Major-incident criteria met: "
                                      + "; ".join(preview.major_reasons) + ".")
            self.major_banner.show()
            self.declare_major.setVisible(True)
            self.declare_major.setEnabled(preview.may_declare_major and not automatic)
            if automatic:
                self.declare_major.setChecked(True)
                self.declare_major.setToolTip("This priority is always a major incident")
            elif not preview.may_declare_major:
                self.declare_major.setToolTip("Only incident managers and administrators "
                                              "declare major incidents; tell one now")
            else:
                self.declare_major.setToolTip("Run the major-incident procedure")
        else:
            self.major_banner.hide()
            self.declare_major.setChecked(False)
            self.declare_major.hide()
        self.preview_shown.emit(preview)

    def _ask_related(self) -> None:
        session, text = self._session, self.inputs["summary"].text()
        ci, service = self.inputs["ci"].text(), self.inputs["service"].text()
        self._worker.submit(lambda: intake.suggest_related(session, text, ci=ci, service=service),
                            self._show_related,
                            lambda error: None)
        self._worker.submit(lambda: major_attach.matching_majors(service, ci),
                            self.attach_offer.offer, lambda error: None)

    def _show_related(self, rows: list[dict]) -> None:
        self.related.clear()
        for row in rows:
            item = QListWidgetItem(f"{row['number']}  {row['priority']}  {row['status']}  "
                                   f"{row['summary']}")
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.related.addItem(item)
        if not rows:
            self.related.addItem("(none found)")
        self.related_shown.emit(rows)

    def _ask_suggestions(self) -> None:
        from desk_app.services.diagnosis import suggest  # not on the window's start path

        session = self._session
        text = f"{self.inputs['summary'].text()} {self.inputs['description'].toPlainText()}"
        self.suggestions.ask(lambda: suggest(session, text))

    def _suggestions_shown(self, hits: list) -> None:
        if hits:
            self.searched_knowledge = True

    def _solution_chosen(self, hit: Any) -> None:
        self.chosen_solution = hit
        self.chosen_label.setText(f"Solved by {hit.label}: it is linked when the ticket is "
                                  "logged, and its text fills the resolution.")
        self.chosen_label.show()

    # --- saving ----------------------------------------------------------------------

    def form(self) -> "NewTicket":
        """The typed values as the logging service takes them."""
        def text(name: str) -> str:
            return _value(self.inputs[name])

        detected: datetime = self.inputs["detected_at"].dateTime().toPython()
        return intake.NewTicket(
            summary=text("summary"), description=text("description"),
            reporter=text("reporter"), contact=text("contact"),
            channel=self.inputs["channel"].currentData() or "",
            service=text("service"), ci=text("ci") or None,
            impact=self.inputs["impact"].currentData(),
            urgency=self.inputs["urgency"].currentData(),
            detected_at=detected.astimezone(),
            category=self.inputs["category"].currentData(),
            subcategory=self.inputs["subcategory"].currentData(),
            type=self.ticket_type(),
            major=self._declaring_major(),
            searched_knowledge=self.searched_knowledge,
            solved_by=(self.chosen_solution.kind, self.chosen_solution.ref)
            if self.chosen_solution is not None else None)

    def _declaring_major(self) -> bool:
        """The person asked to declare a major incident the criteria offered (a major
        priority is declared by the service on its own)."""
        offered = self.preview is not None and bool(self.preview.major_reasons) \
            and self.preview.may_declare_major and not self.preview.automatic_major
        return offered and self.declare_major.isChecked()

    def save(self) -> None:
        """Log the ticket on the worker; on refusal mark every named field."""
        if not self.buttons.isEnabled():
            return
        form, session = self.form(), self._session
        major = self.attach_offer.chosen()
        self.buttons.setEnabled(False)
        self.error.hide()
        self._worker.submit(lambda: ticket_operation(session, None,
                                                     lambda: self._log(session, form, major),
                                                     created=lambda ticket: ticket.id),
                            self._saved, self._refused)

    def _log(self, session: Session, form: "NewTicket", major: str | None) -> Any:
        """Log the ticket (on the worker); then attach it to ``major`` when that was
        ticked (a refused attachment leaves the ticket logged and is told after)."""
        ticket = intake.log_ticket(session, form)
        self.attach_refusal = None
        if major:
            try:
                major_attach.major_children.attach_children(session, major, [ticket.number])
            except Refused as refusal:
                self.attach_refusal = refusal
        return ticket

    def _saved(self, changes: Changes) -> None:
        self._draft_timer.stop()
        self.drafts.discard(self.DRAFT)
        self.buttons.setEnabled(True)
        self.changed.emit(changes)
        hit = self.chosen_solution
        if hit is not None:
            self.solution_offered.emit(changes.result.id, hit.fix,
                                       "workaround" if hit.kind == "known_error"
                                       else "permanent")
        self.logged.emit(changes.result.id)
        if self.attach_refusal is not None:
            show_error(self.parentWidget(), "Attach to major incident", self.attach_refusal)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        labels = self.reference.logging_labels
        names = refused_fields(error)
        for name in names:
            if name in self.inputs:
                mark(self.inputs[name], f"{labels.get(name, name)}: required"
                     if len(names) > 1 else refusal_text(error))
        self.error.setText(refusal_text(error))
        self.error.show()
        first = next((self.inputs[n] for n in names if n in self.inputs), None)
        if first is not None:
            first.setFocus()
