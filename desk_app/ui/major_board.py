"""The major-incident board, a window of its own: the active major incidents on the
left; for the one selected, its clocks, manager and team, bridge, affected services and
CIs, the timeline with a quick entry line, the child incidents, the updates sent and the
countdown to the next update due (red once it is missed).

Everything it reads and writes goes through the services on the database worker; it
reloads after each of its own changes and when the window says something changed
(a watcher pass, a sync, a notification). Other screens add a tab with
:meth:`MajorBoardWindow.add_section` (the post-incident review does).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.labels import human_label
from desk_app.core.major_incidents import is_call_link, timeline_closed
from desk_app.services.changes import Changes, ticket_operation
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.form_dialog import Field, FormDialog
from desk_app.ui.major_clocks import BoardClocks
from desk_app.ui.major_models import (
    ROW_ROLE,
    RowsModel,
    children_model,
    local_time,
    majors_model,
    timeline_model,
)
from desk_app.ui.palette import priority_colour
from desk_app.ui.refusals import error_label, mark, refusal_text, show_error
from desk_app.ui.worker import BackgroundWorker

major_board = deferred("desk_app.services.major_board")
major_children = deferred("desk_app.services.major_children")
major_incidents = deferred("desk_app.services.major_incidents")
lookup = deferred("desk_app.services.lookup")
ticket_view = deferred("desk_app.services.ticket_view")

TIMELINE_KINDS = ("action", "decision", "note")
EDITS = {"manager": "Manager…", "team": "Team…", "bridge": "Bridge…",
         "stakeholders": "Stakeholders…"}
BOARD_SIZE = (1280, 700)  # fits a 1366x768 laptop screen with its panel and title bar


@dataclass(frozen=True)
class BoardLoad:
    """One load of the board: the active majors, the board shown (None: nothing
    selected), its update rhythm and when an update counts as missed."""

    majors: list[Any]
    board: Any
    every: timedelta | None
    missed_after: timedelta
    sla: dict[str, Any] | None  # the ticket's SLA clocks (services.ticket_view.sla_view)


def _load(session: Session, number: str | None) -> BoardLoad:
    """The board's data, read on the database worker."""
    majors = major_board.active_majors(session)
    if number is None and majors:
        number = majors[0].number
    board = major_board.major_board(session, number) if number else None
    procedure = session.policy.major_procedure
    every = procedure.rhythm(board.priority).every if board is not None else None
    sla = ticket_view.sla_view(lookup.ticket_by_number(number), session.policy,
                               session.now()) if board is not None else None
    return BoardLoad(majors, board, every, procedure.missed_after, sla)


