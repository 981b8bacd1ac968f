"""The dashboard's charts: a ticket-count axis labels whole numbers, each once."""

import pytest
from PySide6.QtCore import Qt

from desk_app.ui.charts import ChartSpec, build_chart


@pytest.mark.parametrize("counts", [[0, 0, 0], [1, 0, 0], [0, 3, 2], [9, 4, 7], [12, 0, 0],
                                    [137, 20, 5]])
def test_the_ticket_axis_ticks_fall_on_whole_numbers(qapp, counts):
    spec = ChartSpec("k", "Incidents", ["a", "b", "c"], bars={"Logged": counts},
                     lines={"SLA %": [None, 50.0, 100.0]})
    chart = build_chart(spec, "light")
    (tickets,) = [a for a in chart.axes(Qt.Orientation.Vertical)
                  if a.titleText() == "tickets"]
    step = (tickets.max() - tickets.min()) / (tickets.tickCount() - 1)
    assert step >= 1 and step == int(step), (counts, tickets.max(), tickets.tickCount())
    assert tickets.max() >= max(counts)
