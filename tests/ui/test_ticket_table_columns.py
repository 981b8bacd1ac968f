"""The ticket table reads at a glance and fits: painted SLA badges and chips, human
labels and names, and columns that fit the window with "Time left" never cut."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desk_app.services.admin import add_technician
from desk_app.services.intake import log_ticket
from desk_app.services.queues import QueueRow
from desk_app.services.workflow import assign, hold
from desk_app.ui.palette import tone
from desk_app.ui.sla_badges import LONGEST_BADGE, chip_width, compact_duration, sla_badge
from desk_app.ui.ticket_table import MAJOR_BAR, SUMMARY
from desk_app.ui.ticket_table_model import ASSIGNEE, NUMBER, PRIORITY, STATUS, TIME_LEFT
from tests.conftest import new_ticket
from tests.ui.conftest import settle


def _row(sla: str, left: timedelta | None = None, breached: bool = False) -> QueueRow:
    return QueueRow(rowid=1, id="x", number="INC-000001", type="incident", status="new",
                    hold_reason=None, priority="P3", major=False, summary="s", category=None,
                    subcategory=None, group=None, assignee=None, assignee_name=None,
                    updated_at=None, resolution_due=None, time_left=left, sla=sla,
                    breached=breached)


@pytest.mark.parametrize(("row", "text", "tone_name"), [
    (_row("breached", timedelta(days=-5, hours=-17)), "Breached 5d", "danger"),
    (_row("breached", timedelta(minutes=-20)), "Breached 20m", "danger"),
    (_row("warning", timedelta(hours=4, minutes=10)), "4h left", "warning"),
    (_row("running", timedelta(hours=2, minutes=5)), "2h 05m left", "success"),
    (_row("running", timedelta(days=2, hours=3)), "Due in 2d", "success"),
    (_row("running", timedelta(days=1, hours=3)), "Due in 1d 3h", "success"),
    (_row("paused"), "Paused", "muted"),
    (_row("paused", breached=True), "Paused", "danger"),
    (_row("met"), "Met", "success"),
    (_row("missed"), "Missed", "danger"),
])
def test_sla_badges_say_what_a_technician_reads_the_column_for(row, text, tone_name):
    assert (sla_badge(row).text, sla_badge(row).tone) == (text, tone_name)


def test_compact_durations():
    assert compact_duration(timedelta(minutes=12)) == "12m"
    assert compact_duration(timedelta(hours=7, minutes=59)) == "7h"
    assert compact_duration(timedelta(days=1)) == "1d"
    assert compact_duration(timedelta(days=-12)) == "12d"


def _busy_desk(session):
    add_technician(session, "dana", "Dana Whitfield", "support", "Service Desk")
    major = log_ticket(session, new_ticket(summary="Mail is down for everyone",
                                           impact="high", urgency="high"))
    waiting = log_ticket(session, new_ticket(summary="Laptop needs a new battery"))
    assign(session, waiting.number, technician="dana")
    hold(session, waiting.number, "awaiting_user")
    for n in range(20):
        log_ticket(session, new_ticket(summary=f"Printer {n} on floor {n % 4} jams"))
    return major, waiting


def test_rows_show_names_human_labels_and_a_major_incident(qtbot, window, worker, session):
    major, waiting = _busy_desk(session)
    window.queues.select("all_open")
    window.refresh()
    settle(qtbot, worker)
    model = window.model
    rows = {model.index(r, NUMBER).data(): r for r in range(model.rowCount())}
    held = rows[waiting.number]
    assert model.index(held, STATUS).data() == "On hold (awaiting user)"
    assert model.index(held, ASSIGNEE).data() == "Dana Whitfield · Service Desk"
    assert model.index(held, TIME_LEFT).data() == "Paused"
    top = rows[major.number]
    assert model.index(top, PRIORITY).data() == "P1 · Major incident"
    assert model.index(top, SUMMARY).data(Qt.ItemDataRole.BackgroundRole) == \
        QColor(tone("danger").fill)
    assert model.index(top, SUMMARY).data(Qt.ItemDataRole.FontRole).weight() > \
        window.table.font().weight()  # the summary outranks the number
    assert model.index(top, NUMBER).data(Qt.ItemDataRole.ForegroundRole) == \
        QColor(tone("muted").text)
    # the major incident's row starts with the danger bar, painted (no widget per cell)
    window.resize(1366, 768)
    window.table.scrollTo(model.index(top, 0))
    qtbot.wait(50)
    image = window.table.viewport().grab().toImage()
    y = window.table.rowViewportPosition(top) + window.table.rowHeight(top) // 2
    assert image.pixelColor(MAJOR_BAR // 2, y) == QColor(tone("danger").text)
    assert window.table.indexWidget(model.index(top, TIME_LEFT)) is None


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768), (1440, 900), (1920, 1080)])
def test_time_left_is_never_cut_and_the_summary_stretches(qtbot, window, worker, session,
                                                          size):
    _busy_desk(session)
    window.queues.select("all_open")
    window.refresh()
    settle(qtbot, worker)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0], timeout=2_000)
    qtbot.wait(50)
    table = window.table
    assert table.fully_visible(TIME_LEFT), size
    assert table.columnWidth(TIME_LEFT) >= chip_width(table.fontMetrics(), LONGEST_BADGE)
    assert not table.isColumnHidden(SUMMARY)
    assert table.columnWidth(SUMMARY) >= table.summary_minimum()
    used = sum(table.columnWidth(c) for c in range(8) if not table.isColumnHidden(c))
    assert used == table.viewport().width()  # stretched to the edge, no scrolling sideways
    assert table.rowHeight(0) >= table.fontMetrics().height() + 8
    if size[0] >= 1920:
        assert not any(table.isColumnHidden(c) for c in range(8))
