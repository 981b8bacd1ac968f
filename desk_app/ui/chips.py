"""Tinted chips and cheap restyling for the ticket pane's labels."""

from PySide6.QtWidgets import QWidget

from desk_app.ui.palette import Tone


def chip_style(colours: Tone, radius: int = 9, padding: str = "1px 8px") -> str:
    """The style sheet of a label drawn as a chip in ``colours``."""
    return (f"background: {colours.fill}; color: {colours.on_fill}; font-weight: 600;"
            f" border-radius: {radius}px; padding: {padding};")


def restyle(widget: QWidget, sheet: str) -> None:
    """Give ``widget`` the style sheet ``sheet`` unless it has it already (restyling is
    not free: a refilled pane restyles only what changed)."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)
