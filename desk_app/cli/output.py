"""How results are printed: JSON for scripts, short text for people.

Ticket text comes from anyone (a mail, an import, another desk), so nothing of it
reaches a terminal as a control or escape sequence: text output is passed through
:func:`plain`, and JSON escapes every control character.
"""

import json
import re
import sys
from typing import Any, TextIO

# whole escape sequences first (so their parameters do not stay behind as text):
# CSI (ESC [ or 0x9B ... final byte), string controls (OSC, DCS, SOS, PM, APC up to
# BEL or ST), then any other two-character ESC sequence
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n]")
_JSON_UNESCAPED = re.compile(r"[\x7f-\x9f\u2028\u2029]")  # json.dumps escapes C0 only
MULTILINE_FIELDS = frozenset({"description", "resolution_notes", "note", "root_cause",
                              "workaround", "symptoms", "cause", "solution"})


def plain(value: Any, multiline: bool = False) -> str:
    """``value`` as text safe for a terminal: escape sequences and control characters
    removed; newlines and tabs kept only when ``multiline`` (else a space). None is ''."""
    if value is None:
        return ""
    text = _CONTROL.sub("", _SEQUENCE.sub("", str(value)))
    return text if multiline else _LINE_BREAKS.sub(" ", text)


def print_json(data: Any, out: TextIO | None = None) -> None:
    """Pretty JSON with stable key order; control characters escaped."""
    out = out or sys.stdout
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    out.write(_JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def _cell(value: Any, width: int) -> str:
    text = plain(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _shown(value: Any, key: str = "") -> Any:
    """A ticket view with every text made :func:`plain` (multi-line fields keep lines)."""
    if isinstance(value, dict):
        return {k: _shown(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v, key) for v in value]
    if isinstance(value, str):
        return plain(value, multiline=key in MULTILINE_FIELDS)
    return value


def _or_dash(value: Any) -> str:
    return "-" if value in (None, "") else str(value)


def print_ticket_table(rows: list[dict[str, Any]], out: TextIO | None = None,
                       total: int | None = None, satisfaction: bool = False) -> None:
    """One line per ticket: number, priority, status, summary, who, resolution due (and
    the user's score ``4/5`` with ``satisfaction``); then how many (and of how many
    matching, when that is more)."""
    out = out or sys.stdout
    columns: tuple[tuple[str, int], ...] = (
        ("number", 11), ("priority", 3), ("status", 11), ("summary", 40), ("group", 18),
        ("assignee", 10), ("resolution_due", 25))
    if satisfaction:
        columns += (("satisfaction", 12),)
    out.write("  ".join(name.upper()[:width].ljust(width)
                        for name, width in columns).rstrip() + "\n")
    for row in rows:
        shown = dict(row)
        if row.get("sla_stopped_since") and row.get("status") in ("on_hold", "resolved"):
            shown["resolution_due"] = "paused" if row["status"] == "on_hold" else "stopped"
        score = row.get("satisfaction_score")
        shown["satisfaction"] = f"{score}/5" if score is not None else "-"
        out.write("  ".join(_cell(shown.get(name), width).ljust(width)
                            for name, width in columns).rstrip() + "\n")
    if total is not None and total > len(rows):
        out.write(f"({len(rows)} of {total:,} tickets; --limit shows more)\n")
    else:
        out.write(f"({len(rows)} ticket{'s' if len(rows) != 1 else ''})\n")


def print_ticket(view: dict[str, Any], out: TextIO | None = None) -> None:
    """A readable page about one ticket."""
    out = out or sys.stdout
    view = _shown(view)
    sla = view["sla"]
    state = "breached" if sla["breached"] else "warning" if sla["warning"] else "ok"
    if sla["paused"]:
        state += ", paused"
    lines = [
        f"{view['number']}  {view['priority']}  {view['status']}"
        + (f" ({view['hold_reason']})" if view["hold_reason"] else "")
        + ("  MAJOR INCIDENT" if view["major"] else ""),
        f"  {view['summary']}",
        f"  type {view['type']}, impact {_or_dash(view['impact'])}, "
        f"urgency {_or_dash(view['urgency'])}",
        f"  category {view['category'] or '-'} / {view['subcategory'] or '-'}, "
        f"service {view['service'] or '-'}, CI {view['ci'] or '-'}",
        f"  group {view['group'] or '-'} ({view['support_level']}), "
        f"assignee {view['assignee'] or '-'}",
        f"  reporter {view['reporter'] or '-'} <{view['contact'] or '-'}> "
        f"via {view['channel'] or '-'}",
        f"  logged {view['logged_at']} by {_or_dash(view['logged_by'])}",
        f"  SLA {state}: response due {_or_dash(sla['response_due'])}, "
        f"resolution due {_or_dash(sla['resolution_due'])}",
    ]
    if view["resolved_at"]:
        lines.append(f"  resolved {view['resolved_at']} ({_or_dash(view['resolution_type'])}, "
                     f"{_or_dash(view['resolution_code'])}): "
                     f"{_or_dash(view['resolution_notes'])}")
    if view.get("satisfaction"):
        lines.append(_satisfaction_line(view["satisfaction"]))
    for key, label in (("problem", "problem"), ("parent", "parent"), ("rfc", "RFC")):
        if view.get(key):
            lines.append(f"  {label} {view[key]}")
    for link in view.get("links", []):
        lines.append(f"  {link['kind']} {link['number']}")
    lines += _problem_lines(view)
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
            minutes = f", {entry['minutes']} min" if entry.get("minutes") is not None else ""
            lines.append(f"   {entry['at']} {entry['by']} ({entry['kind']}{minutes}): "
                         + entry["note"].replace("\n", "\n      "))
    out.write("\n".join(lines) + "\n")


def _satisfaction_line(answer: dict[str, Any]) -> str:
    """``  satisfaction 4/5 — comment (by mail, <when>)``."""
    comment = f" — {answer['comment']}" if answer.get("comment") else ""
    source = "by mail" if answer.get("source") == "mail" else "told to a technician"
    return f"  satisfaction {answer['score']}/5{comment} ({source}, {_or_dash(answer['at'])})"


def _problem_lines(view: dict[str, Any]) -> list[str]:
    """A problem's status, root cause, workaround and incidents; an incident's article
    and the reason it needs no problem record."""
    lines = []
    if view.get("problem_status"):
        lines.append(f"  problem status {view['problem_status']}")
        for key in ("root_cause", "workaround"):
            if view.get(key):
                lines.append(f"  {key.replace('_', ' ')}: "
                             + view[key].replace("\n", "\n    "))
        for incident in view.get("incidents", []):
            lines.append(f"  incident {incident['number']}  {incident['status']}  "
                         f"{incident['summary']}")
    if view.get("article"):
        lines.append(f"  knowledge article {view['article']}")
    if view.get("problem_reason"):
        lines.append(f"  no problem record: {view['problem_reason']}")
    return lines
