"""The knowledge window: articles (list, rendered article, its lifecycle buttons and the
editor) and the known-error database (known errors with their workaround)."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.labels import human_label
from desk_app.services import knowledge, problems
from desk_app.services.knowledge_view import article_view, list_articles
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.article_editor import ArticleEditor
from desk_app.ui.article_page import article_markdown, known_error_markdown
from desk_app.ui.markdown_view import MarkdownView
from desk_app.ui.refusals import show_error
from desk_app.ui.worker import BackgroundWorker

STATUS_TONES = {"draft": "warning", "published": "success", "retired": "muted"}
ARTICLES, KNOWN_ERRORS = 0, 1
LISTED = 1_000  # the most recently changed articles listed (search finds the others)
# button -> (service, which statuses it applies to)
STEPS: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "Publish": (knowledge.publish_article, ("draft",)),
    "Retire": (knowledge.retire_article, ("published",)),
    "Back to draft": (knowledge.revise_article, ("published", "retired")),
}


def _row_text(number: str, title: str, status: str) -> str:
    return f"{number}  ·  {human_label(status)}\n{title}"


def _wrapping(listed: QListWidget) -> None:
    """Long titles wrap to the list's width instead of running off to the side."""
    listed.setWordWrap(True)
    listed.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    listed.setResizeMode(QListWidget.ResizeMode.Adjust)


