"""A ticket's timeline as a conversation: worklog entries, the logging, and the field
changes grouped by the moment and the person that made them (shown collapsed)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desk_app.core.labels import human_label

# history fields whose values are stored codes, shown with their human label
CODED_FIELDS = frozenset({"status", "hold_reason", "type", "impact", "urgency", "channel",
                          "confirmation", "resolution_type", "problem_decision", "knowledge",
                          "cancel_reason", "support_level"})
PERSON_FIELDS = frozenset({"assignee", "resolved_by", "logged_by"})


@dataclass(frozen=True)
class Entry:
    """One thing on the timeline. ``kind``: logged, worklog or changes; ``changes`` are
    (field, old, new) as a person reads them; ``key`` stays the same across refreshes."""

    key: str
    at: str
    by: str  # the person's name (their login when the desk does not know them)
    kind: str
    text: str
    worklog_kind: str = ""
    minutes: int = 0
    changes: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)

    @property
    def touches_status(self) -> bool:
        return any(name == "Status" for name, _old, _new in self.changes)

    def matches(self, kind: str, words: str) -> bool:
        """Whether the entry is shown under the filter ``kind`` and ``words``."""
        if kind == "worklog" and self.kind != "worklog":
            return False
        if kind == "history" and self.kind == "worklog":
            return False
        if kind == "status" and not (self.touches_status or self.kind == "logged"):
            return False
        if not words:
            return True
        haystack = " ".join([self.by, self.text, *(" ".join(c) for c in self.changes)])
        return words.casefold() in haystack.casefold()


def shown_value(name: str, value: str | None, people: dict[str, str]) -> str:
    """A history value as a person reads it: codes labelled, logins named, times to the
    minute, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if name in CODED_FIELDS:
        return human_label(value)
    if name in PERSON_FIELDS:
        return people.get(value, value)
    if len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    return value


def timeline_entries(data: dict[str, Any]) -> list[Entry]:
    """The entries of a ticket screen, oldest first."""
    people: dict[str, str] = data.get("people", {})
    history = data.get("history", [])
    entries: list[tuple[str, int, Entry]] = []
    start = 0
    while (start < len(history) and history[start]["old"] is None
           and history[start]["at"] == data.get("logged_at")):
        start += 1  # the rows the logging wrote: every field from nothing
    if start:
        first = history[0]
        channel = human_label(data.get("channel") or "") or "an unknown channel"
        entries.append((first["at"], 0, Entry(
            f"h{first['id']}", first["at"], people.get(first["by"], first["by"]), "logged",
            f"logged {data['number']} ({human_label(data['type'])}, {data['priority']}) "
            f"via {channel.lower()}")))
    index = start
    while index < len(history):  # one entry per (moment, person)
        first = history[index]
        group = []
        while (index < len(history) and history[index]["at"] == first["at"]
               and history[index]["by"] == first["by"]):
            row = history[index]
            group.append((human_label(row["field"]), shown_value(row["field"], row["old"], people),
                          shown_value(row["field"], row["new"], people)))
            index += 1
        status = [new for name, _old, new in group if name == "Status"]
        others = [name.lower() for name, _old, _new in group if name != "Status"]
        text = f"moved it to {status[-1]}" if status else ""
        if others:
            text += (" and changed " if text else "changed ") + ", ".join(others)
        entries.append((first["at"], index, Entry(
            f"h{first['id']}", first["at"], people.get(first["by"], first["by"]), "changes",
            text, changes=tuple(group))))
    offset = len(history) + 1
    for sequence, row in enumerate(data.get("worklog", []), start=offset):
        entries.append((row["at"], sequence, Entry(
            f"w{row['id']}", row["at"], people.get(row["by"], row["by"]), "worklog",
            row["note"], worklog_kind=row["kind"], minutes=row["minutes"] or 0)))
    entries.sort(key=lambda item: (item[0], item[1]))
    return [entry for _at, _sequence, entry in entries]
