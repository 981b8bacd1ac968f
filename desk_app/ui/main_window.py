"""The main window: queues on the left, the ticket table with its filter bar, and the
ticket view. It wires screens to the database worker; it holds no data of its own.

The window paints first as a light start (its title, size and a "loading" line), which
needs none of the code behind the desk; :meth:`MainWindow.open_desk` then imports that
code (``_load_desk_code``) and builds the window around the open desk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from desk_app.ui import look, theme
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.window_state import WindowState

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QCloseEvent

    from desk_app.services.changes import Changes
    from desk_app.services.reference import DeskReference
    from desk_app.services.session import Session
    from desk_app.ui.form_dialog import FormDialog
    from desk_app.ui.logging_form import LoggingForm
    from desk_app.ui.ticket_table import TicketTable
    from desk_app.ui.tray import TrayController
    from desk_app.ui.worker import BackgroundWorker


def _load_desk_code() -> None:
    """Import what the window needs once a desk is open (the services, the screens
    behind it, the Qt classes they use) into this module: the window's first paint does
    without them (each Qt class costs the start its first use). Once: later windows
    find them here (and a test's stand-in for one of them stays)."""
    if "ViewShelf" in globals():
        return
    global QItemSelectionModel, QSize, QAction, QActionGroup, QKeySequence, QShortcut
    global QSizePolicy, QSplitter, QStackedWidget, QToolBar, QVBoxLayout, QWidget
    global QAbstractItemView, Refused
    global PermissionDenied, human_label, QUEUE_BY_KEY, Listing, queue_counts, search_listing
    global desk_reference, CatalogueCompletion, DeadlineLabel, FilterBar, icon
    global ask_about_unsaved, DISCARD, SAVE, LoggingForm, LongWork, MailDrop, MailPoller
    global NotificationCenter, profile_dialog, QueueList, view_name, show_error, TeamSync
    global TicketCommands, EmptyState, TicketTable, COLUMNS, TicketTableModel, TicketView
    global ViewShelf
    from PySide6.QtCore import QItemSelectionModel, QSize
    from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QSizePolicy,
        QSplitter,
        QStackedWidget,
        QToolBar,
        QVBoxLayout,
        QWidget,
    )

    from desk_app.core.errors import PermissionDenied, Refused
    from desk_app.core.labels import human_label
    from desk_app.services.queues import QUEUE_BY_KEY, Listing, queue_counts, search_listing
    from desk_app.services.reference import desk_reference
    from desk_app.ui.catalogue_completion import CatalogueCompletion
    from desk_app.ui.deadline_label import DeadlineLabel
    from desk_app.ui.filter_bar import FilterBar
    from desk_app.ui.icons import icon
    from desk_app.ui.leave_guard import DISCARD, SAVE, ask_about_unsaved
    from desk_app.ui.logging_form import LoggingForm
    from desk_app.ui.long_work import LongWork
    from desk_app.ui.mail_in import MailDrop, MailPoller
    from desk_app.ui.notification_bell import NotificationCenter
    from desk_app.ui.profile_dialog import profile_dialog
    from desk_app.ui.queue_list import QueueList, view_name
    from desk_app.ui.refusals import show_error
    from desk_app.ui.team_sync import TeamSync
    from desk_app.ui.ticket_commands import TicketCommands
    from desk_app.ui.ticket_table import EmptyState, TicketTable
    from desk_app.ui.ticket_table_model import COLUMNS, TicketTableModel
    from desk_app.ui.ticket_view import TicketView
    from desk_app.ui.view_shelf import ViewShelf


# a ticket's screen and actions: first needed when a ticket is opened, not to paint
ticket_actions = deferred("desk_app.services.ticket_actions")
REFRESH_MS = 60_000
PANE_PLACES = {"below": "&Below the list", "right": "To the &right of the list",
               "window": "In its own &window"}


