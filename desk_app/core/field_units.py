"""Which ticket fields merge together, and which are derived from the history.

Per-field last-writer-wins is right for a summary or a category, wrong for fields a
rule ties together: a merge must never take the status from one desk and the hold
reason or the SLA stop from another. Such fields form a *unit*: whenever a device
changes any field of a unit it sends every field of the unit under one clock, so each
receiver picks the same winner for all of them.

Counters are never merged as values: ``x + 1`` written on two desks loses one step.
Every step is a history row (field, old, new), the union of history rows merges
without loss, and the counter is derived from it: the sum of its steps. A level that
only rises (the management escalation) is the highest value its history reached.
"""

from collections.abc import Iterable, Mapping
from typing import Any

# The lifecycle: the status and everything the lifecycle invariants and the SLA tie to
# it (hold reason, clock stop, the due times and the priority they are planned from,
# the timestamps, the resolution and the closure decisions).
LIFECYCLE = (
    "status", "hold_reason", "responded_at", "resolved_at", "closed_at",
    "sla_stopped_since", "sla_stopped_ms", "response_due", "resolution_due",
    "impact", "urgency", "priority",
    "resolution_type", "resolution_code", "resolution_notes", "resolved_by", "may_recur",
    "confirmation", "knowledge", "problem_decision", "cancel_reason",
    "problem_status", "problem_reason", "article_id",
)
# Who works the ticket: assigning and functional escalation set these together.
ASSIGNMENT = ("group_id", "assignee_id", "support_level")

# A major incident's bridge: its call link, phone and room are set together.
MAJOR_BRIDGE = ("major_bridge_link", "major_bridge_phone", "major_bridge_room")
# The user's satisfaction answer: a score never merges with another answer's comment.
SATISFACTION = ("satisfaction_score", "satisfaction_comment", "satisfaction_at",
                "satisfaction_source")

UNITS: tuple[tuple[str, ...], ...] = (LIFECYCLE, ASSIGNMENT, MAJOR_BRIDGE, SATISFACTION)

# column -> how its history rows combine into its value
COUNTED = ("reopen_count", "escalation_count", "reassignment_count")
HIGHEST = ("hierarchic_level",)
DERIVED = frozenset(COUNTED + HIGHEST)


def unit_of(column: str) -> tuple[str, ...]:
    """The columns that travel with ``column`` (just itself when it is in no unit)."""
    for unit in UNITS:
        if column in unit:
            return unit
    return (column,)


def _number(text: Any) -> int:
    """A history value as a whole number (anything else counts as 0)."""
    if isinstance(text, int):
        return text
    if isinstance(text, str) and text.strip().lstrip("-").isascii() \
            and text.strip().lstrip("-").isdigit():
        return int(text.strip())
    return 0


def derived_values(history: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Every derived column's value from a ticket's history rows (``field``, ``old``,
    ``new``): counters sum their steps, levels take their highest value."""
    values = dict.fromkeys(DERIVED, 0)
    for row in history:
        name = row["field"]
        if name in COUNTED:
            values[name] += _number(row["new"]) - _number(row["old"])
        elif name in HIGHEST:
            values[name] = max(values[name], _number(row["new"]))
    return values


def baseline_steps(values: Mapping[str, Any],
                   history: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(field, old, new) history steps that make ``history`` account for the derived
    values a ticket arrives with (an import carrying counts without their events):
    each step goes from what the history derives to the arriving value."""
    derived = derived_values(history)
    steps = []
    for name in sorted(DERIVED):
        wanted = _number(values.get(name))
        if wanted != derived[name] and (name in COUNTED or wanted > derived[name]):
            steps.append((name, str(derived[name]), str(wanted)))
    return steps
