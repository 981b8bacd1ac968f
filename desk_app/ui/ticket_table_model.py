"""The ticket table: row ids plus a lazy row cache, sorted and filtered in SQL.

A listing arrives in two steps: the first page and the count (fast, so the table shows
at once), then every matching rowid as a compact array. Rows are fetched from the
database worker a block at a time as the view asks to draw them, and kept in a bounded
cache. Nothing here touches the database on the GUI thread.
"""

from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from desk_app.core.labels import human_label
from desk_app.services.changes import ListingUpdate, listing_update
from desk_app.services.queues import (
    QueueRow,
    TicketFilter,
    first_page,
    listing_count,
    listing_rowid,
    queue_rowids,
    queue_rows,
)
from desk_app.services.session import Session
from desk_app.ui.palette import SATISFACTION_TONE, priority_colour, sla_colour, tone
from desk_app.ui.sla_badges import sla_badge
from desk_app.ui.worker import BackgroundWorker

BLOCK = 100
CACHE_ROWS = 20_000
PLACEHOLDER = "…"
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    sort: str | None  # the SQL sort key, None when the column cannot be sorted


COLUMNS = (
    Column("Number", "number"),
    Column("Priority", "priority"),
    Column("Status", "status"),
    Column("Summary", "summary"),
    Column("Category", "category"),
    Column("Assignee / group", None),
    Column("Time left", "resolution_due"),
    Column("Updated", "updated_at"),
    Column("Satisfaction", "satisfaction"),
)
SORT_KEYS = [column.sort for column in COLUMNS]
NUMBER, PRIORITY, STATUS, SUMMARY, CATEGORY, ASSIGNEE, TIME_LEFT, UPDATED, SATISFACTION = \
    range(9)


def time_left_text(row: QueueRow) -> str:
    """The resolution target as a person reads it: "Breached 5d", "4h left", "Paused"."""
    return sla_badge(row).text


def priority_text(row: QueueRow) -> str:
    """``P2``, or ``P1 · Major incident``."""
    return f"{row.priority} · Major incident" if row.major else row.priority


def assignee_text(row: QueueRow) -> str:
    """Who works the ticket, by name, and the group: ``Alice Moreau · Network``."""
    who = row.assignee_name or row.assignee
    if who:
        return f"{who} · {row.group}" if row.group else who
    return f"{row.group} · unassigned" if row.group else "Unassigned"


def status_text(row: QueueRow) -> str:
    """``In progress``, ``On hold (awaiting user)``."""
    text = human_label(row.status)
    if row.hold_reason:
        reason = human_label(row.hold_reason)
        text += f" ({reason[:1].lower() + reason[1:]})"
    return text


def satisfaction_text(row: QueueRow) -> str:
    """``★★★★☆ 4/5`` (the score in words too, not only stars), or "" when not rated."""
    answer = row.satisfaction
    return f"{answer.stars()} {answer.score}/5" if answer else ""


def satisfaction_tip(row: QueueRow, zone: Any) -> str | None:
    """The comment, then how and when the answer was recorded."""
    answer = row.satisfaction
    if answer is None:
        return None
    how = "by mail" if answer.source == "mail" else "told to a technician"
    when = f" on {answer.at.astimezone(zone).strftime('%a %d %b %Y %H:%M')}" \
        if answer.at else ""
    said = f"“{answer.comment}”\n" if answer.comment else "No comment\n"
    return f"{said}{answer.score} of 5, {how}{when}"


def updated_text(moment: datetime | None, zone: Any) -> str:
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime("%d %b %H:%M")


