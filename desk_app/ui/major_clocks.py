"""The clocks across the top of the major-incident board: the countdown to the next
update (amber in its last minutes, red once due, "MISSED" after the policy's grace),
the time since the declaration, and the response and resolution targets as the ticket's
own SLA clocks read them (met, paused, time left, breached)."""

from datetime import datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desk_app.ui import look
from desk_app.ui.major_models import local_time
from desk_app.ui.palette import SLA_TONE
from desk_app.ui.sla_bar import read_clock

SOON = timedelta(minutes=5)  # the countdown turns amber this close to the update due


def span(delta: timedelta) -> str:
    """A duration as "1 h 05 min", or "12 min 05 s" under an hour (the status bar's
    countdown says it the same way)."""
    seconds = int(abs(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    if hours:
        return f"{hours} h {rest // 60:02d} min"
    return f"{rest // 60} min {rest % 60:02d} s"


class Clock(QLabel):
    """One clock: a caption over a value, in a tone; ``value`` and ``tone`` are
    properties tests read."""

    def __init__(self, name: str, caption: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.caption = caption
        self.setTextFormat(Qt.TextFormat.RichText)
        look.set_card(self)
        self.setMinimumWidth(150)

    def show_value(self, value: str, tone: str | None = None) -> None:
        self.setText(f"<small>{escape(self.caption)}</small><br><b>{escape(value)}</b>")
        look.set_tone(self, tone)
        self.setProperty("value", value)


class BoardClocks(QWidget):
    """The four clocks in a row, redrawn by :meth:`read` (every second)."""

    def __init__(self, zone: ZoneInfo | None) -> None:
        super().__init__()
        self.zone = zone
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.clocks = {name: Clock(name, caption) for name, caption in (
            ("next_update", "Next update"), ("declared", "Declared"),
            ("response", "Response"), ("resolution", "Resolution"))}
        for clock in self.clocks.values():
            row.addWidget(clock, 1)

    def __getitem__(self, name: str) -> Clock:
        return self.clocks[name]

    def read(self, board: Any, sla: dict[str, Any] | None, missed_after: timedelta,
             now: datetime) -> None:
        """Read the clocks of ``board`` (``services.major_board.MajorBoard``; None:
        nothing shown) and its ticket's SLA view at ``now``."""
        if board is None:
            for clock in self.clocks.values():
                clock.show_value("–", "muted")
            return
        self._next_update(board, missed_after, now)
        since = board.declared_at
        self.clocks["declared"].show_value(
            "–" if since is None else "just now" if now - since < timedelta(minutes=1)
            else f"{span(now - since)} ago", "muted")
        for name in ("response", "resolution"):
            if sla is None:
                self.clocks[name].show_value("–", "muted")
                continue
            reading = read_clock(sla[name], now)
            due = datetime.fromisoformat(sla[name]["due"])
            when = f" ({local_time(due, self.zone)})" if reading.state in (
                "running", "warning") else ""
            self.clocks[name].show_value(reading.text + when,
                                         SLA_TONE.get(reading.state, "muted"))

    def _next_update(self, board: Any, missed_after: timedelta, now: datetime) -> None:
        clock, due = self.clocks["next_update"], board.next_update_due
        if board.rhythm_closed:
            clock.show_value("Final update sent", "success")
        elif due is None:
            clock.show_value("No rhythm (not running)", "muted")
        elif now <= due:
            clock.show_value(f"in {span(due - now)} ({local_time(due, self.zone)})",
                             "warning" if due - now <= SOON else "success")
        else:
            missed = now - due > missed_after
            clock.show_value(f"{'MISSED' if missed else 'due'} {span(now - due)} ago "
                             f"({local_time(due, self.zone)})", "danger")
