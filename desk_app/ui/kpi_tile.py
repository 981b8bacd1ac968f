"""One KPI tile of the dashboard: the figure's name, value, target and rating (a word
and a mark as well as its colour); clicked (or Enter/Space) it asks for its tickets."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desk_app.core.kpi_figures import Direction, Figure, Rating
from desk_app.ui import look

# rating -> (tone, what the tile says)
RATING_LOOK = {Rating.GREEN: ("success", "✓ On target"),
               Rating.AMBER: ("warning", "▲ Near target"),
               Rating.RED: ("danger", "✕ Off target"),
               Rating.NONE: ("muted", "– Not rated")}
UNIT_SUFFIX = {"percent": " %", "hours": " h", "minutes": " min", "count": "", "score": ""}


def format_value(value: float | None, unit: str) -> str:
    """A figure's value as a person reads it ("92.5 %", "5.25 h", "1,204"; "—" when
    nothing was measured)."""
    if value is None:
        return "—"
    if unit == "count":
        return f"{int(value):,}"
    text = f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    return text + UNIT_SUFFIX.get(unit, f" {unit}")


def target_text(figure: Figure) -> str:
    """"Target ≥ 90 %" (or ≤ for a figure where lower is better); "" without one."""
    if figure.target is None:
        return ""
    sign = "≥" if figure.direction is Direction.HIGHER else "≤"
    return f"Target {sign} {format_value(figure.target, figure.unit)}"


class KpiTile(QFrame):
    """Shows one :class:`Figure`; ``clicked(key)`` asks for the tickets behind it."""

    clicked = Signal(str)

    def __init__(self, figure: Figure, parent: QWidget | None = None,
                 measures: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"tile_{figure.key}")
        look.set_card(self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(look.SPACE_S, look.SPACE_XS, look.SPACE_S, look.SPACE_XS)
        layout.setSpacing(1)
        self.name = QLabel()
        self.name.setFont(look.font(look.SMALL_PT))
        look.set_tone(self.name, "muted")
        self.value = QLabel()
        self.value.setFont(look.font(look.HEADING_PT + 2, bold=True))
        self.target = QLabel()
        self.target.setFont(look.font(look.SMALL_PT))
        self.rating = QLabel()
        self.rating.setFont(look.font(look.SMALL_PT, bold=True))
        for label in (self.name, self.value, self.target, self.rating):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            layout.addWidget(label)
        self.show_figure(figure, measures)

    def show_figure(self, figure: Figure, measures: str | None = None) -> None:
        """Show ``figure`` (a recomputed period); ``measures`` says which tickets it
        counts and a click lists ("the resolved incidents")."""
        self.figure = figure
        self.name.setText(figure.label)
        self.value.setText(format_value(figure.value, figure.unit))
        self.target.setText(f"{target_text(figure) or 'No target'} · {figure.count:,} "
                            f"ticket{'' if figure.count == 1 else 's'}")
        tone, words = RATING_LOOK[figure.rating()]
        if figure.value is None:
            words = "– Not measured yet"
        self.rating.setText(words)
        look.set_tone(self.rating, tone)
        self.rating_tone = tone
        tickets = f"{figure.count:,} ticket{'' if figure.count == 1 else 's'}"
        self.setToolTip(f"{figure.label}: {self.value.text()}"
                        + (f" ({target_text(figure)})" if figure.target is not None else "")
                        + (f" over {tickets}. Click to open them." if measures is None else
                           f". It measures {tickets}: {measures}. Click to list them."))
        self.setAccessibleName(f"{figure.label} {self.value.text()} {words}")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.clicked.emit(self.figure.key)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.figure.key)
            return
        super().keyPressEvent(event)