class MainWindow(QMainWindow):
    """``painted`` fires once, on the first paint; ``ticket_shown`` whenever the ticket
    view was filled; ``reference_loaded`` when the choices arrived."""

    painted = Signal()
    ticket_shown = Signal(dict)
    reference_loaded = Signal(object)
    logging_form_opened = Signal(object)
    admin_opened = Signal(object)
    catalogue_page_opened = Signal(object)  # a catalogue page or the catalogue editor
    major_board_created = Signal(object)  # once: other screens add their section to it

    def __init__(self, worker: BackgroundWorker, session: Session | None,
                 state: WindowState | None = None, database_path: str = "") -> None:
        """Without ``session`` the window shows its light start until :meth:`open_desk`."""
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle("desk-app")
        self.worker = worker
        self.session = session
        self.state = state or WindowState()
        self.database_path = database_path  # shown in Help > About
        self.reference: DeskReference | None = None
        self.pane_placement = "below"
        self.desk_open = False
        self._painted = False
        self._restore_geometry()
        self.setCentralWidget(self._loading())
        if session is not None:
            self.open_desk(session)

    def _loading(self) -> QLabel:
        """The window's light start: where the queues and tickets will be."""
        loading = QLabel("Opening the desk…")
        loading.setObjectName("desk_loading")
        loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        loading.setFont(look.font(look.HEADING_PT))
        loading.setEnabled(False)  # drawn in the palette's quieter text colour
        return loading

    def open_desk(self, session: Session) -> None:
        """Build the window around the open desk: queues, table, ticket pane, menus."""
        _load_desk_code()
        self.session = session
        self.leave_question = ask_about_unsaved  # tests answer it themselves
        self._listed_queue: str | None = None
        self._chosen_sort: tuple[str, bool] | None = None
        self.queues = QueueList()
        self.filters = FilterBar()
        self.model = TicketTableModel(self.worker, session, parent=self)
        self.table = self._table()
        self.view = TicketView()
        self.commands = TicketCommands(self, self.worker, session)
        self.long_work = LongWork(self, self.worker, session)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(4, 4, 4, 4)
        centre_layout.addWidget(self.filters)
        centre_layout.addWidget(self._table_area(), 1)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setObjectName("table_view_splitter")
        self.right.addWidget(centre)
        self.right.addWidget(self.view)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 4)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("queue_splitter")
        self.split.addWidget(self.queues)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(1, 1)
        self.setCentralWidget(self._pages(self.split))
        self.busy = QLabel()
        self.who = QLabel()
        self.team_sync = TeamSync(self, session, self.worker)
        self._wire_attachments()
        self.statusBar().addWidget(self.team_sync.label)  # first: the sync state
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.who)
        self._wire_mail()
        self._actions()
        self._notices()
        self._connect()
        self._connect_search()
        self._refresh_timer = QTimer(self, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._restore()
        self._wire_catalogue()
        self._wire_majors()
        self.desk_open = True

    # --- building --------------------------------------------------------------------

    def _table(self) -> TicketTable:
        table = TicketTable(self.model)
        table.horizontalHeader().sectionClicked.connect(self._header_clicked)
        return table

    def _table_area(self) -> QStackedWidget:
        """The table, or in its place the empty state of an empty listing."""
        self.empty = EmptyState()
        self.table_area = QStackedWidget()
        self.table_area.setObjectName("table_area")
        self.table_area.addWidget(self.table)
        self.table_area.addWidget(self.empty)
        return self.table_area

    def _actions(self) -> None:
        bar = self.addToolBar("Main")
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setIconSize(QSize(look.ICON_PX, look.ICON_PX))

        def action(text: str, shortcut: Any, slot: Any, icon_name: str | None = None,
                   tip: str = "") -> QAction:
            act = QAction(text, self)
            if icon_name is not None:
                act.setIcon(icon(icon_name))
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.setToolTip(f"{tip or text} ({QKeySequence(shortcut).toString()})"
                           if shortcut else tip or text)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.new_action = action("&New ticket", QKeySequence.StandardKey.New,
                                 self.open_logging_form, "new-ticket",
                                 "Log a new incident or request")
        self.refresh_action = action("&Refresh", QKeySequence.StandardKey.Refresh,
                                     self.refresh, "refresh")
        self.admin_action = action("&Administration", "Ctrl+,", self.open_admin,
                                   "administration",
                                   "Policy, people and groups (administrators)")
        self.admin_action.setEnabled(False)
        for act in (self.new_action, self.refresh_action, self.admin_action):
            bar.addAction(act)
        action("Search", QKeySequence.StandardKey.Find, self._focus_search, "search")
        action("Next ticket", "Alt+Down", lambda: self.step(1))
        action("Previous ticket", "Alt+Up", lambda: self.step(-1))
        for number, key in enumerate(list(QUEUE_BY_KEY)[:9], start=1):  # Ctrl+1..9
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda k=key: self.queues.select(k))
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.new_action)
        menu.addSeparator()
        for text, slot in (("&Import tickets…", self.long_work.import_file),
                           ("&Export tickets…", self.long_work.export_file),
                           ("Add &demo tickets…", self.long_work.demo)):
            menu.addAction(text, slot)
        menu.addSeparator()
        menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.close)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.refresh_action)
        self._theme_menu(view_menu.addMenu("&Theme"))
        self._pane_menu(view_menu)
        self._dashboard_actions(bar, view_menu)
        desk_menu = self.menuBar().addMenu("&Desk")
        desk_menu.addAction("My &profile…", self.open_profile)
        desk_menu.addAction(self.admin_action)
        desk_menu.addAction("Service &catalogue…", self.open_catalogue_editor)
        desk_menu.addSeparator()
        desk_menu.addAction(self.team_sync.sync_now_action)
        desk_menu.addAction(self.team_sync.settings_action)
        self._knowledge_menu()
        desk_menu.addAction(self.mail_poller.settings_action)
        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = help_menu.addAction(icon("about"), "&About desk-app…",
                                                self.open_about)

    def _theme_menu(self, menu: Any) -> None:
        """View > Theme: System / Light / Dark, the remembered choice checked."""
        chosen = theme.theme_of(None, self.state.value(theme.STATE_KEY, "system")).choice
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for choice in theme.CHOICES:
            act = menu.addAction(icon(f"theme-{choice}"), theme.CHOICE_TITLES[choice])
            act.setCheckable(True)
            act.setChecked(choice == chosen)
            act.setObjectName(f"theme_{choice}")
            act.triggered.connect(lambda _checked=False, c=choice: self.choose_theme(c))
            group.addAction(act)
            self.theme_actions[choice] = act

    def choose_theme(self, choice: str) -> None:
        """Follow the system's colour scheme, or always draw light or dark; remembered."""
        theme.theme_of().choose(choice)
        self.theme_actions[theme.theme_of().choice].setChecked(True)
        self.state.set_value(theme.STATE_KEY, theme.theme_of().choice)

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.failed.connect(lambda error: show_error(self, "Ticket list", error))
        self.model.listing_ready.connect(self._listing_ready)
        self._wire_ticket_pane()
        self.commands.changed.connect(self.ticket_changed)
        self.long_work.finished.connect(self.refresh)
        self.worker.busy_changed.connect(lambda busy: self.busy.setText("working…" if busy
                                                                        else ""))

    # --- notifications, the tray and the next deadline --------------------------------

    def _notices(self) -> None:
        """The bell in the toolbar, the next deadline in the status bar (the tray icon
        comes with :meth:`_start_notices`)."""
        self.notices = NotificationCenter(self.worker, self.session, self,
                                          lambda error: show_error(self, "Notifications",
                                                                   error))
        self.notices.open_ticket.connect(self.open_ticket_by_id)
        toolbar = self.findChild(QToolBar, "main_toolbar")
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.notices.bell)
        self.deadline = DeadlineLabel(self.session.now_fn)
        self.statusBar().addPermanentWidget(self.deadline)
        self.tray: TrayController | None = None

    def _start_notices(self) -> None:
        """Read the notifications now and on their timer; put the icon in the tray."""
        from desk_app.ui.tray import TrayController  # after the first paint's imports

        self.tray = TrayController(self.windowIcon(), self)
        self.tray.open_ticket.connect(self.open_ticket_by_id)
        self.tray.show_window.connect(self._bring_forward)
        self.notices.changed.connect(self.tray.update)
        self.notices.start()
        self.deadline.load(self.worker, self.session)

    def after_first_paint(self, start) -> None:
        """Run ``start`` from the event loop once the window has painted (now if it has):
        what the first paint does not show waits for it."""
        if self._painted:
            start()
        else:
            self.painted.connect(lambda: QTimer.singleShot(0, start))

    def refresh_notices(self) -> None:
        """Read the notifications and the next deadline again (after a sync, a watcher
        pass, a refresh)."""
        self.notices.refresh()
        self.deadline.load(self.worker, self.session)

    def open_ticket_by_id(self, ticket_id: str) -> None:
        """Show a ticket a notification named, the window brought forward."""
        self._bring_forward()
        self._focus_pane_when_shown = True
        self.show_ticket(ticket_id)

    def _bring_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    # --- start and layout ------------------------------------------------------------

    def _restore_geometry(self) -> None:
        """The window's remembered size and place (the default size the first time)."""
        blob = self.state.blob("geometry")
        if blob is None:
            self.resize(1400, 900)
        else:
            self.restoreGeometry(blob)

    def _restore(self) -> None:
        if not self.isVisible():  # built before it is shown: its size as it will be
            self._restore_geometry()
        for name, widget in (("queue_splitter", self.split),
                             ("table_view_splitter", self.right),
                             ("columns", self.table.horizontalHeader())):
            blob = self.state.blob(name)
            if blob is not None:
                widget.restoreState(blob)
        self._restore_chosen_columns()
        self.place_ticket_pane(self.state.value("ticket_pane", "below"))
        if self.state.blob("geometry") is None:
            self.split.setSizes([250, 1150])
            self.right.setSizes([380, 520])

    def _restore_chosen_columns(self) -> None:
        """The optional columns the person hid (or showed) last time."""
        hidden = self.state.value("hidden_columns")
        if isinstance(hidden, list):
            self.table.choose_hidden(hidden)

    def save_layout(self) -> None:
        """Remember geometry, splitters, columns and the current queue."""
        self.state.set_blob("geometry", self.saveGeometry())
        self.state.set_blob("queue_splitter", self.split.saveState())
        self.state.set_blob("table_view_splitter", self.right.saveState())
        self.state.set_blob("columns", self.table.horizontalHeader().saveState())
        self.state.set_value("hidden_columns", self.table.chosen_hidden())
        self.state.set_value("ticket_pane", self.pane_placement)
        if self.queues.current_key:
            self.state.set_value("queue", self.queues.current_key)
        self.state.save()

    def start(self) -> None:
        """Load the choices and the remembered queue (the desk is open)."""
        self.load_reference()
        self.refresh_counts()
        self.queues.select(self.state.value("queue", "all_open")
                           if self.state.value("queue") in QUEUE_BY_KEY else "all_open")
        self._refresh_timer.start()
        self.after_first_paint(self._start_notices)  # the tray and the bell's first list
        self.after_first_paint(self._start_watch)
        self.team_sync.synced.connect(lambda _report: self.refresh())
        for changed in (self.commands.changed, self.long_work.finished):
            changed.connect(self.team_sync.local_change)
        # the first sync loads the PostgreSQL driver and the keyring: after the first paint
        if self._painted:
            self.team_sync.start()
            self.mail_poller.start()
        else:
            # painted fires once; the sync starts from the event loop, not inside paintEvent
            self.painted.connect(lambda: QTimer.singleShot(0, self.team_sync.start))
            self.painted.connect(lambda: QTimer.singleShot(0, self.mail_poller.start))
        self._start_mail()

    def _start_mail(self) -> None:
        """The mail thread (ui/mail_outbox.py) starts after the first paint, like sync."""
        if self._painted:
            self._start_mail_now()
        else:
            self.painted.connect(lambda: QTimer.singleShot(0, self._start_mail_now))

    def _start_mail_now(self) -> None:
        from desk_app.ui.mail_outbox import MailOutbox

        if getattr(self, "mail_outbox", None) is not None:
            return
        self.mail_outbox = MailOutbox(self, self.session, self.worker)
        self.statusBar().addWidget(self.mail_outbox.label)
        self.mail_outbox.sent.connect(lambda _report: self.refresh())
        self.commands.changed.connect(self.mail_outbox.local_change)
        self.mail_outbox.start()

    def stop_timers(self) -> None:
        """No more periodic refreshes or syncs (the app is closing)."""
        self._refresh_timer.stop()
        self.team_sync.stop()
        self.mail_poller.stop()
        if getattr(self, "mail_outbox", None) is not None:
            self.mail_outbox.stop()
        self.notices.stop()
        if self.tray is not None:
            self.tray.hide()
        if getattr(self, "watch_schedule", None) is not None:  # started with the desk
            self.watch_schedule.stop()

    def _wire_mail(self) -> None:
        """Incoming mail: .eml files dropped on the window, the mailbox poller."""
        self.mail_drop = MailDrop(self, self.worker, self.session)
        self.mail_poller = MailPoller(self, self.session, self.worker)
        self.statusBar().addPermanentWidget(self.mail_poller.label)
        for imported in (self.mail_drop.imported, self.mail_poller.imported):
            imported.connect(lambda _outcomes: (self.refresh(), self.refresh_counts()))

    def _start_watch(self) -> None:
        """The watcher runs on the database thread every minute and at each due moment;
        a pass that changed something redraws the queues."""
        from desk_app.ui.watch_schedule import WatchSchedule

        self.watch_schedule = WatchSchedule(self.worker, self.session, parent=self)
        self.watch_schedule.changed.connect(lambda _result: self.refresh())
        self.watch_schedule.start()

    def load_reference(self) -> None:
        session = self.session
        self.worker.submit(lambda: desk_reference(session), self._reference_arrived,
                           lambda error: show_error(self, "Starting", error))

    def _reference_arrived(self, reference: DeskReference) -> None:
        self.reference = reference
        self.commands.reference = reference
        self.model.zone = reference.zone
        self.view.set_categories(reference.categories)
        self.filters.set_choices(reference)
        self.admin_action.setEnabled(reference.is_admin)
        self.admin_action.setToolTip("Policy, people and groups (Ctrl+,)" if reference.is_admin
                                     else "Only administrators can open administration")
        self.who.setText(f"{reference.name} ({reference.login}) · "
                         f"{reference.role.replace('_', ' ')} · {reference.team_name}")
        self.setWindowTitle(f"desk-app — {reference.team_name}")
        self.team_sync.know_team(reference.has_team)
        self.reference_loaded.emit(reference)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.desk_open:  # closed during its light start: nothing to keep yet
            super().closeEvent(event)
            return
        if self._leaving_is_held(self.close):
            event.ignore()
            return
        self.save_layout()
        self.save_draft_now()
        if self.view.isWindow():
            self.view.close()
        super().closeEvent(event)

    # --- listing ---------------------------------------------------------------------

    def _connect_search(self) -> None:
        self._listing: Listing | None = None
        self._listing_generation = 0
        self._new_listing = False
        self._wanted_ticket: str | None = None
        self._open_when_listed = False
        self._listing_pending = False
        self._focus_pane_when_shown = False
        self.shelf = ViewShelf(self)
        self.queues.queue_chosen.connect(self._queue_chosen)
        self.filters.changed.connect(self.apply_listing)
        self.filters.move_down.connect(self._into_results)
        self.filters.open_requested.connect(self._open_from_search)
        self.table.open_requested.connect(self._open_current)
        self.empty.search_everywhere.connect(self.search_everywhere)
        self.empty.clear_filters.connect(self.filters.clear)
        for signal in (self.model.ids_ready, self.model.modelReset, self.model.rowsInserted,
                       self.model.rowsRemoved):
            signal.connect(self._show_result)
        self.ticket_shown.connect(self._ticket_arrived)

    def _queue_chosen(self, key: str) -> None:
        """A queue or a saved view was picked: a view brings its search, filters and
        order; a queue ends a search that covered every ticket or named a number."""
        view = self.shelf.get(view_name(key))
        if view is not None:
            self.filters.set_state(view.bar)
        elif view_name(self._listed_queue) is not None:  # leaving a view: its bar goes
            self.filters.set_state({})
        elif self.filters.searching and (self.filters.everywhere or (
                self._listing is not None and self._listing.jump is not None)):
            self.filters.search.blockSignals(True)
            self.filters.search.clear()
            self.filters.search.blockSignals(False)
        self.apply_listing()

    def _queue_of(self, key: str) -> str:
        """The work queue a list key lists (a saved view's own queue)."""
        view = self.shelf.get(view_name(key))
        return view.queue if view is not None else key if key in QUEUE_BY_KEY else "all_open"

    def current_queue(self) -> str:
        """The work queue listed now (a saved view's own queue)."""
        return self._queue_of(self.queues.current_key or "all_open")

    @property
    def chosen_sort(self) -> tuple[str, bool] | None:
        """The order the person chose by a header click, if any."""
        return self._chosen_sort

    def show_listed_as(self, key: str) -> None:
        """Mark the listing shown as queue or view ``key`` (without listing again)."""
        self._listed_queue = key
        self.queues.show_home(key)

    def apply_listing(self) -> None:
        """Show the current queue (or saved view) narrowed by the filter bar; a search
        text covers every ticket unless the bar's scope says this queue, and a ticket
        number lists that ticket wherever it is (on the database worker)."""
        key = self.queues.current_key or "all_open"
        queue_key = self._queue_of(key)
        queue = QUEUE_BY_KEY[queue_key]
        if key != self._listed_queue:  # a new queue starts in its own order
            self._listed_queue, self._chosen_sort = key, None
            view = self.shelf.get(view_name(key))
            if view is not None and view.sort:
                self._chosen_sort = (view.sort, view.descending)
            self.table.horizontalHeader().setSortIndicatorShown(False)
        sort, descending = self._chosen_sort or (queue.sort, queue.descending)
        self.filters.set_queue_title(queue.title)
        narrowing, everywhere = self.filters.narrowing(), self.filters.everywhere
        session = self.session
        self._listing_generation += 1
        self._listing_pending = True
        generation = self._listing_generation

        def chosen(listing: Listing) -> None:
            if generation == self._listing_generation:
                self._listing_chosen(listing, sort, descending)

        self.worker.submit(lambda: search_listing(session, queue_key, narrowing, everywhere),
                           chosen, lambda error: show_error(self, "Queue", error))

    def _listing_chosen(self, listing: Listing, sort: str, descending: bool) -> None:
        self._listing = listing
        self._new_listing = True
        jump = listing.jump
        self._wanted_ticket = jump.ticket_id if jump else None
        if jump is not None:  # the queue list shows where the ticket is
            self.queues.show_home(jump.queue)
            self._listed_queue = jump.queue
        self.model.set_listing(listing.filter, sort, descending)

    def search_everywhere(self) -> None:
        """Look in every ticket: a search text in all tickets, filters in All tickets."""
        if self.filters.searching:
            self.filters.set_everywhere(True)
        else:
            self.queues.select("all")

    def _header_clicked(self, column: int) -> None:
        if COLUMNS[column].sort is None:
            return
        descending = self.model.sort_key == COLUMNS[column].sort and not self.model.descending
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self._chosen_sort = (COLUMNS[column].sort, descending)
        self.model.sort(column, Qt.SortOrder.DescendingOrder if descending
                        else Qt.SortOrder.AscendingOrder)

    def refresh_counts(self) -> None:
        """Count every queue and saved view (at start, on refresh and after a change; a
        filter bar change does not change the counts)."""
        session = self.session
        self.worker.submit(lambda: queue_counts(session), self.queues.set_counts)
        self.shelf.count()

    def refresh(self) -> None:
        """Re-read the listing, the counts and the ticket shown (F5, and every minute)."""
        self.model.reload()
        self.refresh_counts()
        self.refresh_notices()
        if self.view.data is not None:
            self.show_ticket(self.view.data["id"], keep_edits=True)

    def _listing_ready(self) -> None:
        """A listing's first page shows: select the ticket a number named, or the ticket
        shown, wherever it is in the listing; a new listing that does not hold the
        ticket shown clears the ticket pane (a reload of the same listing keeps the
        view's selection by itself)."""
        self._show_result()
        self._listing_pending = False
        new, self._new_listing = self._new_listing, False
        shown = self.view.data["id"] if self.view.data else None
        target = self._wanted_ticket or shown
        self._wanted_ticket = None
        row = self.model.first_page_row_of(target) if target else None
        if row is not None:
            self._select_row(row)
        elif target is not None and new:
            self.model.locate(target, lambda found: self._located(target, found))
        elif self._open_when_listed:
            self._open_current()

    def _located(self, ticket_id: str, row: int | None) -> None:
        if row is not None:
            self._select_row(row)
        elif self.view.data is not None and self.view.data["id"] == ticket_id:
            self._clear_pane()
        if self._open_when_listed:
            self._open_current()

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        if self._open_when_listed:
            self._open_current()

    def _clear_pane(self) -> None:
        """The ticket shown is not in the results: the pane stops showing it (once its
        unsaved edits are saved or discarded; kept editing, it stays)."""
        if self._leaving_is_held(self._clear_pane):
            return
        self.table.selectionModel().clearSelection()
        self.view.clear()

    def _show_result(self) -> None:
        """The result count over the table, or the empty state in its place."""
        count = self.model.rowCount()
        listing = self._listing
        jump = listing.jump if listing else None
        key = self.queues.current_key or "all_open"
        if jump is not None:
            more = f" (+{len(jump.ids) - 1} more)" if len(jump.ids) > 1 else ""
            text = (f"{jump.number} · {human_label(jump.status)} · "
                    f"in {self.queues.title_of(jump.queue)}{more}")
        else:
            text = f"{count:,} ticket{'' if count == 1 else 's'}"
        self.filters.set_result(text)
        if count or listing is None:
            self.table_area.setCurrentWidget(self.table)
            return
        title_of = self.queues.title_of(self._queue_of(key))
        words = self.filters.search.text().strip()
        everywhere = listing is not None and listing.scope == "all"
        chips = bool(self.filters.narrowing().statuses or self.filters.narrowing().priorities
                     or any(self.filters.value(k) for k in ("category", "group", "assignee")))
        if self.filters.searching:
            where = "" if everywhere else f" in {title_of}"
            title = f"No tickets match \u201c{words}\u201d{where}"
            hint = ("Searched every ticket, open and closed" if everywhere
                    else "Searched this queue only") + (
                ", with the filters above." if chips else ".")
        elif chips:
            title = f"No tickets in {title_of} match these filters"
            hint = "Remove a filter, or look in every ticket."
        else:
            title, hint = f"No tickets in {title_of}", "Nothing is waiting here."
        self.empty.show_for(title, hint, everywhere=not everywhere and self.filters.narrowed,
                            clear=self.filters.narrowed)
        self.table_area.setCurrentWidget(self.empty)

    def step(self, delta: int) -> None:
        """Select the next (1) or previous (-1) ticket of the table."""
        count = self.model.rowCount()
        if not count:
            return
        current = self.table.currentIndex().row()
        row = min(max(current + delta, 0), count - 1) if current >= 0 else 0
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def _into_results(self) -> None:
        """Down in the search field: the focus moves to the results (first row)."""
        if not self.model.rowCount():
            return
        self.table.setFocus()
        if not self.table.currentIndex().isValid():
            self._select_row(0)

    def _open_from_search(self) -> None:
        """Enter in the search field: open the found ticket (once the search ran)."""
        if self._listing_pending:
            self._open_when_listed = True
            return
        self._open_current()

    def _open_current(self) -> None:
        """Open the selected ticket (the first when none is) with the focus in the
        ticket pane."""
        self._open_when_listed = False
        if not self.model.rowCount():
            return
        current = self.table.currentIndex()
        row = self.model.row_at(current.row() if current.isValid() else 0)
        if not current.isValid():
            self._select_row(0)
        if row is not None and self.view.data is not None and self.view.data["id"] == row.id:
            self._focus_pane()
        else:
            self._focus_pane_when_shown = True

    def _ticket_arrived(self, _data: dict) -> None:
        if self._focus_pane_when_shown:
            self._focus_pane_when_shown = False
            self._focus_pane()

    def _focus_pane(self) -> None:
        """The focus to the ticket pane's first field a person can type or act in."""
        for widget in self.view.findChildren(QWidget):
            if widget.isVisible() and widget.isEnabled() and \
                    widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.view.setFocus()

    # --- the ticket ------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None and (self.view.data is None or self.view.data["id"] != row.id):
            self.show_ticket(row.id)

    def show_ticket(self, ticket_id: str, keep_edits: bool = False) -> None:
        """Load and show one ticket in the ticket view (another ticket than the one shown
        asks first when Details hold unsaved edits)."""
        if self._leaving_is_held(lambda: self.show_ticket(ticket_id, keep_edits), ticket_id):
            return
        session = self.session

        def shown(data: dict) -> None:
            self.view.show_ticket(data)
            if self.view.isWindow() and not keep_edits:  # its own window, closed: again
                self.view.show()
            self.ticket_shown.emit(data)

        self.worker.submit(lambda: ticket_actions.ticket_screen(session, ticket_id), shown,
                           lambda error: show_error(self, "Ticket", error))

    def ticket_changed(self, changes: Changes) -> None:
        """After an action: redraw what it changed (the ticket, its row, the counts of
        the queues it entered or left); a change it cannot name redraws everything."""
        if changes.everything or changes.policy or changes.people:
            self.refresh()
            return
        self.queues.adjust_counts(changes.count_deltas)
        shown = self.view.data["id"] if self.view.data else None
        for ticket_id in sorted(changes.tickets):
            self.model.update_ticket(ticket_id)
        made = getattr(changes.result, "id", None)  # a logged ticket opens in the view
        target = made if made in changes.tickets else shown
        if target is not None:
            self.show_ticket(target)

    # --- the ticket pane -------------------------------------------------------------

    def _wire_ticket_pane(self) -> None:
        view = self.view
        view.action_requested.connect(self._action)
        view.save_requested.connect(lambda edits: self.commands.save_edits(
            view.data, edits, view.details_refused))
        view.items_ticked.connect(lambda items: self.commands.tick(
            view.data, items, lambda error: (show_error(self, "Checklist", error),
                                             self.show_ticket(view.data["id"]))))
        view.update_posted.connect(lambda values: self.commands.post_update(
            view.data, values, view.composer.succeeded, view.composer.refused))
        self._wire_suggestions()

    def _wire_suggestions(self) -> None:
        """The ticket's Suggestions tab: asked on the worker when opened; once shown
        (with results or none) it ticks "Searched known errors"; "This solved it"
        records the link and opens the resolve dialog filled with its text."""
        view, panel, session = self.view, self.view.suggestions, self.session
        panel.attach(self.worker)

        def ask(number: str) -> list:
            from desk_app.services.diagnosis import suggest_for_ticket  # not on the start path

            return suggest_for_ticket(session, number)

        view.suggestions_wanted.connect(lambda data: panel.ask(
            lambda number=data["number"]: ask(number)))
        panel.shown.connect(lambda _hits: view.data is not None
                            and self.commands.suggestions_opened(view.data))
        panel.solved.connect(lambda hit: view.data is not None
                             and self.commands.solved_by(view.data, hit))

    def _wire_attachments(self) -> None:
        """The ticket view's Files tab works through the database worker; files other
        desks added come down on the sync's network thread."""
        self.view.attachments.bind(self.worker, self.session, self.team_sync.worker)

    def _leaving_is_held(self, then: Any, target: str | None = None) -> bool:
        """Before the shown ticket is left (for ``target``, or the window closes): when
        Details hold unsaved edits, ask. True when the leaving must wait: kept editing
        (the shown ticket's row is selected again), or saving first (``then`` runs once
        saved; a refused save stays on the ticket, showing why)."""
        shown = self.view.data
        if shown is None or not self.view.dirty or target == shown["id"]:
            return False
        choice = self.leave_question(self, shown["number"])
        if choice == DISCARD:
            self.view.discard_edits()
            return False
        if choice == SAVE:
            def saved() -> None:
                self.view.discard_edits()  # saved: what was typed is what is stored
                then()

            self.commands.save_edits(shown, self.view.details.edits(), lambda error: (
                self.view.details_refused(error), self._select_shown()), saved)
        self._select_shown()
        return True

    def save_draft_now(self) -> bool:
        """Keep the ticket pane's typing on disk now (``ui.drafts.save_open_drafts``);
        returns whether there was any (none before the desk is open)."""
        return self.desk_open and self.view.save_draft_now()

    def _select_shown(self) -> None:
        """Select the row of the ticket shown again (after a switch was held)."""
        shown = self.view.data["id"] if self.view.data else None
        row = self.model.first_page_row_of(shown) if shown else None
        if row is not None and self.table.currentIndex().row() != row:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def _pane_menu(self, menu: Any) -> None:
        pane = menu.addMenu("Ticket &pane")
        group = QActionGroup(self)
        self.pane_actions: dict[str, QAction] = {}
        for key, text in PANE_PLACES.items():
            act = pane.addAction(text, lambda k=key: self.place_ticket_pane(k))
            act.setCheckable(True)
            act.setObjectName(f"pane_{key}")
            group.addAction(act)
            self.pane_actions[key] = act

    def place_ticket_pane(self, where: str) -> None:
        """Put the ticket pane below the table, to its right, or in its own window."""
        where = where if where in PANE_PLACES else "below"
        self.pane_placement = where
        if where == "window":
            if not self.view.isWindow():
                self.view.setParent(None)
                self.view.setWindowFlag(Qt.WindowType.Window, True)
                self.view.resize(760, 820)
            self.view.show()
        else:
            if self.view.parent() is not self.right:
                self.view.setWindowFlag(Qt.WindowType.Window, False)
                self.right.addWidget(self.view)
                self.view.show()
            self._orient_pane(Qt.Orientation.Vertical if where == "below"
                              else Qt.Orientation.Horizontal)
        if hasattr(self, "pane_actions"):
            self.pane_actions[where].setChecked(True)

    def _orient_pane(self, orientation: Qt.Orientation) -> None:
        """Turn the table/pane splitter. Turned to the side, the table keeps the width
        its number, priority, "Time left" and a readable summary need (the pane gets
        the rest, at least its minimum): the heights it had would cut the summary."""
        if self.right.orientation() == orientation:
            return
        self.right.setOrientation(orientation)
        total = sum(self.right.sizes())
        if orientation == Qt.Orientation.Horizontal and total > 0:
            pane = max(self.view.minimumSizeHint().width(), total - self.table.wanted_width())
            self.right.setSizes([max(total - pane, 0), pane])

    def _action(self, action: str) -> None:
        if self.view.data is not None:
            self.commands.run(action, self.view.data)

    # --- dialogs ---------------------------------------------------------------------

    def open_logging_form(self) -> LoggingForm | None:
        """Open the logging form (non-modal; the ticket opens when it is saved)."""
        if self.reference is None:
            return None
        form = LoggingForm(self, self.worker, self.session, self.reference)
        form.changed.connect(self.ticket_changed)
        form.logged.connect(self.team_sync.local_change)
        form.solution_offered.connect(self.commands.offer_resolution)
        form.open()
        self.logging_form_opened.emit(form)
        return form

    def open_profile(self) -> FormDialog | None:
        """The acting technician's own name, email, group (and role, for administrators)."""
        if self.reference is None:
            return None
        dialog = profile_dialog(self, self.worker, self.session, self.reference,
                                first_run=False)
        dialog.accepted.connect(self.load_reference)
        dialog.open()
        return dialog

    def open_admin(self) -> Any:
        """Open administration (administrators only; the services check it again)."""
        if self.reference is None or not self.reference.is_admin:
            show_error(self, "Administration", PermissionDenied(
                "role", "only administrators can open administration"))
            return None
        from desk_app.ui.admin.admin_dialog import AdminDialog  # its pages: when opened

        dialog = AdminDialog(self, self.worker, self.session)
        dialog.policy_changed.connect(self._policy_changed)
        dialog.open()
        self.admin_opened.emit(dialog)
        return dialog

    def _knowledge_menu(self) -> None:
        menu = self.menuBar().addMenu("&Knowledge")
        articles = menu.addAction("Knowledge &articles…", lambda: self.open_knowledge(0))
        articles.setShortcut(QKeySequence("Ctrl+Shift+K"))
        menu.addAction("Known &errors…", lambda: self.open_knowledge(1))

    def open_knowledge(self, tab: int = 0) -> QWidget:
        """The knowledge window on its articles (0) or the known errors (1)."""
        from desk_app.ui.knowledge_window import KnowledgeWindow  # opened from the menu

        window = KnowledgeWindow(self, self.worker, self.session)
        window.tabs.setCurrentIndex(tab)
        window.reload()
        window.show()
        return window

    def open_about(self) -> QWidget:
        """Help > About: version, the database, settings and log folders, licences."""
        from desk_app.ui.about_dialog import AboutDialog  # opened from the menu only

        dialog = AboutDialog(self, self.database_path)
        dialog.open()
        return dialog

    def _policy_changed(self) -> None:
        self.load_reference()
        self.refresh()
        self.team_sync.local_change()

    # --- the dashboard ---------------------------------------------------------------

    def _pages(self, queues: QWidget) -> QStackedWidget:
        """The window's screens: the queues (with the ticket pane) and, once opened, the
        KPI dashboard."""
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.pages.addWidget(queues)
        self.dashboard: Any = None  # ui.dashboard.DashboardPage, made when first shown
        return self.pages

    def _dashboard_actions(self, bar: QToolBar, menu: Any) -> None:
        """Toolbar and View menu: Queues / Dashboard; an incident manager starts on the
        dashboard; a queue chosen (Ctrl+1..9) shows the queues again."""
        group = QActionGroup(self)
        self.screen_actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
                ("queues", "&Queues", "Ctrl+0", self.show_queues),
                ("dashboard", "&Dashboard", "Ctrl+Shift+D", self.show_dashboard)):
            act = QAction(text, self, checkable=True, shortcut=QKeySequence(shortcut))
            act.setObjectName(f"screen_{key}")
            act.setToolTip(f"{text.replace('&', '')} ({shortcut})")
            act.triggered.connect(slot)
            group.addAction(act)
            bar.addAction(act)
            menu.addAction(act)
            self.screen_actions[key] = act
        self.screen_actions["queues"].setChecked(True)
        self._first_screen_chosen = False
        self.reference_loaded.connect(self._first_screen)
        self.queues.queue_chosen.connect(lambda _key: self.show_queues())
        self.refresh_action.triggered.connect(self._refresh_dashboard)

    def _first_screen(self, reference: DeskReference) -> None:
        if not self._first_screen_chosen:
            self._first_screen_chosen = True
            if reference.role == "incident_manager":
                self.show_dashboard()

    def show_dashboard(self) -> Any:
        """Show the KPI dashboard (made, and QtCharts loaded, the first time)."""
        if self.reference is None:
            return None
        if self.dashboard is None:
            from desk_app.ui.dashboard import DashboardPage  # loads QtCharts: when opened

            self.dashboard = DashboardPage(self.worker, self.session, self.reference.zone)
            self.dashboard.open_tickets.connect(self.open_tickets)
            self.pages.addWidget(self.dashboard)
            self.dashboard.start()
        self.pages.setCurrentWidget(self.dashboard)
        self.screen_actions["dashboard"].setChecked(True)
        return self.dashboard

    def show_queues(self) -> None:
        """Show the queues and the ticket pane again."""
        self.pages.setCurrentIndex(0)
        self.screen_actions["queues"].setChecked(True)

    def _refresh_dashboard(self) -> None:
        if self.dashboard is not None and self.pages.currentWidget() is self.dashboard:
            self.dashboard.start()

    def open_tickets(self, flt: Any, title: str) -> None:
        """List the tickets of ``flt`` (what a dashboard tile, bar or row stands for)
        in the ticket table under ``title``; choosing a queue lists it again."""
        self.show_queues()
        self.queues.blockSignals(True)
        self.queues.setCurrentItem(None)  # any queue picked next is a change
        self.queues.blockSignals(False)
        self._listed_queue, self._chosen_sort = f"dashboard:{title}", None
        self.filters.set_state({})  # exactly the figure's tickets: no search, no filter
        self.filters.set_queue_title(title)
        self._listing_generation += 1
        self._listing_pending = True
        self._listing_chosen(Listing(flt, "all"), "logged_at", True)

    # --- the catalogue ---------------------------------------------------------------

    def _wire_catalogue(self) -> None:
        """Service and CI completion in the ticket's details; their pages from there."""
        self.catalogue_completion = CatalogueCompletion(self, self.worker, self.session)
        details = self.view.details
        self.catalogue_completion.attach(details.detail_inputs["service"],
                                         details.detail_inputs["ci"])
        self.catalogue_completion.load()
        # what sync brought in shows up with the periodic refresh
        self._refresh_timer.timeout.connect(self.catalogue_completion.load)
        self.view.catalogue_requested.connect(self.open_catalogue_page)

    def open_catalogue_page(self, kind: str, name: str) -> Any:
        """The page of a CI or service: its details and incident history."""
        from desk_app.ui.catalogue_page import open_catalogue_page  # opened on demand

        page = open_catalogue_page(self, self.worker, self.session, kind, name,
                                   self.show_ticket)
        self.catalogue_page_opened.emit(page)
        return page

    def open_catalogue_editor(self) -> Any:
        """Desk > Service catalogue (administrators; the services check it again)."""
        if self.reference is None or not self.reference.is_admin:
            show_error(self, "Service catalogue", PermissionDenied(
                "role", "only administrators edit the service catalogue"))
            return None
        from desk_app.ui.admin.catalogue_editor import CatalogueEditor  # when opened

        editor = CatalogueEditor(self, self.worker, self.session)
        editor.saved.connect(lambda _summary: self.catalogue_completion.load())
        editor.page_requested.connect(self.open_catalogue_page)
        editor.open()
        self.catalogue_page_opened.emit(editor)
        return editor

    # --- major incidents -------------------------------------------------------------

    def _wire_majors(self) -> None:
        """Desk > Major incident board and "Attach to major incident…" for the tickets
        selected in the queue (several with Ctrl or Shift); a major ticket's "Major
        incident board…" action opens its board."""
        self.major_board: Any = None
        desk_menu = next(a.menu() for a in self.menuBar().actions() if a.text() == "&Desk")
        board = QAction("Major incident &board…", self)
        board.setShortcut(QKeySequence("Ctrl+Shift+M"))
        board.triggered.connect(lambda: self.open_major_board())
        self.addAction(board)
        self.attach_major_action = QAction("Attach to major &incident…", self)
        self.attach_major_action.setObjectName("attach_to_major")
        self.attach_major_action.triggered.connect(self.attach_selected_to_major)
        desk_menu.insertActions(desk_menu.actions()[3], [board, self.attach_major_action])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addAction(self.attach_major_action)
        self.commands.board_requested.connect(self.open_major_board)

    def open_major_board(self, number: str | None = None) -> QWidget:
        """The major-incident board (one window), on ``number`` or the first active one;
        it reloads after changes here, watcher passes, syncs and notifications."""
        from desk_app.ui.major_board import MajorBoardWindow  # opened on demand

        if self.major_board is None:
            board = MajorBoardWindow(self, self.worker, self.session,
                                     self.reference.zone if self.reference else None)
            board.changed.connect(self.ticket_changed)
            board.changed.connect(self.team_sync.local_change)
            board.open_ticket.connect(self._open_ticket_number)
            for signal in (self.commands.changed, self.notices.changed, self.team_sync.synced,
                           self.long_work.finished):
                signal.connect(board.reload)
            if getattr(self, "watch_schedule", None) is not None:
                self.watch_schedule.changed.connect(board.reload)
            board.add_action("Post-incident review…", self._open_review)
            self.major_board = board
            self.major_board_created.emit(board)
        self.major_board.people = self.reference.technicians if self.reference else ()
        self.major_board.show_major(number)
        self.major_board.show()
        self.major_board.raise_()
        return self.major_board

    def _open_review(self, number: str) -> None:
        """The post-incident review form of major incident ``number``."""
        from desk_app.ui.major_review import open_review_window  # opened on demand

        open_review_window(self, number, self.worker, self.session)

    def _open_ticket_number(self, number: str) -> None:
        from desk_app.services.lookup import ticket_by_number

        self.worker.submit(lambda: ticket_by_number(number).id, self.open_ticket_by_id,
                           lambda error: show_error(self, "Ticket", error))

    def selected_numbers(self) -> list[str]:
        """The numbers of the tickets selected in the table, top to bottom."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [row.number for row in (self.model.row_at(r) for r in rows) if row is not None]

    def attach_selected_to_major(self) -> Any:
        """Attach the selected tickets to a major incident chosen in a dialog."""
        from desk_app.ui.major_attach import attach_many  # opened on demand

        numbers = self.selected_numbers()
        selected = len(self.table.selectionModel().selectedRows())
        if not numbers or len(numbers) < selected:  # rows not read yet: never a part
            show_error(self, "Attach to major incident", Refused(
                "child", "select the tickets to attach in the list first" if not numbers
                else f"{selected - len(numbers)} of the {selected} selected tickets are "
                     "still being read: try again in a moment"))
            return None
        dialog = attach_many(self, self.worker, self.session, numbers, lambda changes: (
            self.refresh(), self.team_sync.local_change()))
        self.commands.dialog_opened.emit(dialog)
        return dialog
