"""The named colours of the desk: every colour that carries meaning comes from here.

Each name has a tone for a light and for a dark window: ``text`` (readable on the
window's background) and ``fill`` (the tinted background of a chip or badge, with
``on_fill`` the text drawn on it). No other module writes a colour literal.
"""

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette


@dataclass(frozen=True)
class Tone:
    """One named colour on one palette."""

    text: str
    fill: str
    on_fill: str


# name -> (light, dark)
TONES: dict[str, tuple[Tone, Tone]] = {
    "danger": (Tone("#b71c1c", "#fde7e7", "#8e1414"), Tone("#ff8a80", "#5c1a1a", "#ffd6d2")),
    "warning": (Tone("#8a4b00", "#fff1db", "#6b3a00"), Tone("#ffb74d", "#553300", "#ffe0b2")),
    "success": (Tone("#1b5e20", "#e3f4e4", "#174d1a"), Tone("#81c784", "#1d3d20", "#c8e6c9")),
    "info": (Tone("#0d47a1", "#e3eefc", "#0b3c88"), Tone("#82b1ff", "#1a2f55", "#d6e4ff")),
    "muted": (Tone("#5f6368", "#eceff1", "#3c4043"), Tone("#a8adb3", "#33373b", "#dadce0")),
    "accent": (Tone("#3949ab", "#e8eaf6", "#283593"), Tone("#9fa8da", "#262b52", "#dfe3ff")),
    # priorities
    "P1": (Tone("#b71c1c", "#fde7e7", "#8e1414"), Tone("#ff8a80", "#5c1a1a", "#ffd6d2")),
    "P2": (Tone("#a84300", "#ffeedd", "#7f3300"), Tone("#ffab66", "#4f2a0c", "#ffe0c7")),
    "P3": (Tone("#0d47a1", "#e3eefc", "#0b3c88"), Tone("#82b1ff", "#1a2f55", "#d6e4ff")),
    "P4": (Tone("#455a64", "#eceff1", "#37474f"), Tone("#b0bec5", "#2f3a3f", "#dde5e9")),
}

# what a ticket or SLA state looks like
SLA_TONE = {"running": "success", "met": "success", "warning": "warning",
            "breached": "danger", "missed": "danger", "paused": "muted"}
STATUS_TONE = {"new": "info", "assigned": "accent", "in_progress": "accent",
               "on_hold": "warning", "resolved": "success", "closed": "muted",
               "cancelled": "muted"}


def dark_palette() -> bool:
    """True when the application draws light text on a dark background."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def tone(name: str) -> Tone:
    """The tone called ``name`` on the palette in use (``muted`` for an unknown name)."""
    light, dark = TONES.get(name, TONES["muted"])
    return dark if dark_palette() else light


def text_colour(name: str) -> QColor:
    """The text colour called ``name`` on the palette in use."""
    return QColor(tone(name).text)


def priority_colour(priority: str) -> QColor:
    """The text colour of a priority."""
    return text_colour(priority if priority in TONES else "P4")


def sla_colour(state: str) -> QColor:
    """The text colour of an SLA state: green, amber past warning, red when breached."""
    return text_colour(SLA_TONE.get(state, "muted"))


def status_tone(status: str) -> Tone:
    """The chip tone of a ticket status."""
    return tone(STATUS_TONE.get(status, "muted"))
