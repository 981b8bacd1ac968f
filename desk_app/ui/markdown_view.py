"""Markdown shown rendered and safe: HTML in the text is shown as text, never run or
laid out; links open only when they are web or mail addresses; nothing is loaded
(no images from disk or anywhere else)."""

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

_F = QTextDocument.MarkdownFeature
# GitHub's dialect (tables, task lists, strike-through, autolinks) with raw HTML off:
# "<script>" and "<b>" stay text.
SAFE_MARKDOWN = _F(_F.MarkdownDialectGitHub.value | _F.MarkdownNoHTML.value)
OPENED_SCHEMES = frozenset({"http", "https", "mailto"})


def set_markdown(document: QTextDocument, text: str) -> None:
    """Lay ``text`` out in ``document`` as Markdown without HTML."""
    document.setMarkdown(text, SAFE_MARKDOWN)


class MarkdownView(QTextBrowser):
    """A read-only rendered Markdown page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._open)

    def show_markdown(self, text: str) -> None:
        """Show ``text`` rendered (keeps the scroll position at the top)."""
        set_markdown(self.document(), text)

    def loadResource(self, kind: int, name: QUrl) -> Any:
        return None  # an article never makes the desk read a file or fetch anything

    @staticmethod
    def _open(url: QUrl) -> None:
        if url.scheme().lower() in OPENED_SCHEMES:
            QDesktopServices.openUrl(url)
