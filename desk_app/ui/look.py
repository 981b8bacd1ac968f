"""The desk's type scale, spacing grid and application style sheet.

Sizes are named here once; screens ask for ``font(HEADING_PT)`` or ``SPACE_M`` instead
of writing numbers. The style sheet gives chips, badges, cards and toned text their
colours from the named tones of ``palette`` (so it is rebuilt when the theme changes):
a widget opts in with a dynamic property, set through ``set_tone``, ``set_chip`` or
``set_card``.
"""

from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QWidget

from desk_app.ui import palette

# type scale (points)
TITLE_PT = 15
HEADING_PT = 12
BODY_PT = 10
SMALL_PT = 9

# spacing grid (pixels)
SPACE_XS = 4
SPACE_S = 8
SPACE_M = 12
SPACE_L = 16

RADIUS = 4
CHIP_RADIUS = 9
ROW_PADDING = 12  # table rows: the font's height plus this, room to read at a glance
ICON_PX = 18      # toolbar and list icons


def row_height(metrics: QFontMetrics) -> int:
    """A table row tall enough to read: the text plus ``ROW_PADDING``."""
    return metrics.height() + ROW_PADDING


def font(points: int, bold: bool = False) -> QFont:
    """The application font at one step of the type scale."""
    chosen = QFont(QGuiApplication.font())
    chosen.setPointSize(points)
    chosen.setBold(bold)
    return chosen


def style_sheet(scheme: str) -> str:
    """The application style sheet of ``scheme``: toned text, chips, badges, cards,
    invalid fields and the sync indicator."""
    surface = palette.SURFACES[scheme]
    rules = []
    for name in palette.TONES:
        shade = palette.tone(name, scheme)
        rules.append(f'*[tone="{name}"] {{ color: {shade.text}; }}')
        rules.append(f'*[chip="{name}"] {{ background-color: {shade.fill}; '
                     f'color: {shade.on_fill}; border-radius: {CHIP_RADIUS}px; '
                     f'padding: 1px {SPACE_S}px; font-weight: 600; }}')
        rules.append(f'*[badge="{name}"] {{ background-color: {shade.fill}; '
                     f'color: {shade.on_fill}; border-radius: {RADIUS}px; '
                     f'padding: 0px {SPACE_XS}px; font-size: {SMALL_PT}pt; }}')
    danger = palette.tone("danger", scheme)
    rules += [
        f'*[card="true"] {{ background-color: {surface.base}; '
        f'border: 1px solid {surface.border}; border-radius: {RADIUS + 2}px; }}',
        f'*[invalid="true"] {{ border: 1px solid {danger.text}; }}',
        f'QLabel#form_error {{ color: {danger.text}; }}',
        f'*[muted="true"] {{ color: {surface.muted_text}; }}',
        f'QToolButton#sync_status {{ border: none; border-radius: {CHIP_RADIUS}px; '
        f'padding: 2px {SPACE_S}px; font-weight: 600; }}',
        f'QListWidget#queues::item {{ padding: {SPACE_XS}px {SPACE_XS}px; }}',
    ]
    return "\n".join(rules)


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_tone(widget: QWidget, name: str | None) -> None:
    """Draw the widget's text in the named tone (``None``: the ordinary text colour)."""
    widget.setProperty("tone", name or "")
    _repolish(widget)


def set_chip(widget: QWidget, name: str | None) -> None:
    """Draw the widget as a chip tinted with the named tone (``None``: plain)."""
    widget.setProperty("chip", name or "")
    _repolish(widget)


def set_badge(widget: QWidget, name: str | None) -> None:
    """Draw the widget as a small badge tinted with the named tone (``None``: plain)."""
    widget.setProperty("badge", name or "")
    _repolish(widget)


def set_card(widget: QWidget) -> None:
    """Draw the widget (a ``QFrame``) as a card: base colour, thin border, rounded."""
    widget.setProperty("card", True)
    _repolish(widget)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Outline a form field in the danger tone, or clear the outline."""
    widget.setProperty("invalid", invalid)
    _repolish(widget)
