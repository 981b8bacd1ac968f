"""The timeline view: one rich-text document (cheap for hundreds of entries), worklog
entries as cards with an avatar, field changes as grey lines that expand on a click."""

from datetime import datetime, timedelta
from html import escape
from typing import Any
from urllib.parse import quote, unquote

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QTextBrowser, QVBoxLayout, QWidget

from desk_app.core.durations import spoken_duration
from desk_app.core.labels import human_label
from desk_app.ui.avatars import avatar_image
from desk_app.ui.palette import tone
from desk_app.ui.timeline_entries import Entry, timeline_entries

AVATAR = 28
RECENT = 50  # entries drawn at first; the earlier ones on request
FILTERS = (("Everything", "all"), ("Worklog", "worklog"), ("Field changes", "history"),
           ("Status changes", "status"))


def when(at: str) -> str:
    """``Mon 30 Nov 10:32`` for a stored moment."""
    try:
        return f"{datetime.fromisoformat(at):%a %d %b %H:%M}"
    except ValueError:
        return at


class TimelineBrowser(QTextBrowser):
    """A text browser that draws ``avatar:<name>`` images itself."""

    def loadResource(self, kind: int, url: QUrl) -> Any:
        text = url.toString()
        if kind == QTextDocument.ResourceType.ImageResource.value and text.startswith("avatar:"):
            return avatar_image(unquote(text[len("avatar:"):]), AVATAR)
        return super().loadResource(kind, url)


def _card(entry: Entry) -> str:
    muted = tone("muted")
    facts = [human_label(entry.worklog_kind), when(entry.at)]
    if entry.minutes:
        facts.append(span_minutes(entry.minutes))
    note = escape(entry.text).replace("\n", "<br>")
    return (f"<table width='100%' cellspacing='0' cellpadding='8' bgcolor='{muted.fill}' "
            "style='margin-top:4px; margin-bottom:4px'><tr>"
            f"<td width='{AVATAR + 8}' valign='top'>"
            f"<img src='avatar:{quote(entry.by)}' width='{AVATAR}' height='{AVATAR}'></td>"
            f"<td valign='top'><span style='color:{muted.on_fill}'><b>{escape(entry.by)}</b>"
            f"</span> <span style='color:{muted.text}'>· {' · '.join(facts)}</span><br>"
            f"<span style='color:{muted.on_fill}'>{note}</span></td></tr></table>")


def span_minutes(minutes: int) -> str:
    """Time spent as ``20 min`` or ``1h 30m``."""
    return f"{minutes} min" if minutes < 60 else spoken_duration(timedelta(minutes=minutes))


def _line(entry: Entry, expanded: bool) -> str:
    muted = tone("muted").text
    colour = tone("accent").text if entry.touches_status or entry.kind == "logged" else muted
    toggle = ""
    if entry.changes:
        toggle = (f" <a href='toggle:{entry.key}' style='color:{muted}'>"
                  f"{'hide' if expanded else 'details'}</a>")
    html = (f"<p style='margin-top:2px; margin-bottom:2px; margin-left:{AVATAR + 14}px'>"
            f"<span style='color:{colour}'>● </span>"
            f"<span style='color:{muted}'>{escape(entry.by)} {escape(entry.text)} · "
            f"{when(entry.at)}</span>{toggle}</p>")
    if expanded:
        for name, old, new in entry.changes:
            html += (f"<p style='margin-top:0; margin-bottom:0; margin-left:{AVATAR + 34}px; "
                     f"color:{muted}'>{escape(name)}: {escape(old)} → {escape(new)}</p>")
    return html


def render(entries: list[Entry], expanded: set[str], earlier: int = 0) -> str:
    """The HTML of the entries shown, after a link to the ``earlier`` ones left out."""
    muted = tone("muted").text
    if not entries:
        return f"<p style='color:{muted}'>Nothing on the timeline matches.</p>"
    more = (f"<p align='center'><a href='earlier:' style='color:{muted}'>Show {earlier} "
            f"earlier {'entry' if earlier == 1 else 'entries'}</a></p>" if earlier else "")
    return more + "".join(_card(entry) if entry.kind == "worklog"
                          else _line(entry, entry.key in expanded) for entry in entries)


class Timeline(QWidget):
    """The filter bar over the conversation; ``shown`` holds the entries on screen."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("timeline_pane")
        self.entries: list[Entry] = []
        self.shown: list[Entry] = []
        self.expanded: set[str] = set()
        self.show_all = False
        self._ticket: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.timeline_kind = QComboBox()
        self.timeline_kind.setObjectName("timeline_kind")
        for text, value in FILTERS:
            self.timeline_kind.addItem(text, value)
        self.timeline_text = QLineEdit()
        self.timeline_text.setObjectName("timeline_text")
        self.timeline_text.setPlaceholderText("Filter the timeline")
        self.timeline_text.setClearButtonEnabled(True)
        bar.addWidget(self.timeline_kind)
        bar.addWidget(self.timeline_text, 1)
        layout.addLayout(bar)
        self.browser = TimelineBrowser()
        self.browser.setObjectName("timeline")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._clicked)
        layout.addWidget(self.browser, 1)
        self.timeline_kind.currentIndexChanged.connect(self.refill)
        self.timeline_text.textChanged.connect(self.refill)

    def show_ticket(self, data: dict[str, Any]) -> None:
        """Show the timeline of a ticket screen (a new ticket starts collapsed, at its
        newest entry)."""
        if data["id"] != self._ticket:
            self._ticket = data["id"]
            self.expanded = set()
            self.show_all = False
        self.entries = timeline_entries(data)
        self.refill(scroll_to_end=True)

    def refill(self, *_args: Any, scroll_to_end: bool = False) -> None:
        """Redraw with the filter applied."""
        kind = self.timeline_kind.currentData()
        words = self.timeline_text.text().strip()
        self.shown = [entry for entry in self.entries if entry.matches(kind, words)]
        earlier = 0 if self.show_all else max(len(self.shown) - RECENT, 0)
        scroll = self.browser.verticalScrollBar()
        position = scroll.value()
        self.browser.setHtml(render(self.shown[earlier:], self.expanded, earlier))
        scroll.setValue(scroll.maximum() if scroll_to_end else position)

    def _clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("toggle:"):
            self.expanded ^= {text[len("toggle:"):]}
            self.refill()
        elif text == "earlier:":
            self.show_all = True
            self.refill()
