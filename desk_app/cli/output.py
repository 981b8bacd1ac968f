"""How results are printed: JSON for scripts, short text for people."""

import json
import sys
from typing import Any, TextIO


def print_json(data: Any, out: TextIO | None = None) -> None:
    """Pretty JSON with stable key order."""
    out = out or sys.stdout
    json.dump(data, out, indent=2, ensure_ascii=False, default=str)
    out.write("\n")


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_ticket_table(rows: list[dict[str, Any]], out: TextIO | None = None) -> None:
    """One line per ticket: number, priority, status, summary, who, resolution due."""
    out = out or sys.stdout
    columns = (("number", 11), ("priority", 3), ("status", 11), ("summary", 40),
               ("group", 18), ("assignee", 10), ("resolution_due", 25))
    out.write("  ".join(name.upper()[:width].ljust(width) for name, width in columns) + "\n")
    for row in rows:
        shown = dict(row)
        if row.get("sla_stopped_since") and row.get("status") in ("on_hold", "resolved"):
            shown["resolution_due"] = "paused" if row["status"] == "on_hold" else "stopped"
        out.write("  ".join(_cell(shown.get(name), width).ljust(width)
                            for name, width in columns).rstrip() + "\n")
    out.write(f"({len(rows)} ticket{'s' if len(rows) != 1 else ''})\n")


def print_ticket(view: dict[str, Any], out: TextIO | None = None) -> None:
    """A readable page about one ticket."""
    out = out or sys.stdout
    sla = view["sla"]
    state = "breached" if sla["breached"] else "warning" if sla["warning"] else "ok"
    if sla["paused"]:
        state += ", paused"
    lines = [
        f"{view['number']}  {view['priority']}  {view['status']}"
        + (f" ({view['hold_reason']})" if view["hold_reason"] else "")
        + ("  MAJOR INCIDENT" if view["major"] else ""),
        f"  {view['summary']}",
        f"  type {view['type']}, impact {view['impact']}, urgency {view['urgency']}",
        f"  category {view['category'] or '-'} / {view['subcategory'] or '-'}, "
        f"service {view['service'] or '-'}, CI {view['ci'] or '-'}",
        f"  group {view['group'] or '-'} ({view['support_level']}), "
        f"assignee {view['assignee'] or '-'}",
        f"  reporter {view['reporter'] or '-'} <{view['contact'] or '-'}> "
        f"via {view['channel'] or '-'}",
        f"  logged {view['logged_at']} by {view['logged_by']}",
        f"  SLA {state}: response due {sla['response_due']}, "
        f"resolution due {sla['resolution_due']}",
    ]
    if view["resolved_at"]:
        lines.append(f"  resolved {view['resolved_at']} ({view['resolution_type']}, "
                     f"{view['resolution_code']}): {view['resolution_notes']}")
    for key, label in (("problem", "problem"), ("parent", "parent"), ("rfc", "RFC")):
        if view.get(key):
            lines.append(f"  {label} {view[key]}")
    for link in view.get("links", []):
        lines.append(f"  {link['kind']} {link['number']}")
    if view.get("description"):
        lines += ["", "  " + view["description"].replace("\n", "\n  ")]
    checklists = view.get("checklists", {})
    for name in ("categorisation", "closure"):
        if checklists.get(name):
            lines.append(f"\n  {name} checklist:")
            for index, item in enumerate(checklists[name], 1):
                mark = "x" if item["done"] else " "
                lines.append(f"   [{mark}] {index}. {item.get('label', item['item'])}")
    if view.get("worklog"):
        lines.append("\n  worklog:")
        for entry in view["worklog"]:
            lines.append(f"   {entry['at']} {entry['by']} ({entry['kind']}, "
                         f"{entry['minutes']} min): {entry['note']}")
    out.write("\n".join(lines) + "\n")
