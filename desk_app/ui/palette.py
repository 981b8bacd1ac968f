"""Colours that carry meaning (priority, SLA state), readable on light and dark palettes."""

from PySide6.QtGui import QColor, QGuiApplication, QPalette

# (on a light background, on a dark background)
PRIORITY_COLOURS = {
    "P1": ("#c62828", "#ff6f60"),
    "P2": ("#e65100", "#ffa040"),
    "P3": ("#1565c0", "#64b5f6"),
    "P4": ("#546e7a", "#b0bec5"),
}
SLA_COLOURS = {
    "running": ("#2e7d32", "#81c784"),
    "met": ("#2e7d32", "#81c784"),
    "warning": ("#b26a00", "#ffb74d"),
    "breached": ("#c62828", "#ff6f60"),
    "missed": ("#c62828", "#ff6f60"),
    "paused": ("#6d6d6d", "#a0a0a0"),
}


def dark_palette() -> bool:
    """True when the application draws light text on a dark background."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def _pick(pair: tuple[str, str]) -> QColor:
    return QColor(pair[1] if dark_palette() else pair[0])


def priority_colour(priority: str) -> QColor:
    """The text colour of a priority."""
    return _pick(PRIORITY_COLOURS.get(priority, PRIORITY_COLOURS["P4"]))


def sla_colour(state: str) -> QColor:
    """The text colour of an SLA state: green, amber past warning, red when breached."""
    return _pick(SLA_COLOURS.get(state, SLA_COLOURS["paused"]))
