"""The named colours of the desk: every colour that carries meaning comes from here.

Each name has a tone for a light and for a dark window: ``text`` (readable on the
window's background) and ``fill`` (the tinted background of a chip or badge, with
``on_fill`` the text drawn on it). The surfaces of each scheme (window, base, text,
highlight ...) are here too, and become the application's ``QPalette``. No other module
writes a colour literal.
"""

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

SCHEMES = ("light", "dark")


@dataclass(frozen=True)
class Tone:
    """One named colour on one palette."""

    text: str
    fill: str
    on_fill: str


@dataclass(frozen=True)
class Surface:
    """The plain colours of one scheme: what the ``QPalette`` roles are made of."""

    window: str            # behind everything
    base: str              # behind text fields, lists and tables
    alternate_base: str    # every other table row
    text: str              # ordinary text on window and base
    muted_text: str        # placeholders, secondary lines
    disabled_text: str     # switched-off controls (not meant to be read at length)
    button: str
    border: str            # frames, grid lines (Qt's "mid")
    highlight: str         # the selection
    highlighted_text: str
    link: str
    tooltip: str
    tooltip_text: str


SURFACES: dict[str, Surface] = {
    "light": Surface(window="#f4f5f7", base="#ffffff", alternate_base="#f2f4f7",
                     text="#1d2125", muted_text="#5a6068", disabled_text="#9aa0a8",
                     button="#e9ecf0", border="#c3c8cf", highlight="#3949ab",
                     highlighted_text="#ffffff", link="#1f4fb0", tooltip="#2b3036",
                     tooltip_text="#f4f5f7"),
    "dark": Surface(window="#1f2227", base="#17191d", alternate_base="#1d2025",
                    text="#e4e6ea", muted_text="#a6acb4", disabled_text="#686e77",
                    button="#2b2f36", border="#3d434c", highlight="#4656b8",
                    highlighted_text="#ffffff", link="#8cb4ff", tooltip="#e4e6ea",
                    tooltip_text="#1f2227"),
}

# name -> (light, dark)
TONES: dict[str, tuple[Tone, Tone]] = {
    "danger": (Tone("#b71c1c", "#fde7e7", "#8e1414"), Tone("#ff8a80", "#5c1a1a", "#ffd6d2")),
    "warning": (Tone("#8a4b00", "#fff1db", "#6b3a00"), Tone("#ffb74d", "#553300", "#ffe0b2")),
    "success": (Tone("#1b5e20", "#e3f4e4", "#174d1a"), Tone("#81c784", "#1d3d20", "#c8e6c9")),
    "info": (Tone("#0d47a1", "#e3eefc", "#0b3c88"), Tone("#82b1ff", "#1a2f55", "#d6e4ff")),
    "muted": (Tone("#5a6068", "#eceff1", "#3c4043"), Tone("#a8adb3", "#33373b", "#dadce0")),
    "accent": (Tone("#3949ab", "#e8eaf6", "#283593"), Tone("#9fa8da", "#262b52", "#dfe3ff")),
    # a fourth series colour for charts (ui/charts.py)
    "teal": (Tone("#00695c", "#e0f2f1", "#004d40"), Tone("#4db6ac", "#12332f", "#b2dfdb")),
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
# the user's satisfaction score, 1-5 (4-5 counts as satisfied)
SATISFACTION_TONE = {1: "danger", 2: "danger", 3: "warning", 4: "success", 5: "success"}
# a suggestion's kind (ui/suggestions_panel.py)
SUGGESTION_TONE = {"article": "info", "known_error": "warning", "ticket": "success"}
# the sync indicator: its states are those of services.team_sync.BackgroundSync
SYNC_TONE = {"up to date": "success", "waiting": "info", "syncing": "info",
             "offline": "warning", "error": "danger", "local": "muted"}


def dark_palette() -> bool:
    """True when the application draws light text on a dark background."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def current_scheme() -> str:
    """"dark" or "light": the scheme of the palette in use."""
    return "dark" if dark_palette() else "light"


def tone(name: str, scheme: str | None = None) -> Tone:
    """The tone called ``name`` on ``scheme`` (default: the palette in use; ``muted``
    for an unknown name)."""
    light, dark = TONES.get(name, TONES["muted"])
    return dark if (scheme or current_scheme()) == "dark" else light


def text_colour(name: str) -> QColor:
    """The text colour called ``name`` on the palette in use."""
    return QColor(tone(name).text)


def priority_colour(priority: str) -> QColor:
    """The text colour of a priority."""
    return text_colour(priority if priority in TONES else "P4")


def sla_colour(state: str) -> QColor:
    """The text colour of an SLA state: green, amber past warning, red when breached."""
    return text_colour(SLA_TONE.get(state, "muted"))


def surface(scheme: str | None = None) -> Surface:
    """The surfaces of ``scheme`` (default: the palette in use)."""
    return SURFACES[scheme or current_scheme()]


def qpalette(scheme: str) -> QPalette:
    """The application palette of ``scheme`` ("light" or "dark") for the Fusion style."""
    colours = SURFACES[scheme]
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    palette = QPalette()
    assignments = {
        role.Window: colours.window, role.WindowText: colours.text,
        role.Base: colours.base, role.AlternateBase: colours.alternate_base,
        role.Text: colours.text, role.PlaceholderText: colours.muted_text,
        role.Button: colours.button, role.ButtonText: colours.text,
        role.BrightText: colours.highlighted_text,
        role.Highlight: colours.highlight, role.HighlightedText: colours.highlighted_text,
        role.Link: colours.link, role.LinkVisited: colours.link,
        role.ToolTipBase: colours.tooltip, role.ToolTipText: colours.tooltip_text,
        role.Mid: colours.border, role.Dark: colours.border,
        role.Light: colours.base, role.Midlight: colours.button, role.Shadow: colours.border,
        role.Accent: colours.highlight,
    }
    for name, value in assignments.items():
        palette.setColor(name, QColor(value))
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, name, QColor(colours.disabled_text))
    palette.setColor(group.Disabled, role.Highlight, QColor(colours.border))
    # an unfocused window keeps its selection readable
    palette.setColor(group.Inactive, role.Highlight, QColor(colours.highlight))
    palette.setColor(group.Inactive, role.HighlightedText, QColor(colours.highlighted_text))
    return palette


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    rgb = QColor(colour)
    return 0.2126 * linear(rgb.red()) + 0.7152 * linear(rgb.green()) \
        + 0.0722 * linear(rgb.blue())


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21; text needs 4.5)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