class TicketTableModel(QAbstractTableModel):
    """A queue's tickets. ``listing_ready`` fires when a new listing's first page shows;
    ``ids_ready`` when every row can be reached."""

    listing_ready = Signal()
    ids_ready = Signal()
    row_updated = Signal(str)  # a changed ticket's row was redrawn, moved, added or dropped
    failed = Signal(object)

    def __init__(self, worker: BackgroundWorker, session: Session, zone: Any = UTC,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._session = session
        self.zone = zone
        self._filter = TicketFilter()
        self._sort = "resolution_due"
        self._descending = False
        self._generation = 0
        self._count = 0
        self._first: list[QueueRow] = []
        self._ids: array | None = None
        self._cache: OrderedDict[int, QueueRow] = OrderedDict()
        self._wanted: set[int] = set()
        self._requested: set[int] = set()
        self.fetches = 0  # how many block fetches ran (tests read it)
        self._locating: tuple[int, int, Callable[[int | None], None]] | None = None
        self._looks_cache: dict[str, Any] = {}
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(15)
        self._fetch_timer.timeout.connect(self._fetch_wanted)

    # --- listing -------------------------------------------------------------------

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def loading(self) -> bool:
        return self._ids is None

    def set_listing(self, flt: TicketFilter, sort: str, descending: bool) -> None:
        """Show the tickets ``flt`` matches in this order (replaces the listing)."""
        self._filter, self._sort, self._descending = flt, sort, descending
        self._fetch(same_listing=False)

    def reload(self) -> None:
        """Fetch the current listing again (after changes, or to refresh countdowns);
        when the number of rows is unchanged the view keeps its scroll position."""
        self._fetch(same_listing=True)

    def _fetch(self, same_listing: bool) -> None:
        self._generation += 1
        generation = self._generation
        session, flt, sort, descending = self._session, self._filter, self._sort, \
            self._descending

        def page() -> tuple[list[QueueRow], int]:
            return (first_page(session, flt, sort, descending, BLOCK),
                    listing_count(session, flt))

        self._worker.submit(page, lambda result: self._page_arrived(generation, *result,
                                                                    same_listing),
                            self.failed.emit)
        self._worker.submit(lambda: queue_rowids(session, flt, sort, descending),
                            lambda ids: self._ids_arrived(generation, ids),
                            self.failed.emit)

    def _page_arrived(self, generation: int, rows: list[QueueRow], count: int,
                      same_listing: bool = False) -> None:
        if generation != self._generation:
            return
        if same_listing and count == self._count and count:
            self._first = rows  # the old ids stay usable until the new ones arrive
            self._cache.clear()
            self._requested.clear()
            for row in rows:
                self._cache[row.rowid] = row
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(COLUMNS) - 1))
            self.listing_ready.emit()
            return
        self.beginResetModel()
        self._count = count
        self._first = rows
        self._ids = None
        self._cache.clear()
        self._wanted.clear()
        self._requested.clear()
        for row in rows:
            self._cache[row.rowid] = row
        self.endResetModel()
        self.listing_ready.emit()

    def locate(self, ticket_id: str, found: Callable[[int | None], None]) -> None:
        """Find the row of ticket ``ticket_id`` in this listing anywhere (not only on
        the first page): ``found(row)`` once every row can be reached, ``found(None)``
        when the listing does not hold it. A newer listing or locate cancels it."""
        generation, session = self._generation, self._session

        def arrived(rowid: int | None) -> None:
            if generation != self._generation:
                return
            if rowid is None:
                found(None)
            elif self._ids is None:
                self._locating = (generation, rowid, found)
            else:
                found(self._row_of(rowid))

        self._locating = None
        self._worker.submit(lambda: listing_rowid(session, ticket_id), arrived,
                            self.failed.emit)

    def _row_of(self, rowid: int) -> int | None:
        try:
            return self._ids.index(rowid) if self._ids is not None else None
        except ValueError:
            return None

    def _ids_arrived(self, generation: int, ids: array) -> None:
        if generation != self._generation:
            return
        same_start = [r.rowid for r in self._first] == list(ids[:len(self._first)])
        if len(ids) != self._count or not same_start:
            self.beginResetModel()
            self._count, self._ids = len(ids), ids
            self.endResetModel()
        else:
            self._ids = ids
            if self._count:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(self._count - 1, len(COLUMNS) - 1))
        self.ids_ready.emit()
        if self._locating is not None and self._locating[0] == generation:
            _generation, rowid, found = self._locating
            self._locating = None
            found(self._row_of(rowid))

    def update_ticket(self, ticket_id: str) -> None:
        """One ticket changed: fetch its row and position and move, insert, redraw or
        drop just that row (the rest of the listing is not read again)."""
        if self._ids is None:  # the listing is still arriving: read it again
            self.reload()
            return
        generation, session = self._generation, self._session
        flt, sort, descending = self._filter, self._sort, self._descending
        self._worker.submit(
            lambda: listing_update(session, flt, sort, descending, ticket_id),
            lambda update: self._update_arrived(generation, update), self.failed.emit)

    def _update_arrived(self, generation: int, update: ListingUpdate) -> None:
        if generation != self._generation or self._ids is None:
            return
        ids, rowid = self._ids, update.rowid
        try:
            old = ids.index(rowid) if rowid is not None else None
        except ValueError:
            old = None
        if old is not None and old == update.index and update.row is not None:
            self._cache[rowid] = update.row
            self.dataChanged.emit(self.index(old, 0), self.index(old, len(COLUMNS) - 1))
        else:
            if old is not None:
                self.beginRemoveRows(QModelIndex(), old, old)
                del ids[old]
                self._count -= 1
                self._cache.pop(rowid, None)
                self.endRemoveRows()
            if update.index is not None and update.row is not None and rowid is not None:
                at = min(update.index, self._count)
                self.beginInsertRows(QModelIndex(), at, at)
                ids.insert(at, rowid)
                self._count += 1
                self._cache[rowid] = update.row
                self.endInsertRows()
            self._first = [self._cache[r] for r in ids[:BLOCK] if r in self._cache]
        self.row_updated.emit(update.ticket_id)

    # --- rows ----------------------------------------------------------------------

    def row_at(self, row: int) -> QueueRow | None:
        """The cached ticket row at ``row``; None (and a fetch is queued) if not yet."""
        if not 0 <= row < self._count:
            return None
        if self._ids is None:
            return self._first[row] if row < len(self._first) else None
        rowid = self._ids[row]
        found = self._cache.get(rowid)
        if found is not None:
            self._cache.move_to_end(rowid)
            return found
        block = row // BLOCK
        if block not in self._requested:
            self._wanted.add(block)
            if not self._fetch_timer.isActive():
                self._fetch_timer.start()
        return None

    def first_page_row_of(self, ticket_id: str) -> int | None:
        """Where ticket ``ticket_id`` is on the first page of the listing, if it is."""
        for index, row in enumerate(self._first):
            if row.id == ticket_id:
                return index
        return None

    def _fetch_wanted(self) -> None:
        if self._ids is None or not self._wanted:
            return
        blocks = sorted(self._wanted)[-20:]  # the latest screenful matters most
        self._wanted.clear()
        self._requested.update(blocks)
        rowids = [rowid for block in blocks
                  for rowid in self._ids[block * BLOCK:(block + 1) * BLOCK]]
        generation, session = self._generation, self._session
        self.fetches += 1
        self._worker.submit(lambda: queue_rows(session, rowids),
                            lambda rows: self._rows_arrived(generation, blocks, rows),
                            self.failed.emit)

    def _rows_arrived(self, generation: int, blocks: list[int],
                      rows: dict[int, QueueRow]) -> None:
        if generation != self._generation:
            return
        self._cache.update(rows)
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        for block in blocks:
            self._requested.discard(block)
            first = block * BLOCK
            last = min(first + BLOCK, self._count) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # --- Qt model ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section].title
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole \
                and 0 <= section < len(COLUMNS) and COLUMNS[section].sort is None:
            return "This column cannot be sorted"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._count:
            return None
        row = self.row_at(index.row())
        column = index.column()
        if row is None:
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole and column == 0 else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == PRIORITY:
                return priority_colour(row.priority)
            if column == TIME_LEFT:
                return sla_colour("breached" if row.breached and row.sla == "paused"
                                  else row.sla)
            if column in (NUMBER, UPDATED):
                return self._muted()
            if column == SATISFACTION and row.satisfaction is not None:
                return self._score_colour(row.satisfaction.score)
        if role == Qt.ItemDataRole.FontRole and column == SUMMARY:
            return self._strong()
        if role == Qt.ItemDataRole.BackgroundRole and row.major:
            return self._major_tint()
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == SUMMARY:
                return f"Major incident: {row.summary}" if row.major else row.summary
            if column == TIME_LEFT and row.resolution_due is not None:
                due = row.resolution_due.astimezone(self.zone).strftime("%a %d %b %H:%M")
                return f"Resolution due {due} ({human_label(row.sla).lower()})"
            if column == ASSIGNEE and row.assignee:
                return f"{row.assignee_name or row.assignee} ({row.assignee})"
            if column == SATISFACTION:
                return satisfaction_tip(row, self.zone)
        if role == Qt.ItemDataRole.UserRole:
            return row
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == SATISFACTION:
                return f"{row.satisfaction.score} of 5" if row.satisfaction else "Not rated"
            return self._display(row, column)
        return None

    def _display(self, row: QueueRow, column: int) -> str:
        match column:
            case 0:
                return row.number
            case 1:
                return priority_text(row)
            case 2:
                return status_text(row)
            case 3:
                return row.summary
            case 4:
                return " / ".join(part for part in (row.category, row.subcategory) if part)
            case 5:
                return assignee_text(row)
            case 6:
                return time_left_text(row)
            case 7:
                return updated_text(row.updated_at, self.zone)
            case 8:
                return satisfaction_text(row)
        return ""

    # the looks of cells, made once per palette (light or dark), not once per cell
    def _looks(self) -> dict[str, Any]:
        if not self._looks_cache:
            strong = QFont()
            strong.setWeight(QFont.Weight.DemiBold)
            self._looks_cache = {"muted": QColor(tone("muted").text), "strong": strong,
                                 "major": QColor(tone("danger").fill)}
            self._looks_cache.update({f"score {score}": QColor(tone(name).text)
                                      for score, name in SATISFACTION_TONE.items()})
        return self._looks_cache

    def forget_looks(self) -> None:
        """The palette changed (light, dark): colours and fonts are made again."""
        self._looks_cache = {}

    def _muted(self) -> QColor:
        return self._looks()["muted"]

    def _strong(self) -> QFont:
        return self._looks()["strong"]

    def _major_tint(self) -> QColor:
        return self._looks()["major"]

    def _score_colour(self, score: int) -> QColor:
        return self._looks()[f"score {score}"]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort is None:
            return
        self.set_listing(self._filter, COLUMNS[column].sort,
                         order == Qt.SortOrder.DescendingOrder)
