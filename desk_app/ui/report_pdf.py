"""The KPI report as a PDF with its charts, from the dashboard or from a command
(``desk-app report --format pdf``): each chart is rendered offscreen to an image and
placed under its section of the report's Markdown."""

from collections.abc import Mapping
from pathlib import Path

from desk_app.services.kpi_dashboard import Dashboard
from desk_app.ui.charts import ChartSpec, chart_image
from desk_app.ui.pdf_document import command_application, write_pdf
from desk_app.ui.report_charts import dashboard_charts

CHART_SIZE = (500, 240)  # points: within an A4 page's text width
# chart key -> words that name its section's heading in the report's Markdown
SECTION_WORDS = {"trend_week": ("week",), "trend_month": ("month",),
                 "backlog": ("backlog", "by age")}


def _words(key: str) -> tuple[str, ...]:
    if key in SECTION_WORDS:
        return SECTION_WORDS[key]
    by = key.removeprefix("by_")
    return (f"by {by}", by)


def with_charts(markdown: str, charts: Mapping[str, ChartSpec]) -> str:
    """``markdown`` with an image line per chart (``![title](chart-<key>.png)``) under
    the first heading that names its section; a breakdown's chart only with its
    section (a report for one ``--by`` has one), the other charts no heading names at
    the end, under "Charts"."""
    lines = markdown.splitlines()
    placed: dict[int, list[str]] = {}
    left: list[str] = []
    taken: set[int] = set()
    for key, spec in charts.items():
        image = f"![{spec.title}]({image_name(key)})"
        found = next((n for n, line in enumerate(lines) if line.startswith("#")
                      and n not in taken
                      and any(word in line.lower() for word in _words(key))), None)
        if found is None:
            if not key.startswith("by_"):
                left.append(image)
        else:
            taken.add(found)
            placed.setdefault(found, []).append(image)
    out: list[str] = []
    for n, line in enumerate(lines):
        out.append(line)
        for image in placed.get(n, []):
            out.extend(["", image, ""])
    if left:
        out.extend(["", "## Charts", ""])
        for image in left:
            out.extend([image, ""])
    return "\n".join(out) + "\n"


def image_name(key: str) -> str:
    """The name a chart's image goes by in the Markdown."""
    return f"chart-{key}.png"


def write_report_pdf(report_data: Dashboard, markdown: str, path: Path,
                     title: str = "KPI report") -> Path:
    """Write the report ``markdown`` with the charts of ``report_data`` to an A4 PDF at
    ``path`` (offscreen when there is no display). Raises OSError when the file cannot
    be written."""
    command_application()  # charts are graphics items: a widgets application
    charts = {key: spec for key, spec in dashboard_charts(report_data).items()
              if not spec.empty}
    images = {image_name(key): chart_image(spec, *CHART_SIZE, scale=3.0)
              for key, spec in charts.items()}
    write_pdf(with_charts(markdown, charts), Path(path), title, images)
    return Path(path)
