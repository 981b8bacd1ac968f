"""An SLA clock as a person reads it: ``4h 10m left``, ``Breached 5d``, ``Paused``, and a
bar of the target used, redrawn every second from the due time."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from desk_app.core.durations import spoken_duration
from desk_app.core.sla_clock import is_breached
from desk_app.ui import look
from desk_app.ui.palette import SLA_TONE, tone


@dataclass(frozen=True)
class ClockReading:
    """What an SLA clock says at one moment."""

    state: str  # running, warning, breached, paused, stopped, met, missed
    text: str
    used: float  # share of the target used, 0..1


def read_clock(clock: dict[str, Any], now: datetime | None = None) -> ClockReading:
    """Read a clock of ``services.ticket_view.sla_view`` at ``now``."""
    due = datetime.fromisoformat(clock["due"])
    used = min(max(float(clock.get("percent") or 0.0) / 100.0, 0.0), 1.0)
    if clock["met_at"]:
        if clock["breached"]:
            return ClockReading("missed", "Missed", 1.0)
        return ClockReading("met", "Met", used)
    if not clock.get("running", True):  # paused on hold, or stopped by a cancel
        state = "breached" if clock["breached"] else "paused"
        return ClockReading(state, "Paused" if clock["paused"] else "Stopped", used)
    moment = now or datetime.now(due.tzinfo)
    left = due - moment
    if is_breached(due, moment):
        return ClockReading("breached", f"Breached {spoken_duration(left)}", 1.0)
    state = "warning" if clock["warning"] else "running"
    return ClockReading(state, f"{spoken_duration(left)} left", used)


class UsageBar(QWidget):
    """A thin rounded bar: the share of the target used, in the state's tone."""

    def __init__(self) -> None:
        super().__init__()
        self.used = 0.0
        self.tone_name = "muted"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(120, 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(40, 6)

    def show_usage(self, used: float, tone_name: str) -> None:
        self.used, self.tone_name = used, tone_name
        self.update()

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        rect = QRectF(self.rect())
        radius = rect.height() / 2
        painter.setBrush(QColor(tone("muted").fill))
        painter.drawRoundedRect(rect, radius, radius)
        if self.used > 0:
            filled = QRectF(rect.x(), rect.y(), max(rect.width() * self.used, rect.height()),
                            rect.height())
            painter.setBrush(QColor(tone(self.tone_name).text))
            painter.drawRoundedRect(filled, radius, radius)
        painter.end()


class SlaBar(QWidget):
    """``Resolution  4h 10m left  [bar of the target used]  due Fri 27 Nov 18:00``."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self.clock: dict[str, Any] | None = None
        self.setObjectName(f"sla_{title.lower()}")
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        self.name = QLabel(title)
        self.name.setObjectName("sla_title")
        self.name.setMinimumWidth(self.fontMetrics().horizontalAdvance("Resolution") + 4)
        self.reading = QLabel()
        self.reading.setObjectName("sla_reading")
        self.reading.setMinimumWidth(self.fontMetrics().horizontalAdvance("Breached 10d") + 8)
        self.due = QLabel()
        self.due.setObjectName("sla_due")
        self.bar = UsageBar()
        self.bar.setMaximumWidth(360)
        bold = self.reading.font()
        bold.setBold(True)
        self.reading.setFont(bold)
        look.set_tone(self.name, "muted")
        look.set_tone(self.due, "muted")
        line.addWidget(self.name)
        line.addWidget(self.reading)
        line.addWidget(self.bar, 1, Qt.AlignmentFlag.AlignVCenter)
        line.addWidget(self.due)
        line.addStretch(0)

    def text(self) -> str:
        """The reading as shown (``Breached 5d``)."""
        return self.reading.text()

    def show_clock(self, clock: dict[str, Any] | None) -> None:
        self.clock = clock
        self.setProperty("state", None)  # restyled on the tick below
        self.tick()

    def tick(self, now: datetime | None = None) -> None:
        """Redraw from the due time at ``now``."""
        if self.clock is None:
            self.setProperty("state", None)
            self.reading.setText("")
            self.due.setText("")
            self.bar.show_usage(0.0, "muted")
            return
        reading = read_clock(self.clock, now)
        tone_name = SLA_TONE.get(reading.state, "muted")
        if reading.state != self.property("state"):  # restyle only on a change of state
            look.set_tone(self.reading, tone_name)
        self.reading.setText(reading.text)
        due = datetime.fromisoformat(self.clock["due"])
        self.due.setText(f"due {due:%a %d %b %H:%M}")
        self.setToolTip(f"{self.title}: {reading.text}, {round(reading.used * 100)} % of "
                        f"the target used; due {due:%a %d %b %Y %H:%M}")
        self.bar.show_usage(reading.used, tone_name)
        self.setProperty("state", reading.state)
