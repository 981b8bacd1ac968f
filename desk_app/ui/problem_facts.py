"""The lines the ticket view adds for problems and knowledge: a problem's status, root
cause, workaround and incidents; an incident's knowledge article and the reason it
needs no problem record. Rich text: every value is escaped."""

from html import escape
from typing import Any

from desk_app.core.labels import human_label

SHOWN_INCIDENTS = 10


def problem_facts(data: dict[str, Any]) -> list[str]:
    """Rich-text facts of the ticket view ``data`` (see services.ticket_view)."""
    facts = []
    if data.get("problem_status"):
        facts.append(f"Problem: <b>{escape(human_label(data['problem_status']))}</b>")
        for key, label in (("root_cause", "Root cause"), ("workaround", "Workaround")):
            if data.get(key):
                facts.append(f"{label}: {escape(data[key])}")
        incidents = data.get("incidents", [])
        shown = [f"{escape(i['number'])} ({escape(human_label(i['status']))})"
                 for i in incidents[:SHOWN_INCIDENTS]]
        more = len(incidents) - len(shown)
        facts.append("Incidents: " + (", ".join(shown) or "none")
                     + (f" and {more} more" if more > 0 else ""))
    if data.get("article"):
        facts.append(f"Knowledge article {escape(data['article'])}")
    if data.get("problem_reason"):
        facts.append(f"No problem record: {escape(data['problem_reason'])}")
    return facts
