"""The post-incident review form of one major incident: the review's sections as text
areas, the factual timeline, the corrective actions, the problem record, and the
complete and export buttons. A plain QWidget that takes the ticket number and the
service runner (the database worker and the session), so the major-incident board can
embed it; :func:`open_review_window` shows it on its own."""

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.errors import InvalidValue
from desk_app.core.labels import human_label
from desk_app.core.major_review import SECTIONS
from desk_app.services.session import Session
from desk_app.ui import look, palette
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.major_models import Column, RowsModel
from desk_app.ui.refusals import error_label, mark, refusal_text, refused_fields
from desk_app.ui.worker import BackgroundWorker

major_review = deferred("desk_app.services.major_review")
review_export = deferred("desk_app.services.review_export")
reference = deferred("desk_app.services.reference")

NOT_RECORDED = "not recorded"


def _moment(text: str | None) -> str:
    return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M") if text else NOT_RECORDED


def _action_status(row: dict[str, Any], long: bool = False) -> str:
    if row["overdue"]:
        return "Overdue"
    if long and row["status"] == "done" and row["done_at"]:
        return f"Done by {row['done_by']}, {_moment(row['done_at'])}"
    return human_label(row["status"])


def _action_tone(row: dict[str, Any]) -> QColor | None:
    if row["overdue"]:
        return palette.text_colour("danger")
    return palette.text_colour("success") if row["status"] == "done" else None


def actions_model() -> RowsModel:
    """The corrective actions of a review (overdue first, as the service lists them)."""
    def plain(key: str) -> Callable[[dict[str, Any]], str]:
        return lambda row: str(row[key])
    return RowsModel([
        Column("Ref", plain("ref")), Column("Action", plain("text")),
        Column("Owner", plain("owner")), Column("Due", plain("due"), _action_tone),
        Column("Status", _action_status, _action_tone,
               lambda row: _action_status(row, long=True))])


