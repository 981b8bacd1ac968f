"""The desk's type scale, spacing grid and application style sheet.

Sizes are named here once; screens ask for ``font(HEADING_PT)`` or ``SPACE_M`` instead
of writing numbers. Chips, badges, cards, toned text and invalid fields get a style
sheet of their own built from the named tones of ``palette``: a widget opts in with a
dynamic property, set through ``set_tone``, ``set_chip``, ``set_badge``, ``set_banner``,
``set_card``, ``set_primary`` or ``set_invalid``, and a theme switch restyles every
opted-in widget (``restyle_all``). This is the one way a widget gets a tinted look.
"""

from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

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
ICON_PX = 20      # toolbar and list icons


def row_height(metrics: QFontMetrics) -> int:
    """A table row tall enough to read: the text plus ``ROW_PADDING``."""
    return metrics.height() + ROW_PADDING


def font(points: int, bold: bool = False) -> QFont:
    """The application font at one step of the type scale."""
    chosen = QFont(QGuiApplication.font())
    chosen.setPointSize(points)
    chosen.setBold(bold)
    return chosen


# the dynamic properties a widget opts in with, and the style each one gives
PROPERTIES = ("tone", "chip", "badge", "banner", "card", "primary", "invalid")


def style_sheet(widget: QWidget, scheme: str) -> str:
    """The style sheet of one opted-in widget on ``scheme``: its tone, chip, badge,
    card or invalid outline, each rule scoped to the property so its children keep
    their own look. Style sheets stay on these few widgets (an application-wide one
    made building the main window about 45 ms slower)."""
    surface = palette.SURFACES[scheme]
    rules = []
    name = widget.property("tone")
    if name:
        rules.append(f'*[tone="{name}"] {{ color: {palette.tone(name, scheme).text}; }}')
    name = widget.property("chip")
    if name:
        shade = palette.tone(name, scheme)
        rules.append(f'*[chip="{name}"] {{ background-color: {shade.fill}; '
                     f'color: {shade.on_fill}; border: none; '
                     f'border-radius: {CHIP_RADIUS}px; padding: 2px {SPACE_S}px; '
                     f'font-weight: 600; }}')
    name = widget.property("badge")
    if name:
        shade = palette.tone(name, scheme)
        rules.append(f'*[badge="{name}"] {{ background-color: {shade.fill}; '
                     f'color: {shade.on_fill}; border-radius: {RADIUS}px; '
                     f'padding: 0px {SPACE_XS}px; font-size: {SMALL_PT}pt; }}')
    name = widget.property("banner")
    if name:
        shade = palette.tone(name, scheme)
        rules.append(f'*[banner="{name}"] {{ background-color: {shade.fill}; '
                     f'color: {shade.on_fill}; border-radius: {RADIUS}px; '
                     f'padding: 6px 10px; }}')
    if widget.property("primary"):
        accent = palette.tone("accent", scheme)
        rules.append(f'*[primary="true"] {{ background-color: {accent.text}; '
                     f'color: {accent.fill}; font-weight: 600; border: none; '
                     f'border-radius: {RADIUS}px; padding: 5px 14px; }}'
                     f'*[primary="true"]:focus {{ border: 2px solid {accent.on_fill}; }}')
    if widget.property("card"):
        rules.append(f'*[card="true"] {{ background-color: {surface.base}; '
                     f'border: 1px solid {surface.border}; border-radius: {RADIUS + 2}px; }}')
    if widget.property("invalid"):
        rules.append(f'*[invalid="true"] {{ border: 1px solid '
                     f'{palette.tone("danger", scheme).text}; }}')
    return "\n".join(rules)


def restyle(widget: QWidget) -> None:
    """Give an opted-in widget its style on the palette in use (unchanged: nothing is
    done, so a refilled ticket pane restyles only what changed)."""
    sheet = style_sheet(widget, palette.current_scheme())
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def restyle_all() -> None:
    """After a theme switch: every opted-in widget takes the new scheme's colours."""
    for widget in QApplication.allWidgets():
        if any(widget.property(name) for name in PROPERTIES):
            restyle(widget)


def _mark(widget: QWidget, name: str, value: object) -> None:
    """Set one of the style properties on the widget and draw it again."""
    widget.setProperty(name, value)
    restyle(widget)


def set_tone(widget: QWidget, name: str | None) -> None:
    """Draw the widget's text in the named tone (``None``: the ordinary text colour)."""
    _mark(widget, "tone", name or "")


def set_chip(widget: QWidget, name: str | None) -> None:
    """Draw the widget as a chip tinted with the named tone (``None``: plain)."""
    _mark(widget, "chip", name or "")


def set_badge(widget: QWidget, name: str | None) -> None:
    """Draw the widget as a small badge tinted with the named tone (``None``: plain)."""
    _mark(widget, "badge", name or "")


def set_banner(widget: QWidget, name: str | None) -> None:
    """Draw the widget as a wide banner tinted with the named tone (``None``: plain)."""
    _mark(widget, "banner", name or "")


def set_primary(widget: QWidget) -> None:
    """Draw a button as the one primary action of its screen (accent filled)."""
    _mark(widget, "primary", True)


def set_card(widget: QWidget) -> None:
    """Draw the widget (a ``QFrame``) as a card: base colour, thin border, rounded."""
    _mark(widget, "card", True)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Outline a form field in the danger tone, or clear the outline."""
    _mark(widget, "invalid", invalid)