def _table(model: RowsModel, name: str, stretch: int) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class MajorBoardWindow(QWidget):
    """``loaded(BoardLoad)`` after each load; ``changed(Changes)`` after an edit made
    here (the main window redraws its tickets); ``open_ticket(number)`` to show a
    ticket in the main window."""

    loaded = Signal(object)
    changed = Signal(object)
    open_ticket = Signal(str)
    composer_opened = Signal(object)  # tests and screenshots drive the composer
    dialog_opened = Signal(object)  # a change of manager, team, bridge or stakeholders

    def __init__(self, parent: QWidget | None, worker: BackgroundWorker, session: Session,
                 zone: ZoneInfo | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("major_board")
        self.setWindowTitle("Major incidents")
        self.worker, self.session, self.zone = worker, session, zone
        self.people: Sequence[tuple[str, str, str | None]] = ()  # the technicians
        self.current: BoardLoad | None = None
        self.number: str | None = None
        self._generation = 0  # of the latest load asked for
        self._stale = False  # something changed while the board was closed
        self._extra_buttons: list[QPushButton] = []  # other screens' (add_action)
        self.majors = majors_model(zone, self)
        self.timeline = timeline_model(zone, self)
        self.children = children_model(self)
        self.major_list = _table(self.majors, "major_list", 1)
        self.major_list.selectionModel().currentRowChanged.connect(self._major_chosen)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Active major incidents")
        heading.setFont(look.font(look.HEADING_PT, bold=True))
        left_layout.addWidget(heading)
        left_layout.addWidget(self.major_list, 1)
        self.empty = QLabel("No active major incidents.")
        self.empty.setObjectName("no_majors")
        look.set_tone(self.empty, "muted")
        left_layout.addWidget(self.empty)
        split.addWidget(left)
        split.addWidget(self._right())
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        split.setSizes([300, BOARD_SIZE[0] - 300])
        self.resize(*BOARD_SIZE)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self.tick)
        self._tick.start()

    # --- building --------------------------------------------------------------------

    def _right(self) -> QWidget:
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(look.SPACE_S, 0, 0, 0)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("board_title")
        self.title.setFont(look.font(look.TITLE_PT, bold=True))
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        self.update_button = QPushButton("Send update…")
        self.update_button.setObjectName("send_update")
        look.set_primary(self.update_button)
        self.update_button.clicked.connect(self.open_composer)
        self.ticket_button = QPushButton("Open ticket")
        self.ticket_button.setObjectName("open_major_ticket")
        self.ticket_button.clicked.connect(lambda: self.number and self.open_ticket.emit(
            self.number))
        self.change_button = QToolButton()
        self.change_button.setObjectName("change_major")
        self.change_button.setText("Change")
        self.change_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.change_button)
        for key, text in EDITS.items():
            menu.addAction(text, lambda k=key: self.edit(k))
        self.change_button.setMenu(menu)
        top.addWidget(self.change_button)
        self._header_actions = top  # add_action puts other screens' buttons before these
        top.addWidget(self.ticket_button)
        top.addWidget(self.update_button)
        layout.addLayout(top)
        self.clocks = BoardClocks(self.zone)
        layout.addWidget(self.clocks)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("board_tabs")
        self.tabs.addTab(self._overview(), "Board")
        self.updates_text = QPlainTextEdit()
        self.updates_text.setObjectName("updates_sent")
        self.updates_text.setReadOnly(True)
        self.tabs.addTab(self.updates_text, "Updates sent")
        layout.addWidget(self.tabs, 1)
        return right

    def _overview(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        side = QVBoxLayout()
        self.team_label = self._box(side, "Manager and team", "team")
        self.bridge_label = self._box(side, "Bridge", "bridge")
        self.bridge_label.setOpenExternalLinks(True)
        self.affected_label = self._box(side, "Affected services and CIs", "affected")
        self.stakeholders_label = self._box(side, "Stakeholders", "stakeholders")
        side.addStretch(1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(300)
        grid.addWidget(side_widget, 0, 0, 2, 1)
        grid.addWidget(self._timeline_box(), 0, 1)
        grid.addWidget(self._children_box(), 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setColumnStretch(1, 1)
        return page

    @staticmethod
    def _box(layout: QVBoxLayout, title: str, name: str) -> QLabel:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        inner.addWidget(label)
        layout.addWidget(box)
        return label

    def _timeline_box(self) -> QGroupBox:
        box = QGroupBox("Timeline")
        inner = QVBoxLayout(box)
        self.timeline_table = _table(self.timeline, "timeline", 2)
        inner.addWidget(self.timeline_table, 1)
        entry = QHBoxLayout()
        self.entry_kind = QComboBox()
        self.entry_kind.setObjectName("entry_kind")
        for kind in TIMELINE_KINDS:
            self.entry_kind.addItem(human_label(kind), kind)
        self.entry_text = QLineEdit()
        self.entry_text.setObjectName("entry_text")
        self._entry_hint = "What was done or decided: Enter adds it, timestamped and by you"
        self.entry_text.setPlaceholderText(self._entry_hint)
        self.entry_text.returnPressed.connect(self.add_entry)
        entry.addWidget(self.entry_kind)
        entry.addWidget(self.entry_text, 1)
        inner.addLayout(entry)
        self.entry_error = error_label()
        inner.addWidget(self.entry_error)
        return box

    def _children_box(self) -> QGroupBox:
        box = QGroupBox("Child incidents")
        inner = QVBoxLayout(box)
        self.children_table = _table(self.children, "children", 2)
        self.children_table.doubleClicked.connect(self._child_opened)
        inner.addWidget(self.children_table, 1)
        buttons = QHBoxLayout()
        self.attach_button = QPushButton("Attach incidents…")
        self.attach_button.setObjectName("attach_children")
        self.attach_button.clicked.connect(self.open_attach)
        self.detach_button = QPushButton("Detach")
        self.detach_button.setObjectName("detach_child")
        self.detach_button.setToolTip("Take the selected incident off this major incident")
        self.detach_button.clicked.connect(self.detach_selected)
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.detach_button)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        return box

    def add_action(self, text: str, run: Callable[[str], Any]) -> QPushButton:
        """Add a button to the board's header that runs ``run(number)`` on the major
        incident shown (the post-incident review opens its form this way); it is
        enabled while a major incident is shown."""
        button = QPushButton(text)
        button.clicked.connect(lambda: self.number and run(self.number))
        self._header_actions.insertWidget(1, button)
        self._extra_buttons.append(button)
        button.setEnabled(self.number is not None)
        return button

    def add_section(self, title: str, widget: QWidget) -> int:
        """Add a tab of another screen (the post-incident review) after the board's own;
        returns its index. ``loaded`` tells it which major incident is shown."""
        return self.tabs.addTab(widget, title)

    # --- loading ---------------------------------------------------------------------

    def show_major(self, number: str | None) -> None:
        """Show the board of ``number`` (None: the first active one)."""
        self.number = number
        self._read()

    def reload(self, *_args: Any) -> None:
        """Read the list and the board shown again (on the database worker); a closed
        board reads when it is shown again."""
        if self.isVisible():
            self._read()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self._read()

    def _read(self) -> None:
        self._stale = False
        session, number = self.session, self.number
        self._generation += 1
        generation = self._generation

        def loaded(load: BoardLoad) -> None:
            if generation == self._generation:  # a later load is on its way: skip this
                self._loaded(load)

        self.worker.submit(lambda: _load(session, number), loaded,
                           lambda error: show_error(self, "Major incidents", error))

    def _loaded(self, load: BoardLoad) -> None:
        self.current = load
        board = load.board
        self.number = board.number if board is not None else None
        self.majors.set_rows(load.majors)
        self.empty.setVisible(not load.majors)
        row = next((i for i, m in enumerate(load.majors) if m.number == self.number), None)
        if row is not None:
            self.major_list.selectRow(row)
        self._show_board(board)
        self.tick()
        self.loaded.emit(load)

    def changeEvent(self, event: QEvent) -> None:
        """A theme switch: the title's priority colour is drawn again in its tones."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange,
                            QEvent.Type.ApplicationPaletteChange) and self.current is not None:
            self._show_board(self.current.board)

    def _major_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        chosen = self.majors.row_at(current.row()) if current.isValid() else None
        if chosen is not None and chosen.number != self.number:
            self.show_major(chosen.number)

    def _show_board(self, board: Any) -> None:
        for widget in (self.update_button, self.ticket_button, self.attach_button,
                       self.detach_button, self.entry_text, self.tabs, *self._extra_buttons):
            widget.setEnabled(board is not None)
        self.change_button.setEnabled(board is not None and board.major)
        if board is None:
            self.title.setText("No major incident selected")
            for label in (self.team_label, self.bridge_label, self.affected_label,
                          self.stakeholders_label):
                label.clear()
            self.timeline.set_rows([])
            self.children.set_rows([])
            self.updates_text.clear()
            return
        colour = priority_colour(board.priority).name()
        state = "" if board.major else " · stood down"
        self.title.setText(f"{escape(board.number)} <span style='color:{colour}'>"
                           f"{escape(board.priority)}</span> · {escape(human_label(board.status))}"
                           f"{state}<br><span style='font-size:{look.BODY_PT}pt'>"
                           f"{escape(board.summary)}</span>")
        self.team_label.setText(self._team_html(board))
        self.bridge_label.setText(self._bridge_html(board))
        affected = [f"Service: {escape(s)}" for s in board.services] + \
                   [f"CI: {escape(c)}" for c in board.cis]
        self.affected_label.setText("<br>".join(affected) or "<i>none recorded</i>")
        self.stakeholders_label.setText("<br>".join(escape(s) for s in board.stakeholders)
                                        or "<i>none</i>")
        self.timeline.set_rows(board.timeline)
        self.timeline_table.scrollToBottom()
        self.children.set_rows(board.children)
        self.updates_text.setPlainText("\n\n".join(
            f"#{u.sequence}{' (final)' if u.final else ''} · "
            f"{local_time(u.at, self.zone, '%d %b %H:%M')} · {u.by}\n"
            f"Status: {u.status}\nImpact: {u.impact}\nWhat is being done: {u.actions}\n"
            f"Workaround: {u.workaround}"
            + (f"\nNext update: {local_time(u.next_update_at, self.zone, '%d %b %H:%M')}"
               if u.next_update_at else "")
            for u in reversed(board.updates)) or "No update sent yet.")
        self._entry_state(board)
        final = timeline_closed(board.number, board.status)
        self.update_button.setEnabled(not (final or board.rhythm_closed or not board.major))
        self.update_button.setToolTip(final or ("The final update was sent" if board.rhythm_closed
                                      else "Stood down: no more updates" if not board.major
                                      else "Status, impact, actions, workaround, next update"))

    def _entry_state(self, board: Any) -> None:
        """The quick entry line is off, saying why, once the timeline is final."""
        closed = timeline_closed(board.number, board.status)
        self.entry_text.setEnabled(closed is None)
        self.entry_kind.setEnabled(closed is None)
        self.entry_text.setPlaceholderText(closed or self._entry_hint)
        self.entry_text.setToolTip(closed or "")

    def _team_html(self, board: Any) -> str:
        lines = []
        if board.manager is not None:
            lines.append(f"<b>{escape(board.manager.name)}</b> ({escape(board.manager.login)})"
                         " · manager")
        if board.manager_notice:
            lines.append(f"<i>{escape(board.manager_notice)}</i>")
        lines += [f"{escape(m.name)} ({escape(m.login)}) · {escape(human_label(m.role))}"
                  for m in board.team]
        return "<br>".join(lines) or "<i>no team yet</i>"

    @staticmethod
    def _bridge_html(board: Any) -> str:
        lines = []
        if board.bridge_link and is_call_link(board.bridge_link):
            link = escape(board.bridge_link, quote=True)
            lines.append(f"<a href='{link}'>{escape(board.bridge_link)}</a>")
        elif board.bridge_link:  # kept from before links were checked: never clickable
            lines.append(escape(board.bridge_link))
        if board.bridge_phone:
            lines.append(f"Phone: {escape(board.bridge_phone)}")
        if board.bridge_room:
            lines.append(f"Room: {escape(board.bridge_room)}")
        return "<br>".join(lines) or "<i>no bridge set</i>"

    # --- the clocks ------------------------------------------------------------------

    def tick(self) -> None:
        """Redraw the clocks for the current moment (every second)."""
        load = self.current
        self.clocks.read(load.board if load else None, load.sla if load else None,
                         load.missed_after if load else timedelta(), self.session.now_fn())

    # --- edits -----------------------------------------------------------------------

    def _run(self, work: Any, on_done: Any, on_error: Any) -> None:
        """Run a service activity on the board's major incident; reload after it."""
        session, number = self.session, self.number

        def tracked() -> Changes:
            ticket_id = lookup.ticket_by_number(number).id
            return ticket_operation(session, ticket_id, work)

        def done(changes: Changes) -> None:
            on_done(changes)
            self.changed.emit(changes)
            self.reload()

        self.worker.submit(tracked, done, on_error)

    def add_entry(self) -> None:
        """The quick entry line: add its kind and text to the timeline (Enter)."""
        if self.number is None:
            return
        session, number = self.session, self.number
        kind, text = self.entry_kind.currentData(), self.entry_text.text()
        self.entry_error.hide()

        def added(_changes: Changes) -> None:
            self.entry_text.clear()
            mark(self.entry_text, None)

        def refused(error: Exception) -> None:
            self.entry_error.setText(refusal_text(error))
            self.entry_error.show()
            mark(self.entry_text, refusal_text(error))

        self._run(lambda: major_incidents.log_entry(session, number, kind, text), added,
                  refused)

    def open_attach(self) -> FormDialog | None:
        """Ask for incident numbers and attach them as children (all or none)."""
        if self.number is None:
            return None
        session, number = self.session, self.number

        def submit(values: dict[str, Any], dialog: FormDialog) -> None:
            numbers = values["child"].replace(",", " ").split()
            self._run(lambda: major_children.attach_children(session, number, numbers),
                      lambda changes: dialog.succeeded(changes.result), dialog.refused)

        dialog = FormDialog(self, f"Attach incidents: {number}", [
            Field("child", "Incident numbers", required=True,
                  tooltip="one or more numbers, separated by spaces or commas")],
            submit, intro="They become child incidents: resolving the major incident "
                          "resolves them with its resolution.", ok_text="Attach")
        dialog.setObjectName("dialog_attach_children")
        dialog.open()
        return dialog

    def detach_selected(self) -> None:
        """Take the selected child incident off the major incident."""
        child = self.children.row_at(self.children_table.currentIndex().row())
        if child is None:
            return
        session, child_number = self.session, child.number
        self._run(lambda: major_children.detach_child(session, child_number),
                  lambda _changes: None, lambda error: show_error(self, "Detach", error))

    def _child_opened(self, index: QModelIndex) -> None:
        child = index.data(ROW_ROLE)
        if child is not None:
            self.open_ticket.emit(child.number)

    def edit(self, what: str) -> Any:
        """Open the dialog that changes the manager, team, bridge or stakeholders."""
        from desk_app.ui import major_edits  # opened on demand

        if self.current is None or self.current.board is None:
            return None
        board, session = self.current.board, self.session
        match what:
            case "manager":
                dialog = major_edits.edit_manager(self, session, board, self.people, self._run)
            case "team":
                dialog = major_edits.edit_team(self, session, board, self.people, self._run)
            case "bridge":
                dialog = major_edits.edit_bridge(self, session, board, self._run)
            case _:
                dialog = major_edits.edit_stakeholders(self, session, board, self._run)
        self.dialog_opened.emit(dialog)
        return dialog

    def open_composer(self) -> Any:
        """The update composer, prefilled from the last update and the rhythm."""
        from desk_app.ui.major_composer import open_composer  # opened on demand

        if self.current is None or self.current.board is None:
            return None
        composer = open_composer(self, self.worker, self.session, self.current,
                                 lambda changes: (self.changed.emit(changes), self.reload()))
        self.composer_opened.emit(composer)
        return composer
