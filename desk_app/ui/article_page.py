"""A knowledge article as one Markdown page: its texts under headings, its facts in a
line above them. Only the article's own texts are Markdown; the title and labels are
escaped so they read as typed."""

import re
from typing import Any

from desk_app.core.labels import human_label

SECTIONS = (("symptoms", "Symptoms"), ("cause", "Cause"), ("solution", "Solution or workaround"))
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def escaped(text: str) -> str:
    """``text`` with every Markdown mark escaped, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def article_markdown(view: dict[str, Any]) -> str:
    """The page of an article view (see services.knowledge_view.article_view)."""
    facts = [f"**{escaped(view['number'])}**", human_label(view["status"])]
    for key, label in (("category", "Category"), ("service", "Service"),
                       ("ci_type", "CI type")):
        if view.get(key):
            facts.append(f"{label}: {escaped(view[key])}")
    reviewed = (view.get("reviewed_at") or "")[:10] or "never"
    facts.append(f"by {escaped(view['author'])}, last reviewed {reviewed}")
    parts = [f"# {escaped(view['title'])}", " · ".join(facts)]
    for key, heading in SECTIONS:
        text = (view.get(key) or "").strip()
        if text:
            parts += [f"## {heading}", text]
    if not any((view.get(key) or "").strip() for key, _ in SECTIONS):
        parts.append("*Nothing written yet.*")
    if view.get("source_ticket"):
        parts.append(f"Written from {escaped(view['source_ticket'])}.")
    return "\n\n".join(parts) + "\n"


def known_error_markdown(row: dict[str, Any]) -> str:
    """The page of a known error (a row of services.problems.list_problems)."""
    parts = [f"# {escaped(row['number'])}: {escaped(row['summary'])}",
             f"{human_label(row['problem_status'])} · {row['incidents']} incident(s)"]
    for key, heading in (("workaround", "Workaround"), ("root_cause", "Root cause")):
        if (row.get(key) or "").strip():
            parts += [f"## {heading}", row[key].strip()]
    return "\n\n".join(parts) + "\n"
