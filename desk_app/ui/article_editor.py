"""The article editor: the title and labels, the Markdown texts on the left and their
rendered preview on the right, saved in one step. A refusal marks the field it names
and keeps what was typed."""

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import knowledge
from desk_app.services.session import Session
from desk_app.ui.article_page import SECTIONS, article_markdown
from desk_app.ui.markdown_view import MarkdownView
from desk_app.ui.refusals import error_label, mark, refusal_text, refused_fields
from desk_app.ui.worker import BackgroundWorker

PREVIEW_AFTER_MS = 150
LABELS = (("category", "Category"), ("service", "Service"), ("ci_type", "CI type"))


class ArticleEditor(QDialog):
    """Write a new article (``view`` None) or edit the one ``view`` shows. ``saved``
    carries the article's number once the worker saved it."""

    saved = Signal(str)

    def __init__(self, parent: QWidget | None, worker: BackgroundWorker, session: Session,
                 view: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("article_editor")
        self.worker, self.session, self.view = worker, session, view
        self.setWindowTitle(f"Edit {view['number']}" if view else "New knowledge article")
        self.resize(980, 640)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_AFTER_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}

        form = QFormLayout()
        self.title_input = self._line("title", "What the article is about, as users say it")
        form.addRow("Title", self.title_input)
        labels = QHBoxLayout()
        for name, label in LABELS:
            labels.addWidget(self._line(name, label), 1)
        form.addRow("Category · service · CI type", labels)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("article_texts")
        for name, heading in SECTIONS:
            text = QPlainTextEdit()
            text.setObjectName(f"article_{name}")
            text.setPlaceholderText(f"{heading} (Markdown)")
            text.setTabChangesFocus(True)
            text.textChanged.connect(self._preview_timer.start)
            self.inputs[name] = text
            self.tabs.addTab(text, heading)
        self.preview = MarkdownView()
        self.preview.setObjectName("article_preview")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tabs)
        split.addWidget(self.preview)
        split.setSizes([490, 490])

        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if view is not None:
            for name, widget in self.inputs.items():
                widget.setPlainText(view.get(name) or "") if isinstance(widget, QPlainTextEdit) \
                    else widget.setText(view.get(name) or "")
        self.update_preview()

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(f"article_{name}")
        line.setPlaceholderText(placeholder)
        line.textChanged.connect(self._preview_timer.start)
        self.inputs[name] = line
        return line

    def values(self) -> dict[str, str]:
        """What the form holds, by article field."""
        return {name: widget.toPlainText() if isinstance(widget, QPlainTextEdit)
                else widget.text() for name, widget in self.inputs.items()}

    def update_preview(self) -> None:
        """Render the article as it will read."""
        values = self.values()
        shown = self.view or {"number": "KB-(new)", "status": "draft",
                              "author": self.session.login}
        self.preview.show_markdown(article_markdown(
            {**shown, **values, "title": values["title"] or "(no title yet)"}))

    def save(self) -> None:
        """Hand the article to the worker; the dialog closes when it is saved."""
        for widget in self.inputs.values():
            mark(widget, None)
        self.error.hide()
        values, session, view = self.values(), self.session, self.view
        if view is None:
            work = lambda: knowledge.new_article(session, **values).number  # noqa: E731
        else:
            changed = {k: v for k, v in values.items() if v != (view.get(k) or "")}
            work = lambda: knowledge.edit_article(  # noqa: E731
                session, view["number"], **changed).number
        self.buttons.setEnabled(False)
        self.worker.submit(work, self._saved, self._refused)

    def _saved(self, number: str) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(number)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        for name in refused_fields(error):
            if name in self.inputs:
                mark(self.inputs[name], refusal_text(error))
                if name in dict(SECTIONS):
                    self.tabs.setCurrentWidget(self.inputs[name])
                self.inputs[name].setFocus()
        self.error.setText(refusal_text(error))
        self.error.show()
