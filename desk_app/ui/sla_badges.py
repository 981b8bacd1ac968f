"""SLA badges and tinted chips as the ticket table paints them.

A badge says what a technician reads the column for ("Breached 5d", "4h left",
"Due in 2d", "Paused", "Met") in the tone of the state; chips are painted with
QPainter (no widget per cell), so a table of any length costs what shows.
"""

from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter

from desk_app.core.durations import spoken_duration
from desk_app.services.queues import QueueRow
from desk_app.ui.palette import SLA_TONE, Tone, tone

CHIP_PAD_X = 7  # inner padding left and right of a chip's text
CHIP_PAD_Y = 2
CHIP_GAP = 4  # between two chips of one cell
LONGEST_BADGE = "Breached 99d"  # what the Time left column is sized for


@dataclass(frozen=True)
class Badge:
    """A badge's text and the palette tone it is drawn in."""

    text: str
    tone: str


def compact_duration(length: timedelta) -> str:
    """A duration as a narrow column needs it: ``12m``, ``2h 30m`` (under 3 h), ``7h``,
    ``1d 4h``, ``5d``."""
    return spoken_duration(length, whole_hours_from=3)


def sla_badge(row: QueueRow) -> Badge:
    """The resolution target of a row as a badge."""
    match row.sla:
        case "met":
            return Badge("Met", SLA_TONE["met"])
        case "missed":
            return Badge("Missed", SLA_TONE["missed"])
        case "paused":
            return Badge("Paused", "danger" if row.breached else SLA_TONE["paused"])
    if row.time_left is None:
        return Badge("No target", "muted")
    if row.sla == "breached" or row.time_left < timedelta(0):
        return Badge(f"Breached {compact_duration(row.time_left)}", SLA_TONE["breached"])
    if row.sla == "running" and row.time_left >= timedelta(days=1):
        return Badge(f"Due in {compact_duration(row.time_left)}", SLA_TONE["running"])
    return Badge(f"{compact_duration(row.time_left)} left", SLA_TONE[row.sla])


def chip_width(metrics: QFontMetrics, text: str) -> int:
    """The width a chip with ``text`` takes."""
    return metrics.horizontalAdvance(text) + 2 * CHIP_PAD_X


class Tones:
    """The palette's tones as QColors, looked up once per palette (painting asks for
    them for every cell); ``clear`` when the palette changes."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[Tone, QColor, QColor, QColor]] = {}

    def clear(self) -> None:
        self._found.clear()

    def colours(self, name: str) -> tuple[QColor, QColor, QColor]:
        """(text, fill, on_fill) of tone ``name``."""
        found = self._found.get(name)
        if found is None:
            named = tone(name)
            found = (named, QColor(named.text), QColor(named.fill), QColor(named.on_fill))
            self._found[name] = found
        return found[1], found[2], found[3]


def paint_chip(painter: QPainter, cell: QRect, left: int, text: str,
               colours: tuple[QColor, QColor, QColor], strong: bool = False) -> int:
    """Paint a rounded chip with ``text`` at x ``left`` inside ``cell`` (vertically
    centred) in ``colours`` (see :class:`Tones`); ``strong`` fills it with the tone's
    text colour (a major incident). Returns the x where the next chip may start."""
    text_colour, fill, on_fill = colours
    metrics = painter.fontMetrics()
    width = chip_width(metrics, text)
    height = min(cell.height() - 2, metrics.height() + 2 * CHIP_PAD_Y)
    box = QRectF(left, cell.top() + (cell.height() - height) / 2, width, height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(text_colour if strong else fill)
    painter.drawRoundedRect(box, height / 2, height / 2)
    painter.setPen(fill if strong else on_fill)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    return left + width + CHIP_GAP
