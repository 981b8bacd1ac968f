"""Charts over plain data (QtCharts): a chart is described by a :class:`ChartSpec`
(labels, bar series, line series), drawn in a window by :class:`ChartPanel` and
rendered to an image without any window by :func:`chart_image` (for the PDF).

Colours come from the palette's named tones; the chart follows the light or the dark
scheme it is built for (a PDF is always light: it is printed on white paper).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QWidget

from desk_app.ui import look, palette
from desk_app.ui.theme import theme_of

# the tones series take, in order
AXES_ROOM = 160  # points the value axes and margins take from a chart's width
LABEL_CHAR_PT = 10  # about one character of a category label (small type)
SERIES_TONES = ("accent", "success", "warning", "teal", "danger", "muted")


@dataclass(frozen=True)
class ChartSpec:
    """What one chart shows: categories along the bottom; bar series (counts, on the
    left axis) and line series (on the right axis, ``line_unit``); a missing value
    (None) leaves a gap in a line."""

    key: str
    title: str
    labels: Sequence[str]
    bars: Mapping[str, Sequence[float]] = field(default_factory=dict)
    lines: Mapping[str, Sequence[float | None]] = field(default_factory=dict)
    bar_unit: str = "tickets"
    line_unit: str = "%"
    line_max: float | None = 100.0  # the right axis' top (None: fit the values)

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw."""
        return not self.labels


def _axis_look(axis, scheme: str) -> None:
    colours = palette.surface(scheme)
    axis.setLabelsColor(QColor(colours.text))
    axis.setTitleBrush(QColor(colours.muted_text))
    axis.setGridLineColor(QColor(colours.border))
    axis.setLinePenColor(QColor(colours.border))
    font = QFont(look.font(look.SMALL_PT))
    axis.setLabelsFont(font)
    axis.setTitleFont(font)


MIN_COUNT_TOP = 5.0


def _nice_top(value: float) -> float:
    """A round axis top at or above ``value``."""
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def _labels_crowded(labels: Sequence[str], width: int) -> bool:
    """True when the category labels would not fit side by side in ``width`` points."""
    if not labels:
        return False
    slot = (width - AXES_ROOM) / len(labels)
    return len(labels) > 8 or max(len(label) for label in labels) * LABEL_CHAR_PT > slot


def build_chart(spec: ChartSpec, scheme: str | None = None, width: int = 800) -> QChart:
    """The QChart of ``spec`` on ``scheme`` ("light", "dark"; default: the palette in
    use), about ``width`` points wide (long category labels are turned);
    :func:`bar_series` finds its bars."""
    scheme = scheme or palette.current_scheme()
    colours = palette.surface(scheme)
    chart = QChart()
    chart.setTitle(spec.title)
    chart.setTitleFont(look.font(look.BODY_PT, bold=True))
    chart.setTitleBrush(QColor(colours.text))
    chart.setBackgroundBrush(QColor(colours.base))
    chart.setBackgroundPen(QPen(QColor(colours.border)))
    chart.setBackgroundRoundness(look.RADIUS)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setLabelColor(QColor(colours.text))
    chart.legend().setFont(look.font(look.SMALL_PT))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    labels = [str(label) for label in spec.labels]
    x_axis = QBarCategoryAxis()
    x_axis.append(labels or [""])
    if _labels_crowded(labels, width):
        x_axis.setLabelsAngle(-60)
    _axis_look(x_axis, scheme)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    tones = iter(SERIES_TONES)
    if spec.bars:
        series = QBarSeries()
        top = 0.0
        for name, values in spec.bars.items():
            bar_set = QBarSet(name)
            bar_set.append([float(v or 0) for v in values])
            bar_set.setColor(QColor(palette.tone(next(tones), scheme).text))
            bar_set.setBorderColor(QColor(colours.base))
            bar_set.setLabelColor(QColor(colours.text))
            series.append(bar_set)
            top = max([top, *(float(v or 0) for v in values)])
        chart.addSeries(series)
        y_axis = QValueAxis()
        # whole tickets: a top of at least 5 keeps a tick per whole number (0 to 1 drew
        # the ticks 0.2, 0.4... as "0 0 0 0 1" under the "%d" labels)
        y_axis.setRange(0, max(_nice_top(top), MIN_COUNT_TOP))
        y_axis.applyNiceNumbers()  # ticks on round numbers
        y_axis.setLabelFormat("%d")
        y_axis.setTitleText(spec.bar_unit)
        _axis_look(y_axis, scheme)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    if spec.lines:
        line_axis = QValueAxis()
        highest = max((v for values in spec.lines.values() for v in values if v is not None),
                      default=0.0)
        line_axis.setRange(0, spec.line_max if spec.line_max is not None
                           else _nice_top(highest))
        line_axis.setLabelFormat("%d")
        line_axis.setTitleText(spec.line_unit)
        _axis_look(line_axis, scheme)
        chart.addAxis(line_axis, Qt.AlignmentFlag.AlignRight if spec.bars
                      else Qt.AlignmentFlag.AlignLeft)
        if spec.bars:
            line_axis.setGridLineVisible(False)
        for name, values in spec.lines.items():
            line = QLineSeries()
            line.setName(name)
            pen = QPen(QColor(palette.tone(next(tones), scheme).text))
            pen.setWidthF(2.0)
            line.setPen(pen)
            line.setPointsVisible(True)
            # a category axis places category i at x = i (its centre)
            line.append([QPointF(i, float(v)) for i, v in enumerate(values) if v is not None])
            chart.addSeries(line)
            line.attachAxis(x_axis)
            line.attachAxis(line_axis)
    chart.legend().setVisible(len(spec.bars) + len(spec.lines) > 1)
    return chart


def bar_series(chart: QChart) -> QBarSeries | None:
    """The chart's bar series, if it has one."""
    return next((s for s in chart.series() if isinstance(s, QBarSeries)), None)


class ChartPanel(QChartView):
    """A chart in a window; ``bar_clicked(index)`` when a bar (category ``index``) is
    clicked. ``show_spec`` draws another spec in its place."""

    bar_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, min_height: int = 220) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(min_height)
        self.spec: ChartSpec | None = None
        theme_of().changed.connect(self._theme_changed)

    def _theme_changed(self, _scheme: str) -> None:
        """Draw the chart again in the new scheme's colours."""
        if self.spec is not None:
            self.show_spec(self.spec)

    def show_spec(self, spec: ChartSpec) -> None:
        """Draw ``spec`` (the previous chart is deleted with its series)."""
        self.spec = spec
        chart = build_chart(spec, width=max(self.width(), 300))
        bars = bar_series(chart)
        if bars is not None:
            bars.clicked.connect(lambda index, _set: self.bar_clicked.emit(index))
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip("Click a bar to open its tickets")
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()


def chart_image(spec: ChartSpec, width: int = 900, height: int = 380,
                scale: float = 2.0, scheme: str = "light") -> QImage:
    """``spec`` drawn to an image ``scale`` times ``width`` x ``height`` points (its
    device pixel ratio ``scale``), with no window (a QApplication must exist; it may
    be offscreen)."""
    chart = build_chart(spec, scheme, width)
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, width, height))
    image = QImage(int(width * scale), int(height * scale), QImage.Format.Format_ARGB32)
    image.fill(QColor(palette.surface(scheme).base))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()),
                 QRectF(0, 0, width, height))
    painter.end()
    image.setDevicePixelRatio(scale)  # laid out (in a document) at width x height
    scene.removeItem(chart)
    chart.deleteLater()
    return image