class ReviewForm(QWidget):
    """The review of the major incident ``number``; every change runs on the worker.
    ``changed`` after each saved change; ``dialog_opened`` hands tests the save dialog."""

    changed = Signal()
    loaded = Signal(dict)
    dialog_opened = Signal(object)

    def __init__(self, number: str, worker: BackgroundWorker, session: Session,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("major_review_form")
        self.number = number
        self._worker = worker
        self._session = session
        self.view: dict[str, Any] | None = None
        self.texts: dict[str, QPlainTextEdit] = {}
        self.timeline: dict[str, QLabel] = {}
        self._build()
        self.reload()
        worker.submit(lambda: reference.desk_reference(session), self._fill_owners)

    def _fill_owners(self, desk: Any) -> None:
        typed = self.action_owner.currentText()
        self.action_owner.clear()
        for login, name, _group in desk.technicians:
            self.action_owner.addItem(f"{name} ({login})", login)
        self.action_owner.setCurrentIndex(self.action_owner.findData(desk.login))
        if typed:
            self.action_owner.setEditText(typed)

    def owner_login(self) -> str:
        """The chosen technician's login, or the text typed."""
        combo = self.action_owner
        index = combo.findText(combo.currentText())
        return combo.itemData(index) if index >= 0 else combo.currentText().strip()

    # --- layout ----------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(look.SPACE_M, look.SPACE_M, look.SPACE_M, look.SPACE_M)
        outer.setSpacing(look.SPACE_S)
        self.title = QLabel(f"Post-incident review: {self.number}")
        self.title.setFont(look.font(look.TITLE_PT, bold=True))
        self.status = QLabel()
        self.status.setObjectName("review_status")
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.status)
        outer.addLayout(heading)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.error = error_label()
        outer.addWidget(self.error)

        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(look.SPACE_L)
        columns.addLayout(self._sections(), 3)
        columns.addLayout(self._side(), 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save review")
        self.save_button.clicked.connect(self.save)
        self.complete_button = QPushButton("Complete review")
        self.complete_button.setToolTip("Every section must be filled; incident managers only")
        self.complete_button.clicked.connect(self.complete)
        look.set_primary(self.complete_button)
        self.export_md = QPushButton("Export Markdown…")
        self.export_md.clicked.connect(lambda: self.choose_export("md"))
        self.export_pdf = QPushButton("Export PDF…")
        self.export_pdf.clicked.connect(lambda: self.choose_export("pdf"))
        self.note = QLabel()
        self.note.setObjectName("review_note")
        look.set_tone(self.note, "muted")
        buttons.addWidget(self.note, 1)
        for button in (self.export_md, self.export_pdf, self.save_button, self.complete_button):
            buttons.addWidget(button)
        outer.addLayout(buttons)

    def _sections(self) -> QVBoxLayout:
        layout = QVBoxLayout()
        layout.setSpacing(look.SPACE_XS)
        for section in SECTIONS:
            heading = QLabel(section.title)
            heading.setFont(look.font(look.HEADING_PT, bold=True))
            questions = QLabel(section.questions)
            questions.setWordWrap(True)
            look.set_tone(questions, "muted")
            text = QPlainTextEdit()
            text.setObjectName(f"section_{section.key}")
            text.setAccessibleName(section.title)
            text.setPlaceholderText("Not written yet")
            text.setMinimumHeight(70)
            text.setMaximumHeight(130)
            text.textChanged.connect(lambda widget=text: mark(widget, None))
            self.texts[section.key] = text
            layout.addWidget(heading)
            layout.addWidget(questions)
            layout.addWidget(text)
            layout.addSpacing(look.SPACE_S)
        layout.addStretch(1)
        return layout

    def _side(self) -> QVBoxLayout:
        side = QVBoxLayout()
        side.setSpacing(look.SPACE_S)
        heading = QLabel("Timeline")
        heading.setFont(look.font(look.HEADING_PT, bold=True))
        side.addWidget(heading)
        times = QFormLayout()
        for key, label in (("detected", "Detected"), ("logged", "Logged"),
                           ("declared", "Declared major"), ("first_update", "First update"),
                           ("workaround", "Workaround"), ("resolved", "Resolved")):
            value = QLabel(NOT_RECORDED)
            value.setObjectName(f"timeline_{key}")
            self.timeline[key] = value
            times.addRow(label, value)
        side.addLayout(times)

        heading = QLabel("Problem record")
        heading.setFont(look.font(look.HEADING_PT, bold=True))
        side.addWidget(heading)
        self.problem_label = QLabel("None linked")
        side.addWidget(self.problem_label)
        problem_row = QHBoxLayout()
        self.problem = QLineEdit()
        self.problem.setObjectName("problem")
        self.problem.setPlaceholderText("PRB-000123")
        link = QPushButton("Link")
        link.clicked.connect(self.link_problem)
        self.raise_button = QPushButton("Raise new problem")
        self.raise_button.clicked.connect(self.raise_problem)
        problem_row.addWidget(self.problem, 1)
        problem_row.addWidget(link)
        problem_row.addWidget(self.raise_button)
        side.addLayout(problem_row)

        heading = QLabel("Corrective actions")
        heading.setFont(look.font(look.HEADING_PT, bold=True))
        side.addWidget(heading)
        self.actions = actions_model()
        self.table = QTableView()
        self.table.setObjectName("corrective_actions")
        self.table.setModel(self.actions)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few rows
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(160)
        self.table.setMaximumHeight(260)
        side.addWidget(self.table)
        adding = QGridLayout()
        self.action_text = QLineEdit()
        self.action_text.setObjectName("text")
        self.action_text.setPlaceholderText("What is to be done")
        self.action_owner = QComboBox()  # the desk's technicians; a login may be typed
        self.action_owner.setObjectName("owner")
        self.action_owner.setEditable(True)
        self.action_owner.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.action_owner.lineEdit().setPlaceholderText("owner's login")
        self.action_due = QDateEdit()
        self.action_due.setObjectName("due")
        self.action_due.setCalendarPopup(True)
        self.action_due.setDisplayFormat("yyyy-MM-dd")
        self.action_due.setDate(QDate.currentDate().addDays(14))
        add = QPushButton("Add action")
        add.clicked.connect(self.add_action)
        self.done_button = QPushButton("Mark done")
        self.done_button.clicked.connect(self.mark_done)
        adding.addWidget(self.action_text, 0, 0, 1, 3)
        adding.addWidget(self.action_owner, 1, 0)
        adding.addWidget(self.action_due, 1, 1)
        adding.addWidget(add, 1, 2)
        adding.addWidget(self.done_button, 2, 2)
        side.addLayout(adding)
        side.addStretch(1)
        return side

    # --- showing ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read the review again (after a change here or elsewhere)."""
        session, number = self._session, self.number
        self._worker.submit(lambda: major_review.review_view(session, number), self._show,
                            self._refused)

    def _show(self, view: dict[str, Any]) -> None:
        self.view = view
        complete = view["status"] == "complete"
        state = human_label(view["status"])
        if complete:
            state += f" by {view['completed_by']}, {_moment(view['completed_at'])}"
        self.status.setText(state)
        look.set_chip(self.status, "success" if complete else "warning")
        self.summary.setText(f"{view['priority']} · {view['summary']} · "
                             f"{human_label(view['ticket_status'])}")
        for key, text in view["sections"].items():
            widget = self.texts[key]
            if widget.toPlainText() != text:
                widget.setPlainText(text)
            widget.setReadOnly(complete)
            mark(widget, None)
        for point in view["timeline"]:
            label = self.timeline[point["key"]]
            label.setText(_moment(point["at"]))
            look.set_tone(label, None if point["at"] else "muted")
        self.problem_label.setText(view["problem"] or "None linked")
        self.raise_button.setEnabled(not view["problem"])
        self.actions.set_rows(view["actions"])
        self.save_button.setEnabled(not complete)
        self.complete_button.setEnabled(not complete)
        self.loaded.emit(view)

    def _refused(self, error: Exception) -> None:
        self.error.setText(refusal_text(error))
        self.error.show()
        widgets = {**self.texts, "problem": self.problem, "text": self.action_text,
                   "owner": self.action_owner, "due": self.action_due}
        for field in refused_fields(error):
            if field in widgets:
                mark(widgets[field], refusal_text(error))

    def _run(self, work: Callable[[], Any], said: str,
             after: Callable[[], None] | None = None) -> None:
        self.error.hide()

        def done(_result: Any) -> None:
            self.note.setText(said)
            if after is not None:
                after()
            self.changed.emit()
            self.reload()

        self._worker.submit(work, done, self._refused)

    def typed(self) -> dict[str, str]:
        """The sections as typed."""
        return {key: widget.toPlainText() for key, widget in self.texts.items()}

    # --- actions ---------------------------------------------------------------------

    def save(self) -> None:
        session, number, texts = self._session, self.number, self.typed()
        self._run(lambda: major_review.edit_review(session, number, **texts), "Review saved")

    def complete(self) -> None:
        session, number, texts = self._session, self.number, self.typed()
        self._run(lambda: major_review.complete_review(session, number, **texts),
                  "Review complete")

    def link_problem(self) -> None:
        session, number, problem = self._session, self.number, self.problem.text().strip()
        self._run(lambda: major_review.link_review_problem(session, number, problem or None),
                  "Problem record linked")

    def raise_problem(self) -> None:
        session, number = self._session, self.number
        self._run(lambda: major_review.link_review_problem(session, number, create=True),
                  "Problem record raised")

    def add_action(self) -> None:
        session, number = self._session, self.number
        text, owner = self.action_text.text(), self.owner_login()
        due: date = self.action_due.date().toPython()
        self._run(lambda: major_review.add_action(session, number, text, owner, due),
                  "Action added", after=self.action_text.clear)

    def selected_ref(self) -> str | None:
        """The reference of the selected action, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.actions.rows[rows[0].row()]["ref"] if rows else None

    def mark_done(self) -> None:
        ref = self.selected_ref()
        if ref is None:
            self._refused(InvalidValue("action", "select an action in the table first"))
            return
        session, number = self._session, self.number
        self._run(lambda: major_review.mark_action_done(session, number, ref),
                  f"Action {ref} done")

    def choose_export(self, kind: str) -> QFileDialog:
        """Ask where to write the review (Markdown or PDF); exports when chosen."""
        suffix, name = (".md", "Markdown (*.md)") if kind == "md" else (".pdf", "PDF (*.pdf)")
        dialog = QFileDialog(self, f"Export review of {self.number}",
                             str(Path.home() / f"review-{self.number}{suffix}"), name)
        dialog.setObjectName(f"export_{kind}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix[1:])
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.fileSelected.connect(lambda path: self.export(kind, Path(path)))
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def export(self, kind: str, path: Path) -> None:
        """Write the review to ``path`` (the text is read on the worker; the PDF is laid
        out here, where Qt's text layout lives)."""
        session, number = self._session, self.number

        def write(markdown: str) -> None:
            try:
                if kind == "md":
                    path.write_text(markdown, encoding="utf-8")
                else:
                    from desk_app.ui.pdf_document import write_pdf

                    write_pdf(markdown, path, f"Post-incident review {number}")
            except OSError as error:
                self._refused(InvalidValue("out", f"cannot write {path}: {error}"))
                return
            self.note.setText(f"Written to {path}")

        self.error.hide()
        self._worker.submit(lambda: review_export.review_document(session, number), write,
                            self._refused)


def open_review_window(parent: QWidget | None, number: str, worker: BackgroundWorker,
                       session: Session) -> QDialog:
    """Show the review form of ``number`` in a window of its own (not modal)."""
    dialog = QDialog(parent)
    dialog.setObjectName("dialog_major_review")
    dialog.setWindowTitle(f"Post-incident review: {number}")
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(0, 0, 0, 0)
    dialog.form = ReviewForm(number, worker, session, dialog)  # type: ignore[attr-defined]
    layout.addWidget(dialog.form)  # type: ignore[attr-defined]
    dialog.resize(1100, 760)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
