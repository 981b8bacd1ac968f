"""The report's PDF with its charts, with or without a window: each chart rendered
offscreen and placed under the heading of its section."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from desk_app.ui.charts import ChartSpec, chart_image
from desk_app.ui.report_pdf import image_name, with_charts
from tests.pdf_text import pdf_image_count, pdf_text

SAMPLE = textwrap.dedent('''
    from datetime import datetime, timezone
    from desk_app.core.kpi_figures import Direction, Figure
    from desk_app.services.kpi_dashboard import Dashboard, KpiRow
    from desk_app.storage.ticket_queries import TicketFilter

    def row(key, label, **counts):
        return KpiRow(key, label, counts, {"sla_compliance": 91.0}, TicketFilter())

    weeks = [row(f"2026-11-{d:02}", f"2026-W{w}", logged=n)
             for d, w, n in ((2, 45, 40), (9, 46, 52), (16, 47, 47))]
    data = Dashboard(
        since=datetime(2026, 11, 1, tzinfo=timezone.utc),
        until=datetime(2026, 12, 1, tzinfo=timezone.utc),
        computed_at=datetime(2026, 11, 30, tzinfo=timezone.utc),
        tiles=[Figure("sla_compliance", "SLA compliance", 91.0, "percent",
                      Direction.HIGHER, 90.0, 139)],
        tile_tickets={}, trends={"week": weeks, "month": weeks[:1]},
        breakdowns={"priority": [row("P1", "P1", logged=9), row("P3", "P3", logged=130)]},
        backlog=[row("under 1 day", "Under 1 day", open=4), row("1-3 days", "1-3 days", open=7)],
        time_spent={}, totals={"logged": 139})
''')
MARKDOWN = ("# KPI report\\n\\n## Trends by week\\n\\nweekly words\\n\\n"
            "## Trends by month\\n\\n## By priority\\n\\n## Backlog by age\\n\\nopen words\\n")


def test_charts_go_under_the_heading_that_names_their_section_and_the_rest_at_the_end():
    charts = {key: ChartSpec(key, title, ["a"], {"n": [1]}) for key, title in (
        ("trend_week", "Weekly"), ("backlog", "Backlog"), ("by_channel", "By channel"))}
    placed = with_charts("# Report\n\n## Trend by week\n\ntext\n\n## Backlog by age\n",
                         charts).splitlines()
    assert placed.index(f"![Weekly]({image_name('trend_week')})") == \
        placed.index("## Trend by week") + 2
    assert placed.index(f"![Backlog]({image_name('backlog')})") == \
        placed.index("## Backlog by age") + 2
    assert f"![By channel]({image_name('by_channel')})" not in placed  # no such section
    charts["trend_month"] = ChartSpec("trend_month", "Monthly", ["a"], {"n": [1]})
    placed = with_charts("# Report\n\n## By channel\n", charts).splitlines()
    assert placed.index(f"![By channel]({image_name('by_channel')})") == 4
    assert placed.index("## Charts") < placed.index(f"![Monthly]({image_name('trend_month')})")


def test_a_chart_renders_to_an_image_without_a_window(qapp):
    image = chart_image(ChartSpec("x", "Backlog", ["a", "b"], {"Open": [3, 5]}),
                        400, 200, scale=1)
    assert (image.width(), image.height(), image.devicePixelRatio()) == (400, 200, 1.0)
    assert len({image.pixel(x, 150) for x in range(0, 400, 4)}) > 2  # bars were drawn


def test_a_command_writes_the_report_pdf_with_its_charts_and_no_window(tmp_path):
    """As ``desk-app report --format pdf`` would: no QApplication made beforehand."""
    out = tmp_path / "report.pdf"
    script = SAMPLE + textwrap.dedent(f'''
        from pathlib import Path
        from desk_app.ui.report_pdf import write_report_pdf
        write_report_pdf(data, "{MARKDOWN}", Path({str(out)!r}))
    ''')
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                             "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = pdf_text(out)
    assert "weekly words" in text and "open words" in text
    assert pdf_image_count(out, min_width=800) >= 4  # week, month, backlog, priority
