"""One ticket: the header card (summary, chips, people, SLA bars, actions) over the
conversation (timeline and composer), the Details and the checklists.

The view is built once and refilled for every ticket. It only lays out what
``ticket_screen`` returned and reports what the person asks for (``action_requested``,
``save_requested``, ``items_ticked``, ``update_posted``); the main window runs the work
on the database worker and asks before unsaved Details are left behind.
"""

from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from desk_app.ui.action_row import ActionRow
from desk_app.ui.attachment_panel import AttachmentsPanel, dropped_files
from desk_app.ui.composer import Composer
from desk_app.ui.icons import icon
from desk_app.ui.suggestions_panel import SuggestionsPanel
from desk_app.ui.ticket_checklists import TicketChecklists
from desk_app.ui.ticket_details import TicketDetails
from desk_app.ui.ticket_header import TicketHeader
from desk_app.ui.timeline import Timeline

DETAILS_TAB = "&Details"
FILES_TAB = "&Files"


def scrolled(page: QWidget) -> QScrollArea:
    """``page`` in a frameless scroll area: a short window scrolls it, never cuts it."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class TicketView(QWidget):
    """The ticket pane. Empty until ``show_ticket`` is given a ticket screen."""

    action_requested = Signal(str)
    save_requested = Signal(dict)
    items_ticked = Signal(list)
    update_posted = Signal(dict)
    catalogue_requested = Signal(str, str)  # kind ("ci" or "service"), name
    suggestions_wanted = Signal(dict)  # the Suggestions tab is open on this ticket

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket_view")
        self.setWindowTitle("Ticket")
        self.data: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.placeholder = QLabel("Select a ticket, or log a new one (Ctrl+N).")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.placeholder)
        self.body = QWidget()
        layout.addWidget(self.body, 1)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        self.action_row = ActionRow()
        self.header = TicketHeader(self.action_row)
        body.addWidget(self.header)
        self.timeline = Timeline()
        self.composer = Composer()
        conversation = QWidget()
        conversation.setObjectName("conversation")
        talk = QVBoxLayout(conversation)
        talk.setContentsMargins(4, 4, 4, 4)
        talk.addWidget(self.timeline, 1)
        talk.addWidget(self.composer)
        self.details = TicketDetails()
        self.checklists = TicketChecklists()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(conversation, "&Timeline")
        self.details_page = scrolled(self.details)
        self.tabs.addTab(self.details_page, DETAILS_TAB)
        self.tabs.addTab(scrolled(self.checklists), "Check&lists")
        self.attachments = AttachmentsPanel()
        self.tabs.addTab(self.attachments, icon("new-attachment"), FILES_TAB)
        self.attachments.count_changed.connect(self._count_files)
        self.setAcceptDrops(True)
        self.suggestions = SuggestionsPanel(title="Solved before? Tickets, articles and "
                                                  "known errors like this one")
        self.suggestions_page = QWidget()
        QVBoxLayout(self.suggestions_page).addWidget(self.suggestions)
        self.tabs.addTab(self.suggestions_page, "S&uggestions")
        self._suggested_for: str | None = None
        self.tabs.currentChanged.connect(lambda _index: self._want_suggestions())
        self.timeline_page = conversation
        body.addWidget(self.tabs, 1)
        self.action_row.triggered.connect(self.action_requested)
        self.details.save_requested.connect(self.save_requested)
        self.details.catalogue_requested.connect(self.catalogue_requested)
        self.details.dirty_changed.connect(self._mark_dirty)
        self.checklists.items_ticked.connect(self.items_ticked)
        self.composer.posted.connect(self.update_posted)
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.details.save)
        save.setContext(Qt.ShortcutContext.WindowShortcut)
        self._redraw_queued = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.header.tick)
        self.body.hide()

    # --- what tests and the window reach ---------------------------------------------

    @property
    def ticket_actions(self) -> dict[str, Any]:
        """Every ticket action (QAction) by key."""
        return self.action_row.by_key

    @property
    def dirty(self) -> bool:
        """Whether Details hold edits that are not saved."""
        return self.details.dirty

    # --- showing ---------------------------------------------------------------------

    def clear(self) -> None:
        self.data = None
        self._timer.stop()
        self.body.hide()
        self.placeholder.show()

    def set_categories(self, categories: dict[str, tuple[str, ...]]) -> None:
        self.details.set_categories(categories)

    def show_ticket(self, data: dict[str, Any]) -> None:
        """Lay out a ticket screen (``services.ticket_actions.ticket_screen``). The same
        ticket again keeps what was typed in Details while it is unsaved."""
        same = self.data is not None and self.data["id"] == data["id"]
        self.data = data
        self.placeholder.hide()
        self.body.show()
        self.header.show_ticket(data)
        board = {"major_board": None if data["major"] else "not a major incident"}
        self.action_row.show_actions(data["actions"] | board, data.get("primary"), {
            "declare_major": "Stand down major incident…" if data["major"]
            else "Declare major incident…",
            "convert": "Convert to incident…" if data["type"] == "request"
            else "Convert to request…"})
        self.details.show_ticket(data, keep_edits=same and self.details.dirty)
        self.checklists.show_ticket(data)
        self.timeline.show_ticket(data)
        self.composer.show_ticket(data)
        self.attachments.show_ticket(data)
        self._timer.start()
        if not same:
            self._suggested_for = None
        self._want_suggestions()

    def _want_suggestions(self) -> None:
        """Ask for suggestions when their tab is open on a ticket not yet asked for."""
        if (self.data is not None and self.tabs.currentWidget() is self.suggestions_page
                and self._suggested_for != self.data["id"]):
            self._suggested_for = self.data["id"]
            self.suggestions_wanted.emit(self.data)

    def _count_files(self, count: int) -> None:
        index = self.tabs.indexOf(self.attachments)
        self.tabs.setTabText(index, FILES_TAB + (f" ({count})" if count else ""))

    def dragEnterEvent(self, event: Any) -> None:
        """Files dragged anywhere over the ticket are taken by its Files tab."""
        if self.data is not None and self.attachments.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        if self.data is not None and self.attachments.accepts(event.mimeData()):
            event.acceptProposedAction()
            self.show_page(self.attachments)
            self.attachments.add_files(dropped_files(event.mimeData()))

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (a theme switch): the chips, clocks and timeline cards are
        drawn again in its tones, once, after the switch has settled."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and self.data is not None and not self._redraw_queued:
            self._redraw_queued = True
            QTimer.singleShot(0, self._redraw)

    def _redraw(self) -> None:
        self._redraw_queued = False
        if self.data is not None:
            self.show_ticket(self.data)

    def _mark_dirty(self, dirty: bool) -> None:
        index = self.tabs.indexOf(self.details_page)
        self.tabs.setTabText(index, DETAILS_TAB + (" ●" if dirty else ""))
        self.tabs.setTabToolTip(index, "Unsaved changes" if dirty else "")

    # --- answers ---------------------------------------------------------------------

    def edited_details(self) -> dict[str, str]:
        """The detail fields whose text differs from the stored ticket."""
        return self.details.edited_details()

    def details_refused(self, error: Exception) -> None:
        """A refused save: shown on its field, the typing kept, Details in front."""
        self.show_page(self.details)
        self.details.refused(error)

    def show_page(self, page: QWidget) -> None:
        """Bring the tab holding ``page`` (timeline_page, details, checklists) to front."""
        while page is not None and self.tabs.indexOf(page) < 0:
            page = page.parentWidget()
        if page is not None:
            self.tabs.setCurrentWidget(page)

    def save_draft_now(self) -> bool:
        """Keep the unsaved Details and the composer's note on disk now (before a crash
        report); returns whether there was anything to keep."""
        details = self.details.save_draft_now()
        return self.composer.save_draft_now() or details

    def discard_edits(self) -> None:
        """Throw the unsaved Details away."""
        self.details.discard()
