"""The post-incident review as one Markdown document (the Markdown export, and the text
the PDF export lays out): heading facts, the factual timeline, the six sections and the
corrective actions."""

from datetime import datetime
from typing import Any

from desk_app.core.labels import human_label
from desk_app.core.major_review import SECTIONS
from desk_app.services.major_review import review_view
from desk_app.services.session import Session, reads

NOT_RECORDED = "not recorded"
NOT_WRITTEN = "*(not written yet)*"  # Qt reads _x_ as underline


def _moment(text: str | None) -> str:
    """An ISO time from a view as people read it: ``2026-11-23 09:05``."""
    return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M") if text else NOT_RECORDED


def _cell(text: Any) -> str:
    """Text that stays inside one Markdown table cell."""
    return " ".join(str(text or "").split()).replace("|", "\\|") or "-"


def review_markdown(view: dict[str, Any]) -> str:
    """The review of :func:`review_view` as Markdown."""
    status = human_label(view["status"])
    if view["completed_at"]:
        status += f" ({view['completed_by']}, {_moment(view['completed_at'])})"
    lines = [
        f"# Post-incident review: {view['number']}", "",
        f"**{_cell(view['summary'])}**", "",
        f"- Priority: {view['priority']}",
        f"- Incident status: {human_label(view['ticket_status'])}",
        f"- Review: {status}",
        f"- Problem record: {view['problem'] or 'none linked'}", "",
        "## Timeline", "",
        "| Moment | When |", "| --- | --- |",
        *(f"| {point['label']} | {_moment(point['at'])} |" for point in view["timeline"]),
        "",
    ]
    for section in SECTIONS:
        text = (view["sections"].get(section.key) or "").strip()
        lines += [f"## {section.title}", "", f"*{section.questions}*", "",
                  text or NOT_WRITTEN, ""]
    lines += ["## Corrective actions", ""]
    if view["actions"]:
        lines += ["| Ref | Action | Owner | Due | Status |",
                  "| --- | --- | --- | --- | --- |"]
        for action in view["actions"]:
            state = "Overdue" if action["overdue"] else human_label(action["status"])
            if action["done_at"]:
                state += f" ({action['done_by']}, {_moment(action['done_at'])})"
            lines.append(f"| {action['ref']} | {_cell(action['text'])} | {action['owner']} | "
                         f"{action['due']} | {state} |")
    else:
        lines.append("None recorded.")
    return "\n".join(lines) + "\n"


@reads
def review_document(session: Session, number: str) -> str:
    """The review of the major incident ``number`` as Markdown."""
    return review_markdown(review_view(session, number))