class KnowledgeWindow(QDialog):
    """Non-modal. ``shown(view)`` fires when an article is on screen; ``listed`` when a
    list was filled (tests wait on them)."""

    shown = Signal(dict)
    listed = Signal()

    def __init__(self, parent: QWidget | None, worker: BackgroundWorker,
                 session: Session) -> None:
        super().__init__(parent)
        self.setObjectName("knowledge_window")
        self.setWindowTitle("Knowledge")
        self.resize(1100, 700)
        self.worker, self.session = worker, session
        self.current: dict[str, Any] | None = None
        self.editor: ArticleEditor | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._articles_tab(), "Articles")
        self.tabs.addTab(self._known_errors_tab(), "Known errors")
        self.tabs.currentChanged.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    # --- building --------------------------------------------------------------------

    def _articles_tab(self) -> QWidget:
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("article_status_filter")
        for text, value in (("All articles", None), ("Drafts", "draft"),
                            ("Published", "published"), ("Retired", "retired")):
            self.status_filter.addItem(text, value)
        self.status_filter.currentIndexChanged.connect(self.reload)
        self.new_button = QPushButton("New article…")
        self.new_button.setObjectName("new_article")
        look.set_primary(self.new_button)
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        top = QHBoxLayout()
        top.addWidget(self.status_filter)
        top.addStretch(1)
        top.addWidget(self.new_button)
        self.article_list = QListWidget()
        _wrapping(self.article_list)
        self.article_list.setObjectName("article_list")
        self.article_list.currentItemChanged.connect(self._article_chosen)
        self.article_status = QLabel()
        self.article_status.setObjectName("article_status_chip")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("edit_article")
        self.edit_button.clicked.connect(lambda: self.open_editor(self.current))
        self.step_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.article_status)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        for text in STEPS:
            button = QPushButton(text)
            button.setObjectName(f"article_{text.lower().replace(' ', '_')}")
            button.clicked.connect(lambda _=False, t=text: self.step(t))
            self.step_buttons[text] = button
            buttons.addWidget(button)
        self.article = MarkdownView()
        self.article.setObjectName("article_view")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.article, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.article_list)
        split.addWidget(right)
        split.setSizes([340, 760])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._show_buttons(None)
        return page

    def _known_errors_tab(self) -> QWidget:
        self.known_list = QListWidget()
        _wrapping(self.known_list)
        self.known_list.setObjectName("known_error_list")
        self.known_list.currentItemChanged.connect(self._known_error_chosen)
        self.known_error = MarkdownView()
        self.known_error.setObjectName("known_error_view")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.known_list)
        split.addWidget(self.known_error)
        split.setSizes([340, 760])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(split, 1)
        return page

    # --- loading ---------------------------------------------------------------------

    def reload(self, *_args: Any, select: str | None = None) -> None:
        """Fill the list of the tab on screen (``select``: the article to show)."""
        session = self.session
        if self.tabs.currentIndex() == KNOWN_ERRORS:
            self.worker.submit(lambda: problems.list_problems(session, known_errors=True),
                               self._fill_known_errors, self._failed)
            return
        status = self.status_filter.currentData()
        self.worker.submit(lambda: list_articles(session, status, LISTED),
                           lambda rows: self._fill_articles(rows, select), self._failed)

    def _fill_articles(self, rows: list[dict[str, Any]], select: str | None) -> None:
        self.article_list.blockSignals(True)
        self.article_list.clear()
        chosen = None
        for row in rows:
            item = QListWidgetItem(_row_text(row["number"], row["title"], row["status"]))
            item.setData(Qt.ItemDataRole.UserRole, row["number"])
            self.article_list.addItem(item)
            if row["number"] == select:
                chosen = item
        self.article_list.blockSignals(False)
        if chosen is None and self.article_list.count():
            chosen = self.article_list.item(0)
        if chosen is not None:
            self.article_list.setCurrentItem(chosen)
        else:
            self._show_article(None)
        self.listed.emit()

    def _fill_known_errors(self, rows: list[dict[str, Any]]) -> None:
        self.known_list.clear()
        for row in rows:
            item = QListWidgetItem(f"{row['number']}  ·  {row['incidents']} incident(s)\n"
                                   f"{row['summary']}")
            item.setData(Qt.ItemDataRole.UserRole, row)
            self.known_list.addItem(item)
        if rows:
            self.known_list.setCurrentRow(0)
        else:
            self.known_error.show_markdown("*No known errors: problems whose workaround "
                                           "is known are listed here.*")
        self.listed.emit()

    def _article_chosen(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is None:
            self._show_article(None)
            return
        number, session = item.data(Qt.ItemDataRole.UserRole), self.session
        self.worker.submit(lambda: article_view(session, number), self._show_article,
                           self._failed)

    def _known_error_chosen(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is not None:
            self.known_error.show_markdown(known_error_markdown(
                item.data(Qt.ItemDataRole.UserRole)))

    def _show_article(self, view: dict[str, Any] | None) -> None:
        self.current = view
        self._show_buttons(view)
        if view is None:
            self.article.show_markdown("*No article here yet: write one with "
                                       "\u201cNew article\u201d.*")
            return
        self.article.show_markdown(article_markdown(view))
        self.shown.emit(view)

    def _show_buttons(self, view: dict[str, Any] | None) -> None:
        status = view["status"] if view else None
        self.article_status.setText(human_label(status) if status else "")
        look.set_chip(self.article_status, STATUS_TONES.get(status or ""))
        self.edit_button.setEnabled(view is not None)
        for text, (_, statuses) in STEPS.items():
            self.step_buttons[text].setVisible(status in statuses)

    # --- actions ---------------------------------------------------------------------

    def open_editor(self, view: dict[str, Any] | None) -> ArticleEditor:
        """Open the editor on a new article or the one shown."""
        self.editor = ArticleEditor(self, self.worker, self.session, view)
        self.editor.saved.connect(lambda number: self.reload(select=number))
        self.editor.open()
        return self.editor

    def step(self, text: str) -> None:
        """Publish, retire or take back to draft the article shown."""
        if self.current is None:
            return
        service, number, session = STEPS[text][0], self.current["number"], self.session
        self.worker.submit(lambda: service(session, number).number,
                           lambda n: self.reload(select=n), self._failed)

    def _failed(self, error: Exception) -> None:
        show_error(self, "Knowledge", error)
