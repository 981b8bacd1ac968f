"""A KPI tile: value, target and rating in words as well as colour; Enter or a click
asks for its tickets."""

import pytest
from PySide6.QtCore import Qt

from desk_app.core.kpi_figures import Direction, Figure
from desk_app.ui.kpi_tile import KpiTile, format_value, target_text


@pytest.mark.parametrize(("value", "unit", "text"), [
    (92.44, "percent", "92.4 %"), (5.25, "hours", "5.2 h"), (1204.0, "count", "1,204"),
    (None, "percent", "—"), (12345.6, "hours", "12,346 h")])
def test_values_read_as_a_person_reads_them(value, unit, text):
    assert format_value(value, unit) == text


@pytest.mark.parametrize(("value", "words", "tone"), [
    (95.0, "✓ On target", "success"), (85.0, "▲ Near target", "warning"),
    (50.0, "✕ Off target", "danger"), (None, "– Not measured yet", "muted")])
def test_a_tile_says_its_rating_in_words_and_tone(qtbot, value, words, tone):
    figure = Figure("sla_compliance", "SLA compliance", value, "percent", Direction.HIGHER,
                    90.0, 40)
    tile = KpiTile(figure)
    qtbot.addWidget(tile)
    assert tile.rating.text() == words and tile.rating_tone == tone
    assert tile.target.text() == "Target ≥ 90.0 % · 40 tickets"
    assert words in tile.accessibleName()


def test_a_figure_without_target_says_so_and_lower_is_better_reads_at_most():
    assert target_text(Figure("x", "X", 1.0, "hours", Direction.LOWER, 4.0)) == \
        "Target ≤ 4.0 h"
    assert target_text(Figure("x", "X", 1.0, "hours", Direction.LOWER)) == ""


def test_enter_and_a_click_ask_for_the_tiles_tickets(qtbot):
    tile = KpiTile(Figure("backlog", "Open incidents", 3.0, "count", Direction.LOWER, None, 3))
    qtbot.addWidget(tile)
    with qtbot.waitSignal(tile.clicked) as asked:
        qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert asked.args == ["backlog"]
    with qtbot.waitSignal(tile.clicked):
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)


def test_the_tooltip_says_which_tickets_the_tile_measures(qtbot):
    figure = Figure("reopen_rate", "Reopen rate", 4.0, "percent", Direction.LOWER, None, 25)
    tile = KpiTile(figure, measures="the incidents ever resolved")
    qtbot.addWidget(tile)
    assert "It measures 25 tickets: the incidents ever resolved." in tile.toolTip()
    tile.show_figure(figure)  # a tile that says nothing of them keeps the short form
    assert tile.toolTip() == "Reopen rate: 4.0 % over 25 tickets. Click to open them."
